"""The writer owns its pages: changed files only, removals, and never a hand-written file."""

from pathlib import Path

import pytest

from generator.pipeline import build
from generator.problems import ContentError


def _mtimes(folder):
    return {p: p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def test_second_build_with_no_change_writes_no_file(project):
    first = build(project.content, project.docs)
    assert len(first.report.written) == first.pages
    before = _mtimes(project.docs)
    second = build(project.content, project.docs)
    assert second.report.written == ()
    assert second.report.removed == ()
    assert _mtimes(project.docs) == before


def test_one_edit_rewrites_only_the_pages_that_show_it(project):
    build(project.content, project.docs)
    term = project.content / "glossary" / "truce.yaml"
    term.write_text(term.read_text().replace("for a time", "for a while"))
    written = set(build(project.content, project.docs).report.written)
    # The definition shows on the glossary page, as a tooltip on each page using the term,
    # and in the open data that holds the term.
    showing = {p.relative_to(project.docs).as_posix() for p in project.docs.rglob("*.md")
               if "for a while" in p.read_text(encoding="utf-8")}
    assert "glossary.md" in written and "actors/river-pact.md" not in written
    assert {p for p in written if p.endswith(".md")} == showing
    assert {p for p in written if not p.endswith(".md")} == {"data/glossary.csv", "data/site.json"}


def test_a_removed_entity_loses_its_page(project):
    build(project.content, project.docs)
    (project.content / "events" / "second-summit.yaml").unlink()
    report = build(project.content, project.docs).report
    assert report.removed == ("events/second-summit.md",)
    assert not (project.docs / "events" / "second-summit.md").exists()
    assert "events/harbour-talks.md" in report.written  # its "next event" link changed


def test_hand_written_pages_are_never_touched(project):
    build(project.content, project.docs)
    hand_written = {p: p.read_bytes() for p in (project.docs / "editors").rglob("*") if p.is_file()}
    (project.content / "events" / "first-call.yaml").unlink()
    build(project.content, project.docs)
    assert {p: p.read_bytes() for p in (project.docs / "editors").rglob("*") if p.is_file()} == hand_written


def test_a_hand_written_file_in_the_way_is_refused(project):
    (project.docs / "topics").mkdir()
    (project.docs / "topics" / "river-dispute.md").write_text("# Mine\n")
    with pytest.raises(ContentError) as error:
        build(project.content, project.docs)
    assert [str(p) for p in error.value.problems] == [
        "docs/topics/river-dispute.md:1: a hand-written file is in the way of a generated page"
        " — move or rename the hand-written file, or rename the entity"
    ]
    assert (project.docs / "topics" / "river-dispute.md").read_text() == "# Mine\n"
    assert not (project.docs / "index.md").exists()


def test_a_build_stopped_half_way_does_not_block_the_next(project, monkeypatch, tmp_path):
    # Pages are claimed in the manifest before they are written: the pages a stopped
    # build left (whole or not) are rewritten by the next build, not taken for hand-written files.
    from generator import write

    create = write._create
    created = []

    def stop_after_three(path, data):
        if len(created) == 3:
            create(path, data[: len(data) // 2])  # half a page, then the build stops
            raise KeyboardInterrupt
        created.append(path)
        create(path, data)

    monkeypatch.setattr(write, "_create", stop_after_three)
    with pytest.raises(KeyboardInterrupt):
        build(project.content, project.docs)
    monkeypatch.setattr(write, "_create", create)

    report = build(project.content, project.docs).report
    assert report.unchanged == 3 and Path(created[0]).relative_to(project.docs).as_posix() not in report.written
    build(project.content, tmp_path / "clean")
    assert _generated(project.docs) == _generated(tmp_path / "clean")


def _generated(docs):
    """The generated files (those in the manifest, and the manifest) and their bytes."""
    from generator.write import MANIFEST, read_manifest

    return {path: (docs / path).read_bytes() for path in sorted(read_manifest(docs) | {MANIFEST})}


def test_a_page_is_replaced_whole_and_a_new_page_created_in_place(tmp_path):
    from generator.write import write_changed

    docs = tmp_path / "docs"
    assert write_changed(docs, {"a/b.md": "one"}) == ["a/b.md"]
    assert write_changed(docs, {"a/b.md": "two"}) == ["a/b.md"]
    assert write_changed(docs, {"a/b.md": "two"}) == []
    assert (docs / "a" / "b.md").read_text() == "two"
    assert sorted(p.name for p in (docs / "a").iterdir()) == ["b.md"]  # no temporary file left


def test_the_garbage_collector_is_off_during_a_build_and_back_on_after_it(project, monkeypatch):
    import gc

    from generator import pipeline

    seen = []
    check = pipeline.check
    monkeypatch.setattr(pipeline, "check", lambda *args: seen.append(gc.isenabled()) or check(*args))
    build(project.content, project.docs)
    assert seen == [False] and gc.isenabled()
    (project.content / "events" / "first-call.yaml").write_text("title: [broken\n")
    with pytest.raises(ContentError):
        build(project.content, project.docs)
    assert seen == [False, False] and gc.isenabled()  # a failed build too
