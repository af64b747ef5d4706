"""Render the site graph into Markdown pages with Jinja2 templates → {path: markdown}.

Pure: reads only its own templates, writes nothing. Output is deterministic (sorted
inputs, no timestamps), so unchanged content renders to identical bytes.
"""

from __future__ import annotations

import html
import functools
import json
import posixpath
import re
import weakref
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable

import jinja2

from . import diagrams, parallel, views
from .indexes import IndexPart, section_indexes
from .link import SiteGraph
from .model import WIKILINK
from .names import Glossary, NameIndex, autolink, entity_names, glossary_terms, with_tooltips

TEMPLATES = Path(__file__).parent / "templates"
SECTION_PAGES = {
    "actors": "actor.md.j2",
    "topics": "topic.md.j2",
    "positions": "position.md.j2",
    "events": "event.md.j2",
    "sources": "source.md.j2",
}
INDEX_PAGES = {
    "index.md": "home.md.j2",
    "actors/index.md": "actors_index.md.j2",
    "topics/index.md": "topics_index.md.j2",
    "events/index.md": "events_index.md.j2",
    "sources/index.md": "sources_index.md.j2",
    "glossary.md": "glossary.md.j2",
    "timeline.md": "timeline.md.j2",
    "matrix.md": "matrix.md.j2",
    "who-met-whom.md": "who_met_whom.md.j2",
}
ACTOR_KIND_LABELS = {"person": "People", "state": "States", "organization": "Organizations",
                     "alliance": "Alliances", "group": "Groups"}


def page_path(kind: str, entity_id: str) -> str:
    """Where the page of an entity lives, relative to docs/."""
    if kind == "glossary":
        return "glossary.md"
    return f"{kind}/{entity_id}.md"


class PageContext:
    """Link helpers for one page: every link is relative to where that page is written."""

    def __init__(self, graph: SiteGraph, path: str, names: NameIndex | None = None, own: str | None = None,
                 shared: dict | None = None):
        self.graph = graph
        # Links and source notes already written by pages in the same folder, and mentions
        # in structured data, when rendering many pages from one graph (not when
        # incremental.py tracks what each page reads).
        self.shared = shared
        self.path = path
        self._dir = posixpath.dirname(path) or "."
        self._names = names or NameIndex({}, None)
        # Entities already linked on this page: a name links itself only at its first mention,
        # and never on its own page.
        self._linked: set[str] = {own} if own else set()
        self._cited: dict[str, None] = {}  # sources cited as footnotes, in order of first citation
        # What pages of this folder made before: {"link" or "note": {entity id: Markdown}}.
        self._folder_made = (None if shared is None
                             else shared.setdefault(("folder", self._dir), {"link": {}, "note": {}}))

    def url(self, target: str) -> str:
        """Relative link to a page path ('events/index.md') or an entity id."""
        if target in self.graph.kinds:
            kind = self.graph.kinds[target]
            anchor = f"#{target}" if kind == "glossary" else ""
            target = page_path(kind, target) + anchor
        if target.startswith("#"):
            return target
        folder, name = posixpath.split(target)
        return _folder_prefix(self._dir, folder) + name

    def link(self, entity_id: str, label: str | None = None) -> str:
        """A Markdown link to an entity, labelled with its name unless told otherwise."""
        self._linked.add(entity_id)
        if label:
            return f"[{_escape_label(label)}]({self.url(entity_id)})"
        return self._made_once("link", entity_id, self._named_link)

    def _named_link(self, entity_id: str) -> str:
        return f"[{_escape_label(self.graph.title(entity_id))}]({self.url(entity_id)})"

    def _made_once(self, what: str, entity_id: str, make) -> str:
        """make(entity_id), or what a page in the same folder got from it in this render."""
        if self._folder_made is None:
            return make(entity_id)
        made = self._folder_made[what]
        text = made.get(entity_id)
        if text is None:
            text = made[entity_id] = make(entity_id)
        return text

    def text(self, markdown: str, names: bool = True) -> str:
        """Free text from content: every [[id]] a link, and the first mention of a known name too."""
        linked = markdown
        if "[[" in markdown:  # most texts link nothing by hand: spare the search
            linked = WIKILINK.sub(lambda m: self.link(m.group(1).strip(), m.group(2)), markdown)
        return autolink(linked, self._names, self._linked, self.link) if names else linked

    def description(self, markdown: str, limit: int = 160) -> str:
        """Plain text for a meta description: [[id]] becomes the entity's name.

        HTML-escaped here because Material writes it into content="…" unescaped: a quote
        in a summary would otherwise end the attribute.
        """
        return html.escape(shorten(readable(self.graph, markdown), limit), quote=True)

    def inline(self, markdown: str, names: bool = True) -> str:
        """Free text for one line or one table cell (names=False for quotations)."""
        return " ".join(self.text(markdown, names).split()).replace("|", "\\|")

    def cite(self, source_ids) -> str:
        """Footnote references to sources; footnotes() lists them at the end of the page."""
        for source_id in source_ids:
            self._cited.setdefault(source_id)
        # Separated, so that footnotes 1 and 2 do not read as footnote 12.
        return "<sup>,</sup>".join(f"[^{source_id}]" for source_id in source_ids)

    def footnotes(self) -> str:
        """The footnote definitions of every source cited so far, in order of first citation."""
        return "\n".join(f"[^{source_id}]: {self._source_note(source_id)}" for source_id in self._cited)

    def current_to(self) -> str:
        """The date of the latest source cited on this page (the site's date if none)."""
        dates = [self.graph.sources[s].published for s in self._cited]
        return max(dates, default=self.graph.site.as_of)

    def _source_note(self, source_id: str) -> str:
        self._linked.add(source_id)  # as the note's link would, when the note is made once
        return self._made_once("note", source_id, self._new_source_note)

    def _new_source_note(self, source_id: str) -> str:
        source = self.graph.sources[source_id]
        publisher = f"{plain(source.publisher)}, " if source.publisher else ""
        inferred = " (date inferred)" if source.published_inferred else ""
        return f"{self.link(source_id)}, {publisher}{human_date(source.published)}{inferred}."


@functools.lru_cache(maxsize=None)
def _folder_prefix(from_folder: str, to_folder: str) -> str:
    # posixpath.relpath per link was a third of the render time at 10,000 entities
    # (it calls os.getcwd twice); pages live in a handful of folders, so cache per pair.
    relative = posixpath.relpath(to_folder or ".", from_folder)
    return "" if relative == "." else relative + "/"


def _escape_label(label: str) -> str:
    return label.replace("[", "\\[").replace("]", "\\]")


@functools.lru_cache(maxsize=4096)
def human_date(value: str | None) -> str:
    """'2025-08-15' → '15 August 2025'; partial dates stay partial ('August 2025')."""
    if not value:
        return ""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return str(parts[0])
    month = date(parts[0], parts[1], 1).strftime("%B")
    return f"{parts[2]} {month} {parts[0]}" if len(parts) == 3 else f"{month} {parts[0]}"


def badge(value: str, kind: str) -> str:
    """A stance or status as a coloured label (a filter: Jinja calls filters more cheaply than macros)."""
    return f'<span class="{kind} {kind}--{value}">{value}</span>'


def part_label(key: str) -> str:
    """The heading of a part of a split index: a month ('March 2031'), a year or a letter."""
    if key[:1].isdigit() and len(key) >= 4:
        return human_date(key)
    return "0–9 and others" if key == "0" else key.upper()


_MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"[*_`]")


def plain(text: str) -> str:
    """Text without Markdown links or emphasis, for meta descriptions."""
    # Most texts hold no link or no emphasis: the tests in C spare the searches.
    if "](" in text:
        text = _MARKDOWN_LINK.sub(r"\1", text)
    if "*" in text or "_" in text or "`" in text:
        text = _EMPHASIS.sub("", text)
    return " ".join(text.split())


def readable(graph: SiteGraph, markdown: str) -> str:
    """Plain text with every [[id]] shown as its label or the entity's name."""
    if "[[" in markdown:
        markdown = WIKILINK.sub(lambda m: m.group(2) or graph.title(m.group(1).strip()), markdown)
    return plain(markdown)


def shorten(text: str, limit: int) -> str:
    """Cut text at a word boundary to at most limit characters."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


# One environment per process: `mkdocs serve` renders on every save, and compiling the
# templates anew each time was half the render time. current_environment() loads a template
# again when its file changed.
@functools.cache
def make_environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        # Jinja's auto_reload looks at a template's file each time a page asks for it (two
        # stat calls a page: its template and the macros); current_environment looks at
        # them all once per build instead.
        auto_reload=False,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # the output is Markdown; content HTML is refused at validation
        # Compiled templates kept on disk (in the system's temporary folder, keyed by each
        # template's checksum): compiling them is a tenth of a second of every fresh build.
        bytecode_cache=jinja2.FileSystemBytecodeCache(),
    )
    # The page's helpers as filters too ({{ id | link(page) }}): Jinja calls a filter
    # directly, a method through its context (a fifth of the render time at 10,000 entities).
    env.filters.update(date=human_date, yaml=json.dumps, part_label=part_label, badge=badge,
                       link=lambda target, page, label=None: page.link(target, label),
                       url=lambda target, page: page.url(target),
                       text=lambda markdown, page, names=True: page.text(markdown, names),
                       inline=lambda markdown, page, names=True: page.inline(markdown, names),
                       cite=lambda source_ids, page: page.cite(source_ids))
    # Imported here: structured data builds on this module's helpers (page paths, plain text).
    from .structured import json_ld_text

    env.filters["json_ld"] = lambda entity_id, page: json_ld_text(page.graph, entity_id, page.shared)
    env.globals.update(actor_kind_labels=ACTOR_KIND_LABELS, diagrams=diagrams,
                       views=views, human_date=human_date)
    return env


MACROS = "_macros.md.j2"


def _share_macros(env: jinja2.Environment) -> None:
    # The macros every page uses, as the global `m`: the same module an {% import %} of
    # them gives, without the import's comparison of the page's globals with the
    # template's at every page (a twentieth of the render time).
    env.globals["m"] = env.get_template(MACROS).module


@dataclass(frozen=True)
class PageJob:
    """What one page is made of, before rendering: its template and what it shows.

    Jobs compare equal when they would render the same page from the same graph, which
    lets an incremental build (incremental.py) keep pages whose inputs did not change.
    """

    template: str
    kind: str = ""  # an entity page: the kind and id of its entity
    entity_id: str = ""
    entries: tuple[str, ...] = ()  # an index page: the ids it lists,
    parts: tuple[IndexPart, ...] = ()  # or the parts it links to when split,
    part_key: str = ""  # or which part it is


def page_jobs(graph: SiteGraph) -> dict[str, PageJob]:
    """Every generated page of the site as {path relative to docs/: job}."""
    jobs = {path: PageJob(template) for path, template in INDEX_PAGES.items()}
    for kind, index in section_indexes(graph).items():
        template = jobs[f"{kind}/index.md"].template
        jobs[f"{kind}/index.md"] = PageJob(template, kind, entries=() if index.parts else index.ids,
                                           parts=index.parts)
        for part in index.parts:
            jobs[part.path] = PageJob(template, kind, entries=part.ids, part_key=part.key)
    for kind, template in SECTION_PAGES.items():
        for entity_id in getattr(graph, kind):
            jobs[page_path(kind, entity_id)] = PageJob(template, kind, entity_id)
    return jobs


def page_names(graph: SiteGraph) -> tuple[NameIndex, Glossary]:
    """The names that link themselves and the glossary terms that get tooltips, site-wide."""
    # A tooltip is plain text: [[id]] in a definition shows as the entity's name there.
    return entity_names(graph), glossary_terms(graph, functools.partial(readable, graph))


def render_page(env: jinja2.Environment, graph: SiteGraph, path: str, job: PageJob,
                names: NameIndex, glossary: Glossary, shared: dict | None = None) -> str:
    """One page's Markdown; shared: what pages rendered before from the same graph found."""
    variables = {"g": graph, "page": PageContext(graph, path, names, own=job.entity_id or None, shared=shared)}
    if job.entity_id:
        variables["e"] = getattr(graph, job.kind)[job.entity_id]
    elif job.kind:
        records = getattr(graph, job.kind)
        variables.update(entries=[records[i] for i in job.entries], parts=job.parts,
                         part=IndexPart(job.part_key, path, job.entries) if job.part_key else None)
    return with_tooltips(_render(env.get_template(job.template), variables), glossary)


def _render(template: jinja2.Template, variables: dict) -> str:
    """template.render(**variables), with the template's globals copied once, not per page.

    Template.render merges the globals into each page's variables by walking a ChainMap
    in Python: 18 µs a page, a twentieth of the render time.
    """
    context = template.new_context({**_globals_of(template), **variables}, shared=True)
    try:
        return template.environment.concat(template.root_render_func(context))
    except Exception:
        template.environment.handle_exception()


# A loaded template's globals do not change: the environment gets its globals before any
# page template is loaded (current_environment), and loads them all again after a change.
_flat_globals: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _globals_of(template: jinja2.Template) -> dict:
    flat = _flat_globals.get(template)
    if flat is None:
        flat = _flat_globals[template] = dict(template.globals)
    return flat


def templates_fingerprint() -> tuple:
    """Each template's name and mtime: what changes when an editor saves one."""
    return tuple(sorted((p.name, p.stat().st_mtime_ns) for p in Path(TEMPLATES).glob("*.j2")))


_loaded: dict = {}  # the environment, and the templates' fingerprint when it last loaded them


def current_environment() -> jinja2.Environment:
    """The process's environment, with every template loaded again if one changed on disk
    since the last call (a build's first), and the shared macros with them."""
    env, fingerprint = make_environment(), templates_fingerprint()
    if _loaded.get("env") is not env or _loaded.get("fingerprint") != fingerprint:
        env.cache.clear()
        _share_macros(env)
        _loaded.update(env=env, fingerprint=fingerprint)
    return env


def render(graph: SiteGraph) -> dict[str, str]:
    """Every generated page of the site, as {path relative to docs/: Markdown}.

    The pages are shared between processes where the machine has cores to spare (parallel.py).
    """
    jobs, render_chunk = page_renderer(graph)
    markdown, _ = parallel.map_in_chunks(render_chunk, jobs)
    return {path: text for (path, _), text in zip(jobs, markdown)}


def page_renderer(graph: SiteGraph) -> tuple[list[tuple[str, PageJob]], Callable[[list], list[str]]]:
    """Every page's (path, job), and a function that renders a run of them into Markdown.

    Everything the pages share (templates, name patterns) is made here, once, so that
    worker processes forked afterwards start with it.
    """
    env = current_environment()
    names, glossary = page_names(graph)
    jobs = list(page_jobs(graph).items())
    for template in {job.template for _, job in jobs}:
        env.get_template(template)

    def render_chunk(chunk: list[tuple[str, PageJob]]) -> list[str]:
        shared: dict = {}
        return [render_page(env, graph, path, job, names, glossary, shared) for path, job in chunk]

    return jobs, render_chunk
