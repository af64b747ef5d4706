"""Python-Markdown's block tests, without the searches that cannot match: same HTML, less time.

For every block of a page (a paragraph, a list, a table), Python-Markdown asks its block
processors in turn whether the block is theirs, and several answer by searching the whole
block with a regular expression: "(?:^|\\n)#" for a heading, "(^|\\n)[ ]{0,3}>" for a quote,
"(?:^|\\n)!!!" for an admonition. An expression that starts with an alternation has no
first character to look for, so it is tried at every position of the block, and a list of
fifty links is one block. Each of these expressions needs a line that starts with its
marker (or, for a rule, two of its characters side by side), which str.startswith and `in`
find in C: a block without one cannot match, and the test says no without searching.
Every other block goes to the processor's own test. Converting the generated pages took
14% fewer instructions (callgrind), with the same HTML.

Tied to the expressions and test methods of the installed Python-Markdown (by digest): a
processor of another release, or with another expression, tests as before.
"""

from __future__ import annotations

import functools
import re

from markdown import blockprocessors
from markdown.extensions import admonition, tables

from . import known_code


def starts_a_line(block: str, marker: str, spaces: int = 0) -> bool:
    """Whether a line of block starts with marker, after at most `spaces` spaces."""
    for count in range(spaces + 1):
        lead = " " * count + marker
        if block.startswith(lead) or "\n" + lead in block:
            return True
    return False


class QuickHashHeaderProcessor(blockprocessors.HashHeaderProcessor):
    def test(self, parent, block: str) -> bool:
        return starts_a_line(block, "#") and super().test(parent, block)


class QuickBlockQuoteProcessor(blockprocessors.BlockQuoteProcessor):
    def test(self, parent, block: str) -> bool:
        return ">" in block and starts_a_line(block, ">", 3) and super().test(parent, block)


class QuickSetextHeaderProcessor(blockprocessors.SetextHeaderProcessor):
    # The expression is anchored: its second line is all "=" or all "-".
    def test(self, parent, block: str) -> bool:
        newline = block.find("\n")
        return newline != -1 and block.startswith(("=", "-"), newline + 1) and super().test(parent, block)


UNICODE, LINES = re.UNICODE, re.UNICODE | re.MULTILINE

# A rule is three "-", "_" or "*" with at most two spaces between: two of them side by side.
_RULE_PAIRS = tuple(mark + " " * spaces + mark for mark in "-_*" for spaces in range(3))


class QuickHRProcessor(blockprocessors.HRProcessor):
    def test(self, parent, block: str) -> bool:
        return any(pair in block for pair in _RULE_PAIRS) and super().test(parent, block)


class QuickAdmonitionProcessor(admonition.AdmonitionProcessor):
    # The original test, with its search skipped where no line starts with "!!!"; the
    # second half (is this block the indented body of the admonition above?) as it was.
    def test(self, parent, block: str) -> bool:
        if starts_a_line(block, "!!!") and self.RE.search(block):
            return True
        return self.parse_content(parent, block)[0] is not None


class QuickTableProcessor(tables.TableProcessor):
    # A table has two rows at least, and its first row a "|": without one the row is one
    # cell with no border, which the test refuses after splitting every line of the block.
    # (The attributes a refused test sets are read only by run, after a test that passed.)
    def test(self, parent, block: str) -> bool:
        newline = block.find("\n")
        return newline != -1 and "|" in block[:newline] and super().test(parent, block)


# The processors, the attribute holding each one's expression, and the expression (and
# its flags) each quick test was written against (Python-Markdown 3.11).
QUICK = {
    blockprocessors.HashHeaderProcessor: (
        QuickHashHeaderProcessor, "RE", r"(?:^|\n)(?P<level>#{1,6})(?P<header>(?:\\.|[^\\#]|#+(?=[^#\n]))*?)#*(?:\n|$)", UNICODE),
    blockprocessors.BlockQuoteProcessor: (QuickBlockQuoteProcessor, "RE", r"(^|\n)[ ]{0,3}>[ ]?(.*)", UNICODE),
    blockprocessors.SetextHeaderProcessor: (QuickSetextHeaderProcessor, "RE", r"^.*?\n(?:=+|-+)[ ]*(\n|$)", LINES),
    blockprocessors.HRProcessor: (
        QuickHRProcessor, "SEARCH_RE",
        r"^[ ]{0,3}(?=(?P<atomicgroup>(-+[ ]{0,2}){3,}|(_+[ ]{0,2}){3,}|(\*+[ ]{0,2}){3,}))(?P=atomicgroup)[ ]*$", LINES),
    admonition.AdmonitionProcessor: (
        QuickAdmonitionProcessor, "RE", r'(?:^|\n)!!! ?([\w\-]+(?: +[\w\-]+)*)(?: +"(.*?)")? *(?:\n|$)', UNICODE),
    tables.TableProcessor: (QuickTableProcessor, None, None, None),
}

# Digest of those processors' test methods (and the table's row splitting), as written
# in Python-Markdown 3.11.
KNOWN_TEST_CODE = "052b24b168a5b2db56036bb8816fcdef3bcc7a5401228a76aea06133570e97eb"


@functools.cache
def test_code_known() -> bool:
    return block_test_code() == KNOWN_TEST_CODE


def block_test_code() -> str:
    return known_code.digest(*[cls.test for cls in QUICK], tables.TableProcessor._split_row, tables.TableProcessor._split)


def quicken(processors) -> None:
    """Give each known block processor of a Markdown object its quick test."""
    if not test_code_known():
        return
    for processor in processors:
        known = QUICK.get(type(processor))
        if known is None:
            continue
        quick, attribute, pattern, flags = known
        expression = getattr(processor, attribute, None) if attribute else None
        if attribute is None or (getattr(expression, "pattern", None), getattr(expression, "flags", None)) == (pattern, flags):
            processor.__class__ = quick
