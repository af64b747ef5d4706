"""Resolve references into a site graph: every entity, and every link back to it.

Pure: takes validated records, returns an immutable graph that templates only read.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from types import MappingProxyType
from typing import Iterator, Mapping

from pydantic import BaseModel

from .model import Actor, Event, GlossaryTerm, Position, Record, Site, Source, Topic
from .model import WIKILINK
from .validate import Validated


@dataclass(frozen=True)
class SiteGraph:
    """Everything the templates show, with references resolved in both directions."""

    site: Site
    actors: Mapping[str, Actor]
    topics: Mapping[str, Topic]
    positions: Mapping[str, Position]
    events: Mapping[str, Event]  # in time order (chronology.in_time_order)
    sources: Mapping[str, Source]
    glossary: Mapping[str, GlossaryTerm]
    kinds: Mapping[str, str]  # id → kind folder
    paths: Mapping[str, str]  # id → content file it came from
    members: Mapping[str, tuple[str, ...]]  # actor → actors affiliated with it
    positions_of_actor: Mapping[str, tuple[str, ...]]
    positions_on_topic: Mapping[str, tuple[str, ...]]
    events_of_actor: Mapping[str, tuple[str, ...]]
    events_on_topic: Mapping[str, tuple[str, ...]]
    cited_by: Mapping[str, tuple[str, ...]]  # source → entities that list it in sources
    mentioned_by: Mapping[str, tuple[str, ...]]  # id → entities whose text links [[id]]
    followed_by: Mapping[str, tuple[str, ...]]  # event → events that name it in after, in time order
    previous_event: Mapping[str, str | None]
    next_event: Mapping[str, str | None]

    def entity(self, entity_id: str) -> Record:
        return getattr(self, self.kinds[entity_id])[entity_id]

    def title(self, entity_id: str) -> str:
        """The human name of any entity."""
        record = self.entity(entity_id)
        if isinstance(record, Actor):
            return record.name
        if isinstance(record, GlossaryTerm):
            return record.term
        if isinstance(record, Position):
            return f"{self.actors[record.actor].name} on {self.topics[record.topic].title}"
        return record.title


def link(validated: Validated, memo: dict | None = None) -> SiteGraph:
    """Build the site graph from content that validated without errors.

    memo (kept between builds by one process) holds each record's sources and [[links]]: finding them
    walks every field, and the records of unchanged files are the same objects next time.
    """
    references_of = _references_of if memo is None else _remembering(memo, validated.records)
    records = validated.records
    events = validated.events_in_time_order
    by_kind = {kind: {r.id: r for r in rs} for kind, rs in records.items()}
    by_kind["events"] = {e.id: e for e in events}
    event_ids = [e.id for e in events]

    members, by_actor, on_topic = defaultdict(list), defaultdict(list), defaultdict(list)
    events_of_actor, events_on_topic, followed_by = defaultdict(list), defaultdict(list), defaultdict(list)
    # Dicts as ordered sets: an entity citing a source twice is listed once.
    cited_by, mentioned_by = defaultdict(dict), defaultdict(dict)
    for actor in records["actors"]:
        for parent in actor.affiliations:
            members[parent].append(actor.id)
    for position in records["positions"]:
        by_actor[position.actor].append(position.id)
        on_topic[position.topic].append(position.id)
    for event in events:
        for actor_id in event.participants:
            events_of_actor[actor_id].append(event.id)
        for topic_id in event.topics:
            events_on_topic[topic_id].append(event.id)
        for earlier in event.after:
            followed_by[earlier].append(event.id)
    for kind, kind_records in records.items():
        for record in kind_records:
            sources, wikilinks = references_of(record)
            for cited in sources:
                cited_by[cited][record.id] = None
            for mentioned in wikilinks:
                if mentioned != record.id:
                    mentioned_by[mentioned][record.id] = None

    # Sort each position list by the title of the other side, so pages read alphabetically.
    by_actor = {a: sorted(ps, key=lambda p: by_kind["topics"][by_kind["positions"][p].topic].title.casefold())
                for a, ps in by_actor.items()}
    on_topic = {t: sorted(ps, key=lambda p: by_kind["actors"][by_kind["positions"][p].actor].name.casefold())
                for t, ps in on_topic.items()}
    return SiteGraph(
        site=validated.site,
        **{kind: _frozen(by_kind[kind]) for kind in ("actors", "topics", "positions", "events", "sources", "glossary")},
        kinds=_frozen({r.id: kind for kind, rs in records.items() for r in rs}),
        paths=_frozen({doc_id: doc.path for doc_id, doc in validated.documents.items()}),
        members=_frozen_lists(members),
        positions_of_actor=_frozen_lists(by_actor),
        positions_on_topic=_frozen_lists(on_topic),
        events_of_actor=_frozen_lists(events_of_actor),
        events_on_topic=_frozen_lists(events_on_topic),
        cited_by=_frozen_lists(cited_by),
        mentioned_by=_frozen_lists(mentioned_by),
        followed_by=_frozen_lists(followed_by),
        previous_event=_frozen({e: (event_ids[i - 1] if i else None) for i, e in enumerate(event_ids)}),
        next_event=_frozen({e: (event_ids[i + 1] if i + 1 < len(event_ids) else None) for i, e in enumerate(event_ids)}),
    )


def _sources_of(record: Record) -> list[str]:
    # Read from the record's fields (a pydantic model keeps them in __dict__): getattr with
    # a default goes through pydantic's __getattr__ and an exception for a missing field.
    fields = record.__dict__
    found = list(fields.get("sources", ()))
    for stance in fields.get("stances", ()):
        found.extend(stance.sources)
    return found


def _references_of(record: Record) -> tuple[list[str], list[str]]:
    """The sources a record cites and the ids its text links with [[id]]."""
    return _sources_of(record), _wikilinks_of(record)


def _wikilinks_of(record: Record) -> list[str]:
    return [m.group(1).strip() for text in _texts_with_links(record) for m in WIKILINK.finditer(text)]


def _texts_with_links(value) -> Iterator[str]:
    # Every text of a record that may hold a [[id]] link, found without the field paths.
    if isinstance(value, str):
        if "[[" in value:
            yield value
    elif isinstance(value, BaseModel):
        for name, field_value in value.__dict__.items():  # its fields, in order
            if name != "id":
                yield from _texts_with_links(field_value)
    elif isinstance(value, tuple):
        for item in value:
            yield from _texts_with_links(item)


def _remembering(memo: dict, records: dict):
    current = {id(record) for kind_records in records.values() for record in kind_records}
    for key in memo.keys() - current:
        del memo[key]

    def references_of(record: Record) -> tuple[list[str], list[str]]:
        hit = memo.get(id(record))
        if hit is None or hit[0] is not record:
            hit = memo[id(record)] = (record, _references_of(record))
        return hit[1]
    return references_of


def _frozen(mapping: dict) -> Mapping:
    return MappingProxyType(dict(mapping))


def _frozen_lists(mapping: dict) -> Mapping:
    return MappingProxyType({key: tuple(values) for key, values in mapping.items()})
