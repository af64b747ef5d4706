"""The one setting the generator reads from mkdocs.yml: site_url, as MkDocs reads it.

`python -m generator build` and `mkdocs build` must write the same pages. Pages carry the
site's address (structured data, feeds), so a build that knew another address would
rewrite every page, and the next `mkdocs serve --dirty` would rebuild them all.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from yaml_env_tag import construct_env_tag  # MkDocs' own !ENV tag (a dependency of MkDocs)


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml: !ENV as MkDocs does, any other tag (!!python/name:…) as nothing."""


_ConfigLoader.add_constructor("!ENV", construct_env_tag)
_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def site_url(config_file: Path) -> str | None:
    """mkdocs.yml's site_url, ending in "/" as MkDocs makes it; None if there is none."""
    try:
        config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_ConfigLoader)
    except (OSError, yaml.YAMLError):
        return None
    value = config.get("site_url") if isinstance(config, dict) else None
    if not isinstance(value, str) or not value.strip():
        return None
    return value if value.endswith("/") else value + "/"
