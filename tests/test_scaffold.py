"""`python -m generator new <kind> <id>`: starter files that teach, and plain refusals."""

import re
import shutil
import subprocess
import sys

import pytest

from generator.pipeline import check
from generator.schema import SCHEMA_DIR

from conftest import FIXTURE_CONTENT, ROOT

# What an editor writes in place of each "" / [] placeholder, by field name.
FILLED = {
    "name": "Bo Lake", "title": "A new thing", "term": "Accord", "summary": "Said to matter by [[gazette-report]].",
    "definition": "A formal agreement.", "date": "2024-01-20", "published": "2024-01", "kind": None,
    "status": "held", "stance": "conditional", "sources": "[gazette-report]",
}
KIND_VALUE = {"actors": "person", "events": "meeting"}


def run_new(tmp_path, *args):
    return subprocess.run([sys.executable, "-m", "generator", "new", *args], cwd=tmp_path, capture_output=True,
                          text=True, env={"PYTHONPATH": str(ROOT), "PATH": ""})


@pytest.fixture
def content(tmp_path):
    shutil.copytree(FIXTURE_CONTENT, tmp_path / "content")
    return tmp_path / "content"


def fill_placeholders(text: str, kind: str) -> str:
    def value(match):
        field = match.group(2)
        filled = KIND_VALUE[kind] if field == "kind" else FILLED.get(field)
        if filled is None:  # an optional field: left as it is, it must still validate
            return match.group(0)
        return f"{match.group(1)}{field}: {filled if filled.startswith('[') else repr(filled)}"
    return re.sub(r'^(\s*(?:- )?)(\w+): (?:""|\[\])', value, text, flags=re.MULTILINE)


STARTERS = [("actor", "bo-lake", "actors"), ("topic", "water-rights", "topics"),
            ("position", "ada-north--river-dispute", "positions"), ("event", "third-call", "events"),
            ("source", "herald-piece", "sources"), ("term", "accord", "glossary")]


@pytest.mark.parametrize("kind_name, new_id, folder", STARTERS)
def test_a_starter_validates_once_its_placeholders_are_filled(tmp_path, content, kind_name, new_id, folder):
    result = run_new(tmp_path, kind_name, new_id)
    assert result.returncode == 0, result.stderr
    path = content / folder / f"{new_id}.yaml"
    assert result.stdout == f"wrote content/{folder}/{new_id}.yaml: fill in every \"\", then run `python -m generator validate`\n"
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == f"# yaml-language-server: $schema=../../schemas/{folder}.schema.json"
    assert (ROOT / "content" / folder / f"../../schemas/{folder}.schema.json").resolve() == SCHEMA_DIR / f"{folder}.schema.json"
    unfilled = [str(p) for p in check(content)[1]]
    assert unfilled and all(p.startswith(f"content/{folder}/{new_id}.yaml:") for p in unfilled)
    path.write_text(fill_placeholders(text, folder), encoding="utf-8")
    graph, problems = check(content)
    assert [str(p) for p in problems] == []
    assert new_id in graph.kinds


def test_an_unfilled_starter_names_every_field_to_fill(tmp_path, content):
    assert run_new(tmp_path, "event", "third-call").returncode == 0
    path = "content/events/third-call.yaml"
    assert [str(p) for p in check(content)[1]] == [
        f"{path}:4: title: must not be empty — write the text, or remove the field if it is optional",
        f"{path}:5: date: '' is not a date — expected YYYY-MM-DD, YYYY-MM or YYYY",
        f"{path}:6: kind: '' is not allowed — expected one of: call, meeting, summit, statement, announcement, other",
        f"{path}:7: status: '' is not allowed — expected one of: held, planned, proposed, cancelled",
        f"{path}:11: summary: must not be empty — write the text, or remove the field if it is optional",
        f"{path}:13: sources: needs at least one entry — every fact needs a source: list at least one source id",
    ]


def test_a_position_starter_takes_actor_and_topic_from_its_id(tmp_path, content):
    assert run_new(tmp_path, "position", "southland--ceasefire-first").returncode == 0
    text = (content / "positions" / "southland--ceasefire-first.yaml").read_text(encoding="utf-8")
    assert 'actor: "southland"\ntopic: "ceasefire-first"\n' in text


REFUSALS = {
    "an existing id": (("actor", "northland"),
                       "error: the id 'northland' is already used by content/actors/northland.yaml"
                       " — choose another id (ids are unique across all kinds), or edit that file"),
    "an id used by another kind": (("topic", "gazette-report"),
                                   "error: the id 'gazette-report' is already used by content/sources/gazette-report.yaml"
                                   " — choose another id (ids are unique across all kinds), or edit that file"),
    "an id that is not a slug": (("actor", "Bo_Lake"),
                                 "error: 'Bo_Lake' is not a valid id — ids are lowercase letters, digits and hyphens,"
                                 " like 'bo-lake'"),
    "an unknown kind": (("actr", "bo-lake"), "error: 'actr' is not a kind of content — did you mean 'actor'?"),
    "a kind nothing is close to": (("zzz", "bo-lake"), "error: 'zzz' is not a kind of content"
                                   " — the kinds are: actor, topic, position, event, source, term, glossary"),
}


@pytest.mark.parametrize("name", REFUSALS)
def test_new_refuses_with_one_plain_error(tmp_path, content, name):
    args, message = REFUSALS[name]
    before = sorted(p.relative_to(content) for p in content.rglob("*"))
    result = run_new(tmp_path, *args)
    assert result.returncode == 1
    assert result.stderr == message + "\n"
    assert result.stdout == ""
    assert sorted(p.relative_to(content) for p in content.rglob("*")) == before
    assert (FIXTURE_CONTENT / "actors" / "northland.yaml").read_bytes() == (content / "actors" / "northland.yaml").read_bytes()


def test_new_without_a_content_folder_says_where_to_run(tmp_path):
    result = run_new(tmp_path, "actor", "bo-lake")
    assert result.returncode == 1
    assert result.stderr == ("error: there is no content folder at 'content' — run this in the project root,"
                             " or pass --content DIR\n")
    assert not (tmp_path / "content").exists()
