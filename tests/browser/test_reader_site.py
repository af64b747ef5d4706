"""The built fixture site in a real browser: Debian's Chromium driven by Playwright.

The site is served from 127.0.0.1 by http.server in a thread. Every page a test opens is
watched: any console error, or any request to another host, fails that test. Screenshots
of the home, matrix and timeline pages go to test-artifacts/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import ROOT

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
AXE_PAGES = ["", "actors/ada-north/", "topics/ceasefire-first/", "events/harbour-talks/", "timeline/", "matrix/",
             "who-met-whom/"]


class Watched:
    """A browser page that records console errors, page errors and every request's host."""

    def __init__(self, page, base: str):
        self.page, self.base = page, base
        self.errors: list[str] = []
        self.foreign: list[str] = []
        page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("request", self._request)

    def _request(self, request) -> None:
        host = urlsplit(request.url).hostname
        if request.url.startswith(("http:", "https:", "ws:", "wss:")) and host != "127.0.0.1":
            self.foreign.append(request.url)

    def open(self, path: str):
        self.page.goto(self.base + path)
        self.page.wait_for_load_state("load")
        return self.page


@pytest.fixture
def watched(browser, site_url):
    context = browser.new_context(viewport=DESKTOP)
    page = Watched(context.new_page(), site_url)
    yield page
    context.close()
    # Every test that opens pages proves on the way that they are quiet and offline.
    assert page.errors == [], f"console errors: {page.errors}"
    assert page.foreign == [], f"requests to other hosts: {page.foreign}"


RESULTS_FOR = """h => [...document.querySelectorAll('.md-search-result__item > a.md-search-result__link')]
                     .some(a => a.href.endsWith(h) || a.href.includes(h + '#'))"""


def _wait_for_results(page, query: str) -> bool:
    """True once the results on screen answer this query (their links carry ?h=<query>)."""
    highlight = "?h=" + "+".join(query.lower().split())
    try:
        page.wait_for_function(RESULTS_FOR, arg=highlight, timeout=2000)
        return True
    except Exception:  # the worker had not built the index yet, or is still answering
        return False


def _search(page, query: str) -> list[str]:
    """Type a query and return the result links; retype while the index is still loading."""
    box = page.locator("input.md-search__input")
    for _ in range(15):
        page.keyboard.press("Escape")
        page.locator("label.md-header__button[for='__search']").first.click() if not box.is_visible() else box.click()
        box.fill("")
        box.type(query)  # key by key: Material searches on key events, which fill() does not send
        if _wait_for_results(page, query):
            links = page.locator(".md-search-result__item > a.md-search-result__link")
            # Material adds ?h=<query> to highlight the words: compare the page addresses only.
            return [urlsplit(href).path for href in links.evaluate_all("links => links.map(a => a.href)")]
    raise AssertionError(f"no search result for {query!r} after 15 tries")


@pytest.mark.parametrize("query, expected", [
    ("Ada Noord", "actors/ada-north/"),
    ("Nord", "actors/ada-north/"),
    ("A. North", "actors/ada-north/"),
    ("river question", "topics/river-dispute/"),
    ("Northland", "actors/northland/"),
    ("ceasefire first", "topics/ceasefire-first/"),
])
def test_an_alias_finds_its_entity_page_first(watched, query, expected):
    page = watched.open("")
    results = _search(page, query)
    assert results[0] == "/" + expected, results


def test_the_matrix_links_through_to_a_position_history(watched):
    page = watched.open("matrix/")
    badge = page.locator("table a:has(.stance--opposes)")
    assert badge.inner_text() == "opposes"
    badge.click()
    page.wait_for_url("**/positions/ada-north--ceasefire-first/")
    assert page.locator("h1").text_content().rstrip("¶") == "Ada North on Ceasefire first"
    assert "changed" in page.locator("article").inner_text().lower()


def test_the_matrix_works_with_the_keyboard_alone(watched):
    page = watched.open("matrix/")
    for _ in range(80):  # Tab through the page until the first stance badge has focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.querySelector('.stance') !== null"):
            break
    else:
        raise AssertionError("Tab never reached a stance badge in the matrix")
    page.keyboard.press("Enter")
    page.wait_for_url("**/positions/**")
    assert page.locator("h1").text_content().rstrip("¶").endswith("on Ceasefire first")


def test_the_timeline_is_in_time_order_with_distinct_statuses(watched):
    page = watched.open("timeline/")
    items = page.locator("article li:has(.status)")
    titles = items.evaluate_all("items => items.map(li => li.querySelector('a[href*=\"events/\"]').textContent)")
    # The second summit is dated April 2024 only, and names the harbour talks of 20 April in `after`.
    assert titles == ["First call", "River summit", "Harbour talks", "Second summit", "Bridge visit"]
    badges = page.locator("article li .status")
    looks = badges.evaluate_all("""bs => bs.map(b => [b.textContent, getComputedStyle(b).borderTopStyle,
                                                     getComputedStyle(b).textDecorationLine])""")
    by_status = {text: (border, decoration) for text, border, decoration in looks}
    assert sorted(by_status) == ["cancelled", "held", "planned", "proposed"]
    assert len(set(by_status.values())) == 4  # told apart without colour, as well as by the word


def test_the_matrix_fits_a_phone_with_the_actor_column_in_view(browser, site_url):
    context = browser.new_context(viewport=PHONE)
    watched = Watched(context.new_page(), site_url)
    page = watched.open("matrix/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # the page itself does not
    scroller = "document.querySelector('article table').closest('.md-typeset__scrollwrap')"
    assert page.evaluate(f"{scroller}.scrollWidth > {scroller}.clientWidth")  # the table scrolls sideways
    first_cell, last_cell = page.locator("table tbody tr td").first, page.locator("table tbody tr td").last
    page.evaluate(f"{scroller}.scrollLeft = 1000")
    assert page.evaluate(f"{scroller}.scrollLeft") > 0
    assert first_cell.bounding_box()["x"] >= 0  # sticky: the actor column stays in view
    assert first_cell.inner_text() == "Ada North" and first_cell.is_visible()
    assert last_cell.bounding_box()["x"] + last_cell.bounding_box()["width"] <= PHONE["width"]  # scrolled to the end
    context.close()
    assert watched.errors == [] and watched.foreign == []


@pytest.mark.parametrize("path", AXE_PAGES)
def test_axe_finds_no_serious_or_critical_violation(watched, path):
    page = watched.open(path)
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("""async () => (await axe.run()).violations
        .filter(v => v.impact === 'serious' || v.impact === 'critical')
        .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))""")
    assert violations == []


def test_pages_look_right_screenshots(browser, site_url):
    ARTIFACTS.mkdir(exist_ok=True)
    taken = []
    for viewport_name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        context = browser.new_context(viewport=viewport)
        watched = Watched(context.new_page(), site_url)
        for name, path in (("home", ""), ("matrix", "matrix/"), ("timeline", "timeline/")):
            target = ARTIFACTS / f"{name}-{viewport_name}.png"
            watched.open(path).screenshot(path=str(target), full_page=True)
            taken.append(target)
        context.close()
        assert watched.errors == [] and watched.foreign == []
    assert all(path.stat().st_size > 10_000 for path in taken)


def test_a_glossary_term_shows_its_definition_in_a_tooltip(watched):
    page = watched.open("events/bridge-visit/")
    term = page.locator("article abbr", has_text="truce")
    term.hover()
    tooltip = page.locator(".md-tooltip2--active")
    tooltip.wait_for(state="visible")
    assert "An agreement to stop fighting for a time." in tooltip.inner_text()


def test_search_works_with_the_keyboard_alone(watched):
    page = watched.open("")
    for _ in range(15):  # "/" opens Material's search; retype until the index answers
        page.keyboard.press("Escape")
        page.keyboard.press("/")
        page.keyboard.press("Control+A")
        page.keyboard.type("Noord")
        if _wait_for_results(page, "Noord"):
            break
    else:
        raise AssertionError("no search result for 'Noord' after 15 tries")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url("**/actors/ada-north/**")
    assert page.title().startswith("Ada North -")
