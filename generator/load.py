"""Read content/: YAML files → plain documents that can tell the line of every field.

This is the only module that reads content from disk. YAML is composed into nodes with
libyaml (fast, and nodes keep their line), then turned into plain values here, so that
no YAML tag can construct a Python object and every value knows where it came from.
"""

from __future__ import annotations

import functools
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import parallel
from .problems import WARNING, Problem

KINDS = ("actors", "topics", "positions", "events", "sources", "glossary")
SITE_FILE = "site.yaml"
MAX_DEPTH = 32

# The only tags a content file may use: plain YAML values. Anything else (!!python/…,
# !!binary, custom tags) is refused rather than constructed.
STR, INT, FLOAT, BOOL, NULL, TIMESTAMP, SEQ, MAP = (
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
)


@functools.lru_cache(maxsize=4096)
def _tag(kind: type, value, implicit) -> str:
    return yaml.resolver.Resolver.resolve(Loader, kind, value, implicit)


class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """libyaml's safe loader, with the Python it calls for every node made cheaper.

    libyaml asks the resolver for every node's tag, and tells it of every step down and
    up the document, through Python methods: a quarter of parsing the content. A tag
    depends on the node's kind, text and quoting alone (the safe loader has no path
    resolvers), and most are field names, ids, dates and the words of closed lists, met
    again and again: the tags are cached in C. The steps down and up do nothing without
    path resolvers: they are C functions that take the same arguments and do nothing.
    """

    resolve = staticmethod(_tag)
    descend_resolver = staticmethod(slice)  # slice(parent, index): a throwaway object
    ascend_resolver = staticmethod(tuple)  # tuple(): the empty tuple


_constructor = yaml.constructor.SafeConstructor()
_SCALARS = {
    INT: _constructor.construct_yaml_int,
    FLOAT: _constructor.construct_yaml_float,
    BOOL: _constructor.construct_yaml_bool,
    NULL: _constructor.construct_yaml_null,
}

FieldPath = tuple  # ("stances", 0, "date")
_TOO_DEEP = (f"the YAML is nested more than {MAX_DEPTH} levels deep",
             "content files need three levels at most: check the brackets and the indentation")


@dataclass(frozen=True)
class Document:
    """One content file as plain data: its kind, id, display path, and its text for the
    field lines."""

    kind: str  # a folder name from KINDS, or "site"
    id: str
    path: str
    data: dict
    text: str = field(repr=False)  # the YAML, to find a field's line when a problem needs it

    @functools.cached_property
    def lines(self) -> dict:
        """FieldPath → 1-based line, found when first asked for: only a problem needs one.

        Built for every file, the map was a quarter of the data the parsing workers send
        back, and it was never read in a build without problems.
        """
        return field_lines(yaml.compose(self.text, Loader=Loader))

    def line_of(self, path: FieldPath) -> int:
        """The line of a field, or of its nearest enclosing field that has one."""
        path = tuple(path)
        lines = self.lines
        while path:
            if path in lines:
                return lines[path]
            path = path[:-1]
        return lines.get((), 1)

    def line_holding(self, path: FieldPath, written: str) -> int:
        """The line of a field's value that holds `written`, or the field's own line.

        A summary written as a block of text spans many lines below its key; the one that
        holds the mistake is the one an editor needs. Text that is not there as typed (a YAML
        escape) gets the field's line.
        """
        first = self.line_of(path)
        later_fields = [line for line in self.lines.values() if line > first]
        lines = self.text.splitlines()
        last = min(later_fields) - 1 if later_fields else len(lines)
        return next((number for number in range(first, last + 1) if written in lines[number - 1]), first)


def field_lines(root: yaml.Node) -> dict:
    """The line of every field and list item under root, by its path ((): root itself)."""
    lines: dict[FieldPath, int] = {(): root.start_mark.line + 1}
    todo = [((), root)]
    while todo:
        path, node = todo.pop()
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                key_path = path + (key_node.value,)
                lines.setdefault(key_path, key_node.start_mark.line + 1)  # the first of a duplicate
                todo.append((key_path, value_node))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                lines[path + (index,)] = item.start_mark.line + 1
                todo.append((path + (index,), item))
    return lines


@dataclass(frozen=True)
class LoadResult:
    documents: tuple[Document, ...]
    problems: tuple[Problem, ...]
    unreadable: tuple[tuple[str, str], ...] = ()  # (kind, id) of files that failed to load


class _Refused(Exception):
    def __init__(self, line: int, message: str, hint: str = ""):
        self.problem_args = (line, message, hint)


class LoadCache:
    """Parsed files kept between builds in one process (mkdocs serve), keyed by path, mtime,
    size and inode, so a rebuild after an edit parses only the files that changed.

    Like git's "racily clean" check: a file modified less than RACY_NS before it was read
    could change again within one timestamp tick without its mtime or size changing, so it
    is read again next time rather than trusted.
    """

    RACY_NS = 1_000_000_000

    def __init__(self):
        self._entries: dict[str, tuple] = {}

    def load(self, path: str, kind: str, display_path: str) -> Document | list[Problem]:
        """Like load_file, but without reading a file that has not changed since last time."""
        try:
            stat = os.stat(path)
        except OSError:
            return load_file(path, kind, display_path)
        key = (stat.st_mtime_ns, stat.st_size, stat.st_ino, kind, display_path)
        cached = self._entries.get(path)
        if cached and cached[0] == key and cached[1] - stat.st_mtime_ns > self.RACY_NS:
            return cached[2]
        read_at = time.time_ns()
        result = load_file(path, kind, display_path)
        self._entries[path] = (key, read_at, result)
        return result


def load_content(content_dir: Path, display_root: Path | None = None, cache: LoadCache | None = None) -> LoadResult:
    """Read every content file under content_dir; bad files become problems, not exceptions."""
    display_root = display_root or content_dir.parent
    documents: list[Document] = []
    problems: list[Problem] = []
    unreadable: list[tuple[str, str]] = []
    files = list(_content_files(content_dir, problems, display_root))
    if cache:
        results = [cache.load(path, kind, display) for kind, path, display in files]
    else:
        # Parsing is a fifth of a full build at 10,000 files: shared between processes.
        results, _ = parallel.map_in_chunks(_load_files, files)
    for (kind, path, display), result in zip(files, results):
        if isinstance(result, Document):
            documents.append(result)
        else:
            problems.extend(result)
            unreadable.append((kind, Path(path).stem))
    return LoadResult(tuple(documents), tuple(problems), tuple(unreadable))


def _load_files(files: list[tuple[str, str, str]]) -> list[Document | list[Problem]]:
    return [load_file(path, kind, display) for kind, path, display in files]


def _content_files(content_dir: Path, problems: list[Problem], display_root: Path):
    """(kind, path, display path) of every content file, in a stable order.

    Paths are plain strings: at 10,000 files, pathlib objects cost more than a rebuild
    that finds nothing changed.
    """
    site = content_dir / SITE_FILE
    if site.is_file():
        yield "site", str(site), _display(site, display_root)
    else:
        problems.append(Problem(_display(site, display_root), 1, "the site file is missing",
                                "create it with title, description and as_of"))
    for kind in KINDS:
        folder = content_dir / kind
        if not folder.is_dir():
            continue
        folder_path, folder_display = str(folder), _display(folder, display_root)
        for name in sorted(os.listdir(folder)):
            stem, suffix = os.path.splitext(name)
            if suffix == ".yaml" and not name.startswith("."):
                yield kind, os.path.join(folder_path, name), f"{folder_display}/{name}"
            elif suffix == ".yml":
                problems.append(Problem(f"{folder_display}/{name}", 1, "ignored: content files end in .yaml",
                                        f"rename it to {stem}.yaml", WARNING))


def _display(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def load_file(path: Path | str, kind: str, display_path: str) -> Document | list[Problem]:
    """Load one YAML file into a Document, or return the problems that prevent it."""
    # os, not pathlib: making a Path and opening through it was a tenth of loading 10,000 files.
    try:
        with open(path, "rb") as file:
            raw = file.read()
    except OSError as error:
        return [Problem(display_path, 1, f"cannot read the file: {error.strerror}")]
    doc_id = os.path.splitext(os.path.basename(path))[0] if kind != "site" else "site"
    return parse_document(raw, kind, doc_id, display_path)


def not_utf8(raw: bytes, display_path: str) -> Problem | None:
    """The problem with a file that is not UTF-8 text, located at its first bad byte."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return Problem(display_path, line, f"the file is not UTF-8 text (byte 0x{raw[error.start]:02x})",
                       "save the file with UTF-8 encoding")
    return None


def parse_document(raw: bytes, kind: str, doc_id: str, display_path: str) -> Document | list[Problem]:
    """Parse the bytes of one content file (pure: no disk access)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return [not_utf8(raw, display_path)]
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        too_deep = _line_nested_too_deep(text)
        if too_deep:
            return [Problem(display_path, too_deep, *_TOO_DEEP)]
        root = yaml.compose(text, Loader=Loader)
    except yaml.MarkedYAMLError as error:
        return [_syntax_problem(error, text, display_path)]
    except yaml.reader.ReaderError as error:
        # libyaml counts the position in UTF-8 bytes.
        line = text.encode("utf-8")[: error.position].count(b"\n") + 1
        return [Problem(display_path, line, f"the file holds a control character (#x{error.character:04x}) that YAML does not allow",
                        "delete it: it is invisible in most editors, so retype the line")]
    except yaml.YAMLError as error:
        return [Problem(display_path, 1, f"YAML error: {error}")]
    except RecursionError:
        return [Problem(display_path, 1, *_TOO_DEEP)]
    if root is None or (isinstance(root, yaml.ScalarNode) and root.tag == NULL and not root.value):
        return [Problem(display_path, 1, "the file is empty", "fill in the fields of this kind (see the editors' guide)")]
    if not isinstance(root, yaml.MappingNode):
        return [Problem(display_path, root.start_mark.line + 1,
                        f"the file must be a mapping of field: value, not a {_node_kind(root)}",
                        "write one field per line, like 'name: …'")]
    try:
        data = _construct(root, set(), 0)
    except _Refused as refused:
        return [Problem(display_path, *refused.problem_args)]
    return Document(kind, doc_id, display_path, data, text)


def _line_nested_too_deep(text: str) -> int | None:
    """The line where the YAML nests deeper than MAX_DEPTH, or None.

    libyaml's composer recurses once per level in C: a file of 100,000 '[' crashes the
    process, and parsing it to the end takes minutes. The parser's events come one at a
    time, so stopping at the first level too deep bounds both.
    """
    if _most_collections(text) <= MAX_DEPTH:
        return None  # most files: no second parse
    depth = 0
    for event in yaml.parse(text, Loader=Loader):
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                return event.start_mark.line + 1
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1
    return None


def _most_collections(text: str) -> int:
    """An upper bound on the number of lists and mappings in a YAML text, from its characters.

    Every list or mapping has a character of its own that opens it: '[' or '{', a '-'
    that starts an item (followed by a space, tab or line end), or the ':' or '?' of its
    first key. Counting them all over-counts, which is safe: above the bound, the exact
    check runs.
    """
    item_marks = text.count("- ") + text.count("-\n") + text.count("-\t") + text.count("-\r") + 1
    return text.count("[") + text.count("{") + text.count(":") + text.count("?") + item_marks


def _syntax_problem(error: yaml.MarkedYAMLError, text: str, display_path: str) -> Problem:
    mark = error.problem_mark or error.context_mark
    # libyaml often notices a mistake at the start of the next token: past the last line
    # for an unclosed bracket. Point at a line that exists, and name where the open
    # construct began.
    last_line = max(1, len(text.splitlines()))
    line = min(mark.line + 1, last_line) if mark else 1
    if error.context == "expected a single document in the stream":
        return Problem(display_path, line, "YAML syntax error: a second document starts here ('---')",
                       "a content file holds one entity: remove the '---' line, or move the rest to a file of its own")
    message = f"YAML syntax error: {error.problem or error.context or 'invalid YAML'}"
    if error.problem and error.context and error.context_mark and error.context_mark.line + 1 != line:
        construct = error.context.removeprefix("while parsing ").removeprefix("while scanning ")
        construct = construct.removeprefix("a ").removeprefix("an ")
        message += f" (in the {construct} that starts on line {error.context_mark.line + 1})"
    return Problem(display_path, line, message, "check indentation, colons, quotes and brackets")


def _node_kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.SequenceNode):
        return "list"
    return "single value"


def _construct(node: yaml.Node, seen: set, depth: int) -> Any:
    # A node met twice is an alias (*name). Refusing them keeps a file of nested aliases
    # ("billion laughs") from expanding into gigabytes.
    if id(node) in seen:
        raise _Refused(node.start_mark.line + 1, "YAML anchors and aliases (&name, *name) are not supported",
                       "write the value out in full")
    seen.add(id(node))
    if depth > MAX_DEPTH:
        raise _Refused(node.start_mark.line + 1, *_TOO_DEEP)
    if isinstance(node, yaml.MappingNode):
        return _construct_mapping(node, seen, depth)
    if isinstance(node, yaml.SequenceNode):
        if node.tag != SEQ:
            raise _refused_tag(node)
        return [_construct_item(item, seen, depth + 1) for item in node.value]
    return _construct_scalar(node)


def _construct_item(node: yaml.Node, seen: set, depth: int) -> Any:
    """_construct(node, seen, depth), with the commonest node, text, handled in one call
    instead of two."""
    if node.__class__ is yaml.ScalarNode and node.tag == STR and depth <= MAX_DEPTH and id(node) not in seen:
        seen.add(id(node))
        return node.value
    return _construct(node, seen, depth)


def _construct_mapping(node: yaml.MappingNode, seen: set, depth: int) -> dict:
    if node.tag != MAP:
        raise _refused_tag(node)
    mapping: dict[str, Any] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in (STR, INT, BOOL, NULL):
            raise _Refused(key_node.start_mark.line + 1, "a field name must be a plain word", "write it like 'name:'")
        key = key_node.value
        if key in mapping:
            first = next(other for other, _ in node.value if other.value == key)
            raise _Refused(key_node.start_mark.line + 1,
                           f"duplicate field '{key}' (first on line {first.start_mark.line + 1})", "keep one of them")
        mapping[key] = _construct_item(value_node, seen, depth + 1)
    return mapping


def _construct_scalar(node: yaml.ScalarNode) -> Any:
    if node.tag == STR:
        return node.value
    # Dates stay text: the schema checks them, and partial dates ('2025-08') are allowed.
    if node.tag == TIMESTAMP:
        return node.value
    if node.tag in _SCALARS:
        return _SCALARS[node.tag](node)
    raise _refused_tag(node)


def _refused_tag(node: yaml.Node) -> _Refused:
    return _Refused(node.start_mark.line + 1, f"YAML tag '{node.tag}' is not allowed",
                    "content files hold plain text, numbers, lists and mappings only")
