"""Real `mkdocs build --strict` of the fixture content and of content/."""

import re

import pytest
import yaml

from conftest import ROOT
from generator.write import STAMP

# A <link rel="canonical"> (written because site_url is set) names the page's own address: no request.
EXTERNAL_ASSET = re.compile(r"""<(?:script|link(?![^>]*\brel="canonical")|img|iframe)\b[^>]*\b(?:src|href)=["'](?:https?:)?//""",
                            re.IGNORECASE)


def _files(folder) -> dict:
    """Every file under folder and its bytes: what a refused build must leave as it was."""
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _refused_build(project, break_it) -> str:
    """After a good build, break_it(); the next build must fail, without a traceback and
    leaving site/ as it was. Its log."""
    assert project.mkdocs_build().returncode == 0
    site_before = _files(project.site)
    break_it()
    result = project.mkdocs_build()
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert _files(project.site) == site_before
    return result.stderr


def _warnings(log: str) -> list[str]:
    return [line for line in log.splitlines() if line.startswith(("WARNING", "ERROR"))]


@pytest.mark.parametrize("site_name", ["fixture_site", "real_site"])
def test_strict_build_has_no_warnings(request, site_name):
    site = request.getfixturevalue(site_name)
    assert _warnings(site.build_log) == []
    assert (site.site / "index.html").exists()
    assert (site.site / "search" / "search_index.json").exists()


@pytest.mark.parametrize("site_name", ["fixture_site", "real_site"])
def test_the_site_asks_no_other_host(request, site_name):
    site = request.getfixturevalue(site_name)
    offenders = []
    for page in site.site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        offenders += [f"{page.relative_to(site.site)}: {m.group(0)}" for m in EXTERNAL_ASSET.finditer(html)]
        if "fonts.googleapis" in html or "fonts.gstatic" in html:
            offenders.append(f"{page.relative_to(site.site)}: Google Fonts")
    assert offenders == []


def test_every_kind_of_page_is_built_and_linked_both_ways(fixture_site):
    html = lambda path: (fixture_site.site / path / "index.html").read_text(encoding="utf-8")
    actor = html("actors/ada-north")
    assert 'href="../northland/"' in actor  # affiliation
    assert 'href="../../positions/ada-north--ceasefire-first/"' in actor  # position history
    assert 'href="../../events/first-call/"' in actor  # event taken part in
    assert 'href="../ada-north/"' in html("actors/northland")  # member, the reverse of affiliation
    assert 'href="../../actors/ada-north/"' in html("events/first-call")  # participant
    assert 'href="../../events/first-call/"' in html("sources/gazette-report")  # cited by
    assert 'href="../../positions/ada-north--ceasefire-first/"' in html("sources/courier-note")
    topic = html("topics/ceasefire-first")
    assert 'href="../../actors/ada-north/"' in topic and "stance--opposes" in topic
    assert 'href="../river-summit/"' in html("events/first-call")  # next event
    assert 'href="../first-call/"' in html("events/river-summit")  # previous event
    home = html("")
    assert "Fixture talks explained" in home and 'href="events/second-summit/"' in home


def test_the_nav_lists_section_pages_only(fixture_site):
    page = (fixture_site.site / "actors" / "ada-north" / "index.html").read_text(encoding="utf-8")
    start = page.index('<nav class="md-nav md-nav--primary"')
    nav = page[start:page.index("</nav>", start)]
    assert 'href="../"' in nav and 'href="../../topics/"' in nav
    for entity in ("northland", "first-call", "river-dispute", "gazette-report"):
        assert entity not in nav


def test_a_failed_build_keeps_the_last_good_site_and_pages(project):
    assert project.mkdocs_build().returncode == 0
    site_before = _files(project.site)
    docs_before = _files(project.docs)
    (project.content / "events" / "first-call.yaml").write_text("title: First call\nstatus: [held\n")
    result = project.mkdocs_build()
    assert result.returncode == 1
    assert "content/events/first-call.yaml:2: YAML syntax error" in result.stderr
    assert "Traceback" not in result.stderr
    assert _files(project.site) == site_before
    assert _files(project.docs) == docs_before


def test_a_hand_written_page_that_is_not_utf8_is_refused_before_the_site_is_touched(project):
    # MkDocs itself would stop at such a page with a traceback, after emptying site/.
    stderr = _refused_build(project, lambda: (project.docs / "about" / "notes.md").write_bytes(
        "# Notes\n\nSaved as Latin-1: café\n".encode("latin-1")))
    assert "docs/about/notes.md:3: the file is not UTF-8 text (byte 0xe9) — save the file with UTF-8 encoding" in stderr
    assert "1 page(s) in docs/ cannot be built: nothing was built, site/ is unchanged" in stderr


def test_hand_written_pages_naming_missing_templates_are_refused_together_before_the_site_is_touched(project):
    # MkDocs itself would stop at the first such page with a traceback, after emptying site/.
    pages = {"wide.md": "---\ntitle: Wide\ntemplate: mian.html\n---\n\n# Wide\n",
             "odd.md": "---\ntemplate: no-such.html\n---\n\n# Odd\n",
             "blank.md": "---\ntitle: Blank\ntemplate:\n---\n\n# Blank\n",
             "fine.md": "---\ntemplate: main.html\n---\n\n# Fine\n"}
    stderr = _refused_build(project, lambda: [(project.docs / "about" / name).write_text(text, encoding="utf-8")
                                              for name, text in pages.items()])
    assert ("docs/about/wide.md:3: the template 'mian.html' is not one of the theme's templates"
            " — did you mean 'main.html'?") in stderr
    assert ("docs/about/odd.md:2: the template 'no-such.html' is not one of the theme's templates"
            " — remove the line to use the theme's page template") in stderr
    assert ("docs/about/blank.md:3: the template '' is not one of the theme's templates"
            " — remove the line to use the theme's page template") in stderr
    assert "fine.md" not in stderr
    assert "3 page(s) in docs/ cannot be built: nothing was built, site/ is unchanged" in stderr


def test_theme_templates_that_cannot_be_parsed_or_name_missing_ones_are_refused_before_the_site_is_touched(project):
    # MkDocs itself would stop at the first page with a traceback, after emptying site/.
    main = project.root / "overrides" / "main.html"
    lines = main.read_text(encoding="utf-8").splitlines()
    source = project.root / "overrides" / "partials" / "source.html"
    text = source.read_text(encoding="utf-8")
    assert '"partials/language.html"' in text
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "partials/language.html" in row)

    def break_them():
        main.write_text("\n".join(lines) + "\n{% if %}\n", encoding="utf-8")
        source.write_text(text.replace('"partials/language.html"', '"partials/langauge.html"'), encoding="utf-8")

    stderr = _refused_build(project, break_them)
    assert (f"overrides/main.html:{len(lines) + 1}: Jinja syntax error: Expected an expression, got 'end of"
            " statement block' — correct the tag on this line, or the block it belongs to") in stderr
    assert (f"overrides/partials/source.html:{line}: the template 'partials/langauge.html' it names does not exist"
            " — did you mean 'partials/language.html'") in stderr
    assert "2 problem(s) in the theme's templates in overrides/: nothing was built, site/ is unchanged" in stderr


def test_a_broken_theme_template_and_a_broken_page_are_both_reported_in_one_run(project):
    main = project.root / "overrides" / "main.html"
    text = main.read_text(encoding="utf-8")

    def break_both():
        main.write_text(text + "{% if %}\n", encoding="utf-8")
        (project.docs / "about" / "wide.md").write_text("---\ntemplate: mian.html\n---\n\n# Wide\n", encoding="utf-8")

    stderr = _refused_build(project, break_both)
    assert "overrides/main.html:" in stderr and "Jinja syntax error" in stderr
    assert "docs/about/wide.md:2: the template 'mian.html' is not one of the theme's templates" in stderr
    assert ("1 problem(s) in the theme's templates in overrides/; 1 page(s) in docs/ cannot be built:"
            " nothing was built, site/ is unchanged") in stderr


def test_a_broken_theme_template_and_a_content_error_are_both_reported_in_one_run(project):
    main = project.root / "overrides" / "main.html"
    event = project.content / "events" / "first-call.yaml"
    text, good = main.read_text(encoding="utf-8"), event.read_text(encoding="utf-8")

    def break_both():
        main.write_text(text + "{% if %}\n", encoding="utf-8")
        event.write_text(good.replace("status: held", "status: hled"), encoding="utf-8")

    stderr = _refused_build(project, break_both)
    assert "overrides/main.html:" in stderr and "Jinja syntax error" in stderr
    assert "content/events/first-call.yaml:4: status: 'hled' is not allowed — did you mean 'held'?" in stderr
    assert ("1 problem(s) in the theme's templates in overrides/; 1 error(s) in content/:"
            " nothing was built, site/ is unchanged") in stderr


def test_generated_pages_are_ignored_by_git():
    gitignore = (ROOT / ".gitignore").read_text()
    for folder in ("/docs/actors/", "/docs/topics/", "/docs/positions/", "/docs/events/", "/docs/sources/", "/site/"):
        assert folder in gitignore


def test_the_nav_links_every_hand_written_page(fixture_site):
    home = (fixture_site.site / "index.html").read_text(encoding="utf-8")
    nav = home[home.index('<nav class="md-nav md-nav--primary"'):]
    for label in ("Methodology", "Editors' guide"):
        assert label in nav, f"{label} is not in the nav"


def test_no_article_noise_reaches_the_site(real_site):
    from test_content_coverage import NOISE_PHRASES

    # "Skip to content" is also the theme's own accessibility link: checked in content/ only.
    noise = [p for p in NOISE_PHRASES if p != "Skip to content"]
    noise += ["Taiwan Strait", "Netanyahu", "Hamas", "India US Tariff", "50% Duties", "MGDK"]
    found = []
    for page in real_site.site.rglob("*.html"):
        text = page.read_text(encoding="utf-8").lower()
        found += [f"{page.relative_to(real_site.site)}: {p}" for p in noise if p.lower() in text]
    assert found == []


def test_no_page_made_from_content_shows_a_reference_as_written(real_site):
    # [[id]] becomes a link, or the entity's name where the text is plain (the glossary's
    # tooltips, meta descriptions). The editors' guide and the about pages show the syntax.
    hand_written = {"editors", "about"}
    found = [f"{page.relative_to(real_site.site)}: {match}"
             for page in sorted(real_site.site.rglob("*.html"))
             if page.relative_to(real_site.site).parts[0] not in hand_written
             for match in sorted(set(re.findall(r"\[\[[^\]]*\]\]", page.read_text(encoding="utf-8"))))]
    assert found == []


def test_the_real_timeline_lists_each_event_after_those_it_came_after(real_site):
    # Same-day reactions and events known only by their month name what they came after
    # (`after`); dates alone put them first (a month before its days, a day by id).
    events = {path.stem: yaml.safe_load(path.read_text(encoding="utf-8"))
              for path in sorted((ROOT / "content" / "events").glob("*.yaml"))}
    timeline = (real_site.site / "timeline" / "index.html").read_text(encoding="utf-8")
    listed = list(dict.fromkeys(re.findall(r'href="\.\./events/([a-z0-9-]+)/"', timeline)))
    assert sorted(listed) == sorted(events)
    pairs = [(earlier, event_id) for event_id, data in events.items() for earlier in data.get("after", ())]
    assert len(pairs) >= 10
    assert [pair for pair in pairs if listed.index(pair[0]) > listed.index(pair[1])] == []


def test_the_generator_alone_and_mkdocs_write_the_same_pages(project):
    # Without base_url, the pages take the site's address from mkdocs.yml (site_url) in both.
    assert "base_url" not in (project.content / "site.yaml").read_text()
    generated = project.generator("build")
    assert generated.returncode == 0, generated.stderr
    docs = {p: p.read_bytes() for p in project.docs.rglob("*") if p.is_file() and p.name != STAMP}
    # Without the record of the first build, the hook renders every page again.
    (project.docs / STAMP).unlink(missing_ok=True)
    built = project.mkdocs_build()
    assert built.returncode == 0, built.stderr
    assert re.search(r"generator: \d+ pages, 0 written, 0 removed", built.stderr)
    assert {p: p.read_bytes() for p in project.docs.rglob("*") if p.is_file() and p.name != STAMP} == docs
    assert "https://example-org.github.io/peace-talks-explainer/" in (project.docs / "actors" / "northland.md").read_text()
