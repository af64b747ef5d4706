"""The reader pages, read from one real build of the fixture content, and the name index.

What a browser must prove (search, axe-core, requests, screenshots) is in tests/browser/.
"""

import json
import re
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.names import LOWER_CASE_INTO_ASCII, NameIndex, _spellings_used, _trie_pattern, autolink, entity_names, glossary_terms, names_pattern, with_tooltips
from generator.pipeline import check
from generator.render import plain

from conftest import FIXTURE_CONTENT

# By date, and the second summit (April 2024) after the harbour talks (20 April), as its `after` says.
EVENTS_IN_TIME_ORDER = ["first-call", "river-summit", "harbour-talks", "second-summit", "bridge-visit"]
STATUSES = {"first-call": "held", "river-summit": "held", "harbour-talks": "cancelled",
            "second-summit": "proposed", "bridge-visit": "planned"}


@pytest.fixture(scope="module")
def html(fixture_site):
    return lambda path: (fixture_site.site / path / "index.html").read_text(encoding="utf-8")


def _article(page: str) -> str:
    return page[page.index("<article"):page.index("</article>")]


def test_timeline_lists_every_event_in_time_order_grouped_by_month(html):
    page = _article(html("timeline"))
    listed = re.findall(r'href="\.\./events/([a-z0-9-]+)/"', page)
    assert list(dict.fromkeys(listed)) == EVENTS_IN_TIME_ORDER
    months = re.findall(r'<h2 id="[^"]*">([^<]+)<a class="headerlink"', page)
    assert months[1:] == ["January 2024", "February 2024", "April 2024", "May 2024"]
    for event_id, status in STATUSES.items():
        item = re.search(rf'<li>.*?href="\.\./events/{event_id}/".*?</li>', page, re.S).group(0)
        assert f'<span class="status status--{status}">{status}</span>' in item
    harbour = re.search(r'<li>.*?href="\.\./events/harbour-talks/".*?</li>', page, re.S).group(0)
    assert 'href="../actors/river-pact/"' in harbour and 'href="../topics/river-dispute/"' in harbour


def test_the_timeline_narrows_to_one_actor_or_topic(html):
    page = _article(html("timeline"))
    assert 'href="../actors/ada-north/#timeline"' in page and 'href="../topics/river-dispute/#timeline"' in page
    actor = _article(html("actors/ada-north"))
    section = actor[actor.index('id="timeline"'):]
    assert re.findall(r'href="\.\./\.\./events/([a-z0-9-]+)/"', section)[:2] == ["first-call", "bridge-visit"]
    assert "river-summit" not in section  # Ada North was not there
    topic = _article(html("topics/river-dispute"))
    assert 'id="timeline"' in topic and 'status--cancelled">cancelled</span>' in topic


def test_matrix_cells_are_labelled_badges_linking_to_position_history(html):
    page = _article(html("matrix"))
    table = page[page.index("<table>"):page.index("</table>")]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)
    header = re.findall(r'href="\.\./topics/([a-z0-9-]+)/"', rows[0])
    assert header == ["ceasefire-first", "harbour-access", "river-dispute"]
    cells = {re.search(r'actors/([a-z0-9-]+)/', row).group(1): re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[1:]
             for row in rows[1:]}
    assert list(cells) == ["ada-north", "northland", "southland"]  # actors with a recorded position
    ada_ceasefire, ada_harbour, ada_river = cells["ada-north"]
    assert 'href="../positions/ada-north--ceasefire-first/"' in ada_ceasefire
    assert '<span class="stance stance--opposes">opposes</span>' in ada_ceasefire
    assert ada_harbour.strip() == ada_river.strip() == ""  # the sources say nothing
    assert '<span class="stance stance--conditional">conditional</span>' in cells["southland"][2]
    assert '<span class="stance stance--supports">supports</span>' in cells["northland"][1]


def test_changes_of_mind_are_called_out_with_date_and_source(html):
    for path in ("actors/ada-north", "topics/ceasefire-first"):
        page = _article(html(path))
        history = page[page.index('id="position-history"'):]
        item = re.search(r"<li>(?:(?!</li>).)*changed from supports to opposes on 20 February 2024.*?</li>", history, re.S)
        assert item, path
        assert 'class="footnote-ref"' in item.group(0)  # its source
        assert history.index("January 2024") < history.index("20 February 2024")
    matrix = _article(html("matrix"))
    assert 'id="who-changed-their-mind"' in matrix
    assert 'href="../positions/ada-north--ceasefire-first/"' in matrix[matrix.index('id="who-changed-their-mind"'):]


def test_entity_pages_cite_their_sources_as_footnotes_with_an_as_of_date(html):
    expected = {"actors/ada-north": "February 2024", "topics/river-dispute": "16 January 2024",
                "events/first-call": "16 January 2024", "positions/ada-north--ceasefire-first": "February 2024"}
    for path, current_to in expected.items():
        page = _article(html(path))
        assert f"current to <strong>{current_to}</strong>" in page, path
        notes = page[page.index('<div class="footnote">'):]
        assert "../../sources/gazette-report/" in notes or "../../sources/courier-note/" in notes
        assert 'class="footnote-ref"' in page[:page.index('<div class="footnote">')]


def test_aliases_are_in_the_page_heading_and_search_index_with_a_boost(fixture_site, html):
    index = json.loads((fixture_site.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    pages = {doc["location"]: doc for doc in index["docs"]}
    # Other spellings are part of the page heading, so search weighs them like the name itself.
    ada, river = pages["actors/ada-north/"], pages["topics/river-dispute/"]
    assert ada["title"] == "Ada North also written A. North, Ada Nord, Ada Noord" and ada["boost"] == 3
    assert river["title"] == "River border also called river question" and river["boost"] == 3
    assert pages["events/first-call/"]["boost"] == 2  # entity pages outrank the events naming them
    with_noord = [loc for loc, doc in pages.items() if "Noord" in doc["title"] + doc["text"]]
    assert with_noord == ["actors/ada-north/"]


def test_names_link_themselves_once_outside_quotes_and_not_on_their_own_page(html):
    page = _article(html("events/harbour-talks"))
    paragraph = re.search(r"<p>Called off.*?</p>", page, re.S).group(0)
    assert '<a href="../../actors/ada-north/">Ada Nord</a>' in paragraph  # an alias links
    assert '"Northland will not sail"' in paragraph.replace("&quot;", '"')  # not inside a quotation
    assert paragraph.count('href="../../actors/northland/"') == 1  # the first mention outside it
    own = _article(html("actors/ada-north"))
    assert 'href="./"' not in own and 'href="../ada-north/"' not in own


def test_autolink_skips_headings_links_code_quotes_and_wikilinked_entities():
    ids = {"Ada North": "ada", "North": "north", "A. North": "ada"}
    names = NameIndex(ids, names_pattern(ids))
    link = lambda entity_id, label: f"<{entity_id}:{label}>"
    text = ("# North in a heading\n"
            "> North in a block quote\n"
            'Said "North" and “North”, see [North](x.md), https://x.org/North and `North`.\n'
            "Then Ada North met North; North again. A. North, Northern and North-west.")
    linked = autolink(text, names, set(), link)
    lines = linked.splitlines()
    assert lines[:3] == text.splitlines()[:3]
    assert lines[3] == "Then <ada:Ada North> met <north:North>; North again. A. North, Northern and North-west."
    assert autolink("North and Ada North.", names, {"north", "ada"}, link) == "North and Ada North."
    # The same text again (found pieces are kept per text): each page's own first mentions.
    assert autolink("North and Ada North.", names, {"north"}, link) == "North and <ada:Ada North>."
    already = set()
    assert autolink(text, names, already, link) == linked and already == {"ada", "north"}
    assert autolink("Nobody here.", names, set(), link) == "Nobody here."


def test_one_pattern_finds_every_name_longest_first(project):
    graph, _ = check(project.content)
    names = entity_names(graph)
    assert names.ids["Ada Noord"] == "ada-north" and names.ids["river question"] == "river-dispute"
    text = "Ada North met Northland and A. North; Ada Northlander is nobody, nor is the Northern Ada."
    assert [m.group(0) for m in names.pattern.finditer(text)] == ["Ada North", "Northland", "A. North"]
    southland = project.content / "actors" / "southland.yaml"
    southland.write_text(southland.read_text().replace("aliases: []", "aliases: [the North]"))
    graph, _ = check(project.content)
    assert "the North" not in entity_names(graph).ids  # two entities share it: it links neither


# Names that share beginnings, and characters the regex syntax gives a meaning to.
NAME_PIECES = ["Ada", "A", "d", " ", ".", "(", "*", "é", "-", "North", "N"]


@settings(max_examples=300, deadline=None)
@given(st.sets(st.lists(st.sampled_from(NAME_PIECES), min_size=1, max_size=4).map("".join), min_size=1, max_size=8),
       st.lists(st.sampled_from(NAME_PIECES), max_size=4).map("".join))
def test_the_name_trie_matches_its_names_and_nothing_else(names, other):
    pattern = re.compile(_trie_pattern(names))
    assert all(pattern.fullmatch(name) for name in names)
    assert bool(pattern.fullmatch(other)) == (other in names)


# Letters, digits, separators and characters beyond ASCII, some of which change length
# when lower-cased: what the word test before the search must get right.
TERM_PIECES = ["truce", "Truce", "zone", "a", "7", "_", "-", " ", ".", "é", "É", "İ", "\u212a", "k", "–", "“", "ß", "Ω"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.lists(st.sampled_from(TERM_PIECES), min_size=1, max_size=4).map("".join), min_size=1, max_size=4),
       st.data())
def test_the_word_test_never_hides_a_term_the_search_would_find(spellings, data):
    terms = [SimpleNamespace(term=spelling, aliases=(), definition="d") for spelling in spellings
             if spelling.strip()]
    if not terms:
        return
    # Text made of the spellings themselves among other pieces, so that most examples hold one.
    text = "".join(data.draw(st.lists(st.sampled_from(TERM_PIECES + spellings + ["[x](y.md)", "\n", "*"]),
                                      max_size=12)))
    glossary = glossary_terms(SimpleNamespace(glossary={i: t for i, t in enumerate(terms)}), plain)
    lowered = " " + text.lower()
    if len(lowered) == len(text) + 1:
        searched = {text[m.start(1) - 1:m.end(1) - 1] for m in glossary.pattern.finditer(lowered)}
    else:
        searched = {m.group(1) for m in glossary.any_case.finditer(" " + text)}
    assert _spellings_used(text, glossary) == searched


def test_only_the_characters_named_lower_case_into_ascii_or_into_more_characters():
    # What the word test's shortcut relies on, for the Unicode version of this Python.
    characters = (chr(c) for c in range(0x80, 0x110000) if not 0xD800 <= c <= 0xDFFF)
    assert {c for c in characters if not chr(0x7F) < min(c.lower()) or len(c.lower()) != 1} == set(LOWER_CASE_INTO_ASCII)


def test_glossary_tooltips_are_added_only_where_a_term_is_used(html):
    graph, _ = check(FIXTURE_CONTENT)
    glossary = glossary_terms(graph, plain)
    assert with_tooltips("No term here.", glossary) == "No term here."
    assert with_tooltips("A Truce, a truce.", glossary).endswith(
        "*[Truce]: An agreement to stop fighting for a time.\n*[truce]: An agreement to stop fighting for a time.\n")
    # 'İ' lower-cases to two characters, which the fast lower-case search cannot line up.
    assert with_tooltips("İstanbul TRUCE.", glossary).endswith("*[TRUCE]: An agreement to stop fighting for a time.\n")
    assert with_tooltips("İstanbul truces.", glossary) == "İstanbul truces."
    definition = 'title="An agreement to stop fighting for a time."'
    assert f"<abbr {definition}>truce</abbr>" in _article(html("events/bridge-visit"))
    assert "<abbr" not in _article(html("actors/river-pact"))
    assert 'id="truce"' in html("glossary")


def test_pictures_are_accessible_inline_svg_with_a_text_alternative(html):
    for path, name, alternative in (("timeline", "timeline", "<ul>"), ("who-met-whom", "meetings", "<table>")):
        page = _article(html(path))
        svg = re.search(r"<svg\b.*?</svg>", page, re.S).group(0)
        assert 'role="img"' in svg and f'aria-labelledby="{name}-title {name}-desc"' in svg
        assert re.search(rf'<title id="{name}-title">[^<]+</title>', svg)
        assert re.search(rf'<desc id="{name}-desc">[^<]+</desc>', svg)
        assert "http://" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "") and "https://" not in svg
        assert alternative in page[page.index("</svg>"):]
    meetings = _article(html("who-met-whom"))
    assert re.search(r'<td><a href="\.\./actors/ada-north/">Ada North</a></td>\s*'
                     r'<td><a href="\.\./actors/southland/">Southland</a> \(<a href="\.\./events/first-call/">', meetings)
    assert "harbour-talks" not in meetings  # cancelled: nobody met


def test_home_and_nav_answer_each_question_in_one_click(html):
    home = html("")
    content = _article(home)
    for target in ("matrix/", "timeline/", "matrix/#who-changed-their-mind", "actors/", "who-met-whom/"):
        assert f'href="{target}"' in content
    nav = home[home.index('<nav class="md-nav md-nav--primary"'):home.index("md-sidebar--secondary")]
    for target in ("matrix/", "timeline/", "who-met-whom/"):
        assert f'<a href="{target}" class="md-nav__link">' in nav


def test_who_met_whom_draws_the_busiest_actors_when_there_are_too_many(monkeypatch):
    from generator import diagrams

    graph, _ = check(FIXTURE_CONTENT)
    monkeypatch.setattr(diagrams, "DRAWN", 2)
    svg = diagrams.meetings_svg(graph)
    assert svg.count("<circle") == 2
    assert "the 2 with the most partners of 4 actors are drawn" in svg
    assert ">Southland<" in svg  # met all three others: always drawn
    assert len(diagrams.partners(graph)) == 4  # the table still lists everyone


def test_who_met_whom_counts_calls_meetings_and_summits_and_no_actor_meets_its_own_state(tmp_path):
    import shutil

    from generator import diagrams

    content = shutil.copytree(FIXTURE_CONTENT, tmp_path / "content")
    pairs = lambda: {(a, b): ids for a, b, ids in diagrams.meetings(check(content)[0])}
    # Northland belongs to the River Pact: both were at the river summit, and did not "meet".
    assert set(pairs()) == {("ada-north", "southland"), ("northland", "southland"), ("river-pact", "southland")}
    call = content / "events" / "first-call.yaml"
    call.write_text(call.read_text().replace("kind: call", "kind: statement"))
    assert ("ada-north", "southland") not in pairs()  # a statement names who made it, not who met


def test_a_wikilinked_entity_is_not_linked_again_by_name():
    from generator.render import PageContext

    graph, _ = check(FIXTURE_CONTENT)
    page = PageContext(graph, "events/x.md", entity_names(graph))
    text = page.text("[[northland|The north]] and Northland; Southland and Southland.")
    assert text == ("[The north](../actors/northland.md) and Northland; "
                    "[Southland](../actors/southland.md) and Southland.")
    assert page.text("[[ada-north]] met Ada Noord", names=False) == "[Ada North](../actors/ada-north.md) met Ada Noord"


def test_reader_pages_show_the_latest_and_busiest_part_of_a_large_site(monkeypatch):
    from generator import views
    from generator.render import render

    monkeypatch.setattr(views, "RECENT_EVENTS", 2)
    monkeypatch.setattr(views, "MATRIX_ACTORS", 1)
    monkeypatch.setattr(views, "MATRIX_TOPICS", 1)
    monkeypatch.setattr(views, "LISTED", 1)
    graph, _ = check(FIXTURE_CONTENT)
    pages = render(graph)
    timeline = pages["timeline.md"]
    latest = list(graph.events)[-2:]
    assert [e for e in graph.events if f"(events/{e}.md)" in timeline] == latest
    assert f"The 2 most recent of {len(graph.events)} events" in timeline
    matrix = pages["matrix.md"]
    rows = [line for line in matrix.splitlines() if line.startswith("| [")]
    assert len(rows) == 1 and rows[0].count("stance--") <= 1
    assert "The 1 actors and 1 topics with the most recorded positions" in matrix
    busiest = min(graph.positions_of_actor, key=lambda a: (-len(graph.positions_of_actor[a]), a))
    assert f"(actors/{busiest}.md)" in rows[0]


def test_footnotes_cited_together_are_kept_apart():
    from generator.render import PageContext

    graph, _ = check(FIXTURE_CONTENT)
    page = PageContext(graph, "topics/river-dispute.md")
    assert page.cite(["gazette-report", "courier-note"]) == "[^gazette-report]<sup>,</sup>[^courier-note]"
    assert page.footnotes().splitlines()[0].startswith("[^gazette-report]: [Talks begin on the river border]")
