"""MkDocs hook: run the generator before every build, and keep serving the last good site.

`mkdocs build` stops before MkDocs cleans site/ when the content has errors. During
`mkdocs serve`, raising would make the server hang until the content is fixed, so the hook
logs the problems, shows them on every page, and lets MkDocs build from the last good pages.
"""

from __future__ import annotations

import difflib
import functools
import gc
import logging
import os
import posixpath
import re
import sys
from pathlib import Path
from urllib.parse import urljoin

# MkDocs loads this file by path, without the project root on sys.path.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import jinja2  # noqa: E402
from jinja2 import meta  # noqa: E402
from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.plugins import event_priority  # noqa: E402
from mkdocs.utils.meta import get_data  # noqa: E402

from generator import fast_search, mkdocs_pages, theme_once  # noqa: E402
from generator.fast_inline import FastInlineExtension  # noqa: E402
from generator.incremental import Rebuilder  # noqa: E402
from generator.load import not_utf8  # noqa: E402
from generator.pipeline import build, check  # noqa: E402
from generator.problems import ContentError, Problem, errors_in  # noqa: E402
from generator.write import MANIFEST, read_manifest  # noqa: E402

log = logging.getLogger("mkdocs.generator")
_state = {"serving": False, "problems": (), "generated": set(), "rebuilder": None, "banner_shown": False,
          "command": "", "dirty": False, "missing_template": set(), "broken_templates": set(),
          "theme_files": (), "theme_built": None}


def on_startup(command: str, dirty: bool) -> None:
    _state["serving"] = command == "serve"
    _state["command"], _state["dirty"] = command, dirty
    # The preview keeps parsed files and rendered pages between rebuilds (see incremental.py).
    _state["rebuilder"] = Rebuilder() if command == "serve" else None


def on_config(config):
    # Same HTML from Python-Markdown, a quarter less time converting pages (fast_inline.py).
    if not any(isinstance(extension, FastInlineExtension) for extension in config.markdown_extensions):
        config.markdown_extensions.append(FastInlineExtension())
    # MkDocs' look for anchors in raw HTML, skipped on pages that can hold none (mkdocs_pages.py).
    mkdocs_pages.install_anchor_scan()
    # The same search entries, each page divided into sections in a quarter of the time
    # (fast_search.py). Material's search has made its index by now: hooks come after plugins.
    search = config.plugins.get("material/search")
    if search is not None and fast_search.enabled() and getattr(search.config, "enabled", False):
        fast_search.install(search, config.plugins)
    return config


def on_pre_build(config) -> None:
    project = Path(config.config_file_path).resolve().parent
    _state["generated"] = read_manifest(Path(config.docs_dir))
    _refuse_broken_files(project, config)
    try:
        result = build(project / "content", Path(config.docs_dir), config.site_url, rebuilder=_state["rebuilder"])
    except ContentError as error:
        _state["problems"] = error.problems
        for problem in error.problems:
            log.error(str(problem))
        count = len(errors_in(error.problems))
        if _state["serving"]:
            kept = "still serving the last good pages" if _state["generated"] else "no good version to serve yet"
            log.error(f"{count} error(s) in content/: {kept}; fix and save to update")
            return
        raise PluginError(f"{count} error(s) in content/: nothing was written, site/ is unchanged") from None
    _state["problems"] = ()
    _state["generated"] = read_manifest(Path(config.docs_dir))
    for warning in result.warnings:
        log.warning(str(warning))
    report = result.report
    if result.up_to_date:
        log.info(f"generator: {result.pages} pages, up to date (content/ and the generator unchanged)")
    else:
        log.info(f"generator: {result.pages} pages, {len(report.written)} written, {len(report.removed)} removed")


def _refuse_broken_files(project: Path, config) -> None:
    """Stop, before MkDocs cleans site/, at every hand-written file MkDocs would stop at with
    a Python traceback, after emptying site/ (the theme's templates, the pages), all in one
    run with the content's errors. During `mkdocs serve` the problems are only logged
    (raising would hang the server), and the generator reports the content's as usual.
    """
    theme = _Theme(config)
    refused = [summary for summary in (_broken_theme(project, config, theme), _broken_pages(project, config, theme))
               if summary]
    if refused and not _state["serving"]:
        # The content's own errors too, so that one run names every mistake (nothing is written).
        content_errors = errors_in(check(project / "content")[1])
        for problem in content_errors:
            log.error(str(problem))
        if content_errors:
            refused.append(f"{len(content_errors)} error(s) in content/")
        raise PluginError("; ".join(refused) + ": nothing was built, site/ is unchanged")


def _broken_theme(project: Path, config, theme: _Theme) -> str | None:
    """Templates of the theme's own folder (overrides/) that Jinja cannot parse or that name
    a template which does not exist: MkDocs would stop at the first page with a Python
    traceback. Logs each problem; returns what to say of them all, or None. During
    `mkdocs serve`, the preview is built without them (on_env).
    """
    _state["broken_templates"] = set()
    custom = config.theme.custom_dir
    if not custom or not Path(custom).is_dir():
        _state["theme_files"] = ()
        return None
    files = sorted(path for path in Path(custom).rglob("*") if path.is_file())  # one walk, one stat each
    _state["theme_files"] = tuple((path.as_posix(), (stat := path.stat()).st_mtime_ns, stat.st_size) for path in files)
    problems = []
    for path in files:
        if not path.name.endswith(".html"):
            continue
        name = path.relative_to(custom).as_posix()
        found = _template_problems(theme, name, path, _shown(path, project))
        if found:
            problems.extend(found)
            _state["broken_templates"].add(name)
    for problem in problems:
        log.error(str(problem))
    if problems and _state["serving"]:
        log.error("the preview uses the theme's own version of each of those templates (or leaves it out) until"
                  " they are fixed")
    return f"{len(problems)} problem(s) in the theme's templates in {_shown(Path(custom), project)}/" if problems else None


class _ThemeWithout(jinja2.BaseLoader):
    """The theme's templates as MkDocs finds them, except some of the custom folder's: those
    come from the theme itself, or are empty when the theme has none of that name."""

    def __init__(self, loader: jinja2.FileSystemLoader, custom_dir: str, names: set[str]):
        self._loader, self._names = loader, names
        self._theme_own = jinja2.FileSystemLoader(
            [folder for folder in loader.searchpath if Path(folder).resolve() != Path(custom_dir).resolve()])

    def get_source(self, environment, template):
        if template not in self._names:
            return self._loader.get_source(environment, template)
        try:
            return self._theme_own.get_source(environment, template)
        except jinja2.TemplateNotFound:
            return "", None, lambda: True

    def list_templates(self):
        return self._loader.list_templates()


def _template_problems(theme: _Theme, name: str, path: Path, shown: str) -> list[Problem]:
    raw = path.read_bytes()
    unreadable = not_utf8(raw, shown)
    if unreadable:
        return [unreadable]
    source = raw.decode("utf-8")
    try:
        tree = theme.env.parse(source, name, str(path))
    except jinja2.TemplateSyntaxError as error:
        return [Problem(shown, error.lineno or 1, f"Jinja syntax error: {error.message}",
                        "correct the tag on this line, or the block it belongs to")]
    problems = []
    for named in sorted({named for named in meta.find_referenced_templates(tree) if named is not None}):
        if theme.exists(named):
            continue
        line = next((number for number, text in enumerate(source.splitlines(), 1)
                     if f'"{named}"' in text or f"'{named}'" in text), 1)
        close = difflib.get_close_matches(named, theme.names(), n=2, cutoff=0.8)
        problems.append(Problem(shown, line, f"the template '{named}' it names does not exist",
                                "did you mean " + " or ".join(f"'{name}'" for name in close) + "?" if close
                                else "name a template of the theme or of this folder"))
    return problems


def _shown(path: Path, project: Path) -> str:
    return path.relative_to(project).as_posix() if path.is_relative_to(project) else path.as_posix()


def _broken_pages(project: Path, config, theme: _Theme) -> str | None:
    """Hand-written pages MkDocs would stop at with a Python traceback: a page that is not
    UTF-8 text, and one whose front matter names a theme template that does not exist
    (`template: wide.html`). Logs each problem; returns what to say of them all, or None.

    During `mkdocs serve`, a page naming a missing template is shown with the theme's own
    (on_page_markdown).
    """
    docs = Path(config.docs_dir)
    shown = _shown(docs, project)
    problems, missing_template = [], set()
    for relative in _hand_written_pages(docs):
        raw = (docs / relative).read_bytes()
        unreadable = not_utf8(raw, f"{shown}/{relative}")
        if unreadable:
            problems.append(unreadable)
            continue
        wrong_template = _page_template_problem(theme, raw.decode("utf-8"), f"{shown}/{relative}")
        if wrong_template:
            problems.append(wrong_template)
            missing_template.add(relative)
    _state["missing_template"] = missing_template
    for problem in problems:
        log.error(str(problem))
    return f"{len(problems)} page(s) in {shown}/ cannot be built" if problems else None


def _page_template_problem(theme: _Theme, text: str, display_path: str) -> Problem | None:
    """The problem with a page whose front matter names a template the theme does not have."""
    _, meta = get_data(text)
    if not isinstance(meta, dict) or "template" not in meta:
        return None
    name = meta["template"]
    if isinstance(name, str) and name and theme.exists(name):
        return None
    name = "" if name is None else name  # `template:` with no value
    line = next((number for number, line in enumerate(text.splitlines(), 1) if line.startswith("template:")), 1)
    # Only templates a page can use, not the partials, icons and assets beside them; compared
    # without ".html", which every name shares.
    stems = {page.removesuffix(".html"): page for page in theme.names()
             if not page.startswith((".", "partials/", "assets/"))}
    close = difflib.get_close_matches(str(name).removesuffix(".html"), list(stems), n=1, cutoff=0.6)
    hint = f"did you mean '{stems[close[0]]}'?" if close else "remove the line to use the theme's page template"
    return Problem(display_path, line, f"the template '{name}' is not one of the theme's templates", hint)


class _Theme:
    """The theme's templates as MkDocs will look them up; its environment made only if asked."""

    def __init__(self, config):
        self._config, self._env = config, None

    @property
    def env(self):
        if self._env is None:
            self._env = self._config.theme.get_env()
        return self._env

    def exists(self, name: str) -> bool:
        try:
            self.env.loader.get_source(self.env, name)
        except jinja2.TemplateNotFound:
            return False
        return True

    def names(self) -> list[str]:
        return self.env.list_templates(extensions=["html"])


def _hand_written_pages(docs: Path) -> list[str]:
    """The Markdown files in docs/ that the generator did not write, relative to docs/.

    Walked with strings, not Path objects: docs/ holds 10,000 generated pages at scale,
    and this runs before every build of the preview.
    """
    pages = []
    for folder, _, names in os.walk(docs):
        prefix = os.path.relpath(folder, docs).replace(os.sep, "/") + "/"
        prefix = "" if prefix == "./" else prefix
        pages += [prefix + name for name in names
                  if name.endswith(".md") and prefix + name not in _state["generated"]]
    return sorted(pages)


def on_files(files, config):
    # `mkdocs serve --dirty` rebuilds only pages whose Markdown changed; the error banner
    # comes and goes on every page, so when it does, every page is rebuilt.
    # So does a saved template of the theme's folder (overrides/), which every page shows.
    banner = _state["serving"] and bool(errors_in(_state["problems"]))
    theme_saved = _state["theme_built"] is not None and _state["theme_files"] != _state["theme_built"]
    if banner != _state["banner_shown"] or (_state["serving"] and theme_saved):
        for file in files.documentation_pages():
            file.is_modified = lambda: True
        _state["banner_shown"] = banner
    _state["theme_built"] = _state["theme_files"]
    return files


# Last, so the nav is final when the pages are built from it.
@event_priority(-100)
def on_nav(nav, config, files):
    this_hook = {name for name, plugin in config.plugins.items() if getattr(plugin, "__file__", None) == __file__}
    if mkdocs_pages.can_build_ahead(config, _state["command"], _state["dirty"], this_hook):
        # Compiled before the fork, the templates go to the workers with it: each had
        # compiled them again, and this process again for the 404 page.
        mkdocs_pages.build_ahead(config, files, nav, before_fork=lambda: theme_once.compile_ahead(
            config.plugins.on_env(config.theme.get_env(), config=config, files=files)))
    return nav


def on_post_build(config) -> None:
    mkdocs_pages.finish()
    if _state["command"] == "build":
        # `mkdocs build` ends with this build, and Python's last collection at exit walked
        # every object the build left: 0.08 s of a whole build at 1,000 entities. Frozen
        # objects are left alone (and still freed when their last reference goes).
        gc.freeze()


def on_build_error(error) -> None:
    mkdocs_pages.finish()


def on_env(env, config, files):
    # MkDocs makes a new theme environment for every build: for every rebuild of `mkdocs
    # serve`, in each worker (mkdocs_pages.py), and for the 404 page after the workers. All
    # of them take the templates compiled once (theme_once.compile_ahead), by checksum,
    # and keep them on disk for the next build.
    env.bytecode_cache = theme_once.on_disk()
    if _state["serving"] and _state["broken_templates"] and isinstance(env.loader, jinja2.FileSystemLoader):
        # MkDocs would stop the rebuild at them with a traceback (_broken_theme logged why).
        env.loader = _ThemeWithout(env.loader, config.theme.custom_dir, _state["broken_templates"])
    if theme_once.enabled():
        env.globals.update(nav_once=theme_once.NavOnce(), folder_once=theme_once.FolderOnce(),
                           header_once=theme_once.HeaderOnce())
    return env


def on_serve(server, config, builder):
    """Watch the hand-written parts of docs/ only, not the pages the generator writes.

    MkDocs reads the generated pages in the same build that writes them, so a rebuild
    started by those writes changes nothing; but the browser's reload waits for it, which
    doubled the time from save to page. Hand-written files added later at the top of docs/
    are seen after a restart of the server.
    """
    docs = Path(config.docs_dir)
    generated = read_manifest(docs) | {MANIFEST}
    server.unwatch(config.docs_dir)
    for entry in sorted(docs.iterdir()):
        if not _only_generated(entry, docs, generated):
            server.watch(str(entry))
    return server


def _only_generated(entry: Path, docs: Path, generated: set[str]) -> bool:
    files = [entry] if entry.is_file() else [path for path in entry.rglob("*") if path.is_file()]
    return all(path.relative_to(docs).as_posix() in generated or path.name.endswith(".tmp") for path in files)


def on_page_markdown(markdown: str, page, config, files) -> str:
    if page.file.src_uri in _state["generated"]:
        page.edit_url = _content_edit_url(page, config)
    elif page.file.src_uri in _state["missing_template"]:
        page.meta.pop("template", None)  # the preview shows it with the theme's page template
    problems = errors_in(_state["problems"])
    if not (_state["serving"] and problems):
        return markdown
    lines = "\n".join(f"    - {_code(str(problem))}" for problem in problems)
    banner = (f'!!! failure "The content has {len(problems)} error(s): this preview shows the last good version"\n\n'
              f"{lines}\n\n")
    return banner + markdown


def _content_edit_url(page, config) -> str | None:
    """'Edit this page' on a generated page opens the YAML file it came from, not its Markdown.

    Pages made from many files (the section indexes, the glossary) have no edit_path and
    no edit link: the generated Markdown is not in the repository.
    """
    edit_path = page.meta.get("edit_path")
    if not (edit_path and config.repo_url and config.edit_uri):
        return None
    docs_edit_url, docs_in_repo = _docs_edit_url(config.config_file_path, config.docs_dir, config.repo_url,
                                                 config.edit_uri)
    return urljoin(docs_edit_url, posixpath.relpath(edit_path, docs_in_repo))


@functools.lru_cache(maxsize=8)
def _docs_edit_url(config_file: str, docs_dir: str, repo_url: str, edit_uri: str) -> tuple[str, str]:
    # Once per build, not once per page: resolving the paths was 2% of a build.
    project = Path(config_file).resolve().parent
    docs_in_repo = Path(docs_dir).resolve().relative_to(project).as_posix()
    # edit_uri points at the docs folder ("edit/main/docs/"); content/ is a sibling of it.
    return urljoin(repo_url.rstrip("/") + "/", edit_uri), docs_in_repo


def _code(text: str) -> str:
    # A code span shows the problem as typed; a fence longer than any run of backticks in
    # it keeps a quoted value from closing the span and reaching the page as HTML.
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    return f"{fence} {text} {fence}"
