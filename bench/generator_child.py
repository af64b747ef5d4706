"""One measured generator run for bench/run.py, in a process of its own; prints JSON.

    generator_child.py full PROJECT              build content/ into docs/ from scratch
    generator_child.py warm-edit PROJECT FILE    build, edit FILE, build again with caches
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generator.incremental import Rebuilder  # noqa: E402
from generator.pipeline import build  # noqa: E402


def full(project: Path) -> dict:
    cpu = time.process_time()
    result = build(project / "content", project / "docs")
    return {"stages": result.timings.stages, "cpu_seconds": time.process_time() - cpu, "pages": result.pages,
            "written": list(result.report.written)}


def warm_edit(project: Path, edited: Path) -> dict:
    rebuilder = Rebuilder()
    build(project / "content", project / "docs", rebuilder=rebuilder)
    # The load cache trusts a file only if it was not modified within a second before it
    # was read; wait, so that the other files count as unchanged, as in a real session.
    time.sleep(1.1)
    original = edited.read_text(encoding="utf-8")
    edited.write_text(original.replace("summary: ", "summary: Edited in a warm process. ", 1), encoding="utf-8")
    try:
        started = time.perf_counter()
        result = build(project / "content", project / "docs", rebuilder=rebuilder)
        seconds = time.perf_counter() - started
    finally:
        edited.write_text(original, encoding="utf-8")
    rendered = rebuilder.pages.rendered
    build(project / "content", project / "docs", rebuilder=rebuilder)  # put the pages back
    return {"seconds": seconds, "stages": result.timings.stages, "written": list(result.report.written),
            "rendered": list(rendered)}


if __name__ == "__main__":
    mode, project = sys.argv[1], Path(sys.argv[2])
    output = full(project) if mode == "full" else warm_edit(project, Path(sys.argv[3]))
    print(json.dumps(output))
