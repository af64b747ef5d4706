"""The pipeline, end to end: load → validate → link → render → write."""

from __future__ import annotations

import contextlib
import gc
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import parallel, uptodate
from .export import export_paths, exports
from .incremental import Rebuilder
from .link import SiteGraph, link
from .load import load_content
from .memo import RecordMemo
from .problems import WARNING, ContentError, Problem, errors_in
from .render import page_renderer
from .schema import schema_pages
from .validate import validate
from .write import WriteReport, check_ownership, claim, record_generated, write_changed, write_pages


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
    up_to_date: bool = False  # nothing read or written: the last full build's output stands


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


def build(content_dir: Path, docs_dir: Path, site_url: str | None = None,
          rebuilder: Rebuilder | None = None, full: bool = False) -> BuildResult:
    """Validate everything, then write the pages; raises ContentError before writing anything.

    site_url (MkDocs' site_url, from the hook) is the site's address when content/site.yaml
    gives no base_url: feeds and structured data need absolute addresses.

    With a rebuilder (kept across builds by a long-running process), unchanged files are not
    parsed again and only the pages whose inputs changed are rendered again. Without one, a
    build whose inputs and outputs are those the last full build recorded does nothing
    (uptodate.py), unless full is set.
    """
    started = time.perf_counter()
    timings = Timings()
    read = uptodate.inputs(content_dir, site_url) if rebuilder is None else None
    last = None if full else uptodate.unchanged(docs_dir, read)
    if last is not None:
        pages, warnings = last
        timings.measure("up to date", started)
        return BuildResult(WriteReport((), (), pages), warnings, timings, pages, up_to_date=True)
    timings.measure("load", started)  # looking at the files' dates is part of reading them
    with _collector_paused():
        graph, problems = check(content_dir, timings, rebuilder)
        if graph is None:
            raise ContentError(problems)
        graph, address_problems = _with_base_url(graph, site_url)
        problems = [*problems, *address_problems]
        if rebuilder is None:
            report = _render_and_write(graph, docs_dir, timings)
        else:
            report = _rebuild(graph, docs_dir, rebuilder, timings)
    result = BuildResult(report, tuple(problems), timings, report.unchanged + len(report.written))
    if rebuilder is None:
        started = time.perf_counter()
        uptodate.record(docs_dir, read, result.pages, result.warnings)
        timings.measure("write", started)
    return result


@contextlib.contextmanager
def _collector_paused():
    """Python's cyclic garbage collector off for one build (and in the workers it forks).

    A build makes a great many objects that live until it ends (the parsed files, the site
    graph) and little cyclic garbage: the collector kept walking the survivors to find none.
    At 10,000 entities a build took 10% less time without it, and its peak memory, in the
    main process and in the workers, stayed the same. Reference counting still frees
    everything else as usual; the collector comes back on when the build ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _render_and_write(graph: SiteGraph, docs_dir: Path, timings: Timings) -> WriteReport:
    """Every page, rendered and written by worker processes as they go (parallel.py);
    meanwhile this process makes and writes the open data. Nothing is written if a
    hand-written file is in the way of any of them.

    The "render" stage includes writing the pages; "write" is what is left after them.
    """
    started = time.perf_counter()
    jobs, render_chunk = page_renderer(graph)
    paths = [path for path, _ in jobs] + data_paths(graph)
    in_the_way = check_ownership(docs_dir, paths)
    if in_the_way:
        raise ContentError(in_the_way)
    claim(docs_dir, paths)

    def render_and_write(chunk: list) -> list[str]:
        return write_changed(docs_dir, {path: text for (path, _), text in zip(chunk, render_chunk(chunk))})

    pages_written, data_written = parallel.map_in_chunks(
        render_and_write, jobs, while_waiting=lambda: write_changed(docs_dir, data_files(graph)))
    started = timings.measure("render", started)
    removed = record_generated(docs_dir, paths)
    timings.measure("write", started)
    written = tuple(sorted([*pages_written, *data_written]))
    return WriteReport(written, removed, len(paths) - len(written))


def _rebuild(graph: SiteGraph, docs_dir: Path, rebuilder: Rebuilder, timings: Timings) -> WriteReport:
    """Render again only the pages whose inputs changed (incremental.py), then write."""
    started = time.perf_counter()
    had_pages = bool(rebuilder.pages.pages)
    pages, rendered = rebuilder.pages.render(graph)
    kept = frozenset(pages.keys() - set(rendered)) if had_pages else frozenset()
    pages.update(data_files(graph, rebuilder.exports))
    started = timings.measure("render", started)
    in_the_way = check_ownership(docs_dir, pages)
    if in_the_way:
        rebuilder.forget_pages()
        raise ContentError(in_the_way)
    report = write_pages(docs_dir, pages, kept)
    timings.measure("write", started)
    rebuilder.keep()
    return report


def _with_base_url(graph: SiteGraph, site_url: str | None) -> tuple[SiteGraph, list[Problem]]:
    site_file = graph.paths["site"]
    base_url = graph.site.base_url
    if base_url and site_url and base_url.rstrip("/") != site_url.rstrip("/"):
        return graph, [Problem(site_file, 1, f"base_url {base_url} differs from site_url {site_url} in mkdocs.yml",
                               "make them the same address, or remove base_url", WARNING)]
    if base_url or site_url:
        return replace(graph, site=graph.site.model_copy(update={"base_url": base_url or site_url})), []
    return graph, [Problem(site_file, 1, "no base_url: the Atom and iCalendar feeds are not written",
                           "add 'base_url: https://…', the site's public address", WARNING)]


def data_paths(graph: SiteGraph) -> list[str]:
    """The paths data_files() writes, without making the files."""
    return [*export_paths(graph), *schema_pages()]


def data_files(graph: SiteGraph, memo: RecordMemo | None = None) -> dict[str, str]:
    """The files written beside the pages: open data, feeds, and the editors' JSON Schemas.

    memo (kept between builds by one process) holds each entity's parts of the open data.
    """
    return {**exports(graph, memo), **schema_pages()}
