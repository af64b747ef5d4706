"""`make serve` runs `mkdocs serve --dirty`: only changed pages are rebuilt, yet an edit shows,
and the error banner still comes and goes on every page (a real server on 127.0.0.1)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from scratch import serve_env, stop_server


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _eventually(condition, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def served(project, tmp_path):
    port = _free_port()
    log = open(project.root / "serve.log", "w")
    # The server's own temporary folder, to check that it deletes the site it built there.
    temporary = tmp_path / "server-tmp"
    temporary.mkdir()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--livereload", "-a", f"127.0.0.1:{port}"],
        cwd=project.root, stdout=log, stderr=log, env=dict(serve_env(port), TMPDIR=str(temporary)))

    def page(path: str) -> str:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
                return response.read().decode("utf-8")
        except OSError:
            return ""

    try:
        assert _eventually(lambda: "Ada North" in page("/actors/ada-north/")), (project.root / "serve.log").read_text()
        yield project, page
    finally:
        stop_server(server)
        log.close()
    assert list(temporary.glob("mkdocs_*")) == [], "mkdocs serve left the site it built behind"


def test_an_edit_shows_and_the_error_banner_reaches_pages_that_did_not_change(served):
    project, page = served
    southland = project.content / "actors" / "southland.yaml"
    southland.write_text(southland.read_text().replace("A state on the south bank.", "A state on the far bank."))
    assert _eventually(lambda: "A state on the far bank." in page("/actors/southland/"))

    event = project.content / "events" / "first-call.yaml"
    good = event.read_text()
    event.write_text("title: First call\nstatus: [held\n")
    # river-pact's page does not change with this file, yet it must show the banner.
    assert _eventually(lambda: "The content has 1 error(s)" in page("/actors/river-pact/"))
    event.write_text(good)
    assert _eventually(lambda: "River Pact" in page("/actors/river-pact/")
                       and "The content has" not in page("/actors/river-pact/"))


def test_a_saved_theme_template_reaches_pages_that_did_not_change(served):
    project, page = served
    partial = project.root / "overrides" / "partials" / "copyright.html"
    partial.write_text('<div class="md-copyright">A footer saved while serving</div>\n', encoding="utf-8")
    # No page's Markdown changed, yet every page shows the theme's templates.
    assert _eventually(lambda: "A footer saved while serving" in page("/actors/river-pact/"))
    assert "A footer saved while serving" in page("/")
