"""Synthetic content of any size, for the benchmark: invented names, valid, reproducible.

`python -m generator synth --entities 3000 --seed 1 --out /tmp/synth` writes a content
folder shaped like a real explainer: actors in states and alliances, topics, positions with
several stances that change over time, events with participants, topics and sources (some
after another of the same day), and a glossary. Every name is made of invented syllables;
every reference resolves. The same size and seed give the same bytes.
"""

from __future__ import annotations

import functools
import itertools
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .model import EVENT_KINDS, EVENT_STATUSES, STANCES

# Shares of the entities by kind (positions take the rest). Glossary terms are few on a
# real site whatever its size, so they are capped.
SHARES = {"actors": 0.15, "topics": 0.05, "sources": 0.25, "events": 0.25}
GLOSSARY_SHARE, GLOSSARY_MAX = 0.01, 120
FIRST_YEAR, YEARS = 2031, 6
MARKER = ".synthetic"  # an invented future, so no date matches a real event

_ONSETS = ("b", "br", "d", "dr", "f", "g", "gr", "h", "k", "kr", "l", "m", "n", "p", "qu",
           "r", "s", "st", "t", "tr", "v", "w", "z", "th", "sk")
_VOWELS = ("a", "e", "i", "o", "u", "ae", "ei", "ou", "y")
_CODAS = ("", "", "n", "r", "l", "s", "th", "x", "m", "nd", "rk")
_STATE_ENDINGS = ("ovia", "aran", "istan", "ethia", "undra", "esse", "orica", "avel")
_PLACE_ENDINGS = ("haven", "mere", "gard", "wick", "holm", "port", "ford", "vale")
_ISSUES = ("Border line at", "Prisoner exchange with", "Grain exports through", "Energy transit via",
           "Troop withdrawal from", "Sanctions relief for", "Port access at", "Water rights on",
           "Election timing in", "Security guarantees for", "Reconstruction fund for",
           "Airspace control over", "Demining around", "Refugee return to", "Customs union with")
_ORG_KINDS = ("Council", "Commission", "Assembly", "League", "Bureau", "Forum", "Mission")
_ROLES = ("Foreign minister", "Chief negotiator", "Defence minister", "Special envoy", "Head of state",
          "Prime minister", "Ambassador", "Spokesperson")
_VERBS = ("proposed", "rejected", "welcomed", "questioned", "endorsed", "delayed", "revised", "tabled")
_OBJECTS = ("a phased withdrawal", "a joint monitoring mission", "a temporary truce", "new customs rules",
            "a prisoner exchange", "a timetable for elections", "a demilitarised zone",
            "guarantees for shipping", "a reconstruction fund", "an observer mission")
_CONDITIONS = ("if monitors are present", "once the truce holds", "after the elections",
               "provided shipping resumes", "subject to a referendum", "if sanctions are eased")
_PUBLISHER_NOUNS = ("Courier", "Gazette", "Herald", "Dispatch", "Ledger", "Observer", "Tribune")


@dataclass
class _Names:
    """Invented names, each used once."""

    rng: random.Random
    used: set = field(default_factory=set)

    def syllable(self) -> str:
        return self.rng.choice(_ONSETS) + self.rng.choice(_VOWELS) + self.rng.choice(_CODAS)

    def word(self, syllables: int, ending: str = "") -> str:
        return ("".join(self.syllable() for _ in range(syllables)) + ending).capitalize()

    def unique(self, make) -> str:
        while True:
            name = make()
            if name.casefold() not in self.used:
                self.used.add(name.casefold())
                return name


@dataclass
class _Plan:
    """The ids and the few facts other entities need, before any file is written."""

    actors: list = field(default_factory=list)  # (id, kind)
    topics: list = field(default_factory=list)
    sources: list = field(default_factory=list)  # (id, published date), in date order
    events: list = field(default_factory=list)
    glossary: list = field(default_factory=list)


def counts_for(entities: int) -> dict[str, int]:
    """How many entities of each kind a site of this size has."""
    counts = {kind: max(2, round(entities * share)) for kind, share in SHARES.items()}
    counts["glossary"] = max(1, min(GLOSSARY_MAX, round(entities * GLOSSARY_SHARE)))
    counts["positions"] = max(1, entities - sum(counts.values()))
    return counts


def write_content(out: Path, entities: int, seed: int = 1) -> dict[str, int]:
    """Write a synthetic content folder of about `entities` entities into out (replacing it)."""
    rng = random.Random(seed)
    names = _Names(rng)
    counts = counts_for(entities)
    _clear(out)
    files: dict[str, dict] = {"site.yaml": _site(entities)}
    plan = _Plan()
    files.update(_sources(rng, names, counts["sources"], plan))
    files.update(_glossary(rng, names, counts["glossary"], plan))
    files.update(_actors(rng, names, counts["actors"], plan))
    files.update(_topics(rng, names, counts["topics"], plan))
    files.update(_positions(rng, counts["positions"], plan))
    files.update(_events(rng, names, counts["events"], plan))
    for relative, data in files.items():
        _dump(out / relative, data)
    return {kind: sum(1 for name in files if name.startswith(kind + "/")) for kind in counts}


def _clear(out: Path) -> None:
    # Replace only a folder this module wrote: `--out content` must not delete real content.
    if out.exists() and any(out.iterdir()):
        if not (out / MARKER).exists():
            raise SystemExit(f"{out}/ exists and was not written by synth: choose an empty or new folder")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("synthetic content written by `python -m generator synth`\n", encoding="utf-8")


def _dump(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text = yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100)
    path.write_text(text, encoding="utf-8")


def _slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def _date(rng: random.Random, precision_weights=(85, 10, 5)) -> str:
    year = FIRST_YEAR + rng.randrange(YEARS)
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    precision = rng.choices(("day", "month", "year"), weights=precision_weights)[0]
    if precision == "year":
        return f"{year}"
    return f"{year}-{month:02d}" if precision == "month" else f"{year}-{month:02d}-{day:02d}"


def _pick(rng: random.Random, items: list, k: int, skew: float = 10.0) -> list:
    """k distinct items, the first ones more often (a few actors are in most events)."""
    k = min(k, len(items))
    cumulative = _cumulative_weights(len(items), skew)
    chosen: dict = {}
    while len(chosen) < k:
        chosen[rng.choices(items, cum_weights=cumulative)[0]] = None
    return list(chosen)


@functools.lru_cache(maxsize=None)
def _cumulative_weights(count: int, skew: float) -> tuple[float, ...]:
    return tuple(itertools.accumulate(1.0 / (rank + skew) for rank in range(count)))


def _near_sources(rng: random.Random, plan: _Plan, date: str, k: int) -> list[str]:
    """Sources published around a date: coverage follows the events it reports."""
    ordered = plan.sources
    low, high = 0, len(ordered)
    while low < high:  # first source published on or after the date
        middle = (low + high) // 2
        low, high = (middle + 1, high) if ordered[middle][1] < date else (low, middle)
    window = ordered[max(0, low - 20): low + 20] or ordered
    return sorted({rng.choice(window)[0] for _ in range(k)})


def _sentence(rng: random.Random, subject: str, mention: str | None = None) -> str:
    text = f"{subject} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)}"
    if mention:
        text += f", according to [[{mention}]]"
    return text + "."


def _site(entities: int) -> dict:
    return {"title": f"Synthetic talks explained ({entities} entities)",
            "description": "An invented negotiation between invented parties, generated for the benchmark.",
            "as_of": f"{FIRST_YEAR + YEARS - 1}-12-31"}


def _sources(rng, names: _Names, count: int, plan: _Plan) -> dict:
    publishers = [f"The {names.word(2, rng.choice(_PLACE_ENDINGS))} {rng.choice(_PUBLISHER_NOUNS)}"
                  for _ in range(max(3, count // 50))]
    files = {}
    for index in range(count):
        published = _date(rng, (90, 8, 2))
        headline = f"{names.word(2)} talks {rng.choice(_VERBS)} {rng.choice(_OBJECTS)}"
        source_id = f"{_slug(headline)}-{index:05d}"
        data = {"title": headline, "publisher": rng.choice(publishers), "published": published}
        if rng.random() < 0.7:
            data["url"] = f"https://example.org/news/{source_id}"
        data["summary"] = f"Reports that {rng.choice(_OBJECTS)} was discussed {rng.choice(_CONDITIONS)}."
        files[f"sources/{source_id}.yaml"] = data
        plan.sources.append((source_id, published))
    plan.sources.sort(key=lambda item: (item[1], item[0]))
    return files


def _glossary(rng, names: _Names, count: int, plan: _Plan) -> dict:
    files = {}
    for _ in range(count):
        term = names.unique(lambda: f"{names.word(2)} {rng.choice(('clause', 'line', 'formula', 'protocol'))}")
        term_id = _slug(term)
        files[f"glossary/{term_id}.yaml"] = {
            "term": term, "definition": f"A provision on {rng.choice(_OBJECTS)}, applied {rng.choice(_CONDITIONS)}."}
        plan.glossary.append(term_id)
    return files


def _actors(rng, names: _Names, count: int, plan: _Plan) -> dict:
    # A few states and alliances; most actors are people and organisations belonging to them.
    states = max(2, count // 12)
    alliances = max(1, count // 60)
    files = {}
    for index in range(count):
        if index < alliances:
            kind, name = "alliance", names.unique(lambda: f"{names.word(2)} Pact")
        elif index < alliances + states:
            kind, name = "state", names.unique(lambda: names.word(1, rng.choice(_STATE_ENDINGS)))
        elif rng.random() < 0.25:
            kind, name = "organization", names.unique(
                lambda: f"{names.word(2)} {rng.choice(_ORG_KINDS)}")
        else:
            kind, name = "person", names.unique(lambda: f"{names.word(2)} {names.word(3)}")
        actor_id = _slug(name)
        files[f"actors/{actor_id}.yaml"] = _actor_data(rng, name, kind, plan, alliances, states)
        plan.actors.append((actor_id, kind))
    return files


def _actor_data(rng, name: str, kind: str, plan: _Plan, alliances: int, states: int) -> dict:
    data: dict = {"name": name, "kind": kind}
    # States belong to alliances; people and organisations to states.
    candidates = plan.actors[:alliances] if kind == "state" else plan.actors[alliances:alliances + states]
    parents = [actor_id for actor_id, _ in candidates]
    if kind in ("person", "organization"):
        data["role"] = rng.choice(_ROLES) if kind == "person" else "Negotiating body"
    if rng.random() < 0.3:
        data["aliases"] = [f"{name.split()[0]} ({rng.choice(('short', 'local'))} form)"]
    if parents and kind != "alliance":
        data["affiliations"] = _pick(rng, parents, 1 if kind != "state" else rng.randint(0, 2))
    mention = rng.choice(plan.glossary) if plan.glossary and rng.random() < 0.3 else None
    data["summary"] = _sentence(rng, name, mention) + " " + _sentence(rng, "Its delegation")
    data["sources"] = [rng.choice(plan.sources)[0]]
    return data


def _topics(rng, names: _Names, count: int, plan: _Plan) -> dict:
    files = {}
    for _ in range(count):
        title = names.unique(lambda: f"{rng.choice(_ISSUES)} {names.word(2, rng.choice(_PLACE_ENDINGS))}")
        topic_id = _slug(title)
        files[f"topics/{topic_id}.yaml"] = {
            "title": title,
            "summary": f"Whether {rng.choice(_OBJECTS)} applies here {rng.choice(_CONDITIONS)}. "
                       + _sentence(rng, "One delegation", rng.choice(plan.sources)[0]),
            "sources": [rng.choice(plan.sources)[0]],
        }
        plan.topics.append(topic_id)
    return files


def _positions(rng, count: int, plan: _Plan) -> dict:
    actor_ids = [a for a, _ in plan.actors]
    pairs: dict = {}
    limit = len(actor_ids) * len(plan.topics)
    while len(pairs) < min(count, limit):
        pairs[(_pick(rng, actor_ids, 1, skew=50)[0], rng.choice(plan.topics))] = None
    files = {}
    for actor_id, topic_id in sorted(pairs):
        position_id = f"{actor_id}--{topic_id}"
        files[f"positions/{position_id}.yaml"] = {
            "actor": actor_id, "topic": topic_id, "stances": _stances(rng, plan, rng.randint(1, 4))}
    return files


def _stances(rng, plan: _Plan, count: int) -> list[dict]:
    dates = sorted(_date(rng, (100, 0, 0)) for _ in range(count))
    stances = []
    for date in dates:
        stance = {"date": date, "stance": rng.choice(STANCES),
                  "summary": _sentence(rng, "Said it"),
                  "sources": _near_sources(rng, plan, date, rng.randint(1, 2))}
        if rng.random() < 0.3:
            stance["quote"] = f"We will accept {rng.choice(_OBJECTS)} {rng.choice(_CONDITIONS)}"
        stances.append(stance)
    return stances


def _events(rng, names: _Names, count: int, plan: _Plan) -> dict:
    actor_ids = [a for a, _ in plan.actors]
    places = [names.word(2, rng.choice(_PLACE_ENDINGS)) for _ in range(max(5, count // 20))]
    files, first_of_day = {}, {}
    for index in range(count):
        kind, place, date = rng.choice(EVENT_KINDS), rng.choice(places), _date(rng, (92, 7, 1))
        event_id = f"{kind}-in-{_slug(place)}-{index:05d}"
        # A third of the events that share a date with an earlier one say they came after it,
        # as a reaction to a meeting of the same day would; decided without drawing from rng,
        # so the rest of the content is what the same seed gave before.
        earlier = first_of_day.setdefault(date, event_id)
        participants = _pick(rng, actor_ids, rng.randint(2, 5))
        data = {"title": f"{kind.capitalize()} in {place}", "date": date, "kind": kind,
                "status": rng.choice(EVENT_STATUSES), "location": place, "participants": participants,
                "topics": _pick(rng, plan.topics, rng.randint(1, 3), skew=30),
                "summary": _sentence(rng, f"[[{participants[0]}]]") + " " + _sentence(rng, "The other side"),
                "outcomes": [f"Agreed to discuss {rng.choice(_OBJECTS)} {rng.choice(_CONDITIONS)}."],
                "sources": _near_sources(rng, plan, date, rng.randint(1, 3))}
        if earlier != event_id and index % 3 == 0:
            data["after"] = [earlier]
        files[f"events/{event_id}.yaml"] = data
        plan.events.append(event_id)
    return files
