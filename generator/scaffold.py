"""`python -m generator new <kind> <id>`: a commented starter file for a new entity.

The starters live in templates/starters/; each leaves "" where the editor must write, so
the validator names every field still to fill, and validates once they are filled.
"""

from __future__ import annotations

import re
from pathlib import Path

import jinja2

from .load import KINDS
from .model import SLUG_PATTERN
from .problems import did_you_mean
from .schema import SCHEMA_DIR, schema_file_name

STARTERS = Path(__file__).parent / "templates" / "starters"
# What editors type → the content folder. Singular names read naturally ("new actor x").
KIND_NAMES = {
    "actor": "actors", "topic": "topics", "position": "positions", "event": "events",
    "source": "sources", "term": "glossary", "glossary": "glossary",
    **{kind: kind for kind in KINDS},
}


class ScaffoldError(Exception):
    """A refused `new` command, with a message for the editor."""


def new_entity(content_dir: Path, kind_name: str, entity_id: str) -> Path:
    """Write content/<kind>/<id>.yaml from its starter and return its path; never overwrites."""
    kind = _kind(kind_name)
    _check_id(entity_id)
    if not content_dir.is_dir():
        raise ScaffoldError(f"there is no content folder at '{content_dir}' — run this in the project root,"
                            " or pass --content DIR")
    existing = _existing_file(content_dir, entity_id)
    if existing:
        raise ScaffoldError(f"the id '{entity_id}' is already used by {existing.as_posix()}"
                            " — choose another id (ids are unique across all kinds), or edit that file")
    target = content_dir / kind / f"{entity_id}.yaml"
    target.parent.mkdir(exist_ok=True)
    target.write_text(starter_text(kind, entity_id), encoding="utf-8")
    return target


def starter_text(kind: str, entity_id: str) -> str:
    """The starter file for one new entity of a kind (a folder name from KINDS)."""
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(STARTERS), undefined=jinja2.StrictUndefined,
                                     keep_trailing_newline=True)
    actor, _, topic = entity_id.partition("--")
    # content/<kind>/<id>.yaml → the project's schemas/, for language servers without settings.
    schema = f"../../{SCHEMA_DIR.name}/{schema_file_name(kind)}"
    return environment.get_template(f"{kind}.yaml.j2").render(id=entity_id, schema=schema, actor=actor if topic else "",
                                                              topic=topic)


def _kind(name: str) -> str:
    if name in KIND_NAMES:
        return KIND_NAMES[name]
    singular = [n for n in KIND_NAMES if n not in KINDS or n == "glossary"]
    hint = did_you_mean(name, KIND_NAMES) or f"the kinds are: {', '.join(singular)}"
    raise ScaffoldError(f"'{name}' is not a kind of content — {hint}")


def _check_id(entity_id: str) -> None:
    if not re.match(SLUG_PATTERN, entity_id):
        slug = re.sub(r"[^a-z0-9]+", "-", entity_id.lower()).strip("-")
        example = f"like '{slug}'" if slug else "like 'foreign-ministry'"
        raise ScaffoldError(f"'{entity_id}' is not a valid id — ids are lowercase letters, digits and hyphens, {example}")


def _existing_file(content_dir: Path, entity_id: str) -> Path | None:
    for kind in KINDS:
        path = content_dir / kind / f"{entity_id}.yaml"
        if path.exists():
            return path
    return None
