"""The Atom feed and the iCalendar file parse by their standards and hold the events."""

import dataclasses
import datetime
import json
import xml.etree.ElementTree as ET

import feedparser
import icalendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.feeds import _atom_entry_text, _fold, _timestamp, _when, first_day
from generator.pipeline import check
from generator.render import readable
from generator.urls import page_url
from published import SITE_URL, built_file

from conftest import FIXTURE_CONTENT


def _atom(site):
    return feedparser.parse((site.site / "data" / "events.atom").read_bytes())


def _calendar(site) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical((site.site / "data" / "events.ics").read_bytes())


def _events(site) -> dict:
    dataset = json.loads((site.site / "data" / "site.json").read_text(encoding="utf-8"))
    return {event["id"]: event for event in dataset["events"]}


def test_the_atom_feed_is_valid_atom_newest_first(fixture_site):
    feed = _atom(fixture_site)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.id == SITE_URL + "data/events.atom"
    # Its date comes from the content (site as_of), not from the clock.
    assert feed.feed.updated == "2024-03-10T00:00:00Z"
    # The timeline's order, latest first: the second summit, of April 2024 only, came after
    # the harbour talks of 20 April (its `after`).
    newest_first = ["bridge-visit", "second-summit", "harbour-talks", "river-summit", "first-call"]
    assert [entry.link for entry in feed.entries] == [SITE_URL + f"events/{e}/" for e in newest_first]
    # A date of a month alone is published as the month's first day: the others are in order.
    events = _events(fixture_site)
    published = [entry.published_parsed for entry, event_id in zip(feed.entries, newest_first)
                 if len(events[event_id]["date"]) == len("2024-01-15")]
    assert len(published) == 4 and published == sorted(published, reverse=True)
    for entry in feed.entries:
        assert entry.id == entry.link and built_file(fixture_site.site, entry.link).is_file()


def test_atom_entries_say_when_and_what_in_names_not_ids(fixture_site):
    entries = {entry.title: entry for entry in _atom(fixture_site).entries}
    call = entries["First call"]
    assert call.summary == "15 January 2024 (call, held). A call between Ada North and Southland."
    assert call.published == "2024-01-15T00:00:00Z" and call.tags[0].term == "call"
    # An event still ahead of the content's as_of is dated by as_of; its summary names the month.
    assert entries["Second summit"].updated == "2024-03-10T00:00:00Z"
    assert entries["Second summit"].summary.startswith("April 2024 (summit, proposed).")


def test_the_calendar_is_valid_icalendar_with_all_day_events(fixture_site):
    raw = (fixture_site.site / "data" / "events.ics").read_bytes()
    lines = raw.split(b"\r\n")
    assert lines[-1] == b"" and b"\n" not in raw.replace(b"\r\n", b""), "RFC 5545: every line ends in CRLF"
    assert max(len(line) for line in lines) <= 75, "RFC 5545: lines are folded at 75 octets"
    calendar = _calendar(fixture_site)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert sorted(events) == sorted(SITE_URL + f"events/{i}/" for i in _events(fixture_site))
    for event in events.values():
        assert event["DTSTAMP"].dt == datetime.datetime(2024, 3, 10, tzinfo=datetime.timezone.utc)
        for name in ("DTSTART", "DTEND"):
            value = event[name].dt
            assert isinstance(value, datetime.date) and not isinstance(value, datetime.datetime), "all-day"
    call = events[SITE_URL + "events/first-call/"]
    assert (call["DTSTART"].dt, call["DTEND"].dt) == (datetime.date(2024, 1, 15), datetime.date(2024, 1, 16))
    assert str(call["STATUS"]) == "CONFIRMED" and str(call["URL"]) == SITE_URL + "events/first-call/"
    summit = events[SITE_URL + "events/river-summit/"]
    assert (summit["DTSTART"].dt, summit["DTEND"].dt) == (datetime.date(2024, 2, 18), datetime.date(2024, 2, 20))
    assert str(summit["LOCATION"]) == "Bridgetown"


def test_a_month_only_event_spans_its_month(fixture_site):
    event = next(e for e in _calendar(fixture_site).walk("VEVENT") if "second-summit" in str(e["UID"]))
    assert (event["DTSTART"].dt, event["DTEND"].dt) == (datetime.date(2024, 4, 1), datetime.date(2024, 5, 1))
    assert str(event["SUMMARY"]) == "Second summit (day not known)"
    assert str(event["STATUS"]) == "TENTATIVE"  # proposed


def test_text_survives_escaping_and_folding_and_year_only_dates_stay_out(project):
    site_file = project.content / "site.yaml"
    site_file.write_text(site_file.read_text() + f'base_url: "{SITE_URL}"\n', encoding="utf-8")
    title = "Talks; round two, in Zürich — with a title long enough to be folded across several lines"
    event = project.content / "events" / "first-call.yaml"
    event.write_text(event.read_text().replace("title: First call", f'title: "{title}"'), encoding="utf-8")
    (project.content / "events" / "year-talks.yaml").write_text(
        'title: Talks some time that year\ndate: "2023"\nstatus: held\nsummary: S.\nsources: [courier-note]\n',
        encoding="utf-8")
    result = project.generator("build")
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", "base_url set: no warning"
    raw = (project.docs / "data" / "events.ics").read_bytes()
    assert max(len(line) for line in raw.split(b"\r\n")) <= 75
    summaries = [str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(raw).walk("VEVENT")]
    assert title in summaries
    assert "Talks some time that year" not in summaries
    feed = feedparser.parse((project.docs / "data" / "events.atom").read_bytes())
    assert feed.bozo == 0
    assert [e.title for e in feed.entries][-1] == "Talks some time that year"  # oldest last
    assert title in [e.title for e in feed.entries]


def test_feeds_are_byte_stable(project):
    site_file = project.content / "site.yaml"
    site_file.write_text(site_file.read_text() + f'base_url: "{SITE_URL}"\n', encoding="utf-8")
    assert project.generator("build").returncode == 0
    first = {name: (project.docs / "data" / name).read_bytes() for name in ("events.atom", "events.ics")}
    result = project.generator("build")
    assert "0 written" in result.stdout
    assert {name: (project.docs / "data" / name).read_bytes() for name in first} == first


@pytest.mark.parametrize("name", ["events.atom", "events.ics"])
def test_the_events_page_links_the_feeds(fixture_site, name):
    html = (fixture_site.site / "events" / "index.html").read_text(encoding="utf-8")
    assert f'href="../data/{name}"' in html
    assert (fixture_site.site / "data" / name).is_file()


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), max_size=400))
def test_folding_keeps_every_character_and_fills_each_line(line):
    physical = _fold(line).split("\r\n")
    assert all(len(part.encode("utf-8")) <= 75 for part in physical)  # the leading space included
    assert all(part.startswith(" ") for part in physical[1:])
    chunks = [physical[0], *(part[1:] for part in physical[1:])]
    assert "".join(chunks) == line
    for index, (chunk, following) in enumerate(zip(chunks, chunks[1:])):
        # A line breaks only where the next character would not fit.
        room = 75 if index == 0 else 74
        assert len((chunk + following[0]).encode("utf-8")) > room


def _entry_by_element_tree(graph, event) -> str:
    """An Atom entry as ElementTree writes it: what _atom_entry_text must write."""
    url = page_url(graph, event.id)
    updated = _timestamp(min(first_day(event.date), first_day(graph.site.as_of)))
    entry = ET.Element("entry")
    ET.SubElement(entry, "id").text = url
    ET.SubElement(entry, "title").text = event.title
    ET.SubElement(entry, "link", {"rel": "alternate", "type": "text/html", "href": url})
    ET.SubElement(entry, "published").text = updated
    ET.SubElement(entry, "updated").text = updated
    ET.SubElement(entry, "category", {"term": event.kind})
    ET.SubElement(entry, "summary", {"type": "text"}).text = (
        f"{_when(event)} ({event.kind}, {event.status}). {readable(graph, event.summary)}")
    ET.indent(entry, level=1)
    return "\n  " + ET.tostring(entry, encoding="unicode")


# Link brackets only around an id that exists: the content's validation sees to that.
_FEED_TEXT = st.lists(st.sampled_from(list("aZ é&<>\"'\t;—*()") + ["&amp;", "]]>", "[[ada-north]]"]), min_size=1,
                      max_size=12).map("".join).filter(str.strip)


@given(title=_FEED_TEXT, summary=_FEED_TEXT, base_url=st.sampled_from([SITE_URL, "https://example.org/a&b\"c/"]))
def test_atom_entries_are_written_as_element_tree_writes_them(title, summary, base_url):
    graph, _ = check(FIXTURE_CONTENT)
    graph = dataclasses.replace(graph, site=graph.site.model_copy(update={"base_url": base_url}))
    event = graph.events["first-call"].model_copy(update={"title": title, "summary": summary})
    text = _atom_entry_text(graph, event)
    assert text == _entry_by_element_tree(graph, event)
    assert ET.fromstring(text).findtext("title") == title
