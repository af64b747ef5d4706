"""A full build whose inputs and outputs are those the last one recorded is skipped (uptodate.py)."""

import os
import re
import shutil
import time

import pytest

from generator import uptodate
from generator.pipeline import build
from generator.problems import ContentError
from generator.write import STAMP
from scratch import GENERATED_STAMP

URL = "https://example.org/site/"


def _age(folder, seconds=10):
    """Date every file and folder under folder seconds back, as if saved a while ago."""
    past = time.time() - seconds
    for parent, folders, files in os.walk(folder):
        for name in files + folders:
            os.utime(os.path.join(parent, name), (past, past))
    os.utime(folder, (past, past))


def _files(folder):
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file()}


def test_a_build_with_nothing_changed_reads_and_writes_nothing(project):
    _age(project.content)
    first = build(project.content, project.docs)
    assert not first.up_to_date
    assert first.warnings  # no base_url and no site_url: the feeds are not written
    before = _files(project.docs)
    second = build(project.content, project.docs)
    assert second.up_to_date
    assert (second.pages, second.report.written, second.report.removed) == (first.pages, (), ())
    assert second.warnings == first.warnings  # said again, as a full build would
    assert "load" not in second.timings.stages
    assert _files(project.docs) == before


def test_the_command_line_says_so_and_builds_in_full_when_asked(project):
    _age(project.content)
    assert project.generator("build").returncode == 0
    again = project.generator("build")
    assert again.returncode == 0 and "up to date" in again.stdout
    full = project.generator("build", "--full")
    assert full.returncode == 0 and re.search(r"\d+ pages: 0 written, 0 removed, \d+ unchanged", full.stdout)


def _edit_content(project):
    path = project.content / "actors" / "northland.yaml"
    path.write_text(path.read_text().replace("summary: ", "summary: Edited. ", 1))
    _age(project.content)


def _add_content(project):
    shutil.copy(project.content / "glossary" / "truce.yaml", project.content / "glossary" / "pause.yaml")
    path = project.content / "glossary" / "pause.yaml"
    path.write_text("term: Pause\ndefinition: A short stop in fighting.\n")
    _age(project.content)


def _remove_content(project):
    (project.content / "events" / "second-summit.yaml").unlink()
    _age(project.content)


def _remove_page(project):
    (project.docs / "actors" / "northland.md").unlink()


def _edit_page(project):
    page = project.docs / "actors" / "northland.md"
    page.write_text(page.read_text() + "\nA hand edit.\n")


@pytest.mark.parametrize("change", [_edit_content, _add_content, _remove_content, _remove_page, _edit_page])
def test_a_change_to_the_content_or_to_a_generated_file_builds_in_full(project, tmp_path, change):
    _age(project.content)
    build(project.content, project.docs, URL)
    change(project)
    again = build(project.content, project.docs, URL)
    assert not again.up_to_date
    fresh = tmp_path / "fresh-docs"
    build(project.content, fresh, URL)
    generated = lambda docs: {path: data for path, (data, _) in _files(docs).items()  # noqa: E731
                              if not path.startswith(("editors/", "about/", "assets/")) and path != STAMP}
    assert generated(project.docs) == generated(fresh)


def test_a_change_inside_a_linked_content_folder_builds_in_full(project, tmp_path):
    # content/glossary is a link to a folder elsewhere, as some editors keep shared terms.
    shared = tmp_path / "shared-glossary"
    shutil.move(project.content / "glossary", shared)
    (project.content / "glossary").symlink_to(shared, target_is_directory=True)
    _age(project.content)
    _age(shared)
    build(project.content, project.docs, URL)
    term = shared / "truce.yaml"
    term.write_text(term.read_text().replace("for a time", "for a while"))  # the folder's mtime stays
    past = time.time() - 5
    os.utime(term, (past, past))
    again = build(project.content, project.docs, URL)
    assert not again.up_to_date and "glossary.md" in again.report.written


def test_another_site_address_builds_in_full(project):
    _age(project.content)
    build(project.content, project.docs, URL)
    other = build(project.content, project.docs, "https://example.net/")
    assert not other.up_to_date and other.report.written
    assert "https://example.net/" in (project.docs / "actors" / "northland.md").read_text()


def test_a_content_file_saved_just_before_the_build_is_not_trusted(project):
    # Saved within a second of the build: it could change again with the same mtime and size.
    (project.content / "actors" / "northland.yaml").touch()
    build(project.content, project.docs, URL)
    assert not (project.docs / STAMP).exists()
    assert not build(project.content, project.docs, URL).up_to_date


def test_a_change_to_the_generator_itself_changes_the_inputs(project, tmp_path):
    code = shutil.copytree(uptodate.CODE, tmp_path / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    _age(project.content)
    before = uptodate.inputs(project.content, URL, code)
    assert uptodate.inputs(project.content, URL, code) == before
    template = code / "templates" / "actor.md.j2"
    template.write_text(template.read_text() + "\n")
    assert uptodate.inputs(project.content, URL, code) != before


def test_another_version_of_a_library_that_renders_or_checks_changes_the_inputs(project, monkeypatch):
    _age(project.content)
    before = uptodate.inputs(project.content, URL)
    assert before["libraries"]["pyyaml"] == __import__("yaml").__version__
    monkeypatch.setitem(uptodate.LIBRARIES, "pyyaml", "0.0")
    assert uptodate.inputs(project.content, URL) != before


def test_a_failed_build_keeps_the_record_of_the_last_good_one(project):
    _age(project.content)
    build(project.content, project.docs, URL)
    path = project.content / "events" / "first-call.yaml"
    good = path.read_text()
    path.write_text(good.replace("status: ", "status: hled-", 1))
    _age(project.content)
    with pytest.raises(ContentError):
        build(project.content, project.docs, URL)
    path.write_text(good)
    _age(project.content)
    # The content is back as it was, but its files' times are not: a full build, writing nothing.
    restored = build(project.content, project.docs, URL)
    assert not restored.up_to_date and restored.report.written == ()


def test_the_scratch_copy_leaves_the_record_out():
    assert GENERATED_STAMP == STAMP
