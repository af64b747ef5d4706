"""Open data: the whole content as one JSON file with its JSON Schema, CSV tables and feeds.

Pure: reads the site graph, returns {path relative to docs/: text}; the pipeline hands these
to the writer with the pages, so the files are rebuilt from content/ on every build and
MkDocs copies them into the site as they are. Output is deterministic (content order, no
clock), so an unchanged content folder gives identical bytes.

Each file is put together from a part per entity, which a long-running process (mkdocs
serve) keeps in a RecordMemo: after an edit only the edited entity's parts are made again.
"""

from __future__ import annotations

import csv
import functools
import io
import json
from typing import Annotated, Callable, Optional

from pydantic import BaseModel, ConfigDict, Field, create_model

from .link import SiteGraph
from .model import Actor, Event, GlossaryTerm, Position, Source, Stance, Topic
from .feeds import ATOM_FEED, CALENDAR, atom_feed, icalendar
from .memo import RecordMemo
from .urls import page_url, site_address

DATA_DIR = "data"
DATASET = f"{DATA_DIR}/site.json"
SCHEMA = f"{DATA_DIR}/site.schema.json"
KIND_MODELS = {"actors": Actor, "topics": Topic, "positions": Position, "events": Event,
               "sources": Source, "glossary": GlossaryTerm}
CSV_TABLES = ("actors", "topics", "positions", "events", "sources", "glossary")
# Lists of ids are joined with "; " in a CSV cell; lists of sentences (aliases, outcomes)
# may contain ";" themselves, so they are joined with a line break.
ID_LISTS = {"affiliations", "participants", "topics", "sources"}


def exports(graph: SiteGraph, memo: RecordMemo | None = None) -> dict[str, str]:
    """Every open-data file and feed, as {path relative to docs/: text}.

    memo (kept between builds by one process) holds each entity's parts of the files.
    """
    memo = RecordMemo() if memo is None else memo
    return {path: make() for path, make in _makers(graph, memo, _Dumps(graph)).items()}


def export_paths(graph: SiteGraph) -> list[str]:
    """The paths exports() writes, without making the files."""
    return list(_makers(graph, RecordMemo(), None))


def _makers(graph: SiteGraph, memo: RecordMemo, dumps: _Dumps | None) -> dict[str, Callable[[], str]]:
    makers = {DATASET: lambda: dataset_json(graph, memo, dumps), SCHEMA: schema_json}
    makers.update({f"{DATA_DIR}/{kind}.csv": functools.partial(csv_table, graph, kind, memo, dumps)
                   for kind in CSV_TABLES})
    # A feed's ids and links must be absolute: without a base URL there is no feed.
    if graph.site.base_url:
        makers[ATOM_FEED] = lambda: atom_feed(graph, memo)
        makers[CALENDAR] = lambda: icalendar(graph, memo)
    return makers


# --- JSON --------------------------------------------------------------------------------

def dataset(graph: SiteGraph) -> dict:
    """The whole content as plain JSON-ready data, each entity with the address of its page."""
    data = {"site": _site_info(graph)}
    for kind in KIND_MODELS:
        data[kind] = [_exported(graph, record) for record in getattr(graph, kind).values()]
    return data


def _site_info(graph: SiteGraph) -> dict:
    site = graph.site
    return {"title": site.title, "description": site.description, "as_of": site.as_of,
            "base_url": site.base_url, "page": site_address(graph)}


def _exported(graph: SiteGraph, record: BaseModel) -> dict:
    return {**record.model_dump(mode="json"), "page": page_url(graph, record.id)}


class _Dumps:
    """_exported() of each record, made once for the JSON and the CSV of one build."""

    def __init__(self, graph: SiteGraph):
        self.graph = graph
        # Keyed by identity (hashing a record would hash every field): the graph keeps
        # every record alive while the build runs.
        self._by_record: dict[int, dict] = {}

    def of(self, record: BaseModel) -> dict:
        dumped = self._by_record.get(id(record))
        if dumped is None:
            dumped = self._by_record[id(record)] = _exported(self.graph, record)
        return dumped


def dataset_json(graph: SiteGraph, memo: RecordMemo | None = None, dumps: _Dumps | None = None) -> str:
    """data/site.json: dataset(graph) as JSON, one entity per line (easy to diff and grep)."""
    memo = RecordMemo() if memo is None else memo
    dumps = _Dumps(graph) if dumps is None else dumps
    members = {"site": _json(_site_info(graph))}
    for kind in KIND_MODELS:
        items = memo.joined(f"json {kind}", _with_address(graph, kind),
                            lambda item: _ITEM_START + _json(dumps.of(item[0])))
        members[kind] = "[" + items.removeprefix(",") + "\n  ]" if items else "[]"
    return "{\n" + ",\n".join(f"  {json.dumps(key)}: {text}" for key, text in members.items()) + "\n}\n"


def _with_address(graph: SiteGraph, kind: str) -> tuple[tuple, ...]:
    # What an entity's part shows: its record and, in its page's address, the base URL.
    base_url = graph.site.base_url
    return tuple((record, base_url) for record in getattr(graph, kind).values())


# One line per value: without indent, json.dumps runs in C (with indent, in Python:
# two thirds of the open data's time at 10,000 entities).
def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


# An item of a list in the top-level object; the list drops the first item's comma.
_ITEM_START = ",\n    "


# Every field is always written, defaults included: the schema says so ("required").
_SERIALIZED = ConfigDict(extra="forbid", json_schema_serialization_defaults_required=True)


class SiteInfo(BaseModel):
    model_config = _SERIALIZED

    title: str
    description: str = Field(description="Markdown; [[id]] refers to another entity by id.")
    as_of: str = Field(description="The date the content is current to (YYYY-MM-DD, YYYY-MM or YYYY).")
    base_url: Optional[str] = Field(description="The site's public address, when known.")
    page: str = Field(description="Address of the site's home page.")


def _exported_model(model: type[BaseModel]) -> type[BaseModel]:
    """The content model plus the address of the entity's page."""
    annotations = {"page": str}
    if model is Position:
        # Stances are written in full too.
        stance = type("Stance", (Stance,), {"__module__": __name__, "model_config": _SERIALIZED})
        annotations["stances"] = Annotated[tuple[stance, ...], Field(min_length=1)]
    namespace = {
        "__module__": __name__,
        "__annotations__": annotations,
        "model_config": _SERIALIZED,
        "page": Field(description="Address of the entity's page on the site (site-relative without a base URL)."),
    }
    return type(model.__name__, (model,), namespace)


def schema() -> dict:
    """JSON Schema (2020-12) of data/site.json, from the same models that validate content/."""
    fields = {kind: (list[_exported_model(model)], ...) for kind, model in KIND_MODELS.items()}
    dataset_model = create_model("Dataset", __config__=_SERIALIZED, site=(SiteInfo, ...), **fields)
    result = dataset_model.model_json_schema(mode="serialization")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "Explainer site: open data",
            "description": "Every entity of the site as curated in content/; see about/data/ on the site.",
            **{key: value for key, value in result.items() if key != "title"}}


@functools.cache  # the models do not change while the process runs
def schema_json() -> str:
    return json.dumps(schema(), ensure_ascii=False, indent=2) + "\n"


# --- CSV ---------------------------------------------------------------------------------

def csv_columns(kind: str) -> list[str]:
    """Column names of one CSV table: the model's fields, id first, then notes and page."""
    if kind == "positions":
        stance_fields = [name for name in Stance.model_fields if name != "notes"]
        return ["position", "actor", "topic", "stance_number", *stance_fields, "notes", "page"]
    fields = [name for name in KIND_MODELS[kind].model_fields if name not in ("id", "notes")]
    return ["id", *fields, "notes", "page"]


def _record_rows(kind: str, exported: dict) -> list[dict]:
    """An entity's rows as {column: value}, from its _exported() data; a position gives
    one row per stance."""
    if kind != "positions":
        return [exported]
    return [{"position": exported["id"], "actor": exported["actor"], "topic": exported["topic"],
             "stance_number": number, **stance, "page": exported["page"]}
            for number, stance in enumerate(exported["stances"], start=1)]


def csv_table(graph: SiteGraph, kind: str, memo: RecordMemo | None = None, dumps: _Dumps | None = None) -> str:
    """One CSV table (RFC 4180: comma-separated, CRLF line ends, a header row)."""
    memo = RecordMemo() if memo is None else memo
    dumps = _Dumps(graph) if dumps is None else dumps
    columns = csv_columns(kind)
    writer = _CsvWriter()
    rows = memo.joined(f"csv {kind}", _with_address(graph, kind),
                       lambda item: writer.text([[_cell(column, row.get(column)) for column in columns]
                                                 for row in _record_rows(kind, dumps.of(item[0]))]))
    return writer.text([columns]) + rows


class _CsvWriter:
    """CSV text of some rows at a time; one writer for a table's thousands of parts."""

    def __init__(self):
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer)

    def text(self, rows: list[list[str]]) -> str:
        self._buffer.seek(0)
        self._buffer.truncate()
        self._writer.writerows(rows)
        return self._buffer.getvalue()


def _cell(column: str, value) -> str:
    if value.__class__ is str:  # most cells: tested first
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ("; " if column in ID_LISTS else "\n").join(value)
    return str(value)
