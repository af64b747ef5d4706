"""The quick block tests (generator/fast_blocks.py) answer as Python-Markdown's own do."""

import re
import xml.etree.ElementTree as etree

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import fast_blocks
from generator.fast_inline import FastInlineExtension

EXTENSIONS = ["admonition", "attr_list", "abbr", "tables", "footnotes", "toc"]  # as in mkdocs.yml
CONFIGS = {"toc": {"permalink": True}}


def _converters():
    plain = markdown.Markdown(extensions=EXTENSIONS, extension_configs=CONFIGS)
    fast = markdown.Markdown(extensions=[*EXTENSIONS, FastInlineExtension()], extension_configs=CONFIGS)
    return plain, fast


def _quick_pairs():
    """(name, Python-Markdown's processor, the same processor with its quick test)."""
    plain, fast = _converters()
    return [(name, plain.parser.blockprocessors[name], fast.parser.blockprocessors[name])
            for name in [item.name for item in fast.parser.blockprocessors._priority]
            if type(fast.parser.blockprocessors[name]).__name__.startswith("Quick")]


def test_every_processor_with_a_quick_test_gets_it():
    # A release of Python-Markdown that changes one of these tests or expressions loses the
    # shortcut: this says so.
    quick = sorted(type(fast).__name__ for _, _, fast in _quick_pairs())
    assert quick == sorted(cls.__name__ for cls, *_ in fast_blocks.QUICK.values())
    plain, fast = _converters()
    plain_order = [type(p) for p in plain.parser.blockprocessors]
    fast_order = [type(p).__mro__[1] if type(p).__name__.startswith("Quick") else type(p)
                  for p in fast.parser.blockprocessors]
    assert fast_order == plain_order


def test_an_unknown_expression_keeps_the_processors_own_test():
    heading = markdown.Markdown(extensions=[]).parser.blockprocessors["hashheader"]
    heading.RE = re.compile(r"(?:^|\n)(#+)(.*)")  # not the expression the quick test knows
    fast_blocks.quicken([heading])
    assert type(heading) is markdown.blockprocessors.HashHeaderProcessor


# What the tested expressions look for, where lines start and in the middle of them.
PIECES = ["#", "# H", "###### six", "\\#", "\n", " ", "  ", "   ", "    ", ">", "> q", ">>", "=", "===", "-", "--",
          "- -", "-  -", "-   -", "_", "__", "_ _", "*", "**", "* *", "*  *", "!!!", "!!! note", '!!! note "T"',
          "!!!note", "|", "| a | b |", "|---|---|", "a | b", "---|---", "`", "`|`", "\\|", ":", "a", "word", "\t",
          # whole constructs, so that short lists of pieces make them too
          "---", "- - -", "-  -  -", "***", "* * *", "___", "_  _  _", "a\n===", "a\n---", "|a\n|-", "| a |\n|---|",
          "  > q", "   > q", "!!! note\n    body", "    body"]
BLOCKS = st.lists(st.sampled_from(PIECES), max_size=16).map("".join)


def _parents():
    """An empty parent, and one whose last child is an admonition (whose body may follow)."""
    with_admonition = etree.Element("div")
    etree.SubElement(with_admonition, "div", {"class": "admonition note"})
    listed = etree.SubElement(etree.SubElement(with_admonition, "div", {"class": "admonition"}), "ul")
    etree.SubElement(listed, "li")
    return [etree.Element("div"), with_admonition]


@settings(max_examples=1500, deadline=None)
@given(BLOCKS)
def test_each_quick_test_answers_as_the_processors_own_test(block):
    for name, plain, fast in _quick_pairs():
        for parent_of_plain, parent_of_fast in zip(_parents(), _parents()):
            assert fast.test(parent_of_fast, block) == plain.test(parent_of_plain, block), name


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(BLOCKS, st.just("\n\n")), max_size=8).map("".join))
def test_any_blocks_convert_to_the_same_html(text):
    plain, fast = _converters()
    assert fast.convert(text) == plain.convert(text)


def test_starts_a_line_looks_at_every_line_and_at_most_the_given_spaces():
    assert fast_blocks.starts_a_line("a\n  > q", ">", 3)
    assert fast_blocks.starts_a_line("> q", ">", 3)
    assert not fast_blocks.starts_a_line("a\n    > q", ">", 3)
    assert not fast_blocks.starts_a_line("a > q", ">", 3)
    assert not fast_blocks.starts_a_line("a\n #", "#")
