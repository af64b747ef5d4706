"""Split large index pages into parts: events and sources by month, actors and topics by letter.

An index page that lists every entity grows with the site, and MkDocs, its search index and
the reader's browser all pay for every entry of it; at 10,000 entities a single events table
was the largest page of the site. Above INDEX_LIMIT entries, the section's index page links
to one part per month or letter instead, so no page grows without bound as entities are
added across time and names. Pure: takes the site graph, returns plain data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from .link import SiteGraph

INDEX_LIMIT = 150  # entries on one index page before it is split into parts


@dataclass(frozen=True)
class IndexPart:
    """One part of a split index page: its key ('2031-03', 'a'), its page and its entities."""

    key: str
    path: str
    ids: tuple[str, ...]


@dataclass(frozen=True)
class SectionIndex:
    """A section's index: every entity in display order, and its parts when split."""

    kind: str
    ids: tuple[str, ...]
    parts: tuple[IndexPart, ...]  # empty when the section fits on one page


def _month(date: str) -> str:
    return date[:7]


def _letter(name: str) -> str:
    first = name[:1].casefold()
    return first if "a" <= first <= "z" else "0"


def section_indexes(graph: SiteGraph, limit: int | None = None) -> dict[str, SectionIndex]:
    """The index of each listed section, split into parts where it has more than limit entries."""
    limit = INDEX_LIMIT if limit is None else limit
    orders: dict[str, tuple[list[str], Callable[[str], str], str]] = {
        "events": (list(graph.events), lambda i: _month(graph.events[i].date), "by-month"),
        "sources": (sorted(graph.sources, key=lambda i: graph.sources[i].published),
                    lambda i: _month(graph.sources[i].published), "by-month"),
        "actors": (sorted(graph.actors, key=lambda i: graph.actors[i].name),
                   lambda i: _letter(graph.actors[i].name), "by-letter"),
        "topics": (sorted(graph.topics, key=lambda i: graph.topics[i].title),
                   lambda i: _letter(graph.topics[i].title), "by-letter"),
    }
    indexes = {}
    for kind, (ids, key_of, folder) in orders.items():
        parts = _parts(kind, folder, ids, key_of) if len(ids) > limit else ()
        indexes[kind] = SectionIndex(kind, tuple(ids), parts)
    return indexes


def _parts(kind: str, folder: str, ids: Iterable[str], key_of: Callable[[str], str]) -> tuple[IndexPart, ...]:
    grouped: dict[str, list[str]] = {}
    for entity_id in ids:
        grouped.setdefault(key_of(entity_id), []).append(entity_id)
    return tuple(IndexPart(key, f"{kind}/{folder}/{key}.md", tuple(members))
                 for key, members in sorted(grouped.items()))
