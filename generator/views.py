"""Views of the site graph for the reader pages: months, the matrix, changes of mind.

Pure helpers the templates call; each returns plain, sorted data.
"""

from __future__ import annotations

from .link import SiteGraph
from .model import Stance


def events_by_month(graph: SiteGraph) -> list[tuple[str, list[str]]]:
    """Event ids grouped by 'YYYY-MM' (or 'YYYY' when only the year is known), in date order."""
    months: dict[str, list[str]] = {}
    for event in graph.events.values():
        months.setdefault(event.date[:7], []).append(event.id)
    return list(months.items())


def by_name(graph: SiteGraph, entity_ids) -> list[str]:
    """Entity ids sorted by their human names."""
    return sorted(entity_ids, key=lambda entity_id: (graph.title(entity_id).casefold(), entity_id))


def matrix(graph: SiteGraph) -> tuple[list[str], list[str], dict[tuple[str, str], str]]:
    """Actors with a position (rows), topics with one (columns), and the position in each cell."""
    cells = {(p.actor, p.topic): p.id for p in graph.positions.values()}
    actors = by_name(graph, {actor for actor, _ in cells})
    topics = by_name(graph, {topic for _, topic in cells})
    return actors, topics, cells


def changes(graph: SiteGraph) -> list[tuple[str, Stance, Stance]]:
    """Every change of stance as (position id, stance before, stance after), latest first."""
    found = [(p.id, before, after) for p in graph.positions.values()
             for before, after in zip(p.stances, p.stances[1:]) if before.stance != after.stance]
    return sorted(found, key=lambda change: (change[2].date, change[0]), reverse=True)
