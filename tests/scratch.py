"""A scratch copy of the project, for the tests and the benchmark (no test framework needed)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GENERATED_MANIFEST = ".generated.json"
# The writer's record of the last full build (generator/write.py STAMP): generated too.
GENERATED_STAMP = ".generated-stamp.json"


def copy_project(where: Path, content: Path | None) -> Path:
    """Copy mkdocs.yml (hook by absolute path), the hand-written docs, overrides/ and content."""
    where.mkdir(parents=True, exist_ok=True)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("- generator/mkdocs_hook.py", f"- {ROOT / 'generator' / 'mkdocs_hook.py'}")
    (where / "mkdocs.yml").write_text(config, encoding="utf-8")
    _copy_hand_written_docs(where / "docs")
    shutil.copytree(ROOT / "overrides", where / "overrides")
    if content is not None:
        shutil.copytree(content, where / "content")
    return where


def _copy_hand_written_docs(target: Path) -> None:
    """Copy docs/ without the pages the generator wrote (listed in its manifest)."""
    docs = ROOT / "docs"
    manifest = docs / GENERATED_MANIFEST
    generated = set(json.loads(manifest.read_text())) if manifest.exists() else set()
    for path in sorted(docs.rglob("*")):
        relative = path.relative_to(docs).as_posix()
        if path.is_file() and relative not in (GENERATED_MANIFEST, GENERATED_STAMP) and relative not in generated:
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target / relative)


def serve_env(port: int) -> dict:
    """Environment for `mkdocs serve` on 127.0.0.1:port with the site at the root.

    mkdocs serve mounts the site at site_url's path, and mkdocs.yml's default site_url has one.
    """
    return dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(ROOT), SITE_URL=f"http://127.0.0.1:{port}/")


def stop_server(process: subprocess.Popen, timeout: float = 20) -> None:
    """Stop `mkdocs serve` as Ctrl-C does, so that it deletes the site it built.

    mkdocs serve builds into a folder of its own under the system's temporary folder and
    deletes it when it shuts down; SIGTERM kills it before it can, and every stopped server
    left its whole site behind (4 GB in /tmp after a day of test runs and benchmarks).
    """
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
