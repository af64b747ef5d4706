"""Addresses on the published site, for feeds, open data and structured data.

Absolute when the site's base URL is known (content/site.yaml base_url, or site_url from
mkdocs.yml through the hook), otherwise relative to the site root.
"""

from __future__ import annotations

from .link import SiteGraph
from .render import page_path


def site_address(graph: SiteGraph, path: str = "") -> str:
    """The address of a path on the site: absolute when the base URL is known, else site-relative."""
    base = graph.site.base_url
    if not base:
        return path
    return base.rstrip("/") + "/" + path


def page_url(graph: SiteGraph, entity_id: str) -> str:
    """The address of an entity's page, as a reader's browser sees it (directory URLs)."""
    kind = graph.kinds[entity_id]
    if kind == "glossary":
        return site_address(graph, f"glossary/#{entity_id}")
    return site_address(graph, page_path(kind, entity_id).removesuffix(".md") + "/")
