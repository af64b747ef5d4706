"""The pipeline, end to end: load → validate → link → render → write."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from .link import SiteGraph, link
from .load import load_content
from .problems import ContentError, Problem, errors_in
from .render import render
from .schema import schema_pages
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


def check(content_dir: Path, timings: Timings | None = None) -> tuple[SiteGraph | None, list[Problem]]:
    """Load and validate the content; the site graph, or None when there are errors."""
    timings = timings or Timings()
    started = time.perf_counter()
    loaded = load_content(content_dir)
    started = timings.measure("load", started)
    validated, problems = validate(loaded.documents, loaded.unreadable)
    problems = sorted([*loaded.problems, *problems])
    started = timings.measure("validate", started)
    if errors_in(problems) or validated.site is None:
        return None, problems
    graph = link(validated)
    timings.measure("link", started)
    return graph, problems


def build(content_dir: Path, docs_dir: Path) -> BuildResult:
    """Validate everything, then write the pages; raises ContentError before writing anything."""
    timings = Timings()
    graph, problems = check(content_dir, timings)
    if graph is None:
        raise ContentError(problems)
    started = time.perf_counter()
    # The editors' JSON Schemas are published with the site, beside the pages.
    pages = {**render(graph), **schema_pages()}
    started = timings.measure("render", started)
    in_the_way = check_ownership(docs_dir, pages)
    if in_the_way:
        raise ContentError(in_the_way)
    report = write_pages(docs_dir, pages)
    timings.measure("write", started)
    return BuildResult(report, tuple(problems), timings, len(pages))
