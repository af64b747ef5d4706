"""Render the site graph into Markdown pages with Jinja2 templates → {path: markdown}.

Pure: reads only its own templates, writes nothing. Output is deterministic (sorted
inputs, no timestamps), so unchanged content renders to identical bytes.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from datetime import date
from pathlib import Path

import jinja2

from . import diagrams, views
from .link import SiteGraph
from .model import WIKILINK
from .names import NameIndex, autolink, entity_names, glossary_terms, with_tooltips

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

    def __init__(self, graph: SiteGraph, path: str, names: NameIndex | None = None, own: str | None = None):
        self.graph = graph
        self.path = path
        self._dir = posixpath.dirname(path) or "."
        self._names = names or NameIndex({}, None)
        # Entities already linked on this page: a name links itself only at its first mention,
        # and never on its own page.
        self._linked: set[str] = {own} if own else set()
        self._cited: dict[str, None] = {}  # sources cited as footnotes, in order of first citation

    def url(self, target: str) -> str:
        """Relative link to a page path ('events/index.md') or an entity id."""
        if target in self.graph.kinds:
            kind = self.graph.kinds[target]
            anchor = f"#{target}" if kind == "glossary" else ""
            target = page_path(kind, target) + anchor
        return posixpath.relpath(target, self._dir) if not target.startswith("#") else target

    def link(self, entity_id: str, label: str | None = None) -> str:
        """A Markdown link to an entity, labelled with its name unless told otherwise."""
        self._linked.add(entity_id)
        return f"[{_escape_label(label or self.graph.title(entity_id))}]({self.url(entity_id)})"

    def text(self, markdown: str, names: bool = True) -> str:
        """Free text from content: every [[id]] a link, and the first mention of a known name too."""
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
        return "".join(f"[^{source_id}]" for source_id in source_ids)

    def footnotes(self) -> str:
        """The footnote definitions of every source cited so far, in order of first citation."""
        return "\n".join(f"[^{source_id}]: {self._source_note(source_id)}" for source_id in self._cited)

    def current_to(self) -> str:
        """The date of the latest source cited on this page (the site's date if none)."""
        dates = [self.graph.sources[s].published for s in self._cited]
        return max(dates, default=self.graph.site.as_of)

    def _source_note(self, source_id: str) -> str:
        source = self.graph.sources[source_id]
        publisher = f"{plain(source.publisher)}, " if source.publisher else ""
        inferred = " (date inferred)" if source.published_inferred else ""
        return f"{self.link(source_id)}, {publisher}{human_date(source.published)}{inferred}."


def _escape_label(label: str) -> str:
    return label.replace("[", "\\[").replace("]", "\\]")


def human_date(value: str | None) -> str:
    """'2025-08-15' → '15 August 2025'; partial dates stay partial ('August 2025')."""
    if not value:
        return ""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return str(parts[0])
    month = date(parts[0], parts[1], 1).strftime("%B")
    return f"{parts[2]} {month} {parts[0]}" if len(parts) == 3 else f"{month} {parts[0]}"


def plain(text: str) -> str:
    """Text without Markdown links or emphasis, for meta descriptions."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return " ".join(re.sub(r"[*_`]", "", text).split())


def readable(graph: SiteGraph, markdown: str) -> str:
    """Plain text with every [[id]] shown as its label or the entity's name."""
    return plain(WIKILINK.sub(lambda m: m.group(2) or graph.title(m.group(1).strip()), markdown))


def shorten(text: str, limit: int) -> str:
    """Cut text at a word boundary to at most limit characters."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


def make_environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # the output is Markdown; content HTML is refused at validation
    )
    env.filters.update(date=human_date, yaml=json.dumps)
    # Imported here: structured data builds on this module's helpers (page paths, plain text).
    from .structured import json_ld_text

    env.globals.update(actor_kind_labels=ACTOR_KIND_LABELS, json_ld=json_ld_text, diagrams=diagrams,
                       views=views, human_date=human_date)
    return env


def render(graph: SiteGraph) -> dict[str, str]:
    """Every generated page of the site, as {path relative to docs/: Markdown}."""
    env = make_environment()
    names, glossary = entity_names(graph), glossary_terms(graph, plain)
    pages: dict[str, str] = {}
    for path, template_name in INDEX_PAGES.items():
        page = PageContext(graph, path, names)
        pages[path] = with_tooltips(env.get_template(template_name).render(g=graph, page=page), glossary)
    for kind, template_name in SECTION_PAGES.items():
        template = env.get_template(template_name)
        for entity_id, record in getattr(graph, kind).items():
            path = page_path(kind, entity_id)
            page = PageContext(graph, path, names, own=entity_id)
            pages[path] = with_tooltips(template.render(g=graph, page=page, e=record), glossary)
    return pages
