"""JSON Schema for each kind of content file, exported from the pydantic models in model.py.

The same models validate the content, so an editor's YAML language server (VS Code and
others) completes and flags exactly the fields the generator accepts. Pure: returns file
texts; the command line and the writer put them on disk (schemas/ and docs/schemas/).
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

from .model import MODELS

SCHEMA_DIALECT = "http://json-schema.org/draft-07/schema#"
SCHEMA_DIR = Path(__file__).resolve().parents[1] / "schemas"
DOCS_FOLDER = "schemas"  # under docs/: published with the site


def schema_file_name(kind: str) -> str:
    """The schema's file name for a kind: 'actors' → 'actors.schema.json'."""
    return f"{kind}.schema.json"


def content_glob(kind: str) -> str:
    """The content files a kind's schema applies to, relative to the project root."""
    return "content/site.yaml" if kind == "site" else f"content/{kind}/*.yaml"


def schema_for(kind: str) -> dict:
    """The JSON Schema of one kind, without the id (it is the file name, not a field)."""
    schema = MODELS[kind].model_json_schema(mode="validation")
    schema["properties"].pop("id", None)
    if "id" in schema.get("required", ()):
        schema["required"] = [name for name in schema["required"] if name != "id"]
    return {"$schema": SCHEMA_DIALECT, **schema}


def schema_files() -> dict[str, str]:
    """Every kind's schema as {file name: JSON text}, byte-stable."""
    return dict(_schema_texts())


@functools.cache  # every build publishes them, and the models do not change while the process runs
def _schema_texts() -> tuple[tuple[str, str], ...]:
    return tuple((schema_file_name(kind), json.dumps(schema_for(kind), indent=2, ensure_ascii=False) + "\n")
                 for kind in MODELS)


def schema_pages() -> dict[str, str]:
    """The schemas as generated files under docs/, so the site publishes them."""
    return {f"{DOCS_FOLDER}/{name}": text for name, text in schema_files().items()}


def stale_schemas(folder: Path = SCHEMA_DIR) -> list[str]:
    """Names of schema files in folder that are missing or differ from the models."""
    stale = []
    for name, text in schema_files().items():
        path = folder / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            stale.append(name)
    return stale
