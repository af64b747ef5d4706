"""The content model: one typed, immutable record per kind of entity.

The same models validate the YAML and produce the JSON Schema that editors' tools use,
so the editors' contract has one source of truth. Cross-file checks (does this id exist?)
live in validate.py; here is only what one file can tell about itself.
"""

from __future__ import annotations

import html
import re
from datetime import date as _date
from typing import Annotated, Literal, Optional

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

SLUG_PATTERN = r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$"
DATE_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

ACTOR_KINDS = ("person", "state", "organization", "alliance", "group")
STANCES = ("supports", "opposes", "conditional", "undecided")
EVENT_STATUSES = ("held", "planned", "proposed", "cancelled")
EVENT_KINDS = ("call", "meeting", "summit", "statement", "announcement", "other")
MEETING_KINDS = ("call", "meeting", "summit")  # the kinds of event at which the participants meet

# [[id]] or [[id|label]] in free text: a link to another entity.
WIKILINK = re.compile(r"\[\[([^\]|]*)(?:\|([^\]]*))?\]\]")

# Raw HTML could put a script on the site; Markdown autolinks (<https://…>) are fine.
_HTML = re.compile(r"<(?!https?://[^\s>]+>)[A-Za-z/!?]")
# Where Markdown takes a link address, and the start of that address: inline links
# [text](address), whose address Python-Markdown lets hold spaces and line breaks, and
# reference definitions "[name]: address" (anywhere: in a list item or a quote they may be
# indented), not footnotes "[^1]: text". The start is taken with its entities (&#58; is
# ':'), backslashes and white space, which a browser drops or decodes before the scheme.
_SCHEME_START = r"((?:[A-Za-z0-9+.\-\\]|&#?[A-Za-z0-9]+;{ws})*:?)"
_LINK_DESTINATION = re.compile(r"\]\(\s*<?" + _SCHEME_START.format(ws=r"|\s")
                               + r"|\[(?!\^)[^\[\]]*\]:[ \t]*\n?[ \t]*<?" + _SCHEME_START.format(ws=""))
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
# The attr_list extension turns {…} after an element into HTML attributes (onclick=…).
_ATTRIBUTE_LIST = re.compile(r"\{[^{}\n]*\}")
URL_PATTERN = r'^[hH][tT][tT][pP][sS]?://[^\s/$.?#<>"{}|\\^`][^\s<>"{}|\\^`]*$'


def _fail(error_type: str, message: str) -> PydanticCustomError:
    return PydanticCustomError(error_type, message)


# What _check_text refuses, as error type → message.
_REFUSALS = {
    "html": "raw HTML is not allowed — write Markdown instead, or escape '<' as '&lt;'",
    "url_scheme": "links must be http or https — remove the javascript:/data: link",
    "attribute_list": "curly braces {…} are not allowed: Markdown reads them as HTML attributes"
                      " — use parentheses or brackets instead",
}
REFUSED_TEXT = tuple(_REFUSALS)


def _check_text(value: str) -> str:
    refusal = _refusal(value)
    if refusal:
        raise _fail(refusal[0], _REFUSALS[refusal[0]])
    return value


def refused_text(value: str) -> str | None:
    """The start of what _check_text refuses in value, as written there (for its line), or None."""
    refusal = _refusal(value)
    return refusal[1] if refusal else None


def _refusal(value: str) -> tuple[str, str | None] | None:
    """The first thing _check_text refuses in value: its error type, and its start as written."""
    if found := _HTML.search(value):
        return "html", found.group(0)
    # Both kinds of link address follow "](" or "]:"; most texts have neither, and the
    # search for them was a sixth of validating the content.
    if "](" in value or "]:" in value:
        for match in _LINK_DESTINATION.finditer(value):
            destination = match.group(1) or match.group(2) or ""
            if _is_script_link(destination):
                return "url_scheme", (destination.split() or [None])[0]
    if found := _ATTRIBUTE_LIST.search(value):
        return "attribute_list", found.group(0).split()[0]
    return None


def _is_script_link(destination: str) -> bool:
    # Browsers decode entities (&#58; is ':') and drop tabs and newlines in an address,
    # so check the address as the browser will read it.
    address = re.sub(r"[\x00-\x20\x7f\\]", "", html.unescape(destination)).lower()
    scheme = _SCHEME.match(address)
    return bool(scheme) and scheme.group(1) not in ("http", "https")


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
    if not re.match(URL_PATTERN, value):
        raise _fail("url_scheme", f"'{value}' is not an http or https address — write it as https://…")
    return value


# The JSON Schema of each type says what the validators check, so editors' tools flag the
# same mistakes while typing (generator/schema.py exports it).
Text = Annotated[str, AfterValidator(_check_text)]
Line = Annotated[str, AfterValidator(_check_nonblank), AfterValidator(_check_text),
                 WithJsonSchema({"type": "string", "pattern": r"\S"})]
Slug = Annotated[str, Field(pattern=SLUG_PATTERN)]
DateText = Annotated[str, BeforeValidator(_year_as_text), AfterValidator(_check_date), WithJsonSchema({
    "anyOf": [{"type": "string", "pattern": DATE_PATTERN.pattern}, {"type": "integer", "minimum": 1000, "maximum": 9999}],
    "description": "YYYY-MM-DD, or YYYY-MM / YYYY when only that is known."})]
Url = Annotated[str, AfterValidator(_check_url), WithJsonSchema({"type": "string", "pattern": URL_PATTERN})]
SourceRefs = Annotated[tuple[Slug, ...], Field(min_length=1)]


class Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Slug = Field(description="The file name without .yaml (set by the generator).")
    notes: Text = Field("", description="Editor's note: inferred dates, contradictions, corrections.")


class Site(BaseModel):
    """The site: content/site.yaml."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: Line = Field(description="The site's name, shown in the header and on the home page.")
    description: Line = Field(description="One or two sentences on what the site explains (Markdown).")
    as_of: DateText = Field(description="The date the content is current to.")
    base_url: Optional[Url] = Field(
        None, description="The site's public address (like site_url in mkdocs.yml), for absolute links in "
                          "feeds, open data and structured data. Optional: `mkdocs build` uses site_url.")


_SOURCES = "Source ids (files in content/sources/) that back this."
_ALIASES = "Other names readers search for; each is also found by the site search."


class Actor(Record):
    """An actor: content/actors/<id>.yaml. A person, state, organization, alliance or group."""

    name: Line = Field(description="Full name, as the sources write it.")
    kind: Literal[ACTOR_KINDS] = Field(description="What sort of actor: " + ", ".join(ACTOR_KINDS) + ".")
    role: Text = Field("", description="Office or function, like 'Prime Minister of …'.")
    aliases: tuple[Line, ...] = Field((), description=_ALIASES)
    affiliations: tuple[Slug, ...] = Field((), description="Actor ids this actor belongs to (a minister to a state, a state to an alliance).")
    summary: Line = Field(description="Who this is and why they matter here, neutral and attributed (Markdown, [[id]] links).")
    sources: tuple[Slug, ...] = Field((), description=_SOURCES)


class Topic(Record):
    """A topic: content/topics/<id>.yaml. A question under negotiation."""

    title: Line = Field(description="The question's short name.")
    aliases: tuple[Line, ...] = Field((), description=_ALIASES)
    summary: Line = Field(description="Why it matters and what each side wants, neutral and attributed (Markdown).")
    sources: tuple[Slug, ...] = Field((), description=_SOURCES)


class Stance(BaseModel):
    """One dated stance of the actor on the topic."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    date: DateText = Field(description="When the actor took this stance: YYYY-MM-DD, YYYY-MM or YYYY.")
    date_inferred: bool = Field(False, description="true when the date is worked out, not stated; explain in notes.")
    stance: Literal[STANCES] = Field(description="supports, opposes, conditional (only on stated conditions) or undecided.")
    summary: Line = Field(description="What the actor said or did, attributed (Markdown).")
    quote: Text = Field("", description="Verbatim words of the actor, without quotation marks.")
    sources: SourceRefs = Field(description="At least one source id: every stance needs a source.")
    notes: Text = Field("", description="Editor's note: inferred dates, contradictions, corrections.")


class Position(Record):
    """A position: content/positions/<actor>--<topic>.yaml. An actor's stances on a topic over time."""

    actor: Slug = Field(description="The actor's id (content/actors/<id>.yaml).")
    topic: Slug = Field(description="The topic's id (content/topics/<id>.yaml).")
    stances: Annotated[tuple[Stance, ...], Field(min_length=1)] = Field(
        description="Dated stances, oldest first; a change of mind is a new entry, never an edit of an old one.")

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
    """An event: content/events/<id>.yaml. A call, meeting, summit, statement or announcement."""

    title: Line = Field(description="Short name of the event.")
    date: DateText = Field(description="When it happened (or is planned): YYYY-MM-DD, YYYY-MM or YYYY.")
    end_date: Optional[DateText] = Field(None, description="Last day, for events over several days; not before date.")
    date_inferred: bool = Field(False, description="true when the date is worked out, not stated; explain in notes.")
    after: tuple[Slug, ...] = Field((), description="Ids of events this one came after, where the dates cannot tell: "
                                                    "the same day, or only the month or year known.")
    kind: Literal[EVENT_KINDS] = Field("other", description="What sort of event: " + ", ".join(EVENT_KINDS) + ".")
    status: Literal[EVENT_STATUSES] = Field(description="Whether it took place: " + ", ".join(EVENT_STATUSES) + ".")
    location: Text = Field("", description="Where: the place, city and country.")
    participants: tuple[Slug, ...] = Field((), description="Actor ids of those who took part.")
    topics: tuple[Slug, ...] = Field((), description="Topic ids discussed.")
    summary: Line = Field(description="What happened, attributed (Markdown, [[id]] links).")
    outcomes: tuple[Line, ...] = Field((), description="What came of it, one entry per outcome, attributed.")
    sources: SourceRefs = Field(description="At least one source id: every event needs a source.")


class Source(Record):
    """A source: content/sources/<id>.yaml. An article or document that facts are cited from."""

    title: Line = Field(description="The article's or document's headline.")
    publisher: Text = Field("", description="Who published it, only if the source names it.")
    published: DateText = Field(description="Publication date, as exact as known: YYYY-MM-DD, YYYY-MM or YYYY.")
    published_inferred: bool = Field(False, description="true when the date is worked out, not stated; explain in notes.")
    url: Optional[Url] = Field(None, description="Address of the source: http:// or https:// only.")
    summary: Text = Field("", description="What it covers.")


class GlossaryTerm(Record):
    """A glossary term: content/glossary/<id>.yaml."""

    term: Line = Field(description="The term as readers meet it.")
    aliases: tuple[Line, ...] = Field((), description=_ALIASES)
    definition: Line = Field(description="A neutral definition (Markdown), with a citation where it helps.")


MODELS: dict[str, type[BaseModel]] = {
    "site": Site,
    "actors": Actor,
    "topics": Topic,
    "positions": Position,
    "events": Event,
    "sources": Source,
    "glossary": GlossaryTerm,
}
