"""The content model: one typed, immutable record per kind of entity.

The same models validate the YAML and produce the JSON Schema that editors' tools use,
so the editors' contract has one source of truth. Cross-file checks (does this id exist?)
live in validate.py; here is only what one file can tell about itself.
"""

from __future__ import annotations

import re
from datetime import date as _date
from typing import Annotated, Any, Iterator, Literal, Optional

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

SLUG_PATTERN = r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$"
DATE_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

ACTOR_KINDS = ("person", "state", "organization", "alliance", "group")
STANCES = ("supports", "opposes", "conditional", "undecided")
EVENT_STATUSES = ("held", "planned", "proposed", "cancelled")
EVENT_KINDS = ("call", "meeting", "summit", "statement", "announcement", "other")

# [[id]] or [[id|label]] in free text: a link to another entity.
WIKILINK = re.compile(r"\[\[([^\]|]*)(?:\|([^\]]*))?\]\]")

# Raw HTML could put a script on the site; Markdown autolinks (<https://…>) are fine.
_HTML = re.compile(r"<(?!https?://[^\s>]+>)[A-Za-z/!?]")
_SCRIPT_URL = re.compile(r"\]\(\s*(?:javascript|data|vbscript):", re.IGNORECASE)


def _fail(error_type: str, message: str) -> PydanticCustomError:
    return PydanticCustomError(error_type, message)


def _check_text(value: str) -> str:
    if _HTML.search(value):
        raise _fail("html", "raw HTML is not allowed — write Markdown instead, or escape '<' as '&lt;'")
    if _SCRIPT_URL.search(value):
        raise _fail("url_scheme", "links must be http or https — remove the javascript:/data: link")
    return value


def _check_nonblank(value: str) -> str:
    if not value.strip():
        raise _fail("blank", "must not be empty — write the text, or remove the field if it is optional")
    return value


def _year_as_text(value: object) -> object:
    # YAML reads a bare year (2025) as a number; accept it as the date it means.
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return str(value)
    return value


def _check_date(value: str) -> str:
    match = DATE_PATTERN.match(value)
    if not match:
        raise _fail("date_format", f"'{value}' is not a date — expected YYYY-MM-DD, YYYY-MM or YYYY")
    year, month, day = (int(part) if part else 1 for part in match.groups())
    try:
        _date(year, month, day)
    except ValueError:
        raise _fail("date_value", f"'{value}' is not a real date — check the month and the day") from None
    return value


def _check_url(value: str) -> str:
    if not re.match(r"^https?://[^\s/$.?#][^\s]*$", value, re.IGNORECASE):
        raise _fail("url_scheme", f"'{value}' is not an http or https address — write it as https://…")
    return value


Text = Annotated[str, AfterValidator(_check_text)]
Line = Annotated[str, AfterValidator(_check_nonblank), AfterValidator(_check_text)]
Slug = Annotated[str, Field(pattern=SLUG_PATTERN)]
DateText = Annotated[str, BeforeValidator(_year_as_text), AfterValidator(_check_date)]
Url = Annotated[str, AfterValidator(_check_url)]
SourceRefs = Annotated[tuple[Slug, ...], Field(min_length=1)]


class Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Slug = Field(description="The file name without .yaml (set by the generator).")
    notes: Text = Field("", description="Editor's note: inferred dates, contradictions, corrections.")


class Site(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    title: Line
    description: Line
    as_of: DateText = Field(description="The date the content is current to.")
    base_url: Optional[Url] = Field(
        None, description="The site's public address (like site_url in mkdocs.yml), for absolute links in "
                          "feeds, open data and structured data. Optional: `mkdocs build` uses site_url.")


class Actor(Record):
    name: Line
    kind: Literal[ACTOR_KINDS]
    role: Text = ""
    aliases: tuple[Line, ...] = ()
    affiliations: tuple[Slug, ...] = Field((), description="Actor ids this actor belongs to.")
    summary: Line
    sources: tuple[Slug, ...] = ()


class Topic(Record):
    title: Line
    aliases: tuple[Line, ...] = ()
    summary: Line
    sources: tuple[Slug, ...] = ()


class Stance(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    date: DateText
    date_inferred: bool = False
    stance: Literal[STANCES]
    summary: Line
    quote: Text = Field("", description="Verbatim words of the actor, without quotation marks.")
    sources: SourceRefs
    notes: Text = ""


class Position(Record):
    actor: Slug
    topic: Slug
    stances: Annotated[tuple[Stance, ...], Field(min_length=1)]

    @property
    def since(self) -> str:
        """The date the latest stance began: the first of the run of equal stances at the end."""
        latest = self.stances[-1].stance
        since = self.stances[-1].date
        for stance in reversed(self.stances):
            if stance.stance != latest:
                break
            since = stance.date
        return since


class Event(Record):
    title: Line
    date: DateText
    end_date: Optional[DateText] = None
    date_inferred: bool = False
    kind: Literal[EVENT_KINDS] = "other"
    status: Literal[EVENT_STATUSES]
    location: Text = ""
    participants: tuple[Slug, ...] = ()
    topics: tuple[Slug, ...] = ()
    summary: Line
    outcomes: tuple[Line, ...] = ()
    sources: SourceRefs


class Source(Record):
    title: Line
    publisher: Text = ""
    published: DateText
    published_inferred: bool = False
    url: Optional[Url] = None
    summary: Text = ""


class GlossaryTerm(Record):
    term: Line
    aliases: tuple[Line, ...] = ()
    definition: Line


MODELS: dict[str, type[BaseModel]] = {
    "site": Site,
    "actors": Actor,
    "topics": Topic,
    "positions": Position,
    "events": Event,
    "sources": Source,
    "glossary": GlossaryTerm,
}


def walk_fields(value: Any, path: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    """Every leaf value of a record with its field path, like ("stances", 0, "summary")."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            if name != "id":
                yield from walk_fields(getattr(value, name), path + (name,))
    elif isinstance(value, tuple):
        for index, item in enumerate(value):
            yield from walk_fields(item, path + (index,))
    else:
        yield path, value
