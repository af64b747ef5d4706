"""The pipeline, end to end: load → validate → link → render → write."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from .incremental import Rebuilder
from .link import SiteGraph, link
from .load import load_content
from .problems import ContentError, Problem, errors_in
from .render import render
from .validate import validate
from .write import WriteReport, check_ownership, write_pages


@dataclass
class Timings:
    """Seconds spent in each stage, for the benchmark."""

    stages: dict[str, float] = field(default_factory=dict)

    def measure(self, stage: str, started: float) -> float:
        now = time.perf_counter()
        self.stages[stage] = self.stages.get(stage, 0.0) + now - started
        return now


@dataclass(frozen=True)
class BuildResult:
    report: WriteReport
    warnings: tuple[Problem, ...]
    timings: Timings
    pages: int


def check(content_dir: Path, timings: Timings | None = None, rebuilder: Rebuilder | None = None
          ) -> tuple[SiteGraph | None, list[Problem]]:
    """Load and validate the content; the site graph, or None when there are errors."""
    timings = timings or Timings()
    started = time.perf_counter()
    loaded = load_content(content_dir, cache=rebuilder.files if rebuilder else None)
    started = timings.measure("load", started)
    validated, problems = validate(loaded.documents, loaded.unreadable, rebuilder.checks if rebuilder else None)
    problems = sorted([*loaded.problems, *problems])
    started = timings.measure("validate", started)
    if errors_in(problems) or validated.site is None:
        return None, problems
    graph = link(validated, rebuilder.links if rebuilder else None)
    timings.measure("link", started)
    return graph, problems


def build(content_dir: Path, docs_dir: Path, rebuilder: Rebuilder | None = None) -> BuildResult:
    """Validate everything, then write the pages; raises ContentError before writing anything.

    With a rebuilder (kept across builds by a long-running process), unchanged files are not
    parsed again and only the pages whose inputs changed are rendered again.
    """
    timings = Timings()
    graph, problems = check(content_dir, timings, rebuilder)
    if graph is None:
        raise ContentError(problems)
    started = time.perf_counter()
    pages, kept = _render(graph, rebuilder)
    started = timings.measure("render", started)
    in_the_way = check_ownership(docs_dir, pages)
    if in_the_way:
        if rebuilder:
            rebuilder.forget_pages()
        raise ContentError(in_the_way)
    report = write_pages(docs_dir, pages, kept)
    timings.measure("write", started)
    if rebuilder:
        rebuilder.keep()
    return BuildResult(report, tuple(problems), timings, len(pages))


def _render(graph: SiteGraph, rebuilder: Rebuilder | None) -> tuple[dict[str, str], frozenset[str]]:
    """All pages, and those known to be as the last build wrote them."""
    if rebuilder is None:
        return render(graph), frozenset()
    had_pages = bool(rebuilder.pages.pages)
    pages, rendered = rebuilder.pages.render(graph)
    return pages, (frozenset(pages.keys() - set(rendered)) if had_pages else frozenset())
