"""The inline-pattern shortcut (generator/fast_inline.py) gives Python-Markdown's own HTML."""

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from generator.fast_inline import (BackslashAwareUnescapeTreeprocessor, BraceAwareAttrListTreeprocessor,
                                   FastInlineExtension, MarkerAwareTocTreeprocessor, MembershipList,
                                   QuickLinkInlineProcessor, SkippingInlineProcessor, needed_strings)

# The site's extensions, as in mkdocs.yml.
EXTENSIONS = ["admonition", "attr_list", "abbr", "tables", "footnotes", "toc"]
CONFIGS = {"toc": {"permalink": True}}


def _converters():
    plain = markdown.Markdown(extensions=EXTENSIONS, extension_configs=CONFIGS)
    fast = markdown.Markdown(extensions=[*EXTENSIONS, FastInlineExtension()], extension_configs=CONFIGS)
    return plain, fast


def _both(text: str) -> tuple[str, str]:
    plain, fast = _converters()
    return plain.convert(text), fast.convert(text)


def test_every_inline_pattern_of_the_installed_markdown_has_a_known_string():
    # A release of Python-Markdown that changes an expression loses its shortcut: this says so.
    _, fast = _converters()
    processor = fast.treeprocessors["inline"]
    assert type(processor) is SkippingInlineProcessor
    unknown = [name for name, pattern in zip([item.name for item in fast.inlinePatterns._priority],
                                             fast.inlinePatterns) if needed_strings(pattern) is None]
    assert unknown == []
    assert type(fast.inlinePatterns["link"]) is QuickLinkInlineProcessor
    assert type(fast.block_level_elements) is MembershipList
    assert type(fast.treeprocessors["toc"]) is MarkerAwareTocTreeprocessor
    assert type(fast.treeprocessors["attr_list"]) is BraceAwareAttrListTreeprocessor
    assert type(fast.treeprocessors["unescape"]) is BackslashAwareUnescapeTreeprocessor
    plain_order = [type(p).__name__ for p in _converters()[0].treeprocessors]
    fast_order = [type(p).__name__.replace("Skipping", "").replace("MarkerAware", "").replace("BraceAware", "")
                  .replace("BackslashAware", "") for p in fast.treeprocessors]
    assert fast_order == plain_order


def _site_pages(project):
    return sorted(project.docs.rglob("*.md"))


@pytest.mark.parametrize("site_name", ["fixture_site", "real_site"])
def test_every_page_of_the_site_converts_to_the_same_html(request, site_name):
    pages = _site_pages(request.getfixturevalue(site_name))
    assert len(pages) > 20
    different = []
    for page in pages:
        text = page.read_text(encoding="utf-8")
        plain, fast = _both(text)
        if plain != fast:
            different.append(page.name)
    assert different == []


# Text made of the characters the patterns look for, words, spaces and line breaks.
PIECES = ["[", "]", "(", ")", "![", "[^1]", '[a](b "t")', "[a](<b c>)", "[a](b(c))", "[a [b]](c)", "[a]( b )",
          "[a](b'c)", '"', "'", "[\\]](x)", "[a](\\(x)", "[^1]: note", "<", ">", "<b>", "</b>", "<https://a.b>", "<a@b.c>",
          "&", "&amp;", "&#38;", "*", "**", "_", "__", "`", "``", "\\", "  \n", "\n", "\n\n", " ", "word",
          "a b", "[x](y.md)", "[x][r]", "[r]: z.md", "| a | b |\n|---|---|\n| c | d |\n", "- item\n", "# H\n",
          "*[HTML]: Hyper Text\n", "HTML", "{ #id }", "!!! note\n    body\n", "[TOC]", "\n\n[TOC]\n\n", "[TOC"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_any_markdown_converts_to_the_same_html(text):
    plain, fast = _both(text)
    assert fast == plain


def test_a_page_with_the_table_of_contents_marker_gets_the_table_in_its_place():
    text = "# Title\n\n[TOC]\n\n## First\n\n| a |\n|---|\n| [TOC] in a cell |\n\n## Second\n"
    plain, fast = _both(text)
    assert fast == plain
    assert fast.count('<div class="toc">') == 1 and "[TOC] in a cell" in fast


def test_the_hook_adds_the_extension_once(project):
    from mkdocs.config import load_config

    import importlib.util

    spec = importlib.util.spec_from_file_location("hook_under_test", ROOT / "generator" / "mkdocs_hook.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    config = load_config(str(project.root / "mkdocs.yml"))
    hook.on_config(config)
    hook.on_config(config)
    added = [e for e in config.markdown_extensions if isinstance(e, hook.FastInlineExtension)]
    assert len(added) == 1


OPERATIONS = st.lists(st.tuples(st.sampled_from(["append", "extend", "insert", "remove", "pop", "clear", "set",
                                                 "delete", "iadd", "imul", "sort"]),
                                st.sampled_from(["p", "div", "span", "li", "x"])), max_size=30)


@settings(max_examples=300, deadline=None)
@given(OPERATIONS)
def test_a_membership_list_answers_in_as_the_list_does_after_any_change(operations):
    plain, fast = ["p", "div"], MembershipList(["p", "div"])
    for name, value in operations:
        for target in (plain, fast):
            if name == "append":
                target.append(value)
            elif name == "extend":
                target.extend([value, value])
            elif name == "insert":
                target.insert(1, value)
            elif name == "remove" and value in list(target):
                target.remove(value)
            elif name == "pop" and target:
                target.pop()
            elif name == "clear":
                target.clear()
            elif name == "set" and target:
                target[0] = value
            elif name == "delete" and target:
                del target[-1:]
            elif name == "sort":
                target.sort()
        if name == "iadd":
            plain += [value]
            fast += [value]
        elif name == "imul" and len(plain) < 20:
            plain *= 2
            fast *= 2
        assert type(fast) is MembershipList and fast == plain
        assert all((tag in fast) == (tag in plain) for tag in ["p", "div", "span", "li", "x", 3])


def test_attribute_lists_are_still_read_on_a_page_that_has_them():
    text = "# Title { #top .x }\n\nA paragraph\n{: .y }\n\n| a |\n|---|\n| cell { .z } |\n\n- item\n{: .w }\n"
    plain, fast = _both(text)
    assert fast == plain
    assert 'id="top"' in fast and 'class="y"' in fast


def test_backslash_escapes_are_still_restored_on_a_page_that_has_them():
    text = "A \\*star\\* and a `` \\` `` tick, [a \\[b\\]](c.md \"t\\\"\")\n\n| \\| |\n|---|\n| x |\n"
    plain, fast = _both(text)
    assert fast == plain
    assert "*star*" in fast and "\x02" not in fast
