"""Parts of Material's page template that are the same for every page of a folder, rendered once.

MkDocs renders the whole theme template for every page. Links in it are relative to the
page, so pages in one folder ("actors/a/", "actors/b/") get the same links; several parts
of the template show nothing else of the page: the sidebar nav (for pages outside the nav:
every entity page), the script holding the theme's settings, and the header, which shows
the page's title as well. overrides/main.html calls these through `{% call %}`; the hook
(on_env) puts fresh ones in each build's environment. Zensical, which runs no hooks, and
GENERATOR_THEME_ONCE=0 render every part for every page, as Material does.
"""

from __future__ import annotations

import contextlib
import json
import os
import posixpath
import tempfile

import jinja2
from jinja2 import meta


def enabled() -> bool:
    return os.environ.get("GENERATOR_THEME_ONCE", "").strip() != "0"


def folder_of(page) -> tuple[bool, str]:
    # Links are relative to the page's folder: "a/b/" is read from "a/b/", "a/b.html" from "a/".
    return page.url.endswith("/"), posixpath.dirname(page.url.rstrip("/"))


class FolderOnce:
    """`{% call folder_once(page) %}…{% endcall %}`: a part that depends on the folder alone."""

    def __init__(self):
        self.html_by_folder: dict[tuple[bool, str], str] = {}

    def __call__(self, page, caller) -> str:
        if page is None:
            return caller()
        folder = folder_of(page)
        if folder not in self.html_by_folder:
            self.html_by_folder[folder] = caller()
        return self.html_by_folder[folder]


class NavOnce(FolderOnce):
    """`{% call nav_once(page, nav) %}…{% endcall %}`: the sidebar nav, once per folder.

    Only a page in the nav (or under one) is marked in it, so every page outside the nav in
    one folder has the same nav. Those are the entity pages, thousands of them, and
    Material's nav was a tenth of a build.
    """

    def __call__(self, page, nav, caller) -> str:
        if page is None or page.parent is not None or page in nav.pages:
            return caller()
        return super().__call__(page, caller)


TOPIC = 'data-md-component="header-topic">'
ELLIPSIS = '<span class="md-ellipsis">'


class HeaderOnce:
    """`{% call header_once(page) %}…{% endcall %}`: the header, once per folder, with each
    page's title put where Material's header shows it.

    The second page of every folder is rendered in full as well and compared: if the two
    differ anywhere but the title (another theme version, a title found elsewhere in the
    header), that folder's header is rendered for every page.
    """

    def __init__(self):
        self.by_folder: dict[tuple[bool, str], tuple[str, str, str] | None] = {}
        self.checked: set[tuple[bool, str]] = set()

    def __call__(self, page, caller) -> str:
        if page is None:
            return caller()
        folder, title = folder_of(page), header_title(page)
        if not title or title != title.strip():
            return caller()
        if folder not in self.by_folder:
            html = caller()
            self.by_folder[folder] = split_at_title(html, title)
            return html
        parts = self.by_folder[folder]
        if parts is None:
            return caller()
        made = parts[0] + title + parts[2]
        if folder not in self.checked:
            self.checked.add(folder)
            html = caller()
            if html != made:
                self.by_folder[folder] = None
            return html
        return made


def header_title(page) -> str:
    """The title as Material's header writes it (partials/header.html)."""
    meta_title = page.meta.get("title") if page.meta else None
    return str(meta_title if meta_title else page.title)


def split_at_title(html: str, title: str) -> tuple[str, str, str] | None:
    """(before, title, after) around the title in the header's topic, or None if not there."""
    topic = html.find(TOPIC)
    start = html.find(ELLIPSIS, topic) + len(ELLIPSIS) if topic >= 0 else -1
    end = html.find("</span>", start) if start >= len(ELLIPSIS) else -1
    if end < 0 or html[start:end].strip() != title:
        return None
    at = start + html[start:end].index(title)
    return html[:at], title, html[at + len(title):]


class TemplateCodeCache(jinja2.BytecodeCache):
    """Compiled theme templates, keyed by their source's checksum: in memory, for this
    process and the workers it forks, and, given a folder, on disk for the next build.

    Compiling Material's templates took 0.2 s of every build, before MkDocs' workers could
    start; loading their code takes a few milliseconds. Jinja checks each template's
    checksum and its own version when it loads code, so a changed template or another Jinja
    is compiled again.
    """

    REFERENCES = "theme-references.json"

    def __init__(self, disk: jinja2.FileSystemBytecodeCache | None = None):
        self.code: dict[str, bytes] = {}
        self.disk = disk
        self._references: dict[str, list[str]] | None = None
        self._references_changed = False

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])
        elif self.disk is not None:
            self.disk.load_bytecode(bucket)
            if bucket.code is not None:
                self.code[bucket.key] = bucket.bytecode_to_string()

    def dump_bytecode(self, bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()
        if self.disk is not None:
            with contextlib.suppress(OSError):  # a cache that cannot be written is no cache
                self.disk.dump_bytecode(bucket)

    def references(self, name: str, checksum: str) -> list[str] | None:
        """The templates a template of this checksum names, as found when it was compiled."""
        return self._known_references().get(f"{name}\0{checksum}")

    def note_references(self, name: str, checksum: str, names: list[str]) -> None:
        self._known_references()[f"{name}\0{checksum}"] = names
        self._references_changed = True

    def save_references(self) -> None:
        if self.disk is None or not self._references_changed:
            return
        self._references_changed = False
        target = os.path.join(self.disk.directory, self.REFERENCES)
        with contextlib.suppress(OSError):
            with tempfile.NamedTemporaryFile("w", dir=self.disk.directory, suffix=".tmp", delete=False) as file:
                json.dump(self._references, file)
            os.replace(file.name, target)

    def _known_references(self) -> dict[str, list[str]]:
        # Read from disk once, when compile_ahead first asks.
        if self._references is None:
            self._references = self._read_references()
        return self._references

    def _read_references(self) -> dict[str, list[str]]:
        if self.disk is None:
            return {}
        try:
            with open(os.path.join(self.disk.directory, self.REFERENCES), encoding="utf-8") as file:
                found = json.load(file)
        except (OSError, ValueError):
            return {}
        return found if isinstance(found, dict) else {}


template_code = TemplateCodeCache()


def on_disk() -> TemplateCodeCache:
    """The cache the hook gives every theme environment: in memory and in the folder where
    Jinja keeps compiled templates by default (the system's temporary folder), as the
    generator does for its own templates; in memory only if that folder is not usable."""
    global template_code
    if template_code.disk is None:
        try:
            template_code = TemplateCodeCache(jinja2.FileSystemBytecodeCache())
        except (OSError, RuntimeError):  # Jinja refuses a folder another user owns
            pass
    return template_code


def compile_ahead(env: jinja2.Environment, names: tuple[str, ...] = ("main.html", "404.html")) -> int:
    """Compile names and every template they name (extends, include, import) into env's
    bytecode cache; returns how many were compiled.

    A template named by an expression is left to be compiled where it is used, and so is
    one that cannot be read or parsed: MkDocs reports that error as it always does. A
    template whose code is cached is not parsed again when its cache knows the templates it
    names.
    """
    cache, todo, seen, compiled = env.bytecode_cache, list(names), set(), 0
    known = cache if isinstance(cache, TemplateCodeCache) else None
    while todo and cache is not None:
        name = todo.pop()
        if name is None or name in seen:
            continue
        seen.add(name)
        try:
            source, filename, _ = env.loader.get_source(env, name)
        except jinja2.TemplateError:
            continue
        bucket = cache.get_bucket(env, name, filename, source)
        references = known.references(name, bucket.checksum) if known is not None else None
        if bucket.code is not None and references is not None:
            todo.extend(references)
            continue
        try:
            tree = env.parse(source, name, filename)
        except jinja2.TemplateError:
            continue
        references = list(meta.find_referenced_templates(tree))
        todo.extend(references)
        if known is not None:
            known.note_references(name, bucket.checksum, [n for n in references if n is not None])
        if bucket.code is None:
            bucket.code = env.compile(tree, name, filename)
            cache.set_bucket(bucket)
            compiled += 1
    if known is not None:
        known.save_references()
    return compiled
