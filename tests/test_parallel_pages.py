"""`mkdocs build` with its pages built in worker processes (generator/mkdocs_pages.py).

Real MkDocs in a process of its own each time: the test process may run threads (the
browser tests'), and pages are built in workers only where no thread runs.
"""

from __future__ import annotations

import logging
import os
import posixpath
import re
import subprocess
import sys

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from generator import parallel
from generator.synth import write_content
from scratch import copy_project

SITE_URL = "https://parallel.invalid/"
WORKERS_LINE = re.compile(r"INFO\s+-\s+(\d+) pages built in (\d+) worker processes")


def _files(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _mkdocs_build(project, site, workers: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(ROOT), SITE_URL=SITE_URL,
               GENERATOR_WORKERS=workers)
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
                          cwd=project, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A scratch project with enough synthetic content for the pages to go to workers."""
    where = tmp_path_factory.mktemp("parallel-pages")
    content = where / "content"
    write_content(content, 450, seed=11)
    with open(content / "site.yaml", "a", encoding="utf-8") as site:
        site.write(f'base_url: "{SITE_URL}"\n')
    project = copy_project(where / "project", content)
    # Nav entries without a title: MkDocs takes it from the page's front matter (the
    # glossary) or its first heading (the methodology), in each worker too.
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    for titled, untitled in (("  - Glossary: glossary.md", "  - glossary.md"),
                             ("      - Methodology: about/methodology.md", "      - about/methodology.md")):
        assert titled in text
        text = text.replace(titled, untitled)
    config.write_text(text, encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def sites(project, tmp_path_factory):
    """The project built by MkDocs alone, and with its pages shared between two workers."""
    where = tmp_path_factory.mktemp("parallel-sites")
    runs = {workers: _mkdocs_build(project, where / workers, workers) for workers in ("1", "2")}
    for run in runs.values():
        assert run.returncode == 0, run.stderr
    return {workers: (where / workers, run.stderr) for workers, run in runs.items()}


def test_pages_built_in_workers_are_byte_for_byte_those_of_mkdocs_alone(project, sites):
    (alone, alone_log), (shared, shared_log) = sites["1"], sites["2"]
    assert not WORKERS_LINE.search(alone_log)
    built = WORKERS_LINE.search(shared_log)
    assert built, shared_log
    pages = len(list((project / "docs").rglob("*.md")))
    assert int(built.group(1)) == pages >= parallel.MIN_ITEMS and built.group(2) == "2"

    alone_files, shared_files = _files(alone), _files(shared)
    assert sorted(shared_files) == sorted(alone_files)
    assert [path for path in alone_files if shared_files[path] != alone_files[path]] == []
    # The search index holds every page's entries, in the order MkDocs gives them.
    assert len(shared_files["search/search_index.json"]) > 100 * pages


# From the primary nav to the table of contents' sidebar.
NAV = re.compile(r'<nav class="md-nav md-nav--primary".*?data-md-type="toc"', re.DOTALL)
HREF = re.compile(r'href="([^"#]*)"')


def test_the_nav_rendered_once_per_folder_links_where_each_page_s_own_would(sites):
    # Pages outside the nav share one rendering of the nav per folder (NavOnce in
    # mkdocs_hook.py); its relative links must lead, from every page, where the home
    # page's nav leads. Every page is checked, in the nav and outside it.
    site = sites["2"][0]

    def nav_targets(page) -> list[str]:
        address = "/" + page.parent.relative_to(site).as_posix() + "/"
        nav = NAV.search(page.read_text(encoding="utf-8")).group(0)
        return [href if "://" in href else posixpath.normpath(posixpath.join(address.replace("//", "/"), href))
                for href in HREF.findall(nav)]

    home = nav_targets(site / "index.html")
    assert len(home) > 10
    pages = [page for page in site.rglob("index.html") if page.parent != site]
    assert {len(page.relative_to(site).parts) for page in pages} >= {2, 3}  # actors/, actors/x/
    assert [page for page in pages if nav_targets(page) != home] == []


def test_a_warning_on_a_page_built_in_a_worker_fails_the_strict_build_once(project, sites, tmp_path):
    # (sites: the project built once, so that its actors' pages exist.)
    # One link to a missing page (found while the page is read, in a worker) and one to a
    # missing anchor of another page (checked in the main process once all pages are read),
    # on two pages of one folder: a worker remembers how links resolve for the next pages
    # of a folder, and must still warn on each page.
    actor = sorted((project / "docs" / "actors").glob("*.md"))[0].name
    pages = [project / "docs" / "about" / name for name in ("methodology.md", "data.md")]
    originals = [page.read_text(encoding="utf-8") for page in pages]
    for page, original in zip(pages, originals):
        page.write_text(original + f"\n[Lost](../nowhere.md) and [a part](../actors/{actor}#no-such-part)\n",
                        encoding="utf-8")
    try:
        runs = {workers: _mkdocs_build(project, tmp_path / f"site-{workers}", workers) for workers in ("1", "2")}
    finally:
        for page, original in zip(pages, originals):
            page.write_text(original, encoding="utf-8")

    assert WORKERS_LINE.search(runs["2"].stderr) and not WORKERS_LINE.search(runs["1"].stderr)
    warnings = {}
    for workers, run in runs.items():
        assert run.returncode == 1
        assert "Aborted with 4 warnings in strict mode!" in run.stdout + run.stderr
        assert "Traceback" not in run.stderr
        warnings[workers] = [line for line in run.stderr.splitlines() if line.startswith("WARNING")]
        assert len(warnings[workers]) == 4, run.stderr
        assert sum("nowhere.md" in line for line in warnings[workers]) == 2
        assert sum("#no-such-part" in line for line in warnings[workers]) == 2
    assert warnings["2"] == warnings["1"]


def test_a_page_step_that_fails_in_a_worker_stops_the_build_as_it_does_without_workers(project, tmp_path):
    # A page whose theme template fails as it renders (a template naming one that does not
    # exist is refused by the hook before the build): MkDocs logs the error and raises. In a
    # worker, the error is logged, and raised, in the main process, the same way.
    failing = project / "docs" / "about" / "failing.md"
    failing.write_text("---\ntemplate: failing.html\n---\n\n# Failing\n", encoding="utf-8")
    template = project / "overrides" / "failing.html"
    template.write_text('{% extends "main.html" %}{% block content %}{{ 1 // 0 }}{% endblock %}\n', encoding="utf-8")
    try:
        runs = {workers: _mkdocs_build(project, tmp_path / f"site-{workers}", workers) for workers in ("1", "2")}
    finally:
        failing.unlink()
        template.unlink()
    errors = {}
    for workers, run in runs.items():
        assert run.returncode != 0
        errors[workers] = [line for line in run.stderr.splitlines() if line.startswith("ERROR")]
        assert any("Error building page 'about/failing.md'" in line for line in errors[workers]), run.stderr
    assert errors["2"] == errors["1"]
    assert runs["2"].stderr.splitlines()[-1] == runs["1"].stderr.splitlines()[-1]  # the same exception
    assert WORKERS_LINE.search(runs["2"].stderr) is None  # stopped before it could report


def test_pages_go_to_workers_only_in_a_build_whose_plugins_are_known():
    from material.plugins.search.plugin import SearchPlugin

    from generator.mkdocs_pages import can_build_ahead

    class Config:
        def __init__(self, **plugins):
            self.plugins = plugins

    known = Config(**{"material/search": SearchPlugin(), "generator/mkdocs_hook.py": object()})
    hook = {"generator/mkdocs_hook.py"}
    assert can_build_ahead(known, "build", False, hook)
    assert can_build_ahead(known, "gh-deploy", False, hook)
    assert not can_build_ahead(known, "serve", False, hook)  # threads, and pages rebuilt one by one
    assert not can_build_ahead(known, "build", True, hook)  # --dirty
    # A plugin we do not know may keep state per page: MkDocs builds the usual way.
    assert not can_build_ahead(Config(**{"material/search": SearchPlugin(), "tags": object()}), "build", False, hook)
    assert not can_build_ahead(known, "build", False, set())  # another project's hook


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=20000), st.integers(min_value=2, max_value=8),
       st.integers(min_value=1, max_value=32))
def test_runs_of_items_cover_every_item_once_in_order_and_shrink(count, workers, chunks_per_worker):
    from generator.parallel import _chunk_bounds

    bounds = _chunk_bounds(count, workers, chunks_per_worker)
    assert bounds[0][0] == 0 and bounds[-1][1] == count
    assert all(end == start for (_, end), (start, _) in zip(bounds, bounds[1:]))
    sizes = [end - start for start, end in bounds]
    assert all(size > 0 for size in sizes)
    assert sizes == sorted(sizes, reverse=True)  # the largest first, the smallest last
    # The last runs are small: a worker that takes one ends soon after the others.
    assert sizes[-1] <= max(1, count // (workers * chunks_per_worker * 4))


_PAGES = ["index.md", "timeline.md", "actors/index.md", "actors/a.md", "actors/b.md", "actors/c/index.md",
          "events/e.md", "about/data.md"]
_LINKS = ["a.md", "b.md", "b.md#part", "./", "../actors/a.md", "../index.md", "index.md", "c/index.md",
          "c/", "../events/e.md#x", "../timeline.md", "timeline.md", "actors/b.md", "nowhere.md",
          "../nowhere.md", "https://example.org/", "#here", "/actors/a.md", "a.md?q=1#frag", "e.md"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_PAGES), st.sampled_from(_LINKS)), min_size=1, max_size=80))
# A sibling's link to a page, then that page's link to itself; the home page, then a page
# one folder down; a link to an anchor from two pages of one folder.
@example([("actors/a.md", "b.md"), ("actors/b.md", "b.md")])
@example([("index.md", "actors/b.md"), ("timeline.md", "actors/b.md")])
@example([("actors/a.md", "../events/e.md#x"), ("actors/b.md", "../events/e.md#x")])
def test_links_remembered_in_a_worker_resolve_as_mkdocs_resolves_them(visits):
    # The same pages visited in the same order, once by MkDocs' own link step and once by a
    # worker's remembering one: the same addresses, the same links to anchors, the same log.
    from mkdocs.config import load_config
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import _RelativePathTreeprocessor

    from generator.mkdocs_pages import _RememberedLinks

    config = _loaded_config(load_config)
    files = Files([File(path, config.docs_dir, config.site_dir, config.use_directory_urls) for path in _PAGES])
    resolve = _RelativePathTreeprocessor.path_to_url
    remembered = _RememberedLinks()
    outcomes = []
    for remember in (False, True):
        steps = {path: _RelativePathTreeprocessor(files.get_file_from_path(path), files, config) for path in _PAGES}
        logged = _Recorded()
        logging.getLogger("mkdocs").addHandler(logged)
        try:
            addresses = [remembered.path_to_url(steps[page], url, resolve) if remember else resolve(steps[page], url)
                         for page, url in visits]
        finally:
            logging.getLogger("mkdocs").removeHandler(logged)
        anchors = {page: {target.src_uri: links for target, links in step.links_to_anchors.items()}
                   for page, step in steps.items()}
        outcomes.append((addresses, anchors, logged.messages))
    assert outcomes[1] == outcomes[0]


class _Recorded(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.messages = []

    def emit(self, record):
        self.messages.append((record.levelno, record.getMessage()))


_CONFIG = {}


def _loaded_config(load_config):
    if "config" not in _CONFIG:
        _CONFIG["config"] = load_config(str(ROOT / "mkdocs.yml"))
    return _CONFIG["config"]


# The anchor look-up in raw HTML (mkdocs_pages.QuickRawHTMLPreprocessor).
_HTML_PIECES = ["<p", "<a", "<span", "<div", ">", "/>", "</p>", " ", "\n", "\t", "\u00a0", '"', "'", "/", "=", "id",
                "ID", "Id", "name", "NAME", "x", "idea", "did", "named", "ids", "<!--", "-->", "<script>", "</script>",
                '<p id="x">', "<a name=y>", "<P ID='z'>", "<br/id=1>", "<p\nid=q>", "<p data-id=1>", "word"]


def _anchors_found_by_mkdocs(text: str) -> set:
    from mkdocs.structure.pages import _HTMLHandler

    parser = _HTMLHandler()
    parser.feed(text)
    parser.close()
    return parser.present_anchor_ids


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_HTML_PIECES), max_size=30).map("".join))
@example("<p id/>")
@example("<br/id=1>")
@example('<p x="1"id=2>')
@example("<p x='1'id=2>")
@example("<p\tid=q>")
@example("<P ID=z>")
@example("<a name>")
def test_text_without_an_anchor_attribute_shape_has_no_anchor_for_mkdocs_to_find(text):
    from generator.mkdocs_pages import may_hold_anchor_attributes

    if not may_hold_anchor_attributes(text):
        assert _anchors_found_by_mkdocs(text) == set()


@pytest.mark.parametrize("site_name", ["fixture_site", "real_site"])
def test_mkdocs_finds_the_same_anchors_on_every_page_with_the_shortcut(request, site_name):
    # And the hook installs it: MkDocs' pages then make the quick one.
    import mkdocs.structure.pages

    from generator import mkdocs_pages

    mkdocs_pages.install_anchor_scan()
    assert mkdocs.structure.pages._RawHTMLPreprocessor is mkdocs_pages.QuickRawHTMLPreprocessor
    from generator.mkdocs_pages import (KNOWN_ANCHOR_SCAN, QuickRawHTMLPreprocessor, anchor_scan_code,
                                        may_hold_anchor_attributes)

    assert anchor_scan_code() == KNOWN_ANCHOR_SCAN  # another MkDocs or html.parser would lose the shortcut
    pages = sorted(request.getfixturevalue(site_name).docs.rglob("*.md"))
    assert len(pages) > 20
    skipped = 0
    for page in pages:
        lines = page.read_text(encoding="utf-8").split("\n")
        quick = QuickRawHTMLPreprocessor()
        quick.run(lines)
        assert quick.present_anchor_ids == _anchors_found_by_mkdocs("\n".join(lines)), page
        skipped += not may_hold_anchor_attributes("\n".join(lines))
    assert skipped > len(pages) / 2  # the shortcut is taken on most pages
