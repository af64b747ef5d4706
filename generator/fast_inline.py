"""A Python-Markdown extension that skips inline patterns which cannot match: same HTML, less time.

Python-Markdown tries each of its fifteen inline patterns (links, emphasis, footnote
references, raw HTML, …) on every piece of text in a page, table cells and list items
included, through two method calls and a registry look-up per try. Most tries find
nothing: a cell without "[" holds no link. Each built-in pattern needs a certain string
to match (a link needs "[", inline HTML "<", an entity "&"), and a substring test in C
costs a fraction of a try, so this replaces the inline processor with one that does not
try a pattern on text lacking its string. Output is byte for byte the same (tested on
every page of the site and on generated Markdown); converting the generated pages took
23–30% less time.

The known strings are tied to the exact regular expressions of the installed
Python-Markdown: a pattern whose expression differs (another release, or another
extension's pattern under the same name) is tried as usual. MkDocs takes the extension
from the hook (mkdocs_hook.on_config); Zensical, which runs no hooks, converts as usual.
"""

from __future__ import annotations

import functools
import re

import markdown
from markdown import inlinepatterns, treeprocessors, util
from markdown.extensions import attr_list, toc

from . import fast_blocks, known_code

# The expressions of Python-Markdown 3.x's inline patterns (inlinepatterns.py and the
# footnotes extension), and the strings without which each cannot match.
_HTML_RE = (
    r'''(<(\/?+[a-zA-Z][^\s"'<>@]*+(?:\s+[^\s"'=<>]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s"'=<>]++))?+)*+\s*+/?|'''
    r'!--(?:(?!<!--|-->).)*--|'
    r'[?](?:(?!<[?]|[?]>).)*[?]|'
    r'!\[CDATA\[(?:(?!<!\[CDATA\[|\]\]>).)*\]\]'
    ')>)'
)
NEEDED = {
    r'(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)': ("`",),  # backtick (both branches need one)
    r'\\(.)': ("\\",),  # escape
    r'(?<!\!)\[': ("[",),  # link, reference, short reference
    r'\!\[': ("![",),  # image link, image reference, short image reference
    r'<([A-Za-z][A-Za-z0-9+.-]*://[^<>]*)>': ("<",),  # autolink
    r'<([^<> !]+@[^@<> ]+)>': ("<",),  # automail
    r'  \n': ("  \n",),  # line break
    _HTML_RE: ("<",),  # inline HTML
    r'(&(?:\#[0-9]+|\#x[0-9a-fA-F]+|[a-zA-Z0-9]+);)': ("&",),  # entity
    r'\[\^([^\]]*)\]': ("[^",),  # footnote reference
}


INLINE_PRIORITY = 20


def needed_strings(pattern: inlinepatterns.Pattern) -> tuple[str, ...] | None:
    """The strings of which text must hold one for pattern to match it; None if unknown."""
    expression = getattr(pattern, "pattern", None)
    if isinstance(pattern, inlinepatterns.DelimiterProcessor):
        # Emphasis: an alternation of its delimiters ("*", "_"), each escaped.
        tokens = tuple(pattern.tokens)
        return tokens if tokens and expression == "|".join(re.escape(t) for t in tokens) else None
    if isinstance(pattern, inlinepatterns.InlineProcessor):
        return NEEDED.get(expression)
    return None


class SkippingInlineProcessor(treeprocessors.InlineProcessor):
    """Python-Markdown's inline processor, minus the tries that cannot match."""

    def run(self, tree, ancestors=None):
        # The patterns cannot change during one conversion: listed once, not looked up per try.
        self._patterns = list(self.inlinePatterns)
        self._needed = [needed_strings(pattern) for pattern in self._patterns]
        self._strings = tuple({string for strings in self._needed if strings for string in strings})
        return super().run(tree, ancestors)

    # Python-Markdown's private method (name-mangled) of the same name, with one test added;
    # applying a pattern to text that lacks its string finds nothing, as skipping does.
    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        if isinstance(data, util.AtomicString):
            return data
        patterns, needed, apply = self._patterns, self._needed, self._InlineProcessor__applyPattern
        startIndex, present = 0, None
        while patternIndex < len(patterns):
            strings = needed[patternIndex]
            if strings is not None:
                if present is None:  # which of the strings the text holds, until a match changes it
                    present = {string for string in self._strings if string in data}
                if present.isdisjoint(strings):
                    patternIndex, startIndex = patternIndex + 1, 0
                    continue
            data, matched, startIndex = apply(patterns[patternIndex], data, patternIndex, startIndex)
            if matched:
                present = None
            else:
                patternIndex += 1
        return data


_NOT_PLAIN_ADDRESS = re.compile("[()'\"<]")


class QuickLinkInlineProcessor(inlinepatterns.LinkInlineProcessor):
    """Python-Markdown's link pattern, reading the plain `[label](address)` without its
    character-by-character loops.

    getText walks to the `]` that closes the label, counting nested brackets; getLink walks
    the address, counting parentheses and quotes. Where the label holds no `[` and the
    address no parenthesis, quote or `<`, both loops end at the first `]` and `)`, which
    str.find finds in C. Anything else goes to the loops.
    """

    def getText(self, data: str, index: int) -> tuple[str, int, bool]:
        end = data.find("]", index)
        if end != -1 and data.find("[", index, end) == -1:
            return data[index:end], end + 1, True
        return super().getText(data, index)

    def getLink(self, data: str, index: int) -> tuple[str, str | None, int, bool]:
        if data.startswith("(", index):
            end = data.find(")", index + 1)
            if end != -1 and _NOT_PLAIN_ADDRESS.search(data, index + 1, end) is None:
                return self.unescape(data[index + 1:end]).strip(), None, end + 1, True
        return super().getLink(data, index)


class MarkerAwareTocTreeprocessor(toc.TocTreeprocessor):
    """Python-Markdown's table of contents, not looking for its marker on a page without one.

    replace_marker walks every element with its parent, joining the text of each (every cell
    of a page's tables, every item of its lists), to find a paragraph that is exactly the
    marker ("[TOC]") and put the table of contents in its place: 4% of converting the site's
    pages, though none has a marker. Every text in the tree comes from the page's lines (raw
    HTML and code are stashed away from the tree), so a page none of whose lines holds the
    marker has no such paragraph, and nothing to replace.
    """

    def replace_marker(self, root, elem) -> None:
        if lines_may_hold(self.md, self.marker):
            super().replace_marker(root, elem)


class BraceAwareAttrListTreeprocessor(attr_list.AttrListTreeprocessor):
    """Python-Markdown's attribute lists, not looked for on a page without a "{".

    The processor walks every element of the page, searching the text of each (every cell
    and every list item) for a `{: ... }` list, each of whose forms starts with "{". As for
    the table of contents' marker, every text in the tree comes from the page's lines, so a
    page none of whose lines holds a "{" has no list to find.
    """

    def run(self, doc) -> None:
        if lines_may_hold(self.md, "{"):
            super().run(doc)


class BackslashAwareUnescapeTreeprocessor(treeprocessors.UnescapeTreeprocessor):
    """Python-Markdown's last pass over every text and attribute of a page, which turns
    the placeholders of backslash escapes (`\\*`) back into their characters, skipped on a
    page none of whose lines holds a backslash: only the escape patterns make such
    placeholders, and each needs one (the whitespace preprocessor removes any from the text).
    """

    def run(self, root) -> None:
        if lines_may_hold(self.md, "\\"):
            super().run(root)


def lines_may_hold(md: markdown.Markdown, text: str) -> bool:
    """False when one of the page's lines (as the block parser read them) holds text, which
    holds no line break; True also when the lines are not known."""
    lines = getattr(md, "lines", None)
    return lines is None or any(text in line for line in lines)


class MembershipList(list):
    """A list whose `in` is a set look-up, kept equal to the list through every change.

    Python-Markdown asks whether a tag is block-level (`tag in md.block_level_elements`, a
    list of some sixty names) for every element of every page, while tidying the tree
    and reading attribute lists: 3% of a build.
    """

    def __init__(self, items=()):
        super().__init__(items)
        self._refresh()

    def _refresh(self) -> None:
        try:
            self._members = set(self)
        except TypeError:  # something unhashable in it: look through the list
            self._members = None

    def __contains__(self, item) -> bool:
        if self._members is None:
            return list.__contains__(self, item)
        try:
            return item in self._members
        except TypeError:
            return list.__contains__(self, item)


def _changing(name):
    def method(self, *args):
        result = getattr(list, name)(self, *args)
        self._refresh()
        return self if name in ("__iadd__", "__imul__") else result
    method.__name__ = name
    return method


for _name in ("append", "extend", "insert", "remove", "pop", "clear", "__setitem__", "__delitem__",
              "__iadd__", "__imul__"):
    setattr(MembershipList, _name, _changing(_name))


class FastInlineExtension(markdown.Extension):
    """Register SkippingInlineProcessor in place of the inline processor, if it is the known
    one; read plain links without loops; answer "is this tag block-level?" from a set; look
    for the table of contents' marker only on pages that hold it; test blocks without the
    searches that cannot match (fast_blocks.py)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Each check reads Python-Markdown's source: made once here, in the process that
        # forks the page workers, rather than once in each worker.
        for name in KNOWN_CODE:
            code_known(name)
        fast_blocks.test_code_known()

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        fast_blocks.quicken(md.parser.blockprocessors)
        if type(md.block_level_elements) is list:
            md.block_level_elements = MembershipList(md.block_level_elements)
        _quicken(md.inlinePatterns, "link", QuickLinkInlineProcessor)
        # Only the default marker: an extension's own text ("¶", "↩") could make another.
        if "toc" in md.treeprocessors and getattr(md.treeprocessors["toc"], "marker", None) == "[TOC]":
            _quicken(md.treeprocessors, "toc", MarkerAwareTocTreeprocessor)
        _quicken(md.treeprocessors, "attr_list", BraceAwareAttrListTreeprocessor)
        _quicken(md.treeprocessors, "unescape", BackslashAwareUnescapeTreeprocessor)
        current = md.treeprocessors["inline"] if "inline" in md.treeprocessors else None
        if type(current) is not treeprocessors.InlineProcessor or not _private_methods_present():
            return
        order = [type(processor) for processor in md.treeprocessors]
        # Python-Markdown registers its inline processor at priority 20; the order of the
        # tree processors must stay as it was, or the original goes back.
        md.treeprocessors.register(SkippingInlineProcessor(md), "inline", INLINE_PRIORITY)
        now = [treeprocessors.InlineProcessor if type(p) is SkippingInlineProcessor else type(p)
               for p in md.treeprocessors]
        if now != order:
            md.treeprocessors.register(current, "inline", INLINE_PRIORITY)


def _quicken(registry, name: str, quick: type) -> None:
    """Give the processor registered under name the class quick, if the processor is of the
    class quick stands in for and that class's code is the known code (KNOWN_CODE[name])."""
    processor = registry[name] if name in registry else None
    if type(processor) is quick.__mro__[1] and code_known(name):
        processor.__class__ = quick


def _private_methods_present() -> bool:
    return all(hasattr(treeprocessors.InlineProcessor, name)
               for name in ("_InlineProcessor__handleInline", "_InlineProcessor__applyPattern"))


# What each shortcut must agree with where it does not call it, in Python-Markdown 3.11,
# and the digest of that code's source (known_code.py):
KNOWN_CODE = {
    # QuickLinkInlineProcessor: reading a link's label and address.
    "link": ("64b59ad72fbed55610b6591f47b5e028ae1346ff4c703a24c7b8827de33b9b39",
             lambda: (inlinepatterns.LinkInlineProcessor.getText, inlinepatterns.LinkInlineProcessor.getLink,
                      inlinepatterns.LinkInlineProcessor.unescape)),
    # MarkerAwareTocTreeprocessor: the search for the marker it skips.
    "toc": ("da7f724eabf9a1d98f3a0779421cc492e54411083637f1b9a730b9949a7d7306",
            lambda: (toc.TocTreeprocessor.replace_marker, toc.TocTreeprocessor.iterparent)),
    # BraceAwareAttrListTreeprocessor: the walk it skips and the expression it searches with.
    "attr_list": ("0fe9041dcc7398398460cdb10ad8c063cd098f1709dceb06c85a55708a943b9c",
                  lambda: (attr_list.AttrListTreeprocessor.run, attr_list.AttrListTreeprocessor.BASE_RE)),
    # BackslashAwareUnescapeTreeprocessor: the pass it skips, and the two places that make
    # its placeholders (the escape pattern, and the backtick pattern's escaped backslash).
    "unescape": ("c33bc178c5e5f18359acbf0c4b1f8a2d2fa3b65715a96982c64144506c903f55",
                 lambda: (treeprocessors.UnescapeTreeprocessor.RE.pattern, treeprocessors.UnescapeTreeprocessor._unescape,
                          treeprocessors.UnescapeTreeprocessor.unescape, treeprocessors.UnescapeTreeprocessor.run,
                          inlinepatterns.EscapeInlineProcessor.handleMatch,
                          inlinepatterns.BacktickInlineProcessor.__init__,
                          inlinepatterns.BacktickInlineProcessor.handleMatch)),
}


@functools.cache
def code_known(name: str) -> bool:
    recorded, parts = KNOWN_CODE[name]
    return known_code.digest(*parts()) == recorded
