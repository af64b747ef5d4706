"""Feeds of the events: an Atom feed (RFC 4287) and an iCalendar file (RFC 5545).

Pure and deterministic: every timestamp comes from the content (event dates, the site's
as_of), never from the clock, so an unchanged content folder gives identical bytes.
Both need the site's absolute address (base_url), which export.py checks before calling.

Dates known only to the month or the year:
- Atom: the entry is dated to the first day of the period; its summary names the period.
- iCalendar: a month-only event is an all-day event spanning the whole month, marked as
  free time and "day not known"; a year-only event is left out of the calendar (a year-long
  bar helps no one) but stays in the Atom feed and the open data.

Like the open data, each feed is put together from a part per event, which a RecordMemo
keeps between the builds of one process.
"""

from __future__ import annotations

import calendar
import xml.etree.ElementTree as ET
from datetime import date, timedelta

from .link import SiteGraph
from .memo import RecordMemo
from .model import WIKILINK, Event
from .render import human_date, readable
from .urls import page_url, site_address

ATOM_FEED = "data/events.atom"
CALENDAR = "data/events.ics"
ATOM_NAMESPACE = "http://www.w3.org/2005/Atom"
ICAL_STATUS = {"held": "CONFIRMED", "planned": "CONFIRMED", "proposed": "TENTATIVE", "cancelled": "CANCELLED"}
ICAL_LINE_OCTETS = 75


def first_day(value: str) -> date:
    """'2024-04' → 1 April 2024: the first day of a possibly partial date."""
    parts = [int(part) for part in value.split("-")]
    return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def last_day(value: str) -> date:
    """'2024-04' → 30 April 2024: the last day of a possibly partial date."""
    parts = [int(part) for part in value.split("-")]
    if len(parts) == 3:
        return date(*parts)
    month = parts[1] if len(parts) == 2 else 12
    return date(parts[0], month, calendar.monthrange(parts[0], month)[1])


def _timestamp(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _when(event: Event) -> str:
    text = human_date(event.date)
    if event.end_date and event.end_date != event.date:
        text += f" to {human_date(event.end_date)}"
    return text


# --- Atom --------------------------------------------------------------------------------

def _with_inputs(graph: SiteGraph, events) -> tuple[tuple, ...]:
    """Each event with what its entry in a feed shows besides the event itself (for RecordMemo):
    the site's address and date, and the names of the entities its text links to."""
    site = (graph.site.base_url, graph.site.as_of)
    return tuple((event, *site, *(graph.title(entity_id.strip()) for entity_id, _ in
                                  WIKILINK.findall(event.summary) + WIKILINK.findall(event.location)))
                 for event in events)


def atom_feed(graph: SiteGraph, memo: RecordMemo | None = None) -> str:
    """The events as an Atom feed, newest first; the feed is as recent as the content's as_of."""
    site = graph.site
    feed = ET.Element("feed", {"xmlns": ATOM_NAMESPACE, "xml:lang": "en"})
    ET.SubElement(feed, "id").text = site_address(graph, ATOM_FEED)
    ET.SubElement(feed, "title").text = f"{site.title}: events"
    ET.SubElement(feed, "subtitle").text = readable(graph, site.description)
    ET.SubElement(feed, "updated").text = _timestamp(first_day(site.as_of))
    ET.SubElement(feed, "link", {"rel": "self", "type": "application/atom+xml",
                                 "href": site_address(graph, ATOM_FEED)})
    ET.SubElement(feed, "link", {"rel": "alternate", "type": "text/html",
                                 "href": site_address(graph, "events/")})
    ET.SubElement(ET.SubElement(feed, "author"), "name").text = site.title
    ET.indent(feed)
    memo = RecordMemo() if memo is None else memo
    newest_first = list(reversed(graph.events.values()))
    entries = memo.joined("atom", _with_inputs(graph, newest_first), lambda item: _atom_entry_text(graph, item[0]))
    # The entries go after the head, each on a line indented as ET.indent() would put it.
    head = ET.tostring(feed, encoding="unicode").removesuffix("\n</feed>")
    return f'<?xml version="1.0" encoding="utf-8"?>\n{head}{entries}\n</feed>\n'


def _atom_entry_text(graph: SiteGraph, event: Event) -> str:
    """An entry as ET.tostring() writes it, indented as ET.indent(level=1) would.

    Written as text, not through ElementTree: building and serialising an element tree
    for each entry was half of the feed's time at 10,000 entities.
    """
    url = page_url(graph, event.id)
    start = first_day(event.date)
    # An entry cannot have changed after the content's as_of: a planned event is dated
    # by when it was announced as known, not by its future date.
    updated = _timestamp(min(start, first_day(graph.site.as_of)))
    summary = f"{_when(event)} ({event.kind}, {event.status}). {readable(graph, event.summary)}"
    return (f"\n  <entry>\n    <id>{_text(url)}</id>\n    <title>{_text(event.title)}</title>\n"
            f'    <link rel="alternate" type="text/html" href="{_attribute(url)}" />\n'
            f"    <published>{updated}</published>\n    <updated>{updated}</updated>\n"
            f'    <category term="{_attribute(event.kind)}" />\n'
            f'    <summary type="text">{_text(summary)}</summary>\n  </entry>')


def _text(value: str) -> str:
    """XML character data, escaped as ElementTree escapes it."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attribute(value: str) -> str:
    """An XML attribute value (in double quotes), escaped as ElementTree escapes it."""
    return (_text(value).replace('"', "&quot;").replace("\r", "&#13;").replace("\n", "&#10;")
            .replace("\t", "&#09;"))


# --- iCalendar ---------------------------------------------------------------------------

def day_span(event: Event) -> tuple[date, date] | None:
    """All-day start and exclusive end of an event, or None when only the year is known."""
    end = event.end_date or event.date
    if len(event.date.split("-")) == 1 or len(end.split("-")) == 1:
        return None
    return first_day(event.date), last_day(end) + timedelta(days=1)


def icalendar(graph: SiteGraph, memo: RecordMemo | None = None) -> str:
    """The events as an iCalendar file of all-day events (CRLF lines, folded at 75 octets)."""
    memo = RecordMemo() if memo is None else memo
    stamp = first_day(graph.site.as_of).strftime("%Y%m%dT000000Z")
    head = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//explainer-site-generator//events//EN",
            "CALSCALE:GREGORIAN", "METHOD:PUBLISH", f"X-WR-CALNAME:{_ical_text(graph.site.title)}"]
    events = memo.joined("ical", _with_inputs(graph, graph.events.values()),
                         lambda item: _ical_lines(_vevent(graph, item[0], stamp)))
    return _ical_lines(head) + events + _ical_lines(["END:VCALENDAR"])


def _ical_lines(lines: list[str]) -> str:
    return "".join(_fold(line) + "\r\n" for line in lines)


def _vevent(graph: SiteGraph, event: Event, stamp: str) -> list[str]:
    span = day_span(event)
    if span is None:
        return []
    start, end = span
    day_unknown = len(event.date.split("-")) == 2
    title = event.title + (" (day not known)" if day_unknown else "")
    description = f"{_when(event)} ({event.kind}, {event.status}). {readable(graph, event.summary)}"
    url = page_url(graph, event.id)
    lines = ["BEGIN:VEVENT", f"UID:{url}", f"DTSTAMP:{stamp}",
             f"DTSTART;VALUE=DATE:{start:%Y%m%d}", f"DTEND;VALUE=DATE:{end:%Y%m%d}",
             f"SUMMARY:{_ical_text(title)}", f"DESCRIPTION:{_ical_text(description)}"]
    if event.location:
        lines.append(f"LOCATION:{_ical_text(readable(graph, event.location))}")
    lines += [f"URL:{url}", f"STATUS:{ICAL_STATUS[event.status]}", f"CATEGORIES:{_ical_text(event.kind)}",
              # All-day events should not block anyone's day; a month-long one even less.
              "TRANSP:TRANSPARENT", "END:VEVENT"]
    return lines


def _ical_text(value: str) -> str:
    """Escape a TEXT value (RFC 5545 3.3.11)."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def _fold(line: str) -> str:
    """Split a content line into chunks of at most 75 octets, never inside a character."""
    data = line.encode("utf-8")
    if len(data) <= ICAL_LINE_OCTETS:
        return line
    chunks, start, limit = [], 0, ICAL_LINE_OCTETS
    while len(data) - start > limit:
        end = start + limit
        while data[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte: back to the character's start
            end -= 1
        chunks.append(data[start:end])
        # Continuation lines start with a space, which counts toward their 75 octets.
        start, limit = end, ICAL_LINE_OCTETS - 1
    chunks.append(data[start:])
    return b"\r\n ".join(chunks).decode("utf-8")
