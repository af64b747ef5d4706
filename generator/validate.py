"""Check loaded documents against the model and against each other → records and problems.

Pure: takes Documents, returns records and a list of located problems; reads nothing.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any, Iterator

from pydantic import BaseModel, ValidationError

from .chronology import cycles, in_time_order
from .load import Document
from .model import MODELS, REFUSED_TEXT, SLUG_PATTERN, WIKILINK, Record, Site, refused_text
from .problems import WARNING, Problem, did_you_mean


KIND_NOUN = {
    "actors": "an actor", "topics": "a topic", "positions": "a position", "events": "an event",
    "sources": "a source", "glossary": "a glossary term",
}

# Which fields hold ids, and what kind each must name. "*" stands for every list index.
REFERENCES = {
    "actors": ((("affiliations", "*"), "actors"), (("sources", "*"), "sources")),
    "topics": ((("sources", "*"), "sources"),),
    "positions": ((("actor",), "actors"), (("topic",), "topics"),
                  (("stances", "*", "sources", "*"), "sources")),
    "events": ((("after", "*"), "events"), (("participants", "*"), "actors"), (("topics", "*"), "topics"),
               (("sources", "*"), "sources")),
    "sources": (),
    "glossary": (),
}


@dataclass(frozen=True)
class Validated:
    """Content that passed the per-file checks, with the documents it came from."""

    site: Site | None
    records: dict[str, tuple[Record, ...]]  # kind → records sorted by id
    documents: dict[str, Document]  # id → document ("site" for the site file)
    events_in_time_order: tuple[Record, ...]  # chronology.in_time_order, for linking


@dataclass
class ValidationMemo:
    """Per-file results kept between validations in one process (mkdocs serve).

    Keyed by Document identity: load.LoadCache hands back the same Document for a file
    that did not change, so only changed files are checked against the schema again, and
    references are checked again only in changed files or when the set of ids changed.
    """

    records: dict = field(default_factory=dict)  # id(document) → (document, record, problems)
    references: dict = field(default_factory=dict)  # id(document) → (document, problems)
    kinds: dict = field(default_factory=dict)

    def record(self, document: Document, problems: list[Problem]) -> BaseModel | None:
        hit = self.records.get(id(document))
        if hit is None or hit[0] is not document:
            found: list[Problem] = []
            hit = self.records[id(document)] = (document, _validate_document(document, found), found)
        problems.extend(hit[2])
        return hit[1]

    def reference_problems(self, document: Document, kinds: dict[str, str]) -> list[Problem]:
        hit = self.references.get(id(document))
        if hit is None or hit[0] is not document:
            found = reference_problems(document, kinds)
            hit = self.references[id(document)] = (document, found)
        return hit[1]

    def start(self, kinds: dict[str, str]) -> None:
        if kinds != self.kinds:
            self.references, self.kinds = {}, kinds

    def keep_only(self, documents) -> None:
        current = {id(document) for document in documents}
        for memo in (self.records, self.references):
            for key in memo.keys() - current:
                del memo[key]


def validate(documents: tuple[Document, ...], unreadable: tuple[tuple[str, str], ...] = (),
             memo: ValidationMemo | None = None) -> tuple[Validated, list[Problem]]:
    """Validate every document and every reference between them; collect all problems.

    Files that could not be read still count as existing ids (unreadable), so one broken
    file is reported once, not again at every reference to it.
    """
    problems: list[Problem] = []
    site: Site | None = None
    records: dict[str, list[Record]] = {kind: [] for kind in REFERENCES}
    by_id: dict[str, Document] = {}
    for document in documents:
        record = memo.record(document, problems) if memo else _validate_document(document, problems)
        if document.kind == "site":
            site = record
            by_id["site"] = document
            continue
        if document.id in by_id and by_id[document.id].kind != "site":
            first = by_id[document.id]
            problems.append(Problem(document.path, 1, f"the id '{document.id}' is already used by {first.path}",
                                    "ids are unique across all kinds: rename one of the files"))
            continue
        by_id[document.id] = document
        if record is not None:
            records[document.kind].append(record)
    kinds = {doc_id: kind for kind, doc_id in unreadable if kind != "site"}
    kinds.update({doc_id: doc.kind for doc_id, doc in by_id.items() if doc.kind != "site"})
    # References are checked on the raw data, so a file with a schema error still gets
    # its references checked in the same run.
    if memo:
        memo.start(kinds)
        for document in by_id.values():
            problems.extend(memo.reference_problems(document, kinds))
        memo.keep_only(documents)
    else:
        for document in by_id.values():
            problems.extend(reference_problems(document, kinds))
    for kind_records in records.values():
        for record in kind_records:
            problems.extend(_check_semantics(record, by_id[record.id]))
    problems.extend(_check_position_pairs(records["positions"], by_id))
    ordered, left_out = in_time_order(records["events"])
    problems.extend(_circles_of_after(left_out, by_id))
    problems.extend(_dated_before_what_it_follows(ordered, by_id))
    problems.extend(_check_alias_conflicts(records, by_id))
    validated = Validated(site, {kind: tuple(sorted(rs, key=lambda r: r.id)) for kind, rs in records.items()}, by_id,
                          tuple(ordered))
    return validated, problems


def _validate_document(document: Document, problems: list[Problem]) -> BaseModel | None:
    model = MODELS[document.kind]
    data = dict(document.data)
    if document.kind != "site":
        if "id" in data:
            problems.append(Problem(document.path, document.line_of(("id",)),
                                    "'id' is not a field: the id is the file name",
                                    "remove this line, or rename the file"))
        data["id"] = document.id
        if not re.match(SLUG_PATTERN, document.id):
            problems.append(Problem(document.path, 1,
                                    f"the id '{document.id}' (the file name) is not a lowercase slug",
                                    f"rename the file to '{_slugify(document.id)}.yaml'"))
            data["id"] = _slugify(document.id) or "x"
    try:
        record = model.model_validate(data)
        return record if document.kind == "site" or record.id == document.id else None
    except ValidationError as error:
        errors = _without_missing_that_are_misspelt(model, error.errors())
        errors = [e for e in errors if not _is_bad_reference(document.kind, e)]
        problems.extend(_problem_from_error(document, model, item) for item in errors)
        return None


def _without_missing_that_are_misspelt(model: type[BaseModel], errors: list[dict]) -> list[dict]:
    # 'sumary:' is both an unknown field and a missing 'summary': say it once, as the typo.
    misspelt = set()
    for error in errors:
        if error["type"] == "extra_forbidden":
            loc = tuple(error["loc"])
            close = difflib.get_close_matches(str(loc[-1]), _fields_at(model, loc[:-1]), n=1, cutoff=0.6)
            misspelt.update(loc[:-1] + (name,) for name in close)
    # A list whose only entries are invalid is also reported as too short: say it once.
    with_bad_items = {tuple(e["loc"][:i]) for e in errors for i, part in enumerate(e["loc"]) if isinstance(part, int)}
    return [e for e in errors if not (e["type"] == "missing" and tuple(e["loc"]) in misspelt)
            and not (e["type"] == "too_short" and tuple(e["loc"]) in with_bad_items)]


def _is_bad_reference(kind: str, error: dict) -> bool:
    # A reference that is not a slug is also an unknown id: the reference check says so,
    # with a "did you mean", so the pattern error would only repeat it.
    return error["type"] == "string_pattern_mismatch" and any(
        _matches(tuple(error["loc"]), pattern) for pattern, _ in REFERENCES.get(kind, ()))


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _problem_from_error(document: Document, model: type[BaseModel], error: dict) -> Problem:
    loc = tuple(error["loc"])
    where = _field_name(loc)
    kind = error["type"]
    value = error.get("input")
    if kind == "missing":
        return Problem(document.path, document.line_of(loc[:-1]), f"missing required field '{loc[-1]}'",
                       f"add a line '{loc[-1]}: …'")
    if kind == "extra_forbidden":
        fields = _fields_at(model, loc[:-1])
        hint = did_you_mean(str(loc[-1]), fields) or f"known fields: {', '.join(fields)}"
        return Problem(document.path, document.line_of(loc), f"unknown field '{where}'", hint)
    if kind == "literal_error":
        expected = error["ctx"]["expected"].replace("'", "")
        choices = [c.strip() for c in expected.replace(" or ", ", ").split(",")]
        hint = did_you_mean(str(value), choices) or f"expected one of: {', '.join(choices)}"
        return Problem(document.path, document.line_of(loc), f"{where}: '{value}' is not allowed", hint)
    if kind == "string_pattern_mismatch":
        return Problem(document.path, document.line_of(loc), f"{where}: '{value}' is not a valid id",
                       "ids are lowercase letters, digits and hyphens, like 'foreign-ministry'")
    if kind == "too_short":
        return Problem(document.path, document.line_of(loc), f"{where}: needs at least one entry",
                       "every fact needs a source: list at least one source id" if "sources" in loc
                       else "add at least one entry")
    if kind in ("string_type", "tuple_type", "bool_type", "bool_parsing", "model_type", "dict_type"):
        expected = {"string_type": "text", "tuple_type": "a list", "bool_parsing": "true or false",
                    "bool_type": "true or false", "model_type": "a mapping of field: value",
                    "dict_type": "a mapping of field: value"}[kind]
        return Problem(document.path, document.line_of(loc),
                       f"{where}: expected {expected}, got {_describe(value)}",
                       _type_hint(expected, value))
    message, _, hint = error["msg"].partition(" — ")
    return Problem(document.path, _line_of_refused(document, loc, kind, value), f"{where}: {message}", hint)


def _line_of_refused(document: Document, loc: tuple, kind: str, value: Any) -> int:
    # In a text over several lines, the line that holds the raw HTML, script link or braces.
    refused = refused_text(value) if kind in REFUSED_TEXT and isinstance(value, str) else None
    return document.line_holding(loc, refused) if refused else document.line_of(loc)


def _type_hint(expected: str, value: Any) -> str:
    if expected == "a list":
        return "a list is written [a, b] or one '- item' per line"
    if expected == "text" and isinstance(value, (bool, int, float)):
        # YAML reads yes, no, on, off as true/false and 1.5 as a number.
        return "put the text in quotes, like \"yes\" or \"1.5\""
    return ""


def _field_name(loc: tuple) -> str:
    name = ""
    for part in loc:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name


def _fields_at(model: type[BaseModel], loc: tuple) -> list[str]:
    for part in loc:
        if isinstance(part, int):
            continue
        annotation = model.model_fields[part].annotation
        inner = getattr(annotation, "__args__", (annotation,))[0]
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            model = inner
    return [name for name in model.model_fields if name != "id"]


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"true/false ({value})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing"
    return f"'{value}'"


def _matches(path: tuple, pattern: tuple) -> bool:
    return len(path) == len(pattern) and all(p == "*" or p == q for p, q in zip(pattern, path))


def _leaves(value: Any, path: tuple = (), found: list | None = None) -> list[tuple[tuple, Any]]:
    """(path, value) of every scalar in the data, in order.

    Appended to one list: nested generators (yield from) cost a call per level for every
    value, and this walk runs over every file of every build.
    """
    found = [] if found is None else found
    if isinstance(value, dict):
        for key, item in value.items():
            _leaves(item, path + (key,), found)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _leaves(item, path + (index,), found)
    else:
        found.append((path, value))
    return found


def reference_problems(document: Document, kinds: dict[str, str]) -> list[Problem]:
    """Ids in reference fields and [[id]] links in text that name no entity of the right kind."""
    problems = list(_check_references(document, kinds))
    # Without a backslash (YAML's escapes) the text of every value is in the file as it
    # is, so a value holds "[[" only if the file does: most files link nothing by hand,
    # and walking every value of every file was a quarter of validation.
    if "[[" in document.text or "\\" in document.text:
        problems.extend(_check_wikilinks(document, kinds, _leaves(document.data)))
    return problems


def _pattern_leaves(value: Any, pattern: tuple, path: tuple = (), found: list | None = None) -> list[tuple[tuple, Any]]:
    """(path, value) of every scalar whose path matches pattern ("*": any key or index), in order."""
    found = [] if found is None else found
    if len(path) == len(pattern):
        if not isinstance(value, (dict, list)):
            found.append((path, value))
        return found
    part = pattern[len(path)]
    if isinstance(value, dict):
        items = value.items() if part == "*" else ([(part, value[part])] if part in value else [])
    elif isinstance(value, list) and part == "*":
        items = enumerate(value)
    else:
        return found
    for key, item in items:
        _pattern_leaves(item, pattern, path + (key,), found)
    return found


def _check_references(document: Document, kinds: dict[str, str]) -> Iterator[Problem]:
    for pattern, target in REFERENCES.get(document.kind, ()):
        for path, value in _pattern_leaves(document.data, pattern):
            if kinds.get(str(value)) != target:
                problem = _reference_problem(str(value), target, kinds)
                yield Problem(document.path, document.line_of(path), f"{_field_name(path)}: {problem[0]}", problem[1])


def _reference_problem(ref: str, target: str, kinds: dict[str, str]) -> tuple[str, str]:
    if ref in kinds:
        return (f"'{ref}' is {KIND_NOUN[kinds[ref]]}, not {KIND_NOUN[target]}",
                f"name {KIND_NOUN[target]} id here")
    candidates = [i for i, k in kinds.items() if k == target]
    hint = did_you_mean(ref, candidates) or f"create content/{target}/{ref}.yaml, or fix the id"
    return f"unknown {KIND_NOUN[target].split()[1]} '{ref}'", hint


def _check_wikilinks(document: Document, kinds: dict[str, str], leaves: list) -> Iterator[Problem]:
    for path, value in leaves:
        if not isinstance(value, str) or "[[" not in value:
            continue
        for match in WIKILINK.finditer(value):
            ref = match.group(1).strip()
            if ref not in kinds:
                hint = did_you_mean(ref, kinds) or "use the id of an actor, topic, event, source, position or term"
                yield Problem(document.path, document.line_holding(path, "[[" + match.group(1)),
                              f"{_field_name(path)}: [[{ref}]] links to an unknown id", hint)


def _check_semantics(record: Record, document: Document) -> Iterator[Problem]:
    kind = document.kind
    if kind == "events" and record.end_date and _earlier(record.end_date, record.date):
        yield Problem(document.path, document.line_of(("end_date",)),
                      f"end_date {record.end_date} is before date {record.date}", "swap them or fix the date")
    if kind == "positions":
        for index in range(1, len(record.stances)):
            before, after = record.stances[index - 1], record.stances[index]
            if _earlier(after.date, before.date):
                yield Problem(document.path, document.line_of(("stances", index, "date")),
                              f"stances[{index}].date {after.date} is before the stance above it ({before.date})",
                              "list stances in date order, oldest first")
    if kind == "actors" and record.id in record.affiliations:
        yield Problem(document.path, document.line_of(("affiliations",)),
                      "affiliations: an actor cannot belong to itself", "remove its own id")


def _earlier(first: str, second: str) -> bool:
    """Whether date first is surely before date second; '2025-08' is not before '2025-08-15'."""
    length = min(len(first), len(second))
    return first[:length] < second[:length]


def _circles_of_after(left_out: list[Record], by_id: dict[str, Document]) -> Iterator[Problem]:
    """Events that come after one another in a circle (what in_time_order left out)."""
    for cycle in cycles(left_out):
        event = by_id[cycle[0]]
        if len(cycle) == 1:
            yield Problem(event.path, _line_of_after(event, cycle[0]), "after: an event cannot come after itself",
                          "remove its own id")
            continue
        circle = " → ".join(f"'{event_id}'" for event_id in (*cycle, cycle[0]))
        yield Problem(event.path, _line_of_after(event, cycle[1]),
                      f"after: these events come after one another in a circle: {circle}",
                      "remove one of these ids from the after of the event that names it")


def _dated_before_what_it_follows(ordered: list[Record], by_id: dict[str, Document]) -> Iterator[Problem]:
    """An event said to come after one (or through others after one) dated later than itself."""
    if not any(event.after for event in ordered):
        return
    dated = {event.id: event.date for event in ordered}
    latest: dict[str, tuple[str, str]] = {}  # id → (date, id): the latest event it comes after, through others too
    for event in ordered:
        bounds = {other: max((dated[other], other), latest.get(other, ("", "")))
                  for other in event.after if other in dated}
        if not bounds:
            continue
        latest[event.id] = max(bounds.values())
        late = [(other, bound) for other, bound in bounds.items() if _earlier(event.date, bound[0])]
        if late:
            other, (date, via) = late[0]
            through = "" if via == other else f" comes after '{via}', which"
            document = by_id[event.id]
            yield Problem(document.path, _line_of_after(document, other),
                          f"after: '{other}'{through} is dated {date}, later than this event ({event.date})",
                          f"fix one of the dates, or remove '{other}' from after")


def _line_of_after(document: Document, event_id: str) -> int:
    after = document.data.get("after")
    if isinstance(after, list) and event_id in after:
        return document.line_of(("after", after.index(event_id)))
    return document.line_of(("after",))


def _check_position_pairs(positions: list[Record], by_id: dict[str, Document]) -> Iterator[Problem]:
    seen: dict[tuple[str, str], str] = {}
    for position in sorted(positions, key=lambda p: by_id[p.id].path):
        pair = (position.actor, position.topic)
        if pair in seen:
            document = by_id[position.id]
            yield Problem(document.path, document.line_of(("actor",)),
                          f"a second position of '{pair[0]}' on '{pair[1]}' (the first is {by_id[seen[pair]].path})",
                          "add the stance to the stances of the first file instead")
        else:
            seen[pair] = position.id


def _check_alias_conflicts(records: dict[str, list[Record]], by_id: dict[str, Document]) -> Iterator[Problem]:
    claimed: dict[str, str] = {}
    for kind in ("actors", "topics", "glossary"):
        for record in sorted(records[kind], key=lambda r: r.id):
            names = [getattr(record, "name", None) or getattr(record, "title", None) or record.term]
            for name in (*names, *record.aliases):
                key = name.casefold()
                owner = claimed.setdefault(key, record.id)
                if owner != record.id:
                    document = by_id[record.id]
                    yield Problem(document.path, document.line_of(("aliases",)),
                                  f"'{name}' is also the name or an alias of '{owner}' ({by_id[owner].path})",
                                  "search and automatic links cannot tell them apart: keep it on one", WARNING)
