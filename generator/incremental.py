"""Rebuild after an edit without redoing the whole site: for `mkdocs serve` and the benchmark.

A Rebuilder lives as long as the process (the preview server). Between two builds it keeps
the parsed files (load.LoadCache) and, for every page, the job it rendered, the graph
entries the template read, and the Markdown. On the next build it compares the old and new
site graphs entry by entry and re-renders only the pages that read an entry that changed;
every other page keeps its Markdown. What a template reads is recorded, not declared: the
template gets a graph whose mappings note each key looked up or asked for, "the keys" when
iterated or counted, and "all of it" when their values are listed; an entity notes each
field read, so a page that shows only an actor's name is not rendered again when the
actor's summary is edited. A rendered page is a function of its job and of the graph
entries it read, so a page whose job and entries are unchanged renders to the same bytes;
the tests check this against a full render after many kinds of edit.
"""

from __future__ import annotations

import dataclasses
import functools
import gc
import types
from collections.abc import Mapping
from dataclasses import dataclass, field

from pydantic import BaseModel

from .link import SiteGraph
from .load import LoadCache
from .memo import RecordMemo
from .validate import ValidationMemo
from .render import PageJob, current_environment, page_jobs, page_names, readable, render_page, templates_fingerprint

ALL = object()  # the dependency of a page that listed every value of a mapping
KEYS = object()  # the dependency of a page that iterated or counted a mapping's keys
IN = object()  # (mapping, key, IN): the dependency of a page that asked whether a key is there
_MISSING = object()


@functools.cache
def _field_names(model: type[BaseModel]) -> frozenset[str]:
    # model.model_fields is a property that costs more than the rest of a field's read.
    return frozenset(model.model_fields)


class _TrackedRecord:
    """An entity as templates see it, recording which of its fields they read.

    Anything else (methods, properties, comparing, printing) counts as reading all of it.
    """

    __slots__ = ("_record", "_mapping", "_key", "_used")

    def __init__(self, record: BaseModel, mapping: str, key: str, used: set):
        self._record, self._mapping, self._key, self._used = record, mapping, key, used

    def __getattr__(self, name: str):
        record = self._record
        value = getattr(record, name)
        if name in _field_names(type(record)):
            self._used.add((self._mapping, self._key, name))
        else:
            self._used.add((self._mapping, self._key))
        return value

    @property
    def __class__(self):
        # isinstance(…, Actor) holds: the kind of a mapping's entities never changes.
        return type(self._record)

    def _whole(self) -> BaseModel:
        self._used.add((self._mapping, self._key))
        return self._record

    def __eq__(self, other) -> bool:
        return self._whole() == (other._whole() if type(other) is _TrackedRecord else other)

    def __hash__(self) -> int:
        return hash(self._whole())

    def __iter__(self):
        return iter(self._whole())

    def __str__(self) -> str:
        return str(self._whole())

    def __repr__(self) -> str:
        return repr(self._whole())


class _TrackedMapping(Mapping):
    """A read-only view of one graph mapping that records which keys a template used."""

    __slots__ = ("_name", "_mapping", "_used", "_records")

    def __init__(self, name: str, mapping: Mapping, used: set):
        self._name, self._mapping, self._used = name, mapping, used
        # The graph's mappings of entities hold nothing else (see link.SiteGraph).
        self._records = isinstance(next(iter(mapping.values()), None), BaseModel)

    def __getitem__(self, key):
        # Templates look up hundreds of thousands of entries in a full render: kept inline.
        value = self._mapping[key]
        if self._records:
            return _TrackedRecord(value, self._name, key, self._used)
        self._used.add((self._name, key))
        return value

    def get(self, key, default=None):
        self._used.add((self._name, key, IN))  # a page may show whether there was one
        return self[key] if key in self._mapping else default

    def __contains__(self, key) -> bool:
        self._used.add((self._name, key, IN))
        return key in self._mapping

    def __iter__(self):
        self._used.add((self._name, KEYS))
        return iter(self._mapping)

    def __len__(self) -> int:
        self._used.add((self._name, KEYS))
        return len(self._mapping)

    def keys(self):
        self._used.add((self._name, KEYS))
        return self._mapping.keys()

    def values(self):
        if not self._records:
            self._used.add((self._name, ALL))
            return self._mapping.values()
        self._used.add((self._name, KEYS))
        return [_TrackedRecord(value, self._name, key, self._used) for key, value in self._mapping.items()]

    def items(self):
        if not self._records:
            self._used.add((self._name, ALL))
            return self._mapping.items()
        self._used.add((self._name, KEYS))
        return [(key, _TrackedRecord(value, self._name, key, self._used)) for key, value in self._mapping.items()]


class _TrackedGraph:
    """The site graph as templates see it, recording every entry they read into `used`."""

    def __init__(self, graph: SiteGraph, used: set):
        self._graph, self._used = graph, used

    def __getattr__(self, name: str):
        value = getattr(self._graph, name)
        if isinstance(value, Mapping):
            value = _TrackedMapping(name, value, self._used)
            setattr(self, name, value)  # later look-ups skip __getattr__
            return value
        if isinstance(value, types.MethodType):
            # Methods such as title() run against this tracked graph, so what they read counts.
            return types.MethodType(value.__func__, self)
        self._used.add((name, None))
        return value


def changed_entries(old: SiteGraph, new: SiteGraph) -> set:
    """Every (field, key) whose value differs between two graphs, with (field, key, name)
    for each field of an entity that differs and (field, key, IN) for a key added or removed,
    (field, ALL) for changed mappings, (field, KEYS) for added, removed or reordered keys,
    and (field, None) for other fields."""
    changed: set = set()
    for graph_field in dataclasses.fields(SiteGraph):
        name = graph_field.name
        before, after = getattr(old, name), getattr(new, name)
        if isinstance(after, Mapping):
            if before is after or (before == after and list(before) == list(after)):
                continue  # most mappings: compared in C, not key by key in Python
            keys = [k for k in before.keys() | after.keys()
                    if not _same(before.get(k, _MISSING), after.get(k, _MISSING))]
            for key in keys:
                changed.add((name, key))
                changed.update((name, key, record_field)
                               for record_field in _changed_fields(before.get(key), after.get(key)))
                if (key in before) != (key in after):
                    changed.add((name, key, IN))
            if keys:
                changed.add((name, ALL))
            if list(before) != list(after):
                changed.add((name, KEYS))
        elif not _same(before, after):
            changed.add((name, None))
    return changed


def _changed_fields(before, after) -> list[str]:
    """The fields that differ between two versions of an entity; all of them when one is missing."""
    records = [r for r in (before, after) if isinstance(r, BaseModel)]
    if len(records) < 2:
        return [name for record in records for name in type(record).model_fields]
    return [name for name in type(after).model_fields if getattr(before, name) != getattr(after, name)]


def _same(before, after) -> bool:
    return before is after or before == after


@dataclass(frozen=True)
class _CachedPage:
    job: PageJob
    used: frozenset
    markdown: str


@dataclass
class PageCache:
    """The rendered pages of the last build, with what each one read from the graph."""

    graph: SiteGraph | None = None
    pages: dict = field(default_factory=dict)  # path → _CachedPage
    templates: tuple = ()
    rendered: tuple = ()  # the paths the last build rendered again
    env: object = None
    names: tuple = ()  # the site-wide names and glossary the cached pages were rendered with
    named: tuple = ()  # what those names were made from (see _naming)

    def render(self, graph: SiteGraph) -> tuple[dict[str, str], tuple[str, ...]]:
        """Every page of the site, and the paths that had to be rendered again."""
        fingerprint = templates_fingerprint()
        if fingerprint != self.templates or self.graph is None:
            # Compiling the templates costs more than rendering a few pages: keep them
            # until one changes on disk.
            self.pages, self.templates, self.env = {}, fingerprint, current_environment()
        env = self.env
        names = self._page_names(graph)
        if names != self.names:
            self._forget_pages_naming(names)
        changed = changed_entries(self.graph, graph) if self.graph is not None else set()
        pages, rendered, cache = {}, [], {}
        for path, job in page_jobs(graph).items():
            cached = self.pages.get(path)
            if cached is None or cached.job != job or not cached.used.isdisjoint(changed):
                used: set = set()
                markdown = render_page(env, _TrackedGraph(graph, used), path, job, *names)
                cached = _CachedPage(job, frozenset(used), markdown)
                rendered.append(path)
            cache[path] = cached
            pages[path] = cached.markdown
        self.graph, self.pages, self.rendered = graph, cache, tuple(rendered)
        return pages, tuple(rendered)

    def _page_names(self, graph: SiteGraph) -> tuple:
        # Compiling the pattern of every name takes a tenth of a second at 10,000 entities,
        # and most edits change no name.
        named = _naming(graph)
        if named != self.named or not self.names:
            self.named = named
            return page_names(graph)
        return self.names

    def _forget_pages_naming(self, names: tuple) -> None:
        # Names link themselves and glossary terms get tooltips on any page that mentions
        # them, without the template reading their entity: so a page is stale when its text
        # holds a name or term that was added, removed or now means something else.
        if not self.names:
            self.pages, self.names = {}, names
            return
        (old_names, old_terms), (new_names, new_terms) = self.names, names
        spellings = _changed(old_names.ids, new_names.ids)
        terms = _changed(old_terms.definitions, new_terms.definitions)
        self.pages = {path: cached for path, cached in self.pages.items()
                      if not any(name in cached.markdown for name in spellings)
                      and not (terms and any(term in cached.markdown.casefold() for term in terms))}
        self.names = names


def _naming(graph: SiteGraph) -> tuple:
    """Every field that render.page_names reads: the names, aliases and definitions, the
    latter as the tooltips show them (with the names of the entities they refer to)."""
    return (tuple((a.id, a.name, a.aliases) for a in graph.actors.values()),
            tuple((t.id, t.title, t.aliases) for t in graph.topics.values()),
            tuple((g.term, g.aliases, readable(graph, g.definition)) for g in graph.glossary.values()))


def _changed(before: Mapping, after: Mapping) -> set:
    """The keys whose value differs between two mappings (added and removed ones too)."""
    return {key for key in before.keys() | after.keys() if before.get(key, _MISSING) != after.get(key, _MISSING)}


@dataclass
class Rebuilder:
    """What one process keeps from build to build (mkdocs serve): parsed files, rendered pages,
    the entities' parts of the open data and feeds."""

    files: LoadCache = field(default_factory=LoadCache)
    checks: ValidationMemo = field(default_factory=ValidationMemo)
    links: dict = field(default_factory=dict)
    pages: PageCache = field(default_factory=PageCache)
    exports: RecordMemo = field(default_factory=RecordMemo)
    frozen: bool = False

    def keep(self) -> None:
        """After the first build, exempt what it keeps from the cyclic garbage collector.

        At 10,000 entities the caches hold millions of objects, and a full collection that
        walked them all took over a second in the middle of a rebuild. Frozen objects are
        still freed by reference counting; only cycles among them would stay, so this is
        done once (after a collection), not after every build: MkDocs' pages of each build
        are cycles that must stay collectable.
        """
        if not self.frozen:
            gc.collect()
            gc.freeze()
            self.frozen = True

    def forget_pages(self) -> None:
        """After a build that did not write, trust nothing about the pages on disk."""
        self.pages = PageCache()
