"""The second builder: `python -m generator build`, then `zensical build`, from the same files.

Zensical (Material for MkDocs' successor) reads mkdocs.yml but runs no hooks, so the
generator runs first. What differs from `mkdocs build` is listed in the README ("A second builder").
"""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import FIXTURE_CONTENT, make_project
from published import REPO_URL, SITE_URL, PageHead, head_of
from test_build import EXTERNAL_ASSET

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("zensical") is None,
    reason="Zensical is not installed: `pip install -r requirements-dev.txt` (or `make test`) installs it")


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "REPO_URL")}
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("zensical"), FIXTURE_CONTENT)
    # No hook passes site_url to the generator here: the content names the address itself.
    site_file = project.content / "site.yaml"
    site_file.write_text(site_file.read_text(encoding="utf-8") + f'base_url: "{SITE_URL}"\n', encoding="utf-8")
    generated = project.generator("build")
    assert generated.returncode == 0, generated.stderr
    built = _run([sys.executable, "-m", "zensical", "build", "--strict"], project.root)
    assert built.returncode == 0, built.stdout + built.stderr
    project.build_log = built.stdout + built.stderr
    return project


def test_zensical_builds_every_page_strictly(zensical_site):
    assert "No issues found" in zensical_site.build_log
    manifest = json.loads((zensical_site.docs / ".generated.json").read_text())
    for path in manifest:
        if path.endswith(".md"):
            page = path.removesuffix(".md").removesuffix("index").rstrip("/")
            assert (zensical_site.site / page / "index.html").is_file(), path
        else:
            assert (zensical_site.site / path).read_bytes() == (zensical_site.docs / path).read_bytes(), path
    assert (zensical_site.site / "editors" / "index.html").is_file()
    assert (zensical_site.site / "search.json").is_file()


def test_every_link_between_pages_leads_to_a_built_file(zensical_site):
    broken = []
    for html_file in zensical_site.site.rglob("*.html"):
        for href in PageHead(html_file.read_text(encoding="utf-8")).links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path:
                continue
            if parts.path.startswith("/"):  # 404.html links from the site's root path
                site_path = urlsplit(SITE_URL).path
                assert parts.path.startswith(site_path), href
                target = zensical_site.site / parts.path.removeprefix(site_path)
            else:
                target = (html_file.parent / parts.path).resolve()
            if not (target / "index.html" if parts.path.endswith("/") else target).exists():
                broken.append(f"{html_file.relative_to(zensical_site.site)}: {href}")
    assert broken == []


def test_the_site_asks_no_other_host(zensical_site):
    offenders = [f"{page.relative_to(zensical_site.site)}: {match.group(0)}"
                 for page in zensical_site.site.rglob("*.html")
                 for match in EXTERNAL_ASSET.finditer(page.read_text(encoding="utf-8"))]
    assert offenders == []


def test_the_theme_override_adds_json_ld_and_the_description(zensical_site):
    head = head_of(zensical_site.site, "events/first-call")
    data = json.loads(head.json_ld[0])
    assert (data["@type"], data["url"]) == ("Event", SITE_URL + "events/first-call/")
    assert head.description == "A call between Ada North and Southland."


def test_the_sitemap_and_feeds_use_the_site_address(zensical_site):
    sitemap = (zensical_site.site / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{SITE_URL}actors/ada-north/</loc>" in sitemap
    feed = (zensical_site.site / "data" / "events.atom").read_text(encoding="utf-8")
    assert f"<id>{SITE_URL}events/first-call/</id>" in feed


def test_what_differs_without_the_hook_edit_links_open_the_generated_markdown(zensical_site):
    # Documented in the README ("A second builder"): the hook that points "edit this page" at the
    # YAML file does not run, so a generated page's link names its generated Markdown.
    assert head_of(zensical_site.site, "actors/ada-north").edit_links == [
        f"{REPO_URL}/edit/main/docs/actors/ada-north.md"]
    assert head_of(zensical_site.site, "editors").edit_links == [f"{REPO_URL}/edit/main/docs/editors/index.md"]
