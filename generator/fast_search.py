"""Material's search index, with each page divided into sections faster: same entries, less time.

Material's search plugin reads every page's HTML again with Python's `html.parser` to
divide it into sections, one per heading; that was a quarter of a whole build. The
parser is pure Python, and Material's handlers compare open elements through Python-level
`__eq__` and `__hash__` (an element equals another, or a string, with the same tag).

`sections` tokenizes with one regular expression and replays Material's handlers on plain
tag strings. It reads only the HTML that Python-Markdown writes and that `html.parser`
reads the same way: text, start tags whose attributes have double-quoted values or none,
self-closing tags, end tags, and comments without "--" inside. Anything else in a page
(another comment, a declaration, `<script>` or `<style>`, whose content `html.parser`
reads as text, a stray `<`) sends the whole page to Material's own parser. The entries are
the same (tested on every page of both sites and on generated HTML). This replaces the
index of Material's plugin only when the plugin's file is byte for byte the one this was
written against (`KNOWN_CODE`); any other release of Material indexes pages its own way,
as does GENERATOR_FAST_SEARCH=0.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from html import escape, unescape
from pathlib import Path

try:
    from material.plugins.search import plugin as material_search
except ImportError:  # another theme: nothing to speed up
    material_search = None

# Digest of the search plugin's file of mkdocs-material 9.8.2, whose parser `sections` imitates.
KNOWN_CODE = "cc8a3ac0a8862662d11e87fefcdaa4a42d9ebd70a7943fa921c1c80e2661730b"

# White space is ASCII's in tags: html.parser ends a tag's name at no other.
_TOKEN = re.compile(r"""
    ([^<]+)                                            # 1: text
  | <([a-zA-Z][a-zA-Z0-9]*)                            # 2: start tag
      ((?:[ \t\n\r\f]+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:="[^"]*")?)*)  # 3: its attributes
      [ \t\n\r\f]*(/?)>                                # 4: "/" if self-closing
  | </([a-zA-Z][a-zA-Z0-9]*)>                          # 5: end tag
  | <!--(?![->])(?:[^-]|-(?!-))*-->                    # a comment no release reads otherwise
  | (<)                                                # 6: anything else
""", re.VERBOSE)
_ATTRIBUTE = re.compile(r'([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:="([^"]*)")?')
# html.parser reads these elements' content as raw text, up to their end tag.
_RAW_TEXT = frozenset({"script", "style"})
_HEADINGS = frozenset(f"h{level}" for level in range(1, 7))
# Material's lists: elements whose text is never indexed, and those whose tags are kept.
_ALWAYS_SKIPPED = frozenset({"object", "script", "style"})
_KEEP = frozenset({"p", "code", "pre", "li", "ol", "ul", "sub", "sup"})


def enabled() -> bool:
    return os.environ.get("GENERATOR_FAST_SEARCH", "").strip() != "0"


@functools.cache  # read once per process, not at every rebuild of the preview
def material_code() -> str:
    """Digest of Material's search plugin, whose parser `sections` must agree with."""
    return hashlib.sha256(Path(material_search.__file__).read_bytes()).hexdigest()


def install(plugin, plugins=None) -> bool:
    """Give Material's search plugin an index that divides pages with `sections`, and
    (given MkDocs' plugin collection) a page step that skips a search that cannot match.

    Returns whether it did: not when the plugin's code is not the code imitated here.
    """
    # No index yet (the plugin's on_config has not run, or it is off): nothing to replace.
    index = getattr(plugin, "search_index", None)
    if material_search is None or type(index) is not material_search.SearchIndex:
        return False
    if material_code() != KNOWN_CODE:
        return False
    index.__class__ = FastSearchIndex
    if plugins is not None:
        _replace_page_context(plugin, plugins)
    return True


# What Material's on_page_context removes from each page once it is indexed.
_SEARCH_ATTRIBUTE = re.compile(r"\s?data-search-\w+=\"[^\"]+\"")


def _replace_page_context(plugin, plugins) -> None:
    """Material's page step, run by MkDocs for every page, as Material wrote it, except
    that a page without "data-search-" is not searched for those attributes: the search
    (which a leading optional space makes try every position) was 2% of a whole build."""
    def on_page_context(context, *, page, config, nav):
        if not plugin.config.enabled:
            return
        plugin.search_index.add_entry_from_context(page)
        if "data-search-" in page.content:
            page.content = _SEARCH_ATTRIBUTE.sub("", page.content)

    events = plugins.events["page_context"]
    for position, method in enumerate(events):
        if getattr(method, "__self__", None) is plugin:
            events[position] = on_page_context
            plugins._event_origins[on_page_context] = plugins._event_origins.get(method, "material/search")


def _attributes(source: str) -> dict:
    # As html.parser: names lower-cased, values unescaped, None without a value; the last
    # of a repeated name wins, as in the dict Material makes of the list.
    return {match[1].lower(): unescape(match[2]) if match[2] else match[2]
            for match in _ATTRIBUTE.finditer(source)}


def sections(html: str) -> list | None:
    """Material's sections of a page (`Parser(...).data`), or None for HTML it must read itself."""
    Section, Element, void = material_search.Section, material_search.Element, material_search.void
    open_tags: list[str] = []
    open_attributes: list[dict] = []
    skip = set(_ALWAYS_SKIPPED)  # Material's skip set, which compares by tag
    found: list = []
    # The section text goes to, and its heading's tag (section.el.tag, kept beside it
    # because every token asks for it).
    section, heading = None, None
    for text, tag, attribute_source, self_closing, end_tag, other in _TOKEN.findall(html):
        if text:
            if not skip.isdisjoint(open_tags):
                continue
            if "&" in text:
                text = unescape(text)
            in_pre = "pre" in open_tags
            if not in_pre:
                text = " " if text.isspace() else text.replace("\n", " ")
            if section is None:
                section = Section(Element("hx"))
                found.append(section)
            if heading in open_tags:
                if not any(tag == "a" and attributes.get("class") == "headerlink"
                           for tag, attributes in zip(open_tags, open_attributes)):
                    section.title.append(_escape(text))
            elif text.isspace():
                body = section.text
                if not body or not body[-1].isspace() or in_pre:
                    body.append(text)
            else:
                section.text.append(_escape(text))
        elif tag:
            tag = tag.lower()
            if tag in _RAW_TEXT:
                return None
            if tag in void:
                continue  # Material ignores void elements, start and end alike
            attributes = _attributes(attribute_source) if attribute_source else {}
            open_tags.append(tag)
            open_attributes.append(attributes)
            if tag in _HEADINGS and "id" in attributes:
                depth = len(open_tags)
                if tag != "h1" and not found:
                    found.append(Section(Element("hx"), depth))
                section, heading = Section(Element(tag, attributes), depth), tag
                if found:
                    section.id = attributes["id"]
                found.append(section)
            if section is None:
                section = Section(Element("hx"))
                found.append(section)
            if "data-search-exclude" in attributes or attributes.get("class") == "linenodiv":
                skip.add(tag)
            elif tag in _KEEP and skip.isdisjoint(open_tags):
                (section.title if heading in open_tags else section.text).append(f"<{tag}>")
            if self_closing:  # html.parser ends a self-closing element at once
                section = _end_tag(tag, open_tags, open_attributes, skip, found, section)
                heading = section.el.tag
        elif end_tag:
            section = _end_tag(end_tag.lower(), open_tags, open_attributes, skip, found, section)
            if section is not None:
                heading = section.el.tag
        elif other:
            return None
        # else a comment, which Material ignores
    return found


def _escape(text: str) -> str:
    # html.escape(text, quote=False), without the three replacements where none applies.
    return escape(text, quote=False) if "&" in text or "<" in text or ">" in text else text



def _end_tag(tag, open_tags, open_attributes, skip, found, section):
    """Material's `handle_endtag`; returns the section that text now goes to."""
    if not open_tags or open_tags[-1] != tag:
        return section
    if section.depth > len(open_tags):
        # A heading nested in another element: its section ends with that element.
        for earlier in reversed(found):
            if earlier.depth <= len(open_tags):
                section.depth = float("inf")
                section = earlier
                break
    open_tags.pop()
    open_attributes.pop()
    if tag in skip:
        if tag not in _ALWAYS_SKIPPED:
            skip.remove(tag)
        return section
    if skip.isdisjoint(open_tags) and tag in _KEEP:
        data = section.title if section.el.tag in open_tags else section.text
        index = data.index(f"<{tag}>")
        if any(not piece.isspace() for piece in data[index + 1:]):
            data.append(f"</{tag}>")
        else:
            del data[index:]  # an element with nothing but white space in it
    return section


if material_search is not None:
    class FastSearchIndex(material_search.SearchIndex):
        """Material's index, dividing pages with `sections` where it can."""

        def add_entry_from_context(self, page):
            search = page.meta.get("search") or {}
            if search.get("exclude"):
                return
            found = sections(page.content)
            if found is None:
                parser = material_search.Parser()
                parser.feed(page.content)
                parser.close()
                found = parser.data
            for section in found:
                if not section.is_excluded():
                    self.create_entry_for_section(section, page.toc, page.url, page)
