"""Shared test fixtures: temporary copies of the project, and real MkDocs builds of them."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

from scratch import ROOT, copy_project

FIXTURE_CONTENT = ROOT / "tests" / "fixtures" / "content"


def pytest_addoption(parser):
    parser.addoption("--update-goldens", action="store_true", help="rewrite tests/golden from the fixture content")


@dataclass
class Project:
    """A throwaway copy of the project: mkdocs.yml, hand-written docs, and some content."""

    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    @property
    def site(self) -> Path:
        return self.root / "site"

    def generator(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "generator", *args], cwd=self.root, env=_env(),
                              capture_output=True, text=True)

    def mkdocs_build(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", *args], cwd=self.root,
                              env=_env(), capture_output=True, text=True)


def _env() -> dict:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(ROOT))
    # mkdocs.yml reads these (the Pages workflow sets them); tests build with its defaults.
    for name in ("SITE_URL", "REPO_URL"):
        env.pop(name, None)
    return env


def make_project(where: Path, content: Path) -> Project:
    """Copy mkdocs.yml, the hand-written docs and the given content into a new folder."""
    copy_project(where, content)
    return Project(where)


@pytest.fixture
def project(tmp_path) -> Project:
    """A fresh copy of the project with the fixture content (for tests that change it)."""
    return make_project(tmp_path / "project", FIXTURE_CONTENT)


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory) -> Project:
    """One real `mkdocs build --strict` of the fixture content, shared by tests that read it."""
    built = make_project(tmp_path_factory.mktemp("fixture-site"), FIXTURE_CONTENT)
    result = built.mkdocs_build()
    assert result.returncode == 0, result.stderr
    built.build_log = result.stderr
    return built


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Project:
    """One real `mkdocs build --strict` of the project's own content/."""
    built = make_project(tmp_path_factory.mktemp("real-site"), ROOT / "content")
    result = built.mkdocs_build()
    assert result.returncode == 0, result.stderr
    built.build_log = result.stderr
    return built


# --- A real browser on the served site, shared by every browser test --------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def unavailable(reason: str):
    """Skip a browser test where its tools are missing; in CI, fail: a skip there proves nothing."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the browser tests must run)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright; one for the whole session (Playwright's sync
    API allows one running instance per thread)."""
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        unavailable(f"no Chromium at {CHROMIUM}: install Debian's chromium (`make chromium`)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is missing: pip install -r requirements-dev.txt")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="session")
def site_url(fixture_site):
    """The built fixture site served over HTTP on 127.0.0.1."""
    handler = functools.partial(_QuietHandler, directory=str(fixture_site.site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()
