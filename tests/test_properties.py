"""Property-based tests: whatever an editor saves, the generator answers with located problems
or a build, never with a traceback or a half-written docs/."""

from __future__ import annotations

import re
import shutil
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic_core import PydanticCustomError

from generator.load import KINDS, Document, _most_collections, parse_document
from generator.model import _check_text
from generator.pipeline import build
from generator.problems import ContentError, Problem, errors_in
from generator.validate import REFERENCES, _leaves, _matches, _pattern_leaves, validate

from conftest import FIXTURE_CONTENT, ROOT

REAL_CONTENT = ROOT / "content"
FIELD_NAMES = ["title", "name", "kind", "summary", "date", "end_date", "status", "sources", "stances", "stance",
               "actor", "topic", "aliases", "url", "published", "term", "definition", "participants", "notes", "id"]
# Pieces of YAML syntax, so that random text is often almost valid YAML (where the bugs hide).
YAML_TOKENS = ["a", "title", "summary", "sources", ":", ": ", " ", "  ", "\n", "- ", "[", "]", "{", "}", ",", "&x ",
               "*x", "!!python/object/apply:os.system ", "!!binary ", "!custom ", "'", '"', "#", "|", ">-", "---",
               "...", "\t", "? ", "%YAML 1.1\n", "2024-02-30", "2024", "null", "~", "yes", "\\", "é", "\x00", "\ufeff",
               "[[northland]]", "<b>", "](javascript:x)", "{: x=1}", "1e9", "0x1F", ".inf", "<<: *x"]

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                    st.text(max_size=20), st.sampled_from(["2024-01-15", "2024-13", "supports", "held", "northland"]))
yaml_values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.one_of(st.sampled_from(FIELD_NAMES), st.text(max_size=8)),
                                                 inner, max_size=5)), max_leaves=20)


def assert_located(problems) -> None:
    for problem in problems:
        assert isinstance(problem, Problem)
        assert problem.line >= 1 and problem.message and problem.path


def answer_for(raw: bytes, kind: str) -> list[Problem]:
    """Load and validate one file's bytes as the only file of its kind: its problems."""
    loaded = parse_document(raw, kind, "some-id", f"content/{kind}/some-id.yaml")
    if not isinstance(loaded, Document):
        assert loaded, "a file that does not load must say why"
        return loaded
    _, problems = validate((loaded,))
    return problems


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300), st.sampled_from(KINDS + ("site",)))
def test_any_bytes_give_problems_not_a_traceback(raw, kind):
    assert_located(answer_for(raw, kind))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(YAML_TOKENS), max_size=40), st.sampled_from(KINDS + ("site",)))
def test_yaml_like_text_gives_problems_not_a_traceback(tokens, kind):
    assert_located(answer_for("".join(tokens).encode("utf-8"), kind))


deep_values = st.recursive(st.sampled_from(["a", 1, None, "x: y", "- z"]), lambda inner: st.one_of(
    st.lists(inner, min_size=1, max_size=2), st.dictionaries(st.text(max_size=3), inner, min_size=1, max_size=2)),
    max_leaves=40)


@given(deep_values, st.booleans(), st.sampled_from([None, 2, 4]))
def test_the_quick_nesting_bound_is_never_below_the_real_depth(value, flow, indent):
    # The loader skips its exact depth check when this bound is small enough: it must never
    # under-count, in block or flow style, whatever the indentation.
    text = yaml.safe_dump(value, default_flow_style=flow, indent=indent, allow_unicode=True)
    depth = deepest = 0
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            deepest = max(deepest, depth)
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1
    assert _most_collections(text) >= deepest


@settings(max_examples=200, deadline=None)
@given(yaml_values, st.sampled_from(KINDS + ("site",)))
def test_any_yaml_document_gives_problems_not_a_traceback(value, kind):
    assert_located(answer_for(yaml.safe_dump(value, allow_unicode=True).encode("utf-8"), kind))


class _DatesAsText(yaml.SafeLoader):
    """PyYAML's own safe loader, dates kept as text as the content loader keeps them."""


_DatesAsText.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_scalar)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(FIELD_NAMES), yaml_values, min_size=1, max_size=6), st.booleans())
def test_a_file_loads_to_what_pyyaml_reads_in_it(data, flow_style):
    # The loader resolves tags through a cache and builds values its own way: the values
    # must be those of PyYAML's pure-Python safe loader.
    text = yaml.safe_dump(data, allow_unicode=True, default_flow_style=flow_style)
    loaded = parse_document(text.encode("utf-8"), "actors", "some-id", "content/actors/some-id.yaml")
    expected = yaml.load(text, Loader=_DatesAsText)
    if isinstance(loaded, Document):
        assert loaded.data == expected
    else:  # refused: only for a field name that is not a plain word
        assert any("field name" in problem.message for problem in loaded)


_REFERENCE_FIELDS = ["actor", "topic", "sources", "participants", "topics", "affiliations", "stances", "summary"]
_reference_shaped = st.dictionaries(
    st.sampled_from(_REFERENCE_FIELDS),
    st.one_of(yaml_values, st.lists(st.dictionaries(st.sampled_from(["sources", "date", "stance"]), yaml_values),
                                    max_size=3)), max_size=5)


@settings(max_examples=300, deadline=None)
@given(_reference_shaped, st.sampled_from(KINDS))
def test_reference_checks_see_every_value_whose_path_a_reference_field_names(data, kind):
    patterns = [pattern for pattern, _ in REFERENCES.get(kind, ())]
    walked = sorted((path, repr(value)) for pattern in patterns for path, value in _pattern_leaves(data, pattern))
    by_definition = sorted((path, repr(value)) for path, value in _leaves(data)
                           for pattern in patterns if _matches(path, pattern))
    assert walked == by_definition


# Pieces of values that YAML may join, fold or unescape into "[[".
_BRACKET_PIECES = ["[", "[[", "]]", "]", "a", " ", "'", '"', "\\", "x5b", "u005b", "\n  ", "\n", "|\n  ", ">\n  ",
                   "- ", "#", ",", ": ", "{", "}"]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(["summary: ", "sources:\n  - ", "location: "]), min_size=1, max_size=2),
       st.lists(st.lists(st.sampled_from(_BRACKET_PIECES), max_size=12).map("".join), min_size=1, max_size=2))
def test_a_value_holds_double_brackets_only_if_its_file_holds_them_or_a_backslash(fields, values):
    # What lets validation skip looking for [[id]] links in most files.
    text = "".join(field + value + "\n" for field, value in zip(fields, values))
    loaded = parse_document(text.encode("utf-8"), "events", "some-id", "content/events/some-id.yaml")
    if isinstance(loaded, Document) and any(isinstance(value, str) and "[[" in value
                                            for _, value in _leaves(loaded.data)):
        assert "[[" in text or "\\" in text


# Mutations an editor's keyboard makes: a line lost, doubled or moved, a character typed,
# deleted or replaced, an indentation changed, a file cut short.
def _delete_line(lines, i, _):
    return lines[:i] + lines[i + 1:]


def _duplicate_line(lines, i, _):
    return lines[:i + 1] + lines[i:]


def _swap_lines(lines, i, j):
    j = j % len(lines)
    lines = list(lines)
    lines[i], lines[j] = lines[j], lines[i]
    return lines


def _indent(lines, i, _):
    return lines[:i] + ["  " + lines[i]] + lines[i + 1:]


def _dedent(lines, i, _):
    return lines[:i] + [lines[i].lstrip()] + lines[i + 1:]


LINE_MUTATIONS = [_delete_line, _duplicate_line, _swap_lines, _indent, _dedent]
TYPED = list(":-[]{}\"'#&*!|>, \t\n") + ["é", "<", "\x00", "2", "a", "A"]


@st.composite
def mutated_file(draw, files: list[Path]):
    path = draw(st.sampled_from(files))
    text = path.read_text(encoding="utf-8")
    for _ in range(draw(st.integers(1, 3))):
        if draw(st.booleans()) and text.strip():
            lines = text.splitlines(keepends=True)
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, 1000))
            text = "".join(draw(st.sampled_from(LINE_MUTATIONS))(lines, i, j))
        else:
            at = draw(st.integers(0, len(text)))
            action = draw(st.sampled_from(["insert", "delete", "replace", "truncate"]))
            typed = draw(st.sampled_from(TYPED))
            text = {"insert": text[:at] + typed + text[at:], "delete": text[:at] + text[at + 1:],
                    "replace": text[:at] + typed + text[at + 1:], "truncate": text[:at]}[action]
    return path, text


class Workspace:
    """A copy of a content folder and a docs folder holding its last good build."""

    def __init__(self, content: Path):
        self.real = content == REAL_CONTENT
        self.folder = Path(tempfile.mkdtemp(prefix="properties-"))
        self.content = self.folder / "content"
        self.docs = self.folder / "docs"
        shutil.copytree(content, self.content)
        self.docs.mkdir()
        build(self.content, self.docs)
        self.files = sorted(self.content.rglob("*.yaml"))

    def snapshot(self) -> dict[str, bytes]:
        return {p.relative_to(self.docs).as_posix(): p.read_bytes() for p in self.docs.rglob("*") if p.is_file()}


def _workspace_or_skip(content: Path):
    if not (content / "site.yaml").is_file():
        pytest.skip(f"no content in {content}")
    return Workspace(content)


@pytest.fixture(scope="module", params=[FIXTURE_CONTENT, REAL_CONTENT], ids=["fixture-content", "real-content"])
def workspace(request):
    workspace = _workspace_or_skip(request.param)
    yield workspace
    shutil.rmtree(workspace.folder)


def test_mutated_content_builds_or_writes_nothing(workspace):
    examples = 40 if workspace.real else 120  # the real content is larger: each build takes longer

    @settings(max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(mutated_file(workspace.files))
    def check(mutation):
        path, text = mutation
        original = path.read_bytes()
        before = workspace.snapshot()
        path.write_text(text, encoding="utf-8")
        try:
            build(workspace.content, workspace.docs)
        except ContentError as error:
            assert errors_in(error.problems), "a refused build must name at least one error"
            assert_located(error.problems)
            assert workspace.snapshot() == before, "a refused build must write nothing"
        finally:
            path.write_bytes(original)

    check()


# Pieces of Markdown and HTML that scripts are made of, so random text often comes close.
MARKUP_TOKENS = ["[x](", "](", ")", "[", "]", "(", "javascript:", "JaVaScRiPt:", "java&#115;cript", "&#58;", "&colon;",
                 "&#x3a;", "data:", "vbscript:", "http://a.b", "https://a.b/c", "<", ">", "</", "<script>", "<img",
                 " src=x", " onerror=alert(1)", "{", "}", "{:", " onclick=alert(1)", ".cls", "#id", "*", "_", "`",
                 "![i](", "[1]: ", "\n", "\n\n", " ", "\t", '"', "'", "&", "&amp;", "&lt;", "alert(1)", "[[northland]]",
                 "*[HTML]: ", "[^1]", "[^1]: ", "!!! note", "    ", "|", "\\", "%3A", "\x0b", "&Tab;", "&NewLine;"]
MARKDOWN_EXTENSIONS = ["admonition", "attr_list", "abbr", "tables", "footnotes", "toc"]
DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "svg", "math", "style", "form", "base", "meta", "link"}
ADDRESS_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "srcset", "poster", "data"}


class _Elements(HTMLParser):
    """Every start tag with its attributes, as a browser would read them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


def _unsafe(html_text: str) -> list[str]:
    """What in the HTML could run a script: dangerous tags, on… attributes, script addresses."""
    parser = _Elements()
    parser.feed(html_text)
    found = []
    for tag, attrs in parser.tags:
        if tag in DANGEROUS_TAGS:
            found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                found.append(f"{tag} {name}")
            elif name in ADDRESS_ATTRIBUTES and value:
                readable = re.sub(r"[\x00-\x20\x7f]", "", value).lower()
                scheme = re.match(r"^([a-z][a-z0-9+.-]*):", readable)
                if scheme and scheme.group(1) not in ("http", "https"):
                    found.append(f"{tag} {name}={value}")
    return found


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(MARKUP_TOKENS), max_size=25))
def test_text_that_validates_renders_without_a_script(tokens):
    text = "".join(tokens)
    try:
        _check_text(text)
    except PydanticCustomError:
        return  # refused, with a message: nothing reaches the page
    rendered = markdown.markdown(text, extensions=MARKDOWN_EXTENSIONS)
    assert _unsafe(rendered) == [], rendered


def _lines_by_walking(node, path=()) -> dict:
    """Every field's line, by the definition: the line of its key (of the first, for a
    repeated key), or of the list item; the document's own line for ()."""
    lines = {path: node.start_mark.line + 1} if path == () else {}
    if isinstance(node, yaml.MappingNode):
        for key, value in reversed(node.value):  # the first of a repeated key wins
            lines[path + (key.value,)] = key.start_mark.line + 1
        for key, value in node.value:
            lines.update({p: n for p, n in _lines_by_walking(value, path + (key.value,)).items() if p not in lines})
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[path + (index,)] = item.start_mark.line + 1
            lines.update(_lines_by_walking(item, path + (index,)))
    return lines


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(FIELD_NAMES), yaml_values, min_size=1, max_size=6),
       st.sampled_from([False, None]))
def test_every_field_of_a_loaded_file_knows_its_line(data, flow_style):
    text = yaml.safe_dump(data, default_flow_style=flow_style, sort_keys=False, allow_unicode=True)
    loaded = parse_document(text.encode("utf-8"), "actors", "some-id", "content/actors/some-id.yaml")
    assert isinstance(loaded, Document)
    assert loaded.lines == _lines_by_walking(yaml.compose(text))
    for key in data:
        # In block style every top-level field starts its own line.
        if flow_style is False:
            assert text.splitlines()[loaded.line_of((key,)) - 1].startswith(yaml.safe_dump(key).split("\n")[0])
