"""The editors' guide stays true: its error catalogue matches the messages the code gives,
its examples validate, and its vocabulary is the model's."""

import json
import re

import jsonschema
import pytest

from generator.load import parse_document
from generator.model import ACTOR_KINDS, EVENT_KINDS, EVENT_STATUSES, MODELS, STANCES
from generator.schema import SCHEMA_DIR, schema_file_name

import test_errors
import test_errors_more
import test_scaffold
from conftest import ROOT

GUIDE = ROOT / "docs" / "editors" / "index.md"
CATALOGUE = ROOT / "docs" / "editors" / "errors.md"
SECTION_KINDS = {"Actors": "actors", "Topics": "topics", "Positions": "positions", "Events": "events",
                 "Sources": "sources", "Glossary": "glossary"}


def messages_under_test() -> set[str]:
    """Every message line the error tests assert, exactly as the code prints it."""
    messages = {line for cases in (test_errors.CASES, test_errors_more.CASES)
                for _, _, expected in cases.values() for line in expected}
    messages |= {message for _, message in test_scaffold.REFUSALS.values()}
    return messages


def catalogue_examples() -> list[str]:
    """The lines of the ```text blocks of the catalogue that are messages (path:line: or error:)."""
    blocks = re.findall(r"^```text\n(.*?)^```", CATALOGUE.read_text(encoding="utf-8"), re.MULTILINE | re.DOTALL)
    lines = [line for block in blocks for line in block.splitlines()]
    return [line for line in lines if re.match(r"^(content/\S+:\d+: |error: )", line)]


def test_every_tested_message_is_in_the_catalogue():
    missing = sorted(messages_under_test() - set(catalogue_examples()))
    assert missing == [], "add these to docs/editors/errors.md with their fix"


def test_every_message_in_the_catalogue_is_one_the_code_gives():
    unknown = sorted(set(catalogue_examples()) - messages_under_test())
    assert unknown == [], "the catalogue shows messages no test asserts: fix them or add a case"


def test_the_catalogue_has_no_example_twice():
    examples = catalogue_examples()
    assert len(examples) == len(set(examples))


def guide_examples() -> list[tuple[str, str]]:
    """(kind, YAML) of each example in the guide, by the section it stands in."""
    examples, section = [], None
    for part in re.split(r"^(## [^\n]*|```yaml\n.*?^```)$", GUIDE.read_text(encoding="utf-8"), flags=re.MULTILINE | re.DOTALL):
        if part.startswith("## "):
            section = SECTION_KINDS.get(part[3:].strip())
        elif part.startswith("```yaml") and section:
            examples.append((section, part.removeprefix("```yaml\n").removesuffix("```")))
    return examples


def test_the_guide_has_an_example_of_each_kind():
    assert sorted({kind for kind, _ in guide_examples()}) == sorted(SECTION_KINDS.values())


@pytest.mark.parametrize("kind, text", guide_examples())
def test_each_example_in_the_guide_is_valid(kind, text):
    document = parse_document(text.encode("utf-8"), kind, "example", f"guide example of {kind}")
    assert not isinstance(document, list), document
    MODELS[kind].model_validate({**document.data, "id": "example"})
    schema = json.loads((SCHEMA_DIR / schema_file_name(kind)).read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema).validate(document.data)


def test_the_guide_lists_the_vocabularies_of_the_model():
    guide = GUIDE.read_text(encoding="utf-8")
    table = guide[guide.index("### Stance vocabulary"):]
    assert re.findall(r"^\| `(\w+)` \|", table, re.MULTILINE) == list(STANCES)
    for words in (ACTOR_KINDS, EVENT_KINDS, EVENT_STATUSES):
        assert ", ".join(words) in guide


def test_the_catalogue_is_in_the_nav_and_built(fixture_site):
    assert "- Error messages: editors/errors.md" in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    page = (fixture_site.site / "editors" / "errors" / "index.html").read_text(encoding="utf-8")
    assert "unknown field &#39;sumary&#39; — did you mean &#39;summary&#39;?" in page or \
        "unknown field 'sumary' — did you mean 'summary'?" in page
    guide = (fixture_site.site / "editors" / "index.html").read_text(encoding="utf-8")
    assert 'href="errors/"' in guide and 'href="../schemas/actors.schema.json"' in guide
