"""Pictures drawn at build time as inline SVG: a visual timeline and a who-met-whom diagram.

Pure and deterministic. Nothing is fetched when the page is viewed; each picture is an
accessible image (role="img", <title>, <desc>) and its page carries a text alternative.
Output has no blank lines, so Markdown passes it through as one HTML block.
"""

from __future__ import annotations

import math
from datetime import date
from html import escape
from itertools import combinations

from .link import SiteGraph
from .model import MEETING_KINDS

INK, AXIS, MARK, EDGE = "#1f2328", "#5f6b7a", "#283593", "#5c6bc0"
FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif"'
WRAP = 30  # characters per line of a label: the picture stays legible on a phone


def _day(value: str) -> date:
    parts = [int(p) for p in value.split("-")] + [1, 1]
    return date(parts[0], parts[1], parts[2])


def _wrap(text: str, width: int = WRAP) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return lines + [line] if line else lines


def _svg(width: int, height: int, name: str, title: str, desc: str, body: list[str]) -> str:
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
            f'role="img" aria-labelledby="{name}-title {name}-desc" class="diagram diagram--{name}" {FONT}>')
    return "\n".join([head, f'<title id="{name}-title">{escape(title)}</title>',
                      f'<desc id="{name}-desc">{escape(desc)}</desc>', *body, "</svg>"])


def _status_mark(status: str, x: float, y: float) -> str:
    """A marker whose shape, not only its colour, tells the status."""
    if status == "held":
        return f'<circle cx="{x}" cy="{y}" r="7" fill="{MARK}" stroke="{MARK}" stroke-width="2"/>'
    if status == "planned":
        return f'<circle cx="{x}" cy="{y}" r="7" fill="#ffffff" stroke="{MARK}" stroke-width="2.5"/>'
    if status == "proposed":
        return (f'<circle cx="{x}" cy="{y}" r="7" fill="#ffffff" stroke="{MARK}" stroke-width="2" '
                f'stroke-dasharray="3 2"/>')
    return (f'<circle cx="{x}" cy="{y}" r="7" fill="#ffffff" stroke="{AXIS}" stroke-width="2"/>'
            f'<path d="M{x - 5} {y - 5}L{x + 5} {y + 5}M{x + 5} {y - 5}L{x - 5} {y + 5}" stroke="{AXIS}" stroke-width="2"/>')


def timeline_svg(graph: SiteGraph, human_date, event_ids=None) -> str:
    """Events (all, or those given) on a vertical time axis; gaps in time show as gaps in space."""
    events = [graph.events[e] for e in (graph.events if event_ids is None else event_ids)]
    if not events:
        return ""
    rows, y, previous = [], 30.0, None
    for event in events:
        if previous is not None:
            days = (_day(event.date) - _day(previous.date)).days
            y += max(0, min(40, days / 2))  # a long pause shows, within bounds
        lines = _wrap(f"{event.title} ({event.status})")
        rows.append(_timeline_row(event, y, lines, human_date))
        previous = event
        y += 22 + 17 * len(lines)
    height = int(y) + 10
    axis = f'<line x1="132" y1="20" x2="132" y2="{height - 10}" stroke="{AXIS}" stroke-width="2"/>'
    first, last = human_date(events[0].date), human_date(events[-1].date)
    desc = (f"{len(events)} events from {first} to {last}, in date order. A filled circle is an event held, "
            "an open circle one planned, a dashed circle one proposed, a crossed circle one cancelled. "
            "The list below gives the same events with links.")
    return _svg(460, height, "timeline", "Timeline of events", desc, [axis, *rows])


def _timeline_row(event, y: float, lines: list[str], human_date) -> str:
    label = "".join(f'<tspan x="148" dy="{0 if i == 0 else 17}">{escape(line)}</tspan>' for i, line in enumerate(lines))
    return (f'<g>{_status_mark(event.status, 132, y)}'
            f'<text x="120" y="{y + 5}" text-anchor="end" font-size="12" fill="{INK}">{escape(human_date(event.date))}</text>'
            f'<text y="{y + 5}" font-size="14" fill="{INK}">{label}</text></g>')


def meetings(graph: SiteGraph) -> list[tuple[str, str, tuple[str, ...]]]:
    """Pairs of actors who took part in the same held call, meeting or summit, with those
    events, by name. Statements and announcements name those who made them, not people who
    met; and an actor does not meet the state or organisation it belongs to."""
    shared: dict[tuple[str, str], list[str]] = {}
    for event in graph.events.values():
        if event.status != "held" or event.kind not in MEETING_KINDS:
            continue
        for first, second in combinations(sorted(set(event.participants)), 2):
            if second not in graph.actors[first].affiliations and first not in graph.actors[second].affiliations:
                shared.setdefault((first, second), []).append(event.id)
    name = lambda actor_id: graph.actors[actor_id].name.casefold()
    pairs = [tuple(sorted(pair, key=name)) + (tuple(ids),) for pair, ids in shared.items()]
    return sorted(pairs, key=lambda p: (name(p[0]), name(p[1])))


def partners(graph: SiteGraph) -> list[tuple[str, list[tuple[str, tuple[str, ...]]]]]:
    """Each actor who met another, by name, with whom they met and at which held events."""
    met: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for first, second, event_ids in meetings(graph):
        met.setdefault(first, []).append((second, event_ids))
        met.setdefault(second, []).append((first, event_ids))
    name = lambda actor_id: graph.actors[actor_id].name.casefold()
    return [(actor, sorted(others, key=lambda other: name(other[0]))) for actor, others in
            sorted(met.items(), key=lambda item: name(item[0]))]


DRAWN = 16  # more names than this around one ring cannot be read; the table lists everyone


def meetings_svg(graph: SiteGraph) -> str:
    """Actors on a ring, a line between two who met; thicker lines for more meetings."""
    everyone = partners(graph)
    if not everyone:
        return ""
    busiest = sorted(everyone, key=lambda item: (-len(item[1]), graph.actors[item[0]].name.casefold()))[:DRAWN]
    actors = sorted((a for a, _ in busiest), key=lambda a: graph.actors[a].name.casefold())
    width, height, rx, ry = 640, 500, 150, 200
    cx, cy = width / 2, height / 2
    places = {a: (cx + rx * math.sin(2 * math.pi * i / len(actors)), cy - ry * math.cos(2 * math.pi * i / len(actors)))
              for i, a in enumerate(actors)}
    pairs = [(a, b, ids) for a, b, ids in meetings(graph) if a in places and b in places]
    lines = [f'<line x1="{places[a][0]:.1f}" y1="{places[a][1]:.1f}" x2="{places[b][0]:.1f}" y2="{places[b][1]:.1f}" '
             f'stroke="{EDGE}" stroke-width="{min(1.5 + 1.5 * (len(ids) - 1), 7.5)}" stroke-opacity="0.7"/>'
             for a, b, ids in pairs]
    nodes = [_node(graph.actors[a].name, *places[a], cx, cy) for a in actors]
    drawn = (f"the {len(actors)} with the most partners of {len(everyone)} actors are drawn"
             if len(actors) < len(everyone) else f"{len(actors)} actors")
    desc = (f"Who met whom: {drawn}; a line joins two actors who took part in the same held call, meeting or summit, "
            "thicker for more shared events. The table below lists every actor and whom they met.")
    return _svg(width, height, "meetings", "Who met whom", desc, lines + nodes)


def _node(name: str, x: float, y: float, cx: float, cy: float) -> str:
    anchor = "middle" if abs(x - cx) < 20 else ("start" if x > cx else "end")
    dx = 0 if anchor == "middle" else (11 if anchor == "start" else -11)
    lines = _wrap(name, 18)
    dy = -12 - 15 * (len(lines) - 1) if y < cy - 20 and anchor == "middle" else (20 if y > cy + 20 and anchor == "middle" else 5)
    label = "".join(f'<tspan x="{x + dx:.1f}" dy="{0 if i == 0 else 15}">{escape(line)}</tspan>'
                    for i, line in enumerate(lines))
    return (f'<g><circle cx="{x:.1f}" cy="{y:.1f}" r="7" fill="{MARK}"/>'
            f'<text y="{y + dy:.1f}" text-anchor="{anchor}" font-size="14" fill="{INK}">{label}</text></g>')
