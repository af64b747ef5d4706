"""Open data: site.json follows its JSON Schema, the CSV tables parse, and the site links them."""

import copy
import csv
import io
import json
import re

import jsonschema
import pytest

from dataclasses import replace
from xml.etree import ElementTree

from generator import export
from generator.export import CSV_TABLES, DATASET, csv_columns, exports
from generator.feeds import ATOM_FEED
from generator.pipeline import check, data_files, data_paths

from conftest import FIXTURE_CONTENT
from published import SITE_URL, built_file, head_of

KINDS = ("actors", "topics", "positions", "events", "sources", "glossary")


def _fixture_ids(kind: str) -> list[str]:
    return sorted(path.stem for path in (FIXTURE_CONTENT / kind).glob("*.yaml"))


@pytest.fixture(scope="module")
def dataset(fixture_site) -> dict:
    return json.loads((fixture_site.site / "data" / "site.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator(fixture_site) -> jsonschema.Draft202012Validator:
    schema = json.loads((fixture_site.site / "data" / "site.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _table(fixture_site, kind: str) -> tuple[list[str], list[dict]]:
    raw = (fixture_site.site / "data" / f"{kind}.csv").read_bytes()
    assert raw.endswith(b"\r\n"), "RFC 4180: CRLF line ends"
    reader = csv.DictReader(io.StringIO(raw.decode("utf-8"), newline=""))
    return reader.fieldnames, list(reader)


def test_the_dataset_follows_its_schema(dataset, validator):
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(dataset)]
    assert errors == []


@pytest.mark.parametrize("breakage", ["unknown stance", "missing field", "missing stance field", "no stances",
                                      "extra field", "bad id"])
def test_the_schema_rejects_what_content_could_not_hold(dataset, validator, breakage):
    broken = copy.deepcopy(dataset)
    if breakage == "unknown stance":
        broken["positions"][0]["stances"][0]["stance"] = "maybe"
    elif breakage == "missing field":
        del broken["events"][0]["status"]
    elif breakage == "missing stance field":
        del broken["positions"][0]["stances"][0]["quote"]  # every field is written, empty or not
    elif breakage == "no stances":
        broken["positions"][0]["stances"] = []
    elif breakage == "extra field":
        broken["actors"][0]["colour"] = "blue"
    else:
        broken["sources"][0]["id"] = "Not A Slug"
    assert not validator.is_valid(broken)


def test_the_dataset_holds_every_entity_with_its_page(fixture_site, dataset):
    for kind in KINDS:
        assert sorted(entity["id"] for entity in dataset[kind]) == _fixture_ids(kind), kind
    assert dataset["site"]["base_url"] == SITE_URL
    assert dataset["site"]["as_of"] == "2024-03-10"
    for kind in ("actors", "topics", "positions", "events", "sources"):
        for entity in dataset[kind]:
            assert built_file(fixture_site.site, entity["page"]).is_file(), entity["page"]
    position = next(p for p in dataset["positions"] if p["id"] == "ada-north--ceasefire-first")
    assert [s["stance"] for s in position["stances"]] == ["supports", "opposes"]


@pytest.mark.parametrize("kind", CSV_TABLES)
def test_each_csv_table_parses_with_its_header(fixture_site, dataset, kind):
    header, rows = _table(fixture_site, kind)
    assert header == csv_columns(kind)
    if kind == "positions":
        expected = [(p["id"], str(n)) for p in dataset["positions"] for n in range(1, len(p["stances"]) + 1)]
        assert [(row["position"], row["stance_number"]) for row in rows] == expected
    else:
        assert [row["id"] for row in rows] == [entity["id"] for entity in dataset[kind]]


def test_csv_cells_hold_the_same_values_as_the_json(fixture_site, dataset):
    _, events = _table(fixture_site, "events")
    summit = next(row for row in events if row["id"] == "river-summit")
    as_json = next(e for e in dataset["events"] if e["id"] == "river-summit")
    assert summit["participants"].split("; ") == as_json["participants"]
    assert summit["outcomes"].split("\n") == as_json["outcomes"]
    assert summit["end_date"] == "2024-02-19" and summit["date_inferred"] == "false"
    _, actors = _table(fixture_site, "actors")
    ada = next(row for row in actors if row["id"] == "ada-north")
    assert ada["aliases"].split("\n") == ["A. North", "Ada Nord", "Ada Noord"]
    assert ada["notes"] == 'The courier spells her name "Ada Nord".'
    _, positions = _table(fixture_site, "positions")
    second = next(row for row in positions if row["position"] == "ada-north--ceasefire-first" and row["stance_number"] == "2")
    assert (second["date"], second["date_inferred"], second["stance"]) == ("2024-02-20", "true", "opposes")


@pytest.mark.parametrize("section, tables", [("actors", ["actors"]), ("topics", ["topics", "positions"]),
                                             ("events", ["events"]), ("sources", ["sources"])])
def test_every_section_page_links_its_downloads(fixture_site, section, tables):
    links = head_of(fixture_site.site, section).links
    expected = ["../data/site.json", *(f"../data/{t}.csv" for t in tables), "../about/data/"]
    for link in expected:
        assert link in links, f"{section}/ does not link {link}"
        target = (fixture_site.site / section / link).resolve()
        assert (target / "index.html" if link.endswith("/") else target).is_file(), link


def test_the_data_page_links_every_file_it_describes(fixture_site):
    links = head_of(fixture_site.site, "about/data").links
    data_files = sorted(p.name for p in (fixture_site.site / "data").iterdir())
    assert sorted(link.removeprefix("../../data/") for link in links if link.startswith("../../data/")) == data_files


def test_exports_are_deterministic_and_need_no_clock():
    graph, problems = check(FIXTURE_CONTENT)
    assert graph is not None, problems
    assert exports(graph) == exports(graph)


def test_files_put_together_from_parts_read_as_their_serializers_write_them():
    graph, _ = check(FIXTURE_CONTENT)
    graph = replace(graph, site=graph.site.model_copy(update={"base_url": "https://example.invalid/"}))
    files = exports(graph)
    assert json.loads(files[DATASET]) == export.dataset(graph)
    lines = files[DATASET].splitlines()
    entities = sum(len(graph_kind) for graph_kind in (graph.actors, graph.topics, graph.positions, graph.events,
                                                      graph.sources, graph.glossary))
    assert sum(line.startswith("    {") for line in lines) == entities  # one line per entity
    # Renamed, the namespace declaration is read as a plain attribute and written back as it was.
    atom = files[ATOM_FEED].replace(' xmlns="', ' data-xmlns="')
    feed = ElementTree.fromstring(atom.encode("utf-8"))
    ElementTree.indent(feed)
    assert atom.endswith("\n" + ElementTree.tostring(feed, encoding="unicode") + "\n")
    assert len(feed.findall("entry")) == len(graph.events)


def test_without_an_address_the_feeds_are_left_out_with_a_warning(project):
    # No base_url in site.yaml, and no site_url in mkdocs.yml for the generator to fall back on.
    config = project.root / "mkdocs.yml"
    config.write_text(re.sub(r"^site_url:.*\n", "", config.read_text(encoding="utf-8"), flags=re.M), encoding="utf-8")
    result = project.generator("build")
    assert result.returncode == 0, result.stderr
    assert "content/site.yaml:1: warning: no base_url: the Atom and iCalendar feeds are not written" in result.stderr
    written = sorted(p.name for p in (project.docs / "data").iterdir())
    assert written == sorted([*(f"{kind}.csv" for kind in CSV_TABLES), "site.json", "site.schema.json"])


def test_a_base_url_that_differs_from_site_url_fails_the_strict_build(project):
    site_file = project.content / "site.yaml"
    site_file.write_text(site_file.read_text() + 'base_url: "https://elsewhere.example/"\n', encoding="utf-8")
    result = project.mkdocs_build()
    assert result.returncode == 1
    assert (f"content/site.yaml:1: warning: base_url https://elsewhere.example/ differs from site_url {SITE_URL}"
            " in mkdocs.yml — make them the same address, or remove base_url") in result.stderr
    site_file.write_text(site_file.read_text().replace("https://elsewhere.example/", SITE_URL), encoding="utf-8")
    assert project.mkdocs_build().returncode == 0


def test_the_data_paths_known_before_rendering_are_those_written():
    # A build checks that no hand-written file is in the way of any of them before it
    # writes anything, while the files themselves are made during the build.
    graph, _ = check(FIXTURE_CONTENT)
    for base_url in (None, "https://example.org/talks/"):
        site = graph.site.model_copy(update={"base_url": base_url})
        with_site = replace(graph, site=site)
        assert data_paths(with_site) == list(data_files(with_site))
