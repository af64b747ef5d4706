"""The editors' JSON Schemas: generated from the models, current, wired into editors, published."""

import json
import os
import shutil
import subprocess
import sys

import jsonschema
import pytest

from generator.load import load_content, parse_document
from generator.model import EVENT_KINDS, MODELS, STANCES
from generator.schema import SCHEMA_DIR, content_glob, schema_file_name, schema_files, stale_schemas

from conftest import FIXTURE_CONTENT, ROOT, unavailable
from language_server import LanguageServer

CONTENT_SETS = [pytest.param(FIXTURE_CONTENT, id="fixture-content"),
                pytest.param(ROOT / "content", id="real-content",
                             marks=pytest.mark.skipif(not (ROOT / "content").is_dir(), reason="no content/ yet"))]


def validator(kind: str) -> jsonschema.Draft7Validator:
    schema = json.loads((SCHEMA_DIR / schema_file_name(kind)).read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(schema)


def schema_errors(kind: str, data: dict) -> list[tuple[str, str]]:
    """(field path, validator keyword) of each schema error, like ('stances/0/stance', 'enum')."""
    return sorted(("/".join(map(str, error.absolute_path)), error.validator)
                  for error in validator(kind).iter_errors(data))


def test_the_committed_schemas_are_current():
    assert stale_schemas() == [], "run `python -m generator schema` and commit schemas/"


@pytest.mark.parametrize("kind", MODELS)
def test_each_schema_is_valid_draft_7_without_the_id(kind):
    schema = json.loads((SCHEMA_DIR / schema_file_name(kind)).read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    assert "id" not in schema["properties"]
    assert "id" not in schema.get("required", [])
    assert schema["additionalProperties"] is False


@pytest.mark.parametrize("content", CONTENT_SETS)
def test_the_content_validates_against_the_exported_schemas(content):
    loaded = load_content(content)
    assert loaded.problems == ()
    assert {document.kind for document in loaded.documents} == set(MODELS)
    for document in loaded.documents:
        assert schema_errors(document.kind, document.data) == [], document.path


def _document(path: str, old: str, new: str):
    text = (FIXTURE_CONTENT.parent / path).read_text(encoding="utf-8")
    assert old in text
    kind = path.split("/")[1]
    document = parse_document(text.replace(old, new, 1).encode(), kind, "x", path)
    return kind, document.data


EVENT = "content/events/first-call.yaml"
POSITION = "content/positions/ada-north--ceasefire-first.yaml"
SOURCE = "content/sources/gazette-report.yaml"

# The mistakes one file can show by itself are the ones an editor's language server flags
# while typing: the same field, for the same reason, as the generator's message.
SCHEMA_CASES = {
    "misspelt field": (EVENT, "summary:", "sumary:", [("", "additionalProperties"), ("", "required")]),
    "id as a field": (EVENT, "title:", "id: first-call\ntitle:", [("", "additionalProperties")]),
    "missing field": (EVENT, "status: held\n", "", [("", "required")]),
    "stance outside the vocabulary": (POSITION, "stance: supports", "stance: supprts", [("stances/0/stance", "enum")]),
    "event kind outside the vocabulary": (EVENT, "kind: call", "kind: cal", [("kind", "enum")]),
    "event without a source": (EVENT, "sources: [gazette-report]", "sources: []", [("sources", "minItems")]),
    "stance without a source": (POSITION, "    sources: [gazette-report]\n", "", [("stances/0", "required")]),
    "date in another format": (EVENT, '"2024-01-15"', '"15/01/2024"', [("date", "anyOf")]),
    "id that is not a slug": (EVENT, "[ada-north, southland]", "[Ada North, southland]", [("participants/0", "pattern")]),
    "url that is not http": (SOURCE, "https://example.org/gazette/talks-begin", "javascript:alert(1)", [("url", "anyOf")]),
    "list where text is expected": (EVENT, "title: First call", "title: [First, call]", [("title", "type")]),
    "empty required text": (EVENT, "title: First call", 'title: " "', [("title", "pattern")]),
}


@pytest.mark.parametrize("name", SCHEMA_CASES)
def test_the_schema_flags_the_mistakes_one_file_can_show(name):
    path, old, new, expected = SCHEMA_CASES[name]
    assert schema_errors(*_document(path, old, new)) == expected


def test_the_schema_offers_the_vocabularies_and_describes_every_field():
    positions = json.loads((SCHEMA_DIR / "positions.schema.json").read_text(encoding="utf-8"))
    assert positions["$defs"]["Stance"]["properties"]["stance"]["enum"] == list(STANCES)
    events = json.loads((SCHEMA_DIR / "events.schema.json").read_text(encoding="utf-8"))
    assert events["properties"]["kind"]["enum"] == list(EVENT_KINDS)
    for kind in MODELS:
        schema = json.loads((SCHEMA_DIR / schema_file_name(kind)).read_text(encoding="utf-8"))
        assert schema["description"]
        undescribed = [name for name, field in schema["properties"].items() if not field.get("description")]
        assert undescribed == [], kind


def test_a_bare_year_is_a_date_for_the_schema_too():
    kind, data = _document(SOURCE, 'published: "2024-01-16"', "published: 2024")
    assert data["published"] == 2024  # YAML reads a bare year as a number; the model accepts it
    assert schema_errors(kind, data) == []
    assert schema_errors(kind, {**data, "published": 24}) == [("published", "anyOf")]


def test_vscode_maps_every_kind_to_its_schema():
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    assert settings["yaml.schemas"] == {f"./schemas/{schema_file_name(kind)}": [content_glob(kind)] for kind in MODELS}
    for schema_path in settings["yaml.schemas"]:
        assert (ROOT / schema_path).is_file()


def test_the_schema_command_writes_and_checks(tmp_path):
    def run(*args):
        return subprocess.run([sys.executable, "-m", "generator", "schema", *args], cwd=tmp_path,
                              capture_output=True, text=True, env={"PYTHONPATH": str(ROOT), "PATH": ""})

    out = tmp_path / "schemas"
    stale = run("--out", str(out), "--check")
    assert stale.returncode == 1
    assert stale.stderr.splitlines()[0] == "schemas/site.schema.json is out of date — run `python -m generator schema`"
    assert not out.exists()
    written = run("--out", str(out))
    assert written.returncode == 0, written.stderr
    assert written.stdout == f"7 schemas in {out}: 7 written\n"
    assert {name: (out / name).read_text(encoding="utf-8") for name in schema_files()} == schema_files()
    assert run("--out", str(out), "--check").returncode == 0
    (out / "events.schema.json").write_text("{}")
    assert run("--out", str(out), "--check").stderr == (
        "schemas/events.schema.json is out of date — run `python -m generator schema`\n")


def test_the_site_publishes_the_schemas(fixture_site):
    for name, text in schema_files().items():
        assert (fixture_site.site / "schemas" / name).read_text(encoding="utf-8") == text
    manifest = json.loads((fixture_site.docs / ".generated.json").read_text(encoding="utf-8"))
    assert "schemas/positions.schema.json" in manifest



# What an editor shows: the real yaml-language-server (the one in VS Code's YAML extension
# and in other editors), when it is installed (`npm install -g yaml-language-server`).
LOCAL_LANGUAGE_SERVER = ROOT / ".tools" / "node_modules" / ".bin" / "yaml-language-server"  # make test puts it here
LANGUAGE_SERVER = (os.environ.get("YAML_LANGUAGE_SERVER") or shutil.which("yaml-language-server")
                   or (str(LOCAL_LANGUAGE_SERVER) if LOCAL_LANGUAGE_SERVER.exists() else None))
BROKEN_EVENT = 'title: T\ndate: "2024-02"\nsumary: x\nkind: cal\n\n'


@pytest.fixture(params=["vscode-settings", "modeline"])
def editor(request):
    if not LANGUAGE_SERVER:
        unavailable("yaml-language-server is not installed (`make yaml-language-server`)")
    vscode = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    schemas = {(ROOT / path).resolve().as_uri(): [str(ROOT / glob) for glob in globs]
               for path, globs in vscode["yaml.schemas"].items()}
    by_settings = request.param == "vscode-settings"
    settings = {"yaml": {"schemas": schemas if by_settings else {}, "validate": True, "completion": True}}
    server = LanguageServer([LANGUAGE_SERVER, "--stdio"], ROOT, settings)
    # Without settings, the first line of a file made by `python -m generator new` names the schema.
    server.first_line = "" if by_settings else "# yaml-language-server: $schema=../../schemas/{kind}.schema.json\n"
    yield server
    server.stop()


def _open(editor, kind: str, name: str, text: str) -> tuple[str, int]:
    first_line = editor.first_line.format(kind=kind)
    return editor.open(ROOT / "content" / kind / name, first_line + text), 1 if first_line else 0


def test_a_yaml_language_server_flags_mistakes_inline(editor):
    uri, shift = _open(editor, "events", "lsp-check.yaml", BROKEN_EVENT)
    assert editor.diagnostics(uri) == sorted([
        (1 + shift, 'Missing property "sources".'), (1 + shift, 'Missing property "status".'),
        (1 + shift, 'Missing property "summary".'), (3 + shift, "Property sumary is not allowed."),
        (4 + shift, 'Value is not accepted. Valid values: "call", "meeting", "summit", "statement", "announcement", "other".'),
    ])


def test_a_yaml_language_server_completes_fields_and_vocabularies(editor):
    uri, shift = _open(editor, "events", "lsp-check.yaml", BROKEN_EVENT)
    assert editor.diagnostics(uri)  # the schema is loaded
    fields = editor.completions(uri, 5 + shift, 0)
    assert {"summary", "status", "sources", "participants", "end_date"} <= set(fields)
    assert "id" not in fields and "title" not in fields  # the id is the file name; title is there already
    assert editor.completions(uri, 4 + shift, 6) == sorted(EVENT_KINDS)
    uri, shift = _open(editor, "positions", "lsp-check.yaml", "actor: a\ntopic: b\nstances:\n  - date: 2024-01\n    stance: \n")
    assert editor.completions(uri, 5 + shift, 12) == sorted(STANCES)
