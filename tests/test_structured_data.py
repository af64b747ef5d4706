"""Each entity page carries schema.org JSON-LD, a meta description and an edit link to its YAML;
the sitemap lists every page."""

import html
import json
import subprocess
import sys
import xml.etree.ElementTree as ET

import jinja2
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURE_CONTENT, _env
from generator.structured import front_matter_json
from published import REPO_URL, SITE_URL, built_file, head_of
from scratch import copy_project

SCHEMA_ORG = "https://schema.org"
EXPECTED_TYPES = {
    "actors/ada-north": "Person",
    "actors/northland": "Country",
    "actors/river-pact": "Organization",
    "events/first-call": "Event",
    "sources/gazette-report": "CreativeWork",
    "sources/courier-note": "CreativeWork",
    "topics/river-dispute": "Thing",
    "positions/southland--river-dispute": "Thing",
    "": "WebSite",
}
# What schema.org requires or recommends for each type, as this site fills it in.
EXPECTED_PROPERTIES = {
    "Person": {"name", "url", "description", "jobTitle", "memberOf"},
    "Country": {"name", "url", "description"},
    "Organization": {"name", "url", "description"},
    "Event": {"name", "url", "description", "startDate", "endDate", "eventStatus", "attendee", "about"},
    "CreativeWork": {"name", "headline", "datePublished", "mainEntityOfPage"},
    "Thing": {"name", "url", "description"},
    "WebSite": {"name", "url", "description", "dateModified"},
}
ENTITY_PAGES = [f"{kind}/{path.stem}" for kind in ("actors", "topics", "positions", "events", "sources")
                for path in sorted((FIXTURE_CONTENT / kind).glob("*.yaml"))]


def _json_ld(site, page: str) -> dict:
    scripts = head_of(site.site, page).json_ld
    assert len(scripts) == 1, f"{page}: {len(scripts)} JSON-LD scripts"
    return json.loads(scripts[0])


@pytest.mark.parametrize("page", ENTITY_PAGES + [""])
def test_every_entity_page_has_schema_org_json_ld(fixture_site, page):
    data = _json_ld(fixture_site, page)
    assert data["@context"] == SCHEMA_ORG
    address = SITE_URL + (page + "/" if page else "")
    assert data["@id"] == address
    # A source's url is the work's own address; its page here is the page about it.
    assert (data["mainEntityOfPage"] if data["@type"] == "CreativeWork" else data["url"]) == address
    expected_type = EXPECTED_TYPES.get(page)
    if expected_type:
        assert data["@type"] == expected_type
        assert EXPECTED_PROPERTIES[expected_type] <= data.keys(), EXPECTED_PROPERTIES[expected_type] - data.keys()
    for mentioned in [*data.get("memberOf", []), *data.get("attendee", []), *data.get("about", [])]:
        assert built_file(fixture_site.site, mentioned["@id"]).is_file(), mentioned


def test_json_ld_values_follow_schema_org(fixture_site):
    event = _json_ld(fixture_site, "events/river-summit")
    assert (event["startDate"], event["endDate"]) == ("2024-02-18", "2024-02-19")
    assert event["eventStatus"] == f"{SCHEMA_ORG}/EventScheduled"
    assert event["location"] == {"@type": "Place", "name": "Bridgetown"}
    assert [a["name"] for a in event["attendee"]] == ["Northland", "Southland", "River Pact"]
    assert {a["@type"] for a in event["attendee"]} == {"Country", "Organization"}
    source = _json_ld(fixture_site, "sources/gazette-report")
    assert source["url"] == "https://example.org/gazette/talks-begin"  # the work itself
    assert source["publisher"] == {"@type": "Organization", "name": "The Fixture Gazette"}
    assert source["datePublished"] == "2024-01-16"
    person = _json_ld(fixture_site, "actors/ada-north")
    assert person["alternateName"] == ["A. North", "Ada Nord", "Ada Noord"]
    assert person["memberOf"][0] == {"@type": "Country", "@id": SITE_URL + "actors/northland/", "name": "Northland"}


@pytest.mark.parametrize("page", ENTITY_PAGES)
def test_the_meta_description_comes_from_the_summary(fixture_site, page):
    markdown = (fixture_site.docs / f"{page}.md").read_text(encoding="utf-8")
    front_matter = yaml.safe_load(markdown.split("---\n")[1])
    description = head_of(fixture_site.site, page).description
    assert description == html.unescape(front_matter["description"])
    assert description and "[[" not in description
    assert description != fixture_site_description()


def fixture_site_description() -> str:
    return yaml.safe_load((FIXTURE_CONTENT / "site.yaml").read_text())["description"]


def test_meta_descriptions_name_entities_not_ids(fixture_site):
    assert head_of(fixture_site.site, "events/first-call").description == "A call between Ada North and Southland."


def test_the_sitemap_lists_every_page_at_its_address(fixture_site):
    root = ET.parse(fixture_site.site / "sitemap.xml").getroot()
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    addresses = [loc.text.strip() for loc in root.findall("s:url/s:loc", namespace)]
    for page in ENTITY_PAGES + ["", "actors/", "editors/", "about/data/"]:
        page = page if page.endswith("/") or not page else page + "/"
        assert SITE_URL + page in addresses, page
    for address in addresses:
        assert built_file(fixture_site.site, address).is_file(), address


@pytest.mark.parametrize("page, content_file", [
    ("actors/ada-north", "content/actors/ada-north.yaml"),
    ("positions/ada-north--ceasefire-first", "content/positions/ada-north--ceasefire-first.yaml"),
    ("events/second-summit", "content/events/second-summit.yaml"),
    ("", "content/site.yaml"),
])
def test_edit_opens_the_yaml_file_a_generated_page_came_from(fixture_site, page, content_file):
    assert head_of(fixture_site.site, page).edit_links == [f"{REPO_URL}/edit/main/{content_file}"]
    assert (fixture_site.root / content_file).is_file()


def test_hand_written_pages_keep_the_default_edit_link(fixture_site):
    assert head_of(fixture_site.site, "editors").edit_links == [f"{REPO_URL}/edit/main/docs/editors/index.md"]


@pytest.mark.parametrize("page", ["actors", "events", "glossary"])
def test_pages_made_from_many_files_have_no_edit_link(fixture_site, page):
    # Their Markdown is generated and not in the repository: a link would lead nowhere.
    assert head_of(fixture_site.site, page).edit_links == []


_json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.text(),
                            lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
                            max_leaves=10)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(), _json_values, max_size=5))
def test_the_front_matter_string_reads_back_as_what_tojson_makes_of_the_json_ld(data):
    # The theme override prints the string as it is where it printed tojson of a mapping.
    line = "json_ld: " + front_matter_json(data) + "\n"
    read = yaml.load(line, Loader=yaml.CSafeLoader)["json_ld"]
    assert read == jinja2.Environment().from_string("{{ data | tojson }}").render(data=data)
    assert "<" not in read and "</" not in line


def test_a_hand_written_page_may_give_json_ld_as_a_mapping_or_a_string(tmp_path):
    project = copy_project(tmp_path / "project", FIXTURE_CONTENT)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "not_in_nav: |\n", "not_in_nav: |\n  /mapped.md\n  /written.md\n"), encoding="utf-8")
    (project / "docs" / "mapped.md").write_text(
        '---\njson_ld: {"@type": "Thing", "name": "a </script> b"}\n---\n\n# Mapped\n', encoding="utf-8")
    (project / "docs" / "written.md").write_text(
        "---\njson_ld: '{\"@type\": \"Thing\", \"name\": \"c </script> d\"}'\n---\n\n# Written\n",
        encoding="utf-8")
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, env=_env(),
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    for page, name in (("mapped", "a </script> b"), ("written", "c </script> d")):
        scripts = head_of(project / "site", page).json_ld
        assert [json.loads(text)["name"] for text in scripts] == [name]
        assert "</script> " not in (project / "site" / page / "index.html").read_text(encoding="utf-8")


# --- In a real browser ---------------------------------------------------------------------

def test_a_browser_reads_the_json_ld_and_the_page_asks_no_other_host(browser, site_url):
    page = browser.new_page()
    other_hosts, failed = [], []
    page.on("request", lambda request: other_hosts.append(request.url)
            if not request.url.startswith(site_url) and not request.url.startswith("data:") else None)
    page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
    page.goto(site_url + "events/first-call/", wait_until="networkidle")
    scripts = page.eval_on_selector_all('script[type="application/ld+json"]', "els => els.map(e => e.textContent)")
    assert [json.loads(text)["@type"] for text in scripts] == ["Event"]
    assert page.get_attribute("a.md-source", "href") == REPO_URL  # the repository link stays...
    assert other_hosts == []  # ...but the theme asks no code host's API for stars at view time
    assert failed == []
    page.close()
