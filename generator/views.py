"""Views of the site graph for the reader pages: months, the matrix, changes of mind.

Pure helpers the templates call; each returns plain, sorted data.
"""

from __future__ import annotations

from .link import SiteGraph
from .model import Stance


# The reader pages (timeline, matrix, who met whom) show the whole site on one page. Past
# these sizes they show the most recent or most active part, say so, and link to the
# section pages, which list everything: one page of megabytes helps no reader and made
# the build grow faster than the site.
RECENT_EVENTS = 200
MATRIX_ACTORS = 40
MATRIX_TOPICS = 25
LISTED = 60


def among(entity_ids, records) -> list[str]:
    """The ids, in order, that are keys of records (the citing entities of one kind).

    Jinja's select("in", …) filter did the same through several calls per id: on a
    source's page, a twentieth of its render time.
    """
    return [entity_id for entity_id in entity_ids if entity_id in records]


def recent_events(graph: SiteGraph) -> list[str]:
    """The ids of the latest RECENT_EVENTS events, in date order."""
    return list(graph.events)[-RECENT_EVENTS:]


def events_by_month(graph: SiteGraph, event_ids=None) -> list[tuple[str, list[str]]]:
    """Event ids grouped by 'YYYY-MM' (or 'YYYY' when only the year is known), in date order."""
    months: dict[str, list[str]] = {}
    for event_id in graph.events if event_ids is None else event_ids:
        months.setdefault(graph.events[event_id].date[:7], []).append(event_id)
    return list(months.items())


def most_listed(graph: SiteGraph, lists, limit: int | None = None) -> list[str]:
    """The ids with the longest lists in a back-link mapping (events of an actor, …), by name:
    `limit` of them, LISTED unless told."""
    busiest = sorted(lists, key=lambda entity_id: (-len(lists[entity_id]), entity_id))[:limit or LISTED]
    return by_name(graph, busiest)


def by_name(graph: SiteGraph, entity_ids) -> list[str]:
    """Entity ids sorted by their human names."""
    return sorted(entity_ids, key=lambda entity_id: (graph.title(entity_id).casefold(), entity_id))


def matrix(graph: SiteGraph) -> tuple[list[str], list[str], dict[tuple[str, str], str]]:
    """Actors with a position (rows), topics with one (columns), and the position in each cell:
    the MATRIX_ACTORS actors and MATRIX_TOPICS topics with the most positions."""
    cells = {(p.actor, p.topic): p.id for p in graph.positions.values()}
    actors = most_listed(graph, graph.positions_of_actor, MATRIX_ACTORS)
    topics = most_listed(graph, graph.positions_on_topic, MATRIX_TOPICS)
    return actors, topics, cells


def changes(graph: SiteGraph) -> list[tuple[str, Stance, Stance]]:
    """Changes of stance as (position id, stance before, stance after), the latest
    RECENT_EVENTS of them, latest first."""
    found = [(p.id, before, after) for p in graph.positions.values()
             for before, after in zip(p.stances, p.stances[1:]) if before.stance != after.stance]
    return sorted(found, key=lambda change: (change[2].date, change[0]), reverse=True)[:RECENT_EVENTS]
