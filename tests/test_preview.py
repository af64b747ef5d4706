"""The live preview: the real `mkdocs serve --livereload` on a temporary copy of the project.

Each test saves YAML files the way an editor does and polls the served page (bounded
loops, generous timeouts, no timed assertion): an edit shows up, a broken file keeps the
last good page served with the problems listed on it, a fix recovers by itself, and a
rebuild that writes nothing does not start another one.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import FIXTURE_CONTENT, make_project
from scratch import serve_env, stop_server

TIMEOUT = 60  # seconds: far beyond the ~1 s a rebuild takes, so only a hang or a loop fails
QUIET = 2  # seconds without a new build after which the server counts as settled
EVENT = Path("events") / "first-call.yaml"
BANNER = "The content has 1 error(s): this preview shows the last good version"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(what: str, condition, timeout: float = TIMEOUT):
    """Poll condition until it returns something true; fail naming what never happened."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    pytest.fail(f"within {timeout} s: {what() if callable(what) else what}")


class Server:
    """A running `mkdocs serve --livereload` and its log."""

    def __init__(self, root: Path):
        self.root = root
        self.port = free_port()
        self.log_path = root / "serve.log"
        env = serve_env(self.port)
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "mkdocs", "serve", "--livereload", "-a", f"127.0.0.1:{self.port}"],
                cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)

    def url(self, path: str = "") -> str:
        return f"http://127.0.0.1:{self.port}/{path}"

    def page(self, path: str) -> str | None:
        """The served HTML of a page; None for a missing page or a server that does not answer."""
        try:
            with urllib.request.urlopen(self.url(path), timeout=10) as response:
                return response.read().decode("utf-8")
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return None

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def builds(self) -> int:
        return self.log().count("Building documentation")

    def settled(self) -> int:
        """Wait until no build has started for QUIET seconds and the last one finished; its count."""
        last = {"count": -1, "since": time.monotonic()}

        def quiet():
            count, log = self.builds(), self.log()
            if count != last["count"]:
                last.update(count=count, since=time.monotonic())
                return None
            # Every rebuild ends with one of these (MkDocs drops a repeated "Documentation built in
            # 0.74 seconds", so that line cannot be counted); the first build is not a rebuild.
            ended = log.count("Reloading browsers") + log.count("An error happened during the rebuild")
            finished = ended >= count - 1
            return count if finished and time.monotonic() - last["since"] >= QUIET else None

        return wait_for(lambda: "the server stops rebuilding (a rebuild that writes nothing must not start another);"
                        f" its log ends:\n{self.log()[-3000:]}", quiet)

    def stop(self) -> None:
        stop_server(self.process)


@pytest.fixture
def server(tmp_path):
    project = make_project(tmp_path / "project", FIXTURE_CONTENT)
    running = start_server(project.root)
    try:
        running.settled()
        yield running
    finally:
        running.stop()
    assert "Traceback" not in running.log(), running.log()


def start_server(root: Path, page: str = "events/first-call/", attempts: int = 3) -> Server:
    """A server that is serving, on a port of its own.

    Another process (tests running beside these) can take the free port between the probe
    and the server's bind; then that process, not ours, would answer. So the page counts
    only once our server's log says it serves, and a server that could not bind is retried.
    """
    logs = []
    for _ in range(attempts):
        running = Server(root)
        outcome = wait_for("the server serves the event page, or exits", lambda: (
            "exited" if running.process.poll() is not None else
            "serving" if f"Serving on {running.url()}" in running.log() and running.page(page)
            else None))
        if outcome == "serving":
            return running
        logs.append(running.log())
    pytest.fail("mkdocs serve did not start:\n" + "\n".join(logs))


def save(server: Server, relative: Path, old: str, new: str) -> None:
    """Edit a content file the way an editor's save does: replace its text in place."""
    path = server.root / "content" / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def generator_lines(log: str) -> list[str]:
    return re.findall(r"generator: .*", log)


def test_a_saved_edit_is_served_and_the_server_settles(server):
    builds_before = server.builds()
    save(server, EVENT, "A call between", "A telephone call between")
    wait_for("the edit shows in the served page", lambda: "A telephone call between" in (server.page("events/first-call/") or ""))
    builds = server.settled()
    assert builds > builds_before
    # One rebuild, writing the event's page and its entry in the open data and feeds
    # (site.json, events.csv, events.atom, events.ics): nothing else.
    assert re.fullmatch(r"generator: \d+ pages, 5 written, 0 removed", generator_lines(server.log())[-1])
    assert builds - builds_before == 1
    assert "A telephone call between" in server.page("events/first-call/")


def test_a_saved_hand_written_page_is_served(server):
    # The generated pages are not watched (their writes would start a useless rebuild);
    # the hand-written ones still are.
    page = server.root / "docs" / "editors" / "index.md"
    page.write_text(page.read_text(encoding="utf-8").replace("# Editors' guide", "# Editors' handbook", 1), encoding="utf-8")
    wait_for("the edited guide is served", lambda: "Editors&#39; handbook" in (server.page("editors/") or "")
             or "Editors' handbook" in (server.page("editors/") or ""))
    server.settled()


def test_a_hand_written_page_naming_a_missing_template_is_served_with_the_themes(server):
    # MkDocs would stop the rebuild at it with a traceback; the preview logs the problem.
    page = server.root / "docs" / "about" / "wide.md"
    page.write_text("---\ntemplate: mian.html\n---\n\n# A wide page\n", encoding="utf-8")
    wait_for("the page is served", lambda: "A wide page" in (server.page("about/wide/") or ""))
    server.settled()
    assert "docs/about/wide.md:2: the template 'mian.html' is not one of the theme's templates" in server.log()


def test_a_broken_theme_template_is_left_out_of_the_preview_until_fixed(server):
    # MkDocs would stop every rebuild at it with a traceback; the preview logs the problem
    # and uses the theme's own version of the template meanwhile.
    partial = server.root / "overrides" / "partials" / "copyright.html"

    def saved(text: str, what: str, footer_shows) -> None:
        partial.write_text(text, encoding="utf-8")
        wait_for(what, lambda: footer_shows(server.page("events/first-call/") or ""))
        server.settled()

    theirs = lambda footer: "A custom footer line" not in footer and "Material for MkDocs" in footer  # noqa: E731
    saved('<div class="md-copyright">A custom footer line</div>\n', "the custom footer",
          lambda footer: "A custom footer line" in footer)
    saved('<div class="md-copyright">A custom footer line{% if %}</div>\n', "the theme's own footer", theirs)
    log = server.log()
    assert "ERROR   -  overrides/partials/copyright.html:1: Jinja syntax error:" in log
    assert "the preview uses the theme's own version of each of those templates" in log
    assert "A call between" in server.page("events/first-call/")
    saved('<div class="md-copyright">A custom footer line</div>\n', "the fixed footer",
          lambda footer: "A custom footer line" in footer)
    # A template that names one that does not exist would stop the rebuild just the same.
    saved('A custom footer line{% include "partials/copyrite.html" %}\n', "the theme's own footer again", theirs)
    assert ("overrides/partials/copyright.html:1: the template 'partials/copyrite.html' it names does not exist"
            " — did you mean 'partials/copyright.html'") in server.log()


def test_a_broken_file_keeps_the_last_good_page_then_recovers(server):
    good_page = server.page("events/first-call/")
    assert "A call between" in good_page and BANNER not in good_page
    save(server, EVENT, "status: held", "status: [held")
    broken = wait_for("the banner on the served page", lambda: (lambda html: html if html and BANNER in html else None)(
        server.page("events/first-call/")))
    problem = ("content/events/first-call.yaml:5: YAML syntax error: did not find expected ',' or ']'"
               " (in the flow sequence that starts on line 4) — check indentation, colons, quotes and brackets")
    assert f"<code>{problem}</code>" in broken
    assert "A call between" in broken, "the last good content must still be served"
    assert BANNER in (server.page("") or "")  # every page shows it, the server answers everywhere
    log = server.log()
    assert ("ERROR   -  content/events/first-call.yaml:5: YAML syntax error: did not find expected ',' or ']'"
            " (in the flow sequence that starts on line 4) — check indentation, colons, quotes and brackets") in log
    assert "ERROR   -  1 error(s) in content/: still serving the last good pages; fix and save to update" in log
    server.settled()

    save(server, EVENT, "status: [held", "status: held")
    save(server, EVENT, "A call between", "A short call between")
    recovered = wait_for("the fixed content served without the banner", lambda: (
        lambda html: html if html and "A short call between" in html and BANNER not in html else None)(
        server.page("events/first-call/")))
    assert "A call between" not in recovered
    server.settled()


def test_a_new_broken_file_keeps_every_page(server):
    (server.root / "content" / "actors" / "bo-lake.yaml").write_text("name: Bo Lake\nkind: persn\nsummary: S\n")
    html = wait_for("the banner", lambda: (lambda h: h if h and "error(s): this preview" in h else None)(
        server.page("actors/northland/")))
    assert "<code>content/actors/bo-lake.yaml:2: kind: 'persn' is not allowed — did you mean 'person'?</code>" in html
    server.settled()
    assert server.page("actors/bo-lake/") is None or "Bo Lake" not in server.page("actors/bo-lake/")
    assert "Northland" in server.page("actors/northland/")


def test_the_open_page_reloads_itself_after_a_save(server, browser):
    page = browser.new_page()
    try:
        page.goto(server.url("events/first-call/"))
        assert "A call between" in page.inner_text("article")
        page.evaluate("window.__not_reloaded = true")
        save(server, EVENT, "A call between", "A reloaded call between")
        page.wait_for_function("document.querySelector('article') &&"
                               " document.querySelector('article').innerText.includes('A reloaded call between')",
                               timeout=TIMEOUT * 1000)
        # The text came with a reload of the page by livereload, not with a fetch of our own.
        assert page.evaluate("window.__not_reloaded === undefined")
    finally:
        page.close()


def test_a_server_started_on_broken_content_serves_and_recovers(tmp_path):
    project = make_project(tmp_path / "project", FIXTURE_CONTENT)
    event = project.content / EVENT
    good = event.read_text(encoding="utf-8")
    event.write_text(good.replace("status: held", "status: [held"), encoding="utf-8")
    running = start_server(project.root, page="editors/")
    try:
        assert BANNER in running.page("editors/")
        assert running.page("events/first-call/") is None  # no good version of it exists yet
        assert "1 error(s) in content/: no good version to serve yet; fix and save to update" in running.log()
        event.write_text(good, encoding="utf-8")
        wait_for("the event page once the file is fixed", lambda: "A call between" in (running.page("events/first-call/") or ""))
        assert BANNER not in running.page("events/first-call/")
        running.settled()
    finally:
        running.stop()
    assert "Traceback" not in running.log()
