"""The order of events in time: by date, and after the events each one names in `after`.

Dates alone cannot order events of the same day, or an event whose month is all that is
known against the days of that month ("2025-08" sorts before "2025-08-01"). An editor who
knows which came first says so with `after`; every other event keeps its place by date.

Pure: used by validation (to report cycles and contradicting dates) and by linking.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable

from .model import Event


def in_time_order(events: Iterable[Event]) -> tuple[list[Event], list[Event]]:
    """The events in time order, and those left out because they come after each other in a
    cycle (or after such an event). Ids in `after` that name no event here are ignored:
    validation reports them.

    Among the events that are free to go next, the earliest by (date, id) goes: so an event
    named in no `after` keeps its place by date, and one that waits goes as soon as what it
    comes after has gone.
    """
    events = list(events)
    if not any(event.after for event in events):
        return sorted(events, key=_date_order), []
    by_id = {event.id: event for event in events}
    waiting_for, followers = {}, defaultdict(list)
    for event in events:
        earlier = {other for other in event.after if other in by_id} if event.after else None
        if earlier:
            waiting_for[event.id] = earlier
            for other in earlier:
                followers[other].append(event.id)
    ready = [_date_order(event) for event in events if event.id not in waiting_for]
    heapq.heapify(ready)
    ordered = []
    while ready:
        _, event_id = heapq.heappop(ready)
        ordered.append(by_id[event_id])
        for follower in followers.get(event_id, ()):
            waiting_for[follower].discard(event_id)
            if not waiting_for[follower]:
                heapq.heappush(ready, _date_order(by_id[follower]))
    placed = {event.id for event in ordered}
    return ordered, [event for event in events if event.id not in placed]


def cycles(left_out: list[Event]) -> list[list[str]]:
    """Each cycle of `after` among the events in_time_order left out, as ids in the order
    each comes after the next: every left-out event waits for another left-out one, so
    following them from any event ends in a cycle."""
    by_id = {event.id: event for event in left_out}
    found, seen = [], set()
    for start in sorted(by_id):
        path, position = [], {}
        event_id = start
        while event_id not in position:
            position[event_id] = len(path)
            path.append(event_id)
            event_id = min(other for other in by_id[event_id].after if other in by_id)
        cycle = path[position[event_id]:]
        if frozenset(cycle) not in seen:
            seen.add(frozenset(cycle))
            found.append(cycle)
    return found


def _date_order(event: Event) -> tuple[str, str]:
    return (event.date, event.id)
