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

import os
import posixpath

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
    """Compiled theme templates kept in memory, keyed by their source's checksum."""

    def __init__(self):
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


template_code = TemplateCodeCache()


def compile_ahead(env: jinja2.Environment, names: tuple[str, ...] = ("main.html", "404.html")) -> int:
    """Compile names and every template they name (extends, include, import) into env's
    bytecode cache; returns how many were compiled.

    A template named by an expression is left to be compiled where it is used, and so is
    one that cannot be read or parsed: MkDocs reports that error as it always does.
    """
    cache, todo, seen, compiled = env.bytecode_cache, list(names), set(), 0
    while todo and cache is not None:
        name = todo.pop()
        if name is None or name in seen:
            continue
        seen.add(name)
        try:
            source, filename, _ = env.loader.get_source(env, name)
            tree = env.parse(source, name, filename)
        except jinja2.TemplateError:
            continue
        todo.extend(meta.find_referenced_templates(tree))
        bucket = cache.get_bucket(env, name, filename, source)
        if bucket.code is None:
            bucket.code = env.compile(tree, name, filename)
            cache.set_bucket(bucket)
            compiled += 1
    return compiled
