"""Each kind of mistake an editor can make gives one exact, located problem."""

import shutil
import subprocess
import sys

import pytest

from generator.pipeline import check

from conftest import FIXTURE_CONTENT, ROOT

EVENT = "content/events/first-call.yaml"
POSITION = "content/positions/ada-north--ceasefire-first.yaml"
SOURCE = "content/sources/gazette-report.yaml"


@pytest.fixture
def content(tmp_path):
    target = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, target)
    return target


def problems_after(content, path: str, text: str | bytes) -> list[str]:
    target = content.parent / path
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        target.write_bytes(text)
    else:
        target.write_text(text, encoding="utf-8")
    graph, problems = check(content)
    return [str(p) for p in problems]


def edited(path: str, old: str, new: str) -> str:
    text = (FIXTURE_CONTENT.parent / path).read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    return text.replace(old, new, 1)


CASES = {
    "misspelt field": (EVENT, edited(EVENT, "summary:", "sumary:"), [
        f"{EVENT}:7: unknown field 'sumary' — did you mean 'summary'?",
    ]),
    "missing field": (EVENT, edited(EVENT, "status: held\n", ""), [
        f"{EVENT}:1: missing required field 'status' — add a line 'status: …'",
    ]),
    "duplicate key": (EVENT, edited(EVENT, "status: held\n", "status: held\nstatus: planned\n"), [
        f"{EVENT}:5: duplicate field 'status' (first on line 4) — keep one of them",
    ]),
    "id not a slug": ("content/topics/River_Border.yaml", "title: T\nsummary: S\n", [
        "content/topics/River_Border.yaml:1: the id 'River_Border' (the file name) is not a lowercase slug"
        " — rename the file to 'river-border.yaml'",
    ]),
    "date that does not exist": (EVENT, edited(EVENT, '"2024-01-15"', '"2024-02-30"'), [
        f"{EVENT}:2: date: '2024-02-30' is not a real date — check the month and the day",
    ]),
    "date in another format": (EVENT, edited(EVENT, '"2024-01-15"', '"15/01/2024"'), [
        f"{EVENT}:2: date: '15/01/2024' is not a date — expected YYYY-MM-DD, YYYY-MM or YYYY",
    ]),
    "end before start": (EVENT, edited(EVENT, 'date: "2024-01-15"\n', 'date: "2024-01-15"\nend_date: "2024-01-14"\n'), [
        f"{EVENT}:3: end_date 2024-01-14 is before date 2024-01-15 — swap them or fix the date",
    ]),
    "stance outside the vocabulary": (POSITION, edited(POSITION, "stance: supports", "stance: supprts"), [
        f"{POSITION}:5: stances[0].stance: 'supprts' is not allowed — did you mean 'supports'?",
    ]),
    "stances out of order": (POSITION, edited(POSITION, '"2024-02-20"', '"2023-12-01"'), [
        f"{POSITION}:9: stances[1].date 2023-12-01 is before the stance above it (2024-01)"
        " — list stances in date order, oldest first",
    ]),
    "event without a source": (EVENT, edited(EVENT, "sources: [gazette-report]", "sources: []"), [
        f"{EVENT}:10: sources: needs at least one entry — every fact needs a source: list at least one source id",
    ]),
    "stance without a source": (POSITION, edited(POSITION, "    sources: [gazette-report]\n", ""), [
        f"{POSITION}:4: missing required field 'sources' — add a line 'sources: …'",
    ]),
    "unknown reference": (EVENT, edited(EVENT, "[ada-north, southland]", "[ada-nort, southland]"), [
        f"{EVENT}:5: participants[0]: unknown actor 'ada-nort' — did you mean 'ada-north'?",
    ]),
    "unknown source of a stance": (POSITION, edited(POSITION, "sources: [courier-note]", "sources: [courier-nte]"), [
        f"{POSITION}:13: stances[1].sources[0]: unknown source 'courier-nte' — did you mean 'courier-note'?",
    ]),
    "position of an unknown actor": (POSITION, edited(POSITION, "actor: ada-north", "actor: ada-nrth"), [
        f"{POSITION}:1: actor: unknown actor 'ada-nrth' — did you mean 'ada-north'?",
    ]),
    "reference to the wrong kind": (EVENT, edited(EVENT, "topics: [ceasefire-first]", "topics: [truce]"), [
        f"{EVENT}:6: topics[0]: 'truce' is a glossary term, not a topic — name a topic id here",
    ]),
    "unknown [[id]] in text": (EVENT, edited(EVENT, "[[ada-north]]", "[[ada-nortth]]"), [
        f"{EVENT}:7: summary: [[ada-nortth]] links to an unknown id — did you mean 'ada-north'?",
    ]),
    "unknown [[id]] in a block of text: the line that holds it": (EVENT, edited(
        EVENT, "summary: A call between [[ada-north]] and [[southland]].",
        "summary: >-\n  A call between [[ada-north]]\n  and [[southlnd]]."), [
        f"{EVENT}:9: summary: [[southlnd]] links to an unknown id — did you mean 'southland'?",
    ]),
    "unknown [[id]] written with a YAML escape": (EVENT, edited(
        EVENT, "summary: A call between [[ada-north]] and [[southland]].",
        'summary: "A call between \\x5b[ada-nortth]] and \\x5b[southland]]."'), [
        f"{EVENT}:7: summary: [[ada-nortth]] links to an unknown id — did you mean 'ada-north'?",
    ]),
    "malformed YAML": (EVENT, edited(EVENT, "status: held", "status: [held"), [
        f"{EVENT}:5: YAML syntax error: did not find expected ',' or ']' (in the flow sequence that starts on line 4)"
        " — check indentation, colons, quotes and brackets",
    ]),
    "not a mapping": (EVENT, "- a\n- b\n", [
        f"{EVENT}:1: the file must be a mapping of field: value, not a list — write one field per line, like 'name: …'",
    ]),
    "empty file": (EVENT, "", [
        f"{EVENT}:1: the file is empty — fill in the fields of this kind (see the editors' guide)",
    ]),
    "not UTF-8": (EVENT, edited(EVENT, "Both agreed", "Both agreed").encode() .replace(b"Both", b"B\xf6th"), [
        f"{EVENT}:9: the file is not UTF-8 text (byte 0xf6) — save the file with UTF-8 encoding",
    ]),
    "Python object tag": (EVENT, edited(EVENT, "status: held", "status: !!python/object/apply:os.system [ls]"), [
        f"{EVENT}:4: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed"
        " — content files hold plain text, numbers, lists and mappings only",
    ]),
    "anchors and aliases": (EVENT, edited(EVENT, "participants: [ada-north, southland]",
                                          "participants: &p [ada-north, southland]\nlocation: *p"), [
        f"{EVENT}:5: YAML anchors and aliases (&name, *name) are not supported — write the value out in full",
    ]),
    "url that is not http": (SOURCE, edited(SOURCE, "https://example.org/gazette/talks-begin", "javascript:alert(1)"), [
        f"{SOURCE}:4: url: 'javascript:alert(1)' is not an http or https address — write it as https://…",
    ]),
    "raw HTML": (EVENT, edited(EVENT, "A call between", "<script>alert(1)</script> A call between"), [
        f"{EVENT}:7: summary: raw HTML is not allowed — write Markdown instead, or escape '<' as '&lt;'",
    ]),
    "script link in Markdown": (EVENT, edited(EVENT, "A call between", "A call [x](javascript:alert(1)) between"), [
        f"{EVENT}:7: summary: links must be http or https — remove the javascript:/data: link",
    ]),
    "one id in two kinds": ("content/topics/southland.yaml", "title: South\nsummary: S\n", [
        "content/topics/southland.yaml:1: the id 'southland' is already used by content/actors/southland.yaml"
        " — ids are unique across all kinds: rename one of the files",
    ]),
    "alias claimed twice": ("content/actors/south-bank.yaml",
                            "name: South bank\nkind: group\naliases: [the North]\nsummary: S\n", [
        "content/actors/south-bank.yaml:3: warning: 'the North' is also the name or an alias of 'northland'"
        " (content/actors/northland.yaml) — search and automatic links cannot tell them apart: keep it on one",
    ]),
    "list where text is expected": (EVENT, edited(EVENT, "title: First call", "title: [First, call]"), [
        f"{EVENT}:1: title: expected text, got a list",
    ]),
    "an event after an unknown event": (EVENT, edited(EVENT, "kind: call\n", "after: [river-sumit]\nkind: call\n"), [
        f"{EVENT}:3: after[0]: unknown event 'river-sumit' — did you mean 'river-summit'?",
    ]),
    "an event after itself": (EVENT, edited(EVENT, "kind: call\n", "after: [first-call]\nkind: call\n"), [
        f"{EVENT}:3: after: an event cannot come after itself — remove its own id",
    ]),
    "an event after a later one": (EVENT, edited(EVENT, "kind: call\n", "after:\n  - river-summit\nkind: call\n"), [
        f"{EVENT}:4: after: 'river-summit' is dated 2024-02-18, later than this event (2024-01-15)"
        " — fix one of the dates, or remove 'river-summit' from after",
    ]),
    "an event after one that comes after a later one": (
        "content/events/dock-meeting.yaml",
        'title: Dock meeting\ndate: "2024-04-10"\nafter: [second-summit]\nkind: meeting\nstatus: held\n'
        "summary: S.\nsources: [courier-note]\n", [
            "content/events/dock-meeting.yaml:3: after: 'second-summit' comes after 'harbour-talks', which is dated"
            " 2024-04-20, later than this event (2024-04-10) — fix one of the dates, or remove 'second-summit' from after",
        ]),
    "events after one another in a circle": (
        "content/events/harbour-talks.yaml",
        (FIXTURE_CONTENT / "events" / "harbour-talks.yaml").read_text().replace("kind:", "after: [second-summit]\nkind:"), [
            "content/events/harbour-talks.yaml:3: after: these events come after one another in a circle:"
            " 'harbour-talks' → 'second-summit' → 'harbour-talks'"
            " — remove one of these ids from the after of the event that names it",
        ]),
    "a second position on one pair": ("content/positions/ada-2.yaml",
                                      (FIXTURE_CONTENT / "positions" / "ada-north--ceasefire-first.yaml").read_text(), [
        "content/positions/ada-north--ceasefire-first.yaml:1: a second position of 'ada-north' on 'ceasefire-first'"
        " (the first is content/positions/ada-2.yaml) — add the stance to the stances of the first file instead",
    ]),
}


@pytest.mark.parametrize("name", CASES)
def test_each_mistake_gives_one_located_problem(content, name):
    path, text, expected = CASES[name]
    assert problems_after(content, path, text) == expected


def test_files_that_are_not_yaml_are_ignored(content):
    assert problems_after(content, "content/events/.DS_Store", b"\x00\x01binary") == []
    assert problems_after(content, "content/events/first-call.yaml~", "not: [valid") == []
    assert problems_after(content, "content/events/notes.txt", "anything") == []


def test_yml_files_are_flagged_not_read(content):
    assert problems_after(content, "content/events/draft.yml", "title: x\n") == [
        "content/events/draft.yml:1: warning: ignored: content files end in .yaml — rename it to draft.yaml"
    ]


def test_every_problem_in_one_run_sorted_by_file_and_line(content):
    (content / "sources" / "courier-note.yaml").write_text("title: [x\n")
    problems = problems_after(content, EVENT, edited(EVENT, "status: held", "status: hold").replace("ada-north", "nobody"))
    assert problems == [
        f"{EVENT}:4: status: 'hold' is not allowed — did you mean 'held'?",
        f"{EVENT}:5: participants[0]: unknown actor 'nobody' — create content/actors/nobody.yaml, or fix the id",
        f"{EVENT}:7: summary: [[nobody]] links to an unknown id — use the id of an actor, topic, event, source, position or term",
        "content/sources/courier-note.yaml:1: YAML syntax error: did not find expected ',' or ']'"
        " — check indentation, colons, quotes and brackets",
    ]


def test_the_command_line_prints_located_problems_and_exits_1(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    (content / "events" / "first-call.yaml").write_text("title: [broken\n")
    (content / "actors" / "northland.yaml").write_text("- not a mapping\n")
    for command in ("validate", "build"):
        result = subprocess.run([sys.executable, "-m", "generator", command], cwd=tmp_path,
                                capture_output=True, text=True, env={"PYTHONPATH": str(ROOT), "PATH": ""})
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        assert result.stderr.splitlines()[0].startswith("content/actors/northland.yaml:1: the file must be a mapping")
        assert "content/events/first-call.yaml:1: YAML syntax error" in result.stderr
    assert not (tmp_path / "docs").exists(), "a failed build must write nothing"


def test_the_real_content_validates():
    result = subprocess.run([sys.executable, "-m", "generator", "validate"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
