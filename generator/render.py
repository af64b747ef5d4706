"""Render the site graph into Markdown pages with Jinja2 templates → {path: markdown}.

Pure: reads only its own templates, writes nothing. Output is deterministic (sorted
inputs, no timestamps), so unchanged content renders to identical bytes.
"""

from __future__ import annotations

import functools
import json
import posixpath
import re
from datetime import date
from pathlib import Path

import jinja2

from .link import SiteGraph
from .model import WIKILINK

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

    def __init__(self, graph: SiteGraph, path: str):
        self.graph = graph
        self.path = path
        self._dir = posixpath.dirname(path) or "."

    def url(self, target: str) -> str:
        """Relative link to a page path ('events/index.md') or an entity id."""
        if target in self.graph.kinds:
            kind = self.graph.kinds[target]
            anchor = f"#{target}" if kind == "glossary" else ""
            target = page_path(kind, target) + anchor
        return posixpath.relpath(target, self._dir) if not target.startswith("#") else target

    def link(self, entity_id: str, label: str | None = None) -> str:
        """A Markdown link to an entity, labelled with its name unless told otherwise."""
        return f"[{_escape_label(label or self.graph.title(entity_id))}]({self.url(entity_id)})"

    def text(self, markdown: str) -> str:
        """Free text from content with every [[id]] turned into a link."""
        return WIKILINK.sub(lambda m: self.link(m.group(1).strip(), m.group(2)), markdown)

    def inline(self, markdown: str) -> str:
        """Free text for one line or one table cell."""
        return " ".join(self.text(markdown).split()).replace("|", "\\|")


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


def plain(markdown: str) -> str:
    """Text without Markdown links or emphasis, for meta descriptions."""
    text = WIKILINK.sub(lambda m: m.group(2) or m.group(1), markdown)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return " ".join(re.sub(r"[*_`]", "", text).split())


def description(markdown: str, limit: int = 160) -> str:
    text = plain(markdown)
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


# One environment per process: `mkdocs serve` renders on every save, and compiling the
# templates anew each time was half the render time. Jinja reloads a template whose file changed.
@functools.cache
def make_environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # the output is Markdown; content HTML is refused at validation
    )
    env.filters.update(date=human_date, yaml=json.dumps, description=description, plain=plain)
    env.globals.update(actor_kind_labels=ACTOR_KIND_LABELS)
    return env


def render(graph: SiteGraph) -> dict[str, str]:
    """Every generated page of the site, as {path relative to docs/: Markdown}."""
    env = make_environment()
    pages: dict[str, str] = {}
    for path, template_name in INDEX_PAGES.items():
        pages[path] = env.get_template(template_name).render(g=graph, page=PageContext(graph, path))
    for kind, template_name in SECTION_PAGES.items():
        template = env.get_template(template_name)
        for entity_id, record in getattr(graph, kind).items():
            path = page_path(kind, entity_id)
            pages[path] = template.render(g=graph, page=PageContext(graph, path), e=record)
    return pages
