"""Synthetic content, split index pages, and rebuilds that touch only what an edit changed."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time

import pytest

from generator import indexes, load
from generator.incremental import Rebuilder
from generator.pipeline import build, check, data_files
from generator.render import render
from generator.synth import MARKER, write_content
from generator.write import STAMP

parse = load.parse_document

from conftest import make_project, FIXTURE_CONTENT, ROOT


def _files(folder):
    """Every file the generator writes, without its record of the build (which names times)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
            if p.is_file() and p.name != STAMP}


def _age(folder, seconds: float = 60) -> None:
    """Date every file back, as if written long ago (the load cache distrusts fresh files)."""
    past = time.time() - seconds
    for path in folder.rglob("*"):
        os.utime(path, (past, past))


@pytest.fixture(scope="module")
def synth_content(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synth") / "content"
    counts = write_content(folder, 400, seed=7)
    return folder, counts


def test_same_size_and_seed_write_the_same_files(tmp_path, synth_content):
    folder, _ = synth_content
    write_content(tmp_path / "again", 400, seed=7)
    assert _files(tmp_path / "again") == _files(folder)
    write_content(tmp_path / "other", 400, seed=8)
    assert _files(tmp_path / "other") != _files(folder)


def test_synthetic_content_has_the_size_asked_and_validates(synth_content):
    folder, counts = synth_content
    assert sum(counts.values()) == 400
    assert all(counts[kind] > 0 for kind in ("actors", "topics", "positions", "events", "sources", "glossary"))
    graph, problems = check(folder)
    assert [str(p) for p in problems] == []
    assert len(graph.kinds) == 400
    assert any(len(p.stances) > 1 for p in graph.positions.values())
    assert any(len(e.participants) > 2 for e in graph.events.values())


def test_synth_refuses_to_replace_a_folder_it_did_not_write(tmp_path):
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "site.yaml").write_text("title: mine\n")
    with pytest.raises(SystemExit):
        write_content(tmp_path / "content", 50)
    assert (tmp_path / "content" / "site.yaml").read_text() == "title: mine\n"
    assert not (tmp_path / "content" / MARKER).exists()


def test_large_indexes_are_split_into_parts_that_list_every_entity(synth_content, monkeypatch):
    folder, _ = synth_content
    monkeypatch.setattr(indexes, "INDEX_LIMIT", 10)
    graph, _ = check(folder)
    pages = render(graph)
    for kind, folder_name in (("events", "by-month"), ("sources", "by-month"), ("actors", "by-letter"),
                              ("topics", "by-letter")):
        parts = sorted(p for p in pages if p.startswith(f"{kind}/{folder_name}/"))
        assert len(parts) > 1
        listed = [m for part in parts for m in re.findall(r"\]\(\.\./([a-z0-9-]+)\.md\)", pages[part])
                  if m != "index"]  # the link back to the overview
        assert sorted(listed) == sorted(getattr(graph, kind))  # each entity on exactly one part
        overview = pages[f"{kind}/index.md"]
        # The overview links its parts (and, after them, the open-data files).
        linked = [link for link in re.findall(r"\]\(([^)]+)\)", overview) if not link.startswith("../")]
        assert sorted(linked) == [f"{folder_name}/{p.rsplit('/', 1)[1]}" for p in parts]
        assert linked == sorted(linked, key=lambda link: link.removesuffix(".md"))  # by month or letter


def _set_line(path, key: str, value: str) -> None:
    """Replace the first top-level or stance line 'key: …' of a content file."""
    text = path.read_text(encoding="utf-8")
    changed, count = re.subn(rf"^(\s*-?\s*){key}: .*$", rf"\g<1>{key}: {value}", text, count=1, flags=re.MULTILINE)
    assert count == 1, (path, key)
    path.write_text(changed, encoding="utf-8")


def _come_after(path, earlier) -> None:
    """Date an event on the day of another, later by id, and say it came after that one: it moves."""
    date = re.search(r"^date: (.*)$", earlier.read_text(encoding="utf-8"), re.MULTILINE).group(1)
    assert path.stem < earlier.stem
    text = re.sub(r"^after: .*\n", "", path.read_text(encoding="utf-8"), flags=re.MULTILINE)
    path.write_text(re.sub(r"^date: .*$", f"date: {date}\nafter: [{earlier.stem}]", text, count=1, flags=re.MULTILINE),
                    encoding="utf-8")


def _edits(content):
    """A series of edits of every kind, as (what, function that makes the edit)."""
    def first(kind, index):
        return sorted((content / kind).glob("*.yaml"))[index]

    actor, event, topic = first("actors", 3), first("events", 5), first("topics", 2)
    position, source, term = first("positions", 4), first("sources", 6), first("glossary", 0)
    cited_term = first("glossary", 1)
    site = content / "site.yaml"
    # An actor whose name an event's summary shows through a [[link]]: in the feeds too.
    linked_actor = content / "actors" / (re.search(r"\[\[([a-z0-9-]+)\]\]", first("events", 7).read_text()).group(1) + ".yaml")
    return [
        # First, so that the feeds are written and checked after every later edit.
        ("site address", lambda: site.write_text(site.read_text() + "base_url: https://example.invalid/talks/\n")),
        ("actor summary", lambda: _set_line(actor, "summary", "Newly edited.")),
        ("actor name", lambda: _set_line(actor, "name", "Zzyzx Renamed")),
        ("linked actor name", lambda: _set_line(linked_actor, "name", "Qwyrt Linked")),
        ("event date", lambda: _set_line(event, "date", "'2036-12-30'")),
        ("event summary", lambda: _set_line(event, "summary", "Newly summarised, with [[{}]].".format(actor.stem))),
        ("topic title", lambda: _set_line(topic, "title", "Aardvark question")),
        ("stance", lambda: _set_line(position, "stance", "undecided")),
        ("source date", lambda: _set_line(source, "published", "'2030-01-01'")),
        ("glossary term", lambda: _set_line(term, "term", "Zeta formula")),
        # A tooltip shows a definition's [[id]] as the entity's name: it changes with the name.
        ("definition citing a source", lambda: _set_line(cited_term, "definition", f"A provision that [[{source.stem}]] reports.")),
        ("cited source title", lambda: _set_line(source, "title", "Qxwv Retitled Source")),
        ("new source", lambda: (content / "sources" / "a-brand-new-source.yaml").write_text(
            "title: A brand new source\npublished: '2031-05-05'\n", encoding="utf-8")),
        ("event after another", lambda: _come_after(first("events", 2), first("events", 9))),
        ("removed event", lambda: event.unlink()),
        ("site date", lambda: _set_line(site, "as_of", "'2037-01-01'")),
        ("new site address", lambda: _set_line(site, "base_url", "https://example.invalid/")),
    ]


def test_incremental_rebuilds_equal_a_full_build_after_every_kind_of_edit(tmp_path, synth_content, monkeypatch):
    monkeypatch.setattr(indexes, "INDEX_LIMIT", 10)  # so the split index pages are exercised too
    content = tmp_path / "content"
    shutil.copytree(synth_content[0], content)
    docs = tmp_path / "docs"
    _age(content)
    parsed = []
    monkeypatch.setattr(load, "parse_document", lambda raw, *args: parsed.append(args[-1]) or parse(raw, *args))
    rebuilder = Rebuilder()
    build(content, docs, rebuilder=rebuilder)
    all_pages = render(check(content)[0])
    assert set(rebuilder.pages.rendered) == set(all_pages)
    edited = set()
    for what, apply in _edits(content):
        apply()
        parsed.clear()
        result = build(content, docs, rebuilder=rebuilder)
        # Only files changed in the last second are parsed again (see load.LoadCache).
        edited.update(parsed)
        assert len(parsed) <= len(edited) <= 11, what
        graph, problems = check(content)
        assert problems == [], what
        expected = {**render(graph), **data_files(graph)}
        if what == "cited source title":
            assert any(": A provision that Qxwv Retitled Source reports.\n" in page for page in expected.values())
        assert _files(docs) == {**{p: t.encode() for p, t in expected.items()},
                                ".generated.json": (docs / ".generated.json").read_bytes()}, what
        pages_written = {p for p in result.report.written if p not in data_files(graph)}
        assert pages_written <= set(rebuilder.pages.rendered), what
        if what not in ("site date", "removed event", "site address", "new site address"):
            # These are on every page, or reorder the rest.
            # Few pages are rendered again in vain (a title shown on many pages changes them all).
            in_vain = set(rebuilder.pages.rendered) - pages_written
            assert len(in_vain) < len(all_pages) / 10, what


def test_one_entity_edit_rewrites_exactly_the_pages_that_show_it(tmp_path, synth_content):
    project = make_project(tmp_path / "project", FIXTURE_CONTENT)
    shutil.rmtree(project.content)
    shutil.copytree(synth_content[0], project.content)
    build(project.content, project.docs)
    before = _files(project.docs)
    graph, _ = check(project.content)
    names = [a.name for a in graph.actors.values()]
    # An actor whose name is on several pages and is part of no other name.
    actor_id, name = next((a.id, a.name) for a in graph.actors.values()
                          if sum(name.count(a.name) for name in names) == 1
                          and len(graph.events_of_actor.get(a.id, ())) >= 2)
    showing = {path for path, data in before.items() if name in data.decode()}  # pages and open data
    assert len(showing) >= 3

    path = project.content / "actors" / f"{actor_id}.yaml"
    path.write_text(path.read_text().replace(f"name: {name}", "name: Qwyrt Renamed"))
    result = build(project.content, project.docs)
    assert set(result.report.written) == showing
    after = _files(project.docs)
    unchanged = {p for p in before if before[p] == after.get(p)}
    assert unchanged == set(before) - showing

    path.write_text(path.read_text().replace("summary: ", "summary: Only here. ", 1))
    # The summary is on the actor's own page, and in the open data.
    assert build(project.content, project.docs).report.written == (
        f"actors/{actor_id}.md", "data/actors.csv", "data/site.json")


BUILD_AND_COUNT_POOLS = """
import json, sys
from pathlib import Path
from generator import parallel
from generator.pipeline import build
result = build(Path(sys.argv[1]), Path(sys.argv[2]))
print(json.dumps({"pools": parallel.pools_started, "written": len(result.report.written)}))
"""


def test_a_build_shared_between_processes_writes_what_one_process_writes(tmp_path):
    # In a process of its own: the test process may run threads (the browser tests'),
    # and the generator forks only where no thread runs.
    content = tmp_path / "content"
    write_content(content, 900, seed=3)

    def build_with(workers: str, docs: str) -> dict:
        env = dict(os.environ, GENERATOR_WORKERS=workers, PYTHONPATH=str(ROOT))
        done = subprocess.run([sys.executable, "-c", BUILD_AND_COUNT_POOLS, str(content), str(tmp_path / docs)],
                              env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    one = build_with("1", "one")
    several = build_with("3", "several")
    assert one["pools"] == 0 and several["pools"] == 2  # loading, and rendering and writing
    assert _files(tmp_path / "several") == _files(tmp_path / "one")
    assert several["written"] == one["written"] == len(_files(tmp_path / "one")) - 1  # all but the manifest
    assert build_with("3", "several")["written"] == 0  # and nothing twice


def test_a_summary_edit_renders_again_only_the_pages_that_read_it(tmp_path, synth_content):
    # Pages that show an entity's name but not its summary (lists, the timeline, the
    # diagrams) read only some of its fields, and are kept.
    content = tmp_path / "content"
    shutil.copytree(synth_content[0], content)
    _age(content)
    rebuilder = Rebuilder()
    build(content, tmp_path / "docs", rebuilder=rebuilder)
    for kind in ("actors", "events"):
        path = sorted((content / kind).glob("*.yaml"))[1]
        path.write_text(path.read_text(encoding="utf-8").replace("summary: ", "summary: Edited. ", 1), encoding="utf-8")
        result = build(content, tmp_path / "docs", rebuilder=rebuilder)
        assert rebuilder.pages.rendered == (f"{kind}/{path.stem}.md",)
        assert {f"{kind}/{path.stem}.md", f"data/{kind}.csv", "data/site.json"} <= set(result.report.written)
