"""Names in free text: actors and topics that link themselves, glossary terms that explain themselves.

Pure. Each index is one compiled regular expression of every name, longest first, so a page
is scanned once however many names the content has.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping

from .link import SiteGraph

# Spans where a name must stay as written: code, Markdown links and footnote references,
# HTML tags, bare addresses, quotations, headings and block quotes.
_PROTECTED = re.compile(
    r"""(`[^`\n]*`"""
    r"""|!?\[[^\]\n]*\]\([^)\n]*\)"""
    r"""|\[\^[^\]\n]*\]"""
    r"""|<[^>\n]*>"""
    r"""|https?://[^\s)>\]]+"""
    r"""|“[^”]*”|‘[^’\n]*’|"[^"\n]*\""""
    r"""|^\#.*$|^[ \t]*>.*$)""",
    re.MULTILINE,
)


@dataclass(frozen=True)
class NameIndex:
    """Every unambiguous name or alias of an entity, and one pattern that finds them all."""

    ids: Mapping[str, str]  # name as written → entity id
    pattern: re.Pattern | None
    # Text → its pieces, names apart (see _pieces): most texts (a summary, a stance) appear
    # on several pages, and searching them for 10,000 names again was most of autolink.
    pieces: dict = field(default_factory=dict, compare=False, repr=False)


def names_pattern(names: Iterable[str], flags: int = 0) -> re.Pattern | None:
    # Lookarounds instead of \b because a name may end in a full stop ("A. North").
    return _trie_compiled(names, r"(?<![\w-])(?:{})(?![\w-])", flags)


def _scanning_pattern(names: Iterable[str], flags: int = 0) -> re.Pattern | None:
    """names_pattern for finding names in " " + text: group 1 is the name.

    The character before the name is matched instead of looked behind at: a pattern that
    starts with a character class lets the regex engine skip, in C, every position that
    cannot start a match (inside words), and searching pages took a fifth less time.
    """
    return _trie_compiled(names, r"[^\w-]({})(?![\w-])", flags)


def _trie_compiled(names: Iterable[str], shape: str, flags: int) -> re.Pattern | None:
    """shape (with {} where the names go) compiled around the trie of names; None if none."""
    words = set(names)
    return re.compile(shape.format(_trie_pattern(words)), flags) if words else None


def _trie_pattern(words: set[str]) -> str:
    """One regular expression for many words, shaped as a trie of their characters.

    A flat alternation (a|b|c…) makes the regex engine try every name at every position of
    the text: with thousands of names that was most of the render time. Branching on one
    character at a time costs the same for ten names or ten thousand. Optional endings are
    greedy, so the longest name wins ("Ada North" over "Ada"), and the engine backtracks to
    a shorter one when the longer is not followed by a word boundary.
    """
    trie: dict = {}
    for word in words:
        node = trie
        for character in word:
            node = node.setdefault(character, {})
        node[""] = {}
    return _node_pattern(trie)


def _node_pattern(node: dict) -> str:
    # Most of a name is a run of characters with one way on: taken in a loop, not a call
    # per character (36,000 calls for 2,400 names).
    run = []
    while len(node) == 1 and "" not in node:
        (character, node), = node.items()
        run.append(character)
    prefix = re.escape("".join(run))
    branches = [re.escape(character) + _node_pattern(child) for character, child in sorted(node.items()) if character]
    if not branches:
        return prefix
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return prefix + (f"(?:{body})?" if "" in node else body)


def entity_names(graph: SiteGraph) -> NameIndex:
    """Names and aliases of actors and topics; a name two entities share links neither."""
    claims: dict[str, set[str]] = {}
    for actor in graph.actors.values():
        for name in (actor.name, *actor.aliases):
            claims.setdefault(name.strip(), set()).add(actor.id)
    for topic in graph.topics.values():
        for name in (topic.title, *topic.aliases):
            claims.setdefault(name.strip(), set()).add(topic.id)
    ids = {name: next(iter(owners)) for name, owners in claims.items() if len(owners) == 1 and name}
    return NameIndex(ids, names_pattern(ids))


_MOST_PIECES = 200_000


def autolink(markdown: str, names: NameIndex, already_linked: set[str],
             link: Callable[[str, str], str]) -> str:
    """Link the first mention of each entity not yet in already_linked (which it updates)."""
    if names.pattern is None:
        return markdown
    pieces = names.pieces.get(markdown)
    if pieces is None:
        if len(names.pieces) > _MOST_PIECES:  # a preview that runs for days: start again
            names.pieces.clear()
        pieces = names.pieces[markdown] = _pieces(markdown, names)
    if len(pieces) == 1:
        return markdown  # no name in it
    out = []
    for piece, entity_id in pieces:
        if entity_id is None or entity_id in already_linked:
            out.append(piece)
        else:
            already_linked.add(entity_id)
            out.append(link(entity_id, piece))
    return "".join(out)


def _pieces(markdown: str, names: NameIndex) -> tuple[tuple[str, str | None], ...]:
    """markdown cut into (text, None) and (name, its entity id), in order; joined, the text."""
    pieces: list[tuple[str, str | None]] = []
    # re.split with one capturing group: even items are free text, odd items protected spans.
    for i, part in enumerate(_PROTECTED.split(markdown)):
        if i % 2:
            pieces.append((part, None))
            continue
        start = 0
        for match in names.pattern.finditer(part):
            pieces.append((part[start:match.start()], None))
            pieces.append((match.group(0), names.ids[match.group(0)]))
            start = match.end()
        pieces.append((part[start:], None))
    pieces = [piece for piece in pieces if piece[0] or piece[1]]
    return tuple(pieces) if any(entity_id for _, entity_id in pieces) else ((markdown, None),)


@dataclass(frozen=True)
class Glossary:
    """Glossary terms and aliases (any letter case) → their plain-text definitions."""

    definitions: Mapping[str, str]  # casefolded term or alias → definition
    pattern: re.Pattern | None  # every term in lower case, for " " + text in lower case
    any_case: re.Pattern | None  # the same, ignoring case: for the rare text whose lower case is longer
    # The words of each spelling in lower case (see _words), and all of them: a page
    # that lacks a word of every spelling needs no search. None: a spelling without a
    # word (all punctuation, or beyond ASCII), so every page is searched.
    spelling_words: tuple[frozenset[bytes], ...] = ()
    words: frozenset[bytes] | None = None


def glossary_terms(graph: SiteGraph, plain: Callable[[str], str]) -> Glossary:
    """One pattern for every glossary term and alias."""
    definitions = {}
    for term in graph.glossary.values():
        for name in (term.term, *term.aliases):
            definitions.setdefault(name.strip().casefold(), plain(term.definition))
    spellings = {name.strip() for term in graph.glossary.values() for name in (term.term, *term.aliases)}
    spelling_words = tuple({frozenset(_words(s.lower())) for s in spellings})
    words = frozenset().union(*spelling_words) if all(spelling_words) else None
    return Glossary(definitions, _scanning_pattern({s.lower() for s in spellings}),
                    _scanning_pattern(spellings, re.IGNORECASE), spelling_words, words)


def with_tooltips(markdown: str, glossary: Glossary) -> str:
    """Append abbreviation definitions for the glossary terms this page uses, and only those.

    The `abbr` extension matches spellings exactly, so each spelling found gets its own line.
    Appending the whole glossary to every page would cost parse time on every page.
    """
    if glossary.pattern is None:
        return markdown
    found = sorted(_spellings_used(_body(markdown), glossary))
    if not found:
        return markdown
    lines = [f"*[{spelling}]: {glossary.definitions[spelling.casefold()]}" for spelling in found]
    return markdown.rstrip("\n") + "\n\n" + "\n".join(lines) + "\n"


def _spellings_used(text: str, glossary: Glossary) -> set[str]:
    if LOWER_CASE_INTO_ASCII[0] in text or LOWER_CASE_INTO_ASCII[1] in text:
        return _spellings_used_lowering_first(text, glossary)
    # Without those two characters, the words of the lower-cased text are the words of
    # the text with its ASCII letters lower-cased, and the lower case is as long as the
    # text: most pages (those that name no term) need no lower-casing.
    if not _may_hold_a_spelling(_words(text, _FOLDED_WORD_BYTES), glossary):
        return set()
    return _search_lowered(text, " " + text.lower(), glossary)


def _spellings_used_lowering_first(text: str, glossary: Glossary) -> set[str]:
    # A case-sensitive search of the lower-cased page takes half the time of a
    # case-insensitive one; it needs the two texts to line up character for character.
    lowered = " " + text.lower()
    if len(lowered) != len(text) + 1:
        return {match.group(1) for match in glossary.any_case.finditer(" " + text)}
    if not _may_hold_a_spelling(_words(lowered), glossary):
        return set()
    return _search_lowered(text, lowered, glossary)


def _search_lowered(text: str, lowered: str, glossary: Glossary) -> set[str]:
    # Offsets in " " + text are one more than in text.
    return {text[match.start(1) - 1:match.end(1) - 1] for match in glossary.pattern.finditer(lowered)}


# The only characters beyond ASCII whose lower case holds ASCII ("İ" → "i̇", the Kelvin
# sign → "k"); "İ" is also the only one whose lower case is longer. A test checks every
# code point of the running Python.
LOWER_CASE_INTO_ASCII = ("\u0130", "\u212a")

# ASCII letters, digits and "_" stay; every other byte (punctuation, and each byte of a
# character beyond ASCII) separates words.
_WORD_BYTES = bytes(b if chr(b).isascii() and (chr(b).isalnum() or chr(b) == "_") else 32 for b in range(256))
# The same, with the ASCII capitals lower-cased.
_FOLDED_WORD_BYTES = _WORD_BYTES.translate(bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"abcdefghijklmnopqrstuvwxyz"))


def _words(text: str, table: bytes = _WORD_BYTES) -> list[bytes]:
    return text.encode("utf-8").translate(table).split()


def _may_hold_a_spelling(words: list[bytes], glossary: Glossary) -> bool:
    """False when, for every spelling, some word of it is not among the text's words.

    A spelling found in the text starts and ends at a boundary of its words (the pattern
    wants no letter, digit, "_" or "-" on either side), so each of its words is a word of
    the text too. Splitting the page in C takes a third of the time of the search it
    spares, and most pages name no glossary term.
    """
    if glossary.words is None:
        return True
    if glossary.words.isdisjoint(words):
        return False
    present = glossary.words.intersection(words)
    return any(spelling <= present for spelling in glossary.spelling_words)


def _body(markdown: str) -> str:
    if markdown.startswith("---\n"):
        end = markdown.find("\n---\n", 4)
        if end != -1:
            return markdown[end + 5:]
    return markdown
