"""`mkdocs build` on every core: MkDocs' own page steps, run in forked worker processes.

MkDocs 1.6 reads, converts and writes the pages one at a time, in one process; with the
site's thousands of pages that was most of a build, and half of a two-core machine sat
idle. The pages are independent of each other, so when the nav is ready (before MkDocs
reads any page) the workers run the same two MkDocs functions the build loop would run,
`_populate_page` and `_build_page`, each for its share of the pages, and write the HTML.
They send back what the main process still needs: each page's search entries, its anchors
and links to anchors (MkDocs checks those once every page is read), its title and front
matter, and the log records, which are logged here, so `--strict` counts their warnings.
The build loop then passes over those pages. In a worker, one Markdown object converts
every page (reset between them), and the links a page resolved are remembered for the
next pages of its folder. Output is byte for byte that of MkDocs alone (tested).

This leans on MkDocs internals, which is why it is guarded: MkDocs 1.x is frozen, and the
parallel path is taken only on MkDocs 1.6, in `mkdocs build` (not `serve`, not `--dirty`),
and only when every plugin is one whose per-page work is known to be done in the workers
(Material's search and this project's hook). Anything else builds the MkDocs way.
"""

from __future__ import annotations

import gc
import logging
import os
import posixpath
import time
import types
from dataclasses import dataclass, field
from typing import Callable

import markdown
import markdown.htmlparser
import mkdocs
from mkdocs.commands import build as mkdocs_build
from mkdocs.structure import pages as mkdocs_pages_module
from mkdocs.structure.files import InclusionLevel
from mkdocs.structure.pages import Page

from generator import known_code, parallel

try:
    from material.plugins.search.plugin import SearchPlugin
except ImportError:  # another theme: no search plugin of Material's to hand entries to
    SearchPlugin = None

log = logging.getLogger("mkdocs.generator")

# Pages differ in cost a hundredfold (an event against the timeline) and lie in folders of
# one kind; the runs shrink to a sixty-fourth of each worker's share (parallel._chunk_bounds),
# so that one worker does not finish long after the other.
CHUNKS_PER_WORKER = 16

# The steps that pages built ahead skip; kept to put back after the build.
_MKDOCS_STEPS = {"_populate_page": mkdocs_build._populate_page, "_build_page": mkdocs_build._build_page}


@dataclass
class PageResult:
    """What the main process needs from a page a worker built."""

    meta: dict
    title_from_render: str | None
    present_anchor_ids: set[str] | None
    links_to_anchors: dict[str, dict[str, str]] | None  # by the target file's src_uri
    search_entries: list[dict]
    records: list[logging.LogRecord]


@dataclass
class Failure:
    """A page step raised in a worker: its records, and the error to raise here."""

    records: list[logging.LogRecord]
    error: BaseException


@dataclass
class _Job:
    """Everything the forked workers read; set just before the fork."""

    config: object
    files: object
    nav: object
    pages: list[Page]
    search: object | None
    main_pid: int
    worker: dict = field(default_factory=dict)  # per worker process, filled in the worker


_job: _Job | None = None
_built_ahead: set[int] = set()


def can_build_ahead(config, command: str, dirty: bool, own_hooks: set[str]) -> bool:
    """Whether this build may run its pages in workers."""
    if command == "serve" or dirty or not mkdocs.__version__.startswith("1.6."):
        return False
    for name, plugin in config.plugins.items():
        if name in own_hooks:
            continue
        if SearchPlugin is None or not isinstance(plugin, SearchPlugin):
            return False
    return True


def build_ahead(config, files, nav, before_fork: Callable[[], object] | None = None) -> None:
    """Read, convert and write every page in worker processes, if there is work enough.

    Called from on_nav; before_fork, if given, runs only when the workers are about to
    start, for what they should inherit. Raises what a page step raised, after logging
    its records.
    """
    pages = _documentation_pages(config, files)
    if not parallel.will_fork(len(pages)):
        return
    if before_fork is not None:
        before_fork()
    global _job
    search = _search_plugin(config)
    _job = _Job(config, files, nav, pages, search, os.getpid())
    started = time.perf_counter()
    try:
        results, _ = parallel.map_in_chunks(_build_chunk, list(range(len(pages))),
                                            chunks_per_worker=CHUNKS_PER_WORKER)
    finally:
        _job = None
    # A chunk stops at a failing page: up to the first failure, results are in page order.
    for result in results:
        _log_again(result.records)
        if isinstance(result, Failure):
            raise result.error
    for page, result in zip(pages, results, strict=True):
        _apply(page, result, files)
    if search is not None:
        search.search_index.entries.extend(entry for result in results for entry in result.search_entries)
    _built_ahead.update(id(page) for page in pages)
    mkdocs_build._populate_page = _populate_unless_built
    mkdocs_build._build_page = _build_unless_built
    log.info(f"{len(pages)} pages built in {parallel.worker_count()} worker processes "
             f"in {time.perf_counter() - started:.2f} seconds")


def finish() -> None:
    """Put MkDocs' steps back: called when the build ends, well or not."""
    _built_ahead.clear()
    for name, step in _MKDOCS_STEPS.items():
        setattr(mkdocs_build, name, step)


def _documentation_pages(config, files) -> list[Page]:
    # As MkDocs' build loop does: pages outside the nav get their Page object here.
    pages = []
    for file in files.documentation_pages(inclusion=InclusionLevel.is_included):
        if file.page is None and file.inclusion.is_not_in_nav():
            Page(None, file, config)
        pages.append(file.page)
    return pages


def _search_plugin(config):
    """Material's search plugin, if it is on (a plugin turned off has no index)."""
    return next((plugin for plugin in config.plugins.values()
                 if SearchPlugin is not None and isinstance(plugin, SearchPlugin) and plugin.config.enabled), None)


# --- in the workers ---------------------------------------------------------------------

def _build_chunk(positions: list[int]) -> list[PageResult | Failure]:
    job = _job
    try:
        collector = _worker_setup(job)
    except Exception as error:  # noqa: BLE001 - raised again in the main process
        return [Failure([], error)]
    results: list[PageResult | Failure] = []
    for position in positions:
        page = job.pages[position]
        # A page of the nav was read when the worker started: its records were kept.
        collector.records = job.worker["nav_records"].pop(id(page), [])
        entries = job.search.search_index.entries if job.search is not None else []
        entries_before = len(entries)
        try:
            if id(page) not in job.worker["read"]:
                _MKDOCS_STEPS["_populate_page"](page, job.config, job.files)
            _MKDOCS_STEPS["_build_page"](page, job.config, job.worker["doc_files"], job.nav,
                                         job.worker["env"])
        except Exception as error:  # noqa: BLE001 - raised again in the main process
            results.append(Failure(collector.records, error))
            break
        results.append(_result_of(page, entries[entries_before:], collector.records))
    # What the chunk's pages leave behind is kept until the worker ends: frozen, the garbage
    # collector's full collections stop walking it again and again (at 10,000 entities they
    # took 1.7 s of the 36 s of each worker; 1.1 s with this).
    gc.collect()
    gc.freeze()
    return results


def _worker_setup(job: _Job) -> "_Collector":
    """Once per worker: collect the log records, read the nav's pages, run on_env."""
    if job.worker:
        return job.worker["collector"]
    # The worker takes over the "mkdocs" logger: never in the main process, whose log is the build's.
    if os.getpid() == job.main_pid:
        raise RuntimeError("MkDocs page steps must run in a forked worker, not in the main process")
    collector = _Collector()
    mkdocs_pages_module.markdown = _ReusedMarkdown()
    _RememberedLinks().install()
    logger = logging.getLogger("mkdocs")
    logger.handlers = [collector]
    # Every page's navigation shows the nav's pages: their titles and their front matter
    # (Material's icons and status). So each worker reads those pages first, and converts
    # one only if its title must come from its first heading: not given in the nav (that
    # title is set on the page object) nor in the front matter. A nav page's records go
    # with it to the worker that builds it.
    nav_records = {}
    for page in job.nav.pages:
        if page.file.inclusion.is_included():
            page.read_source(job.config)
            if "title" in vars(page) or "title" in page.meta:
                continue
            collector.records = []
            _MKDOCS_STEPS["_populate_page"](page, job.config, job.files)
            nav_records[id(page)] = collector.records
    # As MkDocs' build does: a theme environment, then the plugins' on_env.
    env = job.config.plugins.on_env(job.config.theme.get_env(), config=job.config, files=job.files)
    job.worker.update(collector=collector, read=set(nav_records), nav_records=nav_records, env=env,
                      doc_files=job.files.documentation_pages(inclusion=InclusionLevel.is_included))
    return collector


def _result_of(page: Page, entries: list[dict], records: list[logging.LogRecord]) -> PageResult:
    links = page.links_to_anchors
    return PageResult(
        meta=page.meta,
        title_from_render=page._title_from_render,
        present_anchor_ids=page.present_anchor_ids,
        links_to_anchors=None if links is None else {file.src_uri: anchors for file, anchors in links.items()},
        search_entries=list(entries),
        records=records,
    )


class _RememberedLinks:
    """MkDocs' rewriting of each link, remembered in a worker for the pages after.

    MkDocs resolves every link of every page: it looks the target up among the site's
    files and makes its address relative to the page (a fifteenth of a worker's time).
    The pages of one folder link to the same pages again and again, and a link resolves to
    the same address from any two pages whose addresses are siblings (actors/a/ and
    actors/b/), unless it leads to one of them or below: the relative path depends only
    on the parent and the target. Only links that resolved cleanly (the target found and
    part of the site, nothing logged) are remembered, with their target, so that a link to
    an anchor is still registered for each page that has it.
    """

    def __init__(self):
        self._known: dict[tuple, tuple] = {}  # (folder, parent, url) → target, its address, address, anchor
        self._places: dict[int, _Place] = {}  # by page file (the site's files live as long as the build)

    def install(self) -> None:
        processor = mkdocs_pages_module._RelativePathTreeprocessor
        resolve = processor.path_to_url
        processor.path_to_url = lambda step, url: self.path_to_url(step, url, resolve)

    def path_to_url(self, step, url: str, resolve: Callable) -> str:
        place = self._places.get(id(step.file))
        if place is None:
            place = self._places[id(step.file)] = _Place.of(step)
        key = (place.folder, place.parent, url)
        known = self._known.get(key)
        if known is not None and not place.holds(known[1]):
            target, _, address, anchor = known
            if anchor:
                step.links_to_anchors.setdefault(target, {}).setdefault(anchor, url)
            return address
        address = resolve(step, url)
        clean = _cleanly_resolved(step, url)
        if clean is not None and place.parent is not None:
            target_address = posixpath.normpath("/" + clean[0].url)
            if not place.holds(target_address):
                self._known[key] = (clean[0], target_address, address, clean[1])
        return address


@dataclass(frozen=True)
class _Place:
    """Where a page's links start from: its source folder, and the folder
    mkdocs.utils.get_relative_url makes its links relative to (base) with that folder's
    parent (None for the home page, whose links are shared with no page)."""

    folder: str
    base: str
    parent: str | None

    @classmethod
    def of(cls, step) -> "_Place":
        head, tail = posixpath.split(step.file.url)
        base = posixpath.normpath("/" + (head if "." in tail else step.file.url))
        return cls(posixpath.dirname(step.file.src_uri), base, posixpath.dirname(base) if base != "/" else None)

    def holds(self, address: str) -> bool:
        """Whether an address ("/actors/a") is this base or below it."""
        return address == self.base or address.startswith(self.base + "/")


def _cleanly_resolved(step, url: str):
    """(target file, anchor) when path_to_url found the link's target and logged nothing."""
    scheme, netloc, path, _, anchor = mkdocs_pages_module.urlsplit(url)
    if scheme or netloc or url.startswith(("/", "\\")) or mkdocs_pages_module.AMP_SUBSTITUTE in url or not path:
        return None
    target_uri = step._target_uri(step.file.src_uri, mkdocs_pages_module.urlunquote(path))
    target = step.files.get_file_from_path(target_uri)
    if target is None or target.inclusion.is_excluded():
        return None
    return target, anchor


class QuickRawHTMLPreprocessor(mkdocs_pages_module._RawHTMLPreprocessor):
    """MkDocs' look for anchors in a page's raw HTML, skipped where there can be none.

    Before converting a page, MkDocs reads all of its text with an HTML parser to collect
    the id (and <a name>) attributes of its raw HTML, for its check of links to anchors: a
    tenth of a millisecond per page of the 1,000-entity site, and 1,141 of its 1,148 pages
    hold no such attribute. The parser reads an attribute name only after a quote, a space
    or a "/", up to a space, "/", "=" or ">", and lower-cases it: a text in which "id" and
    "name" (in any case) never stand so gives it nothing to find.
    """

    def run(self, lines: list[str]) -> list[str]:
        if may_hold_anchor_attributes("\n".join(lines)):
            return super().run(lines)
        self.present_anchor_ids = set()
        return lines


def may_hold_anchor_attributes(text: str) -> bool:
    text = text.lower()
    for name in ("id", "name"):
        index = text.find(name)
        while index != -1:
            before, after = text[index - 1:index], text[index + len(name):index + len(name) + 1]
            if (not before or before in "'\"/" or before.isspace()) and (not after or after in "/=>" or after.isspace()):
                return True
            index = text.find(name, index + 1)
    return False


# Digest of what the shortcut must agree with: MkDocs 1.6's anchor look-up, and the
# expression with which the installed html.parser finds attribute names.
KNOWN_ANCHOR_SCAN = "fec0519cd268323cc4522c11e9387af1f791cbb0056f782bc51bed6ed7ee734d"


def anchor_scan_code() -> str:
    return known_code.digest(QuickRawHTMLPreprocessor.__mro__[1].run,  # MkDocs' own, installed or not
                             mkdocs_pages_module._HTMLHandler.handle_starttag,
                             markdown.htmlparser.htmlparser.attrfind_tolerant.pattern)


def install_anchor_scan() -> None:
    """MkDocs' pages look for anchors in raw HTML the quick way, if MkDocs is the known one."""
    if mkdocs_pages_module._RawHTMLPreprocessor is not QuickRawHTMLPreprocessor and anchor_scan_code() == KNOWN_ANCHOR_SCAN:
        mkdocs_pages_module._RawHTMLPreprocessor = QuickRawHTMLPreprocessor


class _ReusedMarkdown(types.ModuleType):
    """The `markdown` module as MkDocs' page module sees it in a worker: markdown.Markdown
    gives one object per configuration, reset between pages.

    MkDocs makes a new Markdown object for every page (4% of a build: each extension set up
    and every processor made again); Python-Markdown's own way to convert many documents is
    one object and reset() between them. The page's own processors (links, anchors, title)
    are registered on it again under the same names, replacing the last page's.
    """

    def __init__(self):
        super().__init__(markdown.__name__)
        self._made: dict[tuple[int, int], tuple] = {}

    def __getattr__(self, name):
        return getattr(markdown, name)

    def Markdown(self, *, extensions, extension_configs):  # noqa: N802 - markdown.Markdown's name
        key = (id(extensions), id(extension_configs))  # the configuration's own objects
        if key not in self._made:
            made = markdown.Markdown(extensions=extensions, extension_configs=extension_configs)
            self._made[key] = (extensions, extension_configs, made)  # held, so no other object takes the ids
            return made
        return self._made[key][2].reset()


class _Collector(logging.Handler):
    """Keeps a worker's log records, made safe to send to the main process."""

    def __init__(self):
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        record.msg = record.getMessage()
        record.args = None
        if record.exc_info:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
        self.records.append(record)


# --- back in the main process -----------------------------------------------------------

def _log_again(records: list[logging.LogRecord]) -> None:
    for record in records:
        logger = logging.getLogger(record.name)
        if logger.isEnabledFor(record.levelno):
            logger.handle(record)


def _apply(page: Page, result: PageResult, files) -> None:
    """Give the main process's page what MkDocs reads after the build loop."""
    page.meta = result.meta
    page._title_from_render = result.title_from_render
    # Not None: Page.title then reads the front matter and the rendered title, as in the worker.
    page.markdown = page.content = ""
    page.present_anchor_ids = result.present_anchor_ids
    if result.links_to_anchors is not None:
        page.links_to_anchors = {files.get_file_from_path(uri): anchors
                                 for uri, anchors in result.links_to_anchors.items()}


def _populate_unless_built(page, config, files, dirty=False):
    if id(page) not in _built_ahead:
        _MKDOCS_STEPS["_populate_page"](page, config, files, dirty)


def _build_unless_built(page, config, doc_files, nav, env, dirty=False, excluded=False):
    if id(page) not in _built_ahead:
        _MKDOCS_STEPS["_build_page"](page, config, doc_files, nav, env, dirty, excluded)
