"""Write generated pages into docs/: the only module that writes.

It owns exactly the files listed in its manifest (docs/.generated.json). It writes a file
only when its bytes change (mkdocs serve rebuilds on every write, so rewriting unchanged
files would loop), removes pages it wrote before whose entity is gone, and refuses to
overwrite a file it did not write: those are hand-written.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

from .problems import Problem

MANIFEST = ".generated.json"
STAMP = ".generated-stamp.json"  # what the last full build read and wrote (uptodate.py)


@dataclass(frozen=True)
class WriteReport:
    written: tuple[str, ...]
    removed: tuple[str, ...]
    unchanged: int


def read_manifest(docs_dir: Path) -> set[str]:
    try:
        return set(json.loads((docs_dir / MANIFEST).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return set()


def check_ownership(docs_dir: Path, pages: Iterable[str]) -> list[Problem]:
    """Problems for generated pages that would overwrite hand-written files."""
    owned, docs = read_manifest(docs_dir), str(docs_dir)
    # Plain strings, not Path objects: this looks at every page before any is written.
    return [
        Problem(f"{docs_dir.name}/{path}", 1, "a hand-written file is in the way of a generated page",
                "move or rename the hand-written file, or rename the entity")
        for path in sorted(pages)
        if path not in owned and os.path.exists(os.path.join(docs, path))
    ]


def write_pages(docs_dir: Path, pages: dict[str, str], kept: frozenset[str] = frozenset()) -> WriteReport:
    """Make docs/ hold exactly these generated pages, touching only what changed.

    kept: pages the caller knows are as this process last wrote them (an incremental
    rebuild in `mkdocs serve`): they are not read back. A kept page deleted by hand comes
    back at the next full build.
    """
    claim(docs_dir, pages.keys())
    written = write_changed(docs_dir, pages, kept)
    removed = record_generated(docs_dir, pages.keys())
    return WriteReport(tuple(written), removed, len(pages) - len(written))


def write_changed(docs_dir: Path, pages: Mapping[str, str], kept: frozenset[str] = frozenset()) -> list[str]:
    """Write the pages whose bytes differ from the file's, in path order; the paths written.

    Safe to run in several processes at once on different pages. Call record_generated
    when every page is written.
    """
    written, folders_made, docs = [], set(), str(docs_dir)
    # Plain strings, not Path objects: pathlib was a tenth of writing 10,000 new pages.
    for path in sorted(pages.keys() - kept):
        target = os.path.join(docs, path)
        data = pages[path].encode("utf-8")
        size = _size(target)
        if size == len(data) and _read_bytes(target) == data:
            continue
        folder = os.path.dirname(target)
        if folder not in folders_made:
            os.makedirs(folder, exist_ok=True)
            folders_made.add(folder)
        if size is None:
            _create(target, data)
        else:
            _replace(target, data)
        written.append(path)
    return written


def claim(docs_dir: Path, paths: Iterable[str]) -> None:
    """Add paths to the manifest before writing them.

    A build stopped half-way then leaves pages the manifest lists: the next build rewrites
    or removes them, instead of taking them for hand-written files in its way.
    """
    owned = read_manifest(docs_dir)
    if not owned.issuperset(paths):
        docs_dir.mkdir(parents=True, exist_ok=True)
        _replace(docs_dir / MANIFEST, _manifest_bytes(owned.union(paths)))


def record_generated(docs_dir: Path, paths: Iterable[str]) -> tuple[str, ...]:
    """Remove the pages written before that are not among paths; the manifest lists paths."""
    paths = set(paths)
    removed = sorted(read_manifest(docs_dir) - paths)
    for path in removed:
        (docs_dir / path).unlink(missing_ok=True)
        _remove_empty_parents(docs_dir, docs_dir / path)
    manifest = _manifest_bytes(paths)
    if not _same_bytes(docs_dir / MANIFEST, manifest):
        _replace(docs_dir / MANIFEST, manifest)
    return tuple(removed)


def stamp_text(docs_dir: Path) -> str:
    return (docs_dir / STAMP).read_text(encoding="utf-8")


def record_stamp(docs_dir: Path, stamp: dict | None) -> None:
    """Write the record of a full build (uptodate.py), or remove it when there is none."""
    if stamp is None:
        (docs_dir / STAMP).unlink(missing_ok=True)
    else:
        _replace(docs_dir / STAMP, json.dumps(stamp, separators=(",", ":")).encode("utf-8"))


def _manifest_bytes(paths: Iterable[str]) -> bytes:
    return (json.dumps(sorted(paths), indent=0) + "\n").encode("utf-8")


def _size(path: Path | str) -> int | None:
    try:
        return os.stat(path).st_size
    except OSError:
        return None


def _same_bytes(path: Path | str, data: bytes) -> bool:
    return _size(path) == len(data) and _read_bytes(path) == data


def _read_bytes(path: Path | str) -> bytes:
    with open(path, "rb") as file:
        return file.read()


def _replace(path: Path | str, data: bytes) -> None:
    # Write beside the target and rename over it, so a reader (or a stopped build)
    # never sees half a page, and the page written before stays until the new one is whole.
    folder, name = os.path.split(path)
    temporary = os.path.join(folder, f".{name}.tmp")
    with open(temporary, "wb") as file:
        file.write(data)
    os.replace(temporary, path)


def _create(path: str, data: bytes) -> None:
    # A new page has no earlier version to keep, so it is written in place: half the cost
    # of writing beside it and renaming (10,000 new pages: 0.6 s → 0.35 s). A build stopped
    # mid-page leaves a page the manifest claims (see claim), which the next build rewrites.
    try:
        file = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except FileExistsError:  # written since it was looked at: replace it whole
        _replace(path, data)
        return
    with os.fdopen(file, "wb") as stream:
        stream.write(data)


def _remove_empty_parents(docs_dir: Path, path: Path) -> None:
    parent = path.parent
    while parent != docs_dir and parent.is_dir() and not any(parent.iterdir()):
        parent.rmdir()
        parent = parent.parent
