"""Helpers for tests of the published artefacts: the site's addresses and parsed HTML heads."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from conftest import ROOT


def mkdocs_default(name: str) -> str:
    """The default that mkdocs.yml gives an !ENV setting, like site_url's placeholder address."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    match = re.search(rf'^{name}: !ENV \[\w+, "([^"]+)"\]$', text, re.MULTILINE)
    assert match, f"{name} is not set in mkdocs.yml"
    return match.group(1)


SITE_URL = mkdocs_default("site_url")
REPO_URL = mkdocs_default("repo_url")


def built_file(site_dir: Path, address: str) -> Path:
    """The file in site/ that an absolute address on the site is served from."""
    assert address.startswith(SITE_URL), address
    path = address[len(SITE_URL):].split("#")[0]
    return site_dir / (path + "index.html" if path == "" or path.endswith("/") else path)


class PageHead(HTMLParser):
    """The parts of a built page this project puts there: meta description, JSON-LD, edit link."""

    def __init__(self, html: str):
        super().__init__()
        self.description = None
        self.json_ld: list[str] = []
        self.edit_links: list[str] = []
        self.links: list[str] = []
        self._in_json_ld = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and attrs.get("name") == "description":
            self.description = attrs.get("content")
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_json_ld = True
            self.json_ld.append("")
        elif tag == "a" and attrs.get("rel") == "edit":
            self.edit_links.append(attrs["href"])
        elif tag == "a" and "href" in attrs:
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json_ld = False

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld[-1] += data


def head_of(site_dir: Path, page: str) -> PageHead:
    return PageHead((site_dir / page / "index.html").read_text(encoding="utf-8"))
