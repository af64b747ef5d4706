"""Is docs/ already what a build would write? A record of the last build's inputs and outputs.

`mkdocs build` runs the generator before every build, and at 10,000 entities a build that
finds nothing to change still reads, checks and renders everything (4 s). Like make, a
build whose inputs are those of the last good build, and whose outputs are as it left
them, is skipped: the inputs are every file and folder under content/ (path, size, mtime,
inode), the generator's own code and templates, the library versions that shape its output
and the site's address; the outputs are every file the writer's manifest lists.

A file modified less than RACY_NS before the build started could change again within one
timestamp tick without its mtime or size changing (git's "racily clean" files), so a build
that read one records nothing, and the next build runs in full. Only full builds are
recorded or skipped: the preview (incremental.py) keeps its own state.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from dataclasses import asdict
from pathlib import Path

import jinja2
import pydantic
import pydantic_core
import yaml

from .problems import Problem
from .write import MANIFEST, read_manifest, record_stamp, stamp_text

RACY_NS = 1_000_000_000
CODE = Path(__file__).parent
# What renders and checks the pages, by the versions of the modules this process imported:
# what ran, and without importlib.metadata's look-ups through the installed packages (5 ms).
LIBRARIES = {"jinja2": jinja2.__version__, "pydantic": pydantic.VERSION,
             "pydantic-core": pydantic_core.__version__, "pyyaml": yaml.__version__}


def inputs(content_dir: Path, site_url: str | None, code_dir: Path = CODE) -> dict | None:
    """What the build is about to read, or None if a content file changed too recently to trust."""
    started = time.time_ns()
    tree = _tree(content_dir)
    if any(entry[2] > started - RACY_NS for entry in tree):
        return None
    return {"content": str(content_dir.resolve()), "tree": tree, "code": _code_digest(code_dir),
            "site_url": site_url or "", "python": sys.version, "libraries": _versions()}


def unchanged(docs_dir: Path, expected: dict | None) -> tuple[int, tuple[Problem, ...]] | None:
    """(pages, warnings) of the last build if it read these inputs and its outputs are intact."""
    if expected is None:
        return None
    try:
        recorded = json.loads(stamp_text(docs_dir))
    except (OSError, ValueError):
        return None
    if recorded.get("inputs") != expected or recorded.get("outputs") != outputs(docs_dir):
        return None
    return recorded["pages"], tuple(Problem(**problem) for problem in recorded["warnings"])


def record(docs_dir: Path, read: dict | None, pages: int, warnings: tuple[Problem, ...]) -> None:
    """Note what a full build read and wrote, so that the next one can be skipped."""
    if read is None:
        record_stamp(docs_dir, None)
        return
    record_stamp(docs_dir, {"inputs": read, "outputs": outputs(docs_dir), "pages": pages,
                            "warnings": [asdict(warning) for warning in warnings]})


def outputs(docs_dir: Path) -> list:
    """Size, mtime and inode of the manifest and of every file it lists."""
    listed = [MANIFEST, *sorted(read_manifest(docs_dir))]
    return [[path, *_stat(os.path.join(docs_dir, path))] for path in listed]


def _tree(folder: Path) -> list:
    """(path, size, mtime, inode) of everything the loader may read, in a stable order: the
    entries of the content folder and of each folder in it (content/<kind>/<file>).

    Folders count too: adding, removing or renaming a file changes its folder's mtime. A
    folder that is a link is followed, as the loader follows it.
    """
    entries: list = []
    _add_entries(str(folder), "", entries, depth=2)
    return entries


def _add_entries(folder: str, prefix: str, entries: list, depth: int) -> None:
    # Strings and scandir, not pathlib or os.path.relpath: 10,000 files at scale, every build.
    try:
        with os.scandir(folder) as listing:
            found = sorted(listing, key=lambda entry: entry.name)
    except OSError:
        return
    for entry in found:
        entries.append([prefix + entry.name, *_stat(entry.path)])
        if depth > 1 and entry.is_dir():  # a link to a folder too
            _add_entries(entry.path, prefix + entry.name + "/", entries, depth - 1)


def _stat(path: str) -> list[int]:
    try:
        stat = os.stat(path)
    except OSError:
        return [-1, -1, -1]
    return [stat.st_size, stat.st_mtime_ns, stat.st_ino]


def _code_digest(code_dir: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(code_dir.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(code_dir).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _versions() -> dict[str, str]:
    return dict(LIBRARIES)
