"""The files the project keeps by hand are whole: no merge left its conflict markers behind.

A merge once left both sides of two conflicts in the README and in the editors' guide, which
the site publishes; nothing else read those lines, so nothing failed for a week.
"""

import json
import os
import re
from pathlib import Path

from conftest import ROOT

# Made by builds, installs and tests: none of it is kept in the repository.
NOT_KEPT = {".git", "site", ".tools", "node_modules", "test-artifacts", "__pycache__", ".pytest_cache",
            ".hypothesis", ".cache"}
TEXT_SUFFIXES = {".md", ".py", ".j2", ".html", ".yml", ".yaml", ".json", ".toml", ".txt", ".css", ".js", ""}
MARKER = re.compile(r"^(<{7}|>{7})( |$)", re.MULTILINE)


def kept_text_files() -> list[Path]:
    manifest = ROOT / "docs" / ".generated.json"
    generated = {ROOT / "docs" / path for path in json.loads(manifest.read_text())} if manifest.exists() else set()
    files = []
    for folder, subfolders, names in os.walk(ROOT):
        here = Path(folder)
        subfolders[:] = sorted(name for name in subfolders
                               if name not in NOT_KEPT and here / name != ROOT / "bench" / "work")
        files += [here / name for name in sorted(names)
                  if Path(name).suffix in TEXT_SUFFIXES and here / name not in generated]
    return files


def test_no_kept_file_holds_a_merge_conflict_marker():
    files = kept_text_files()
    assert ROOT / "README.md" in files and ROOT / "docs" / "editors" / "index.md" in files
    marked = [f"{path.relative_to(ROOT)}:{text[:match.start()].count(chr(10)) + 1}"
              for path in files
              for text in [path.read_text(encoding="utf-8", errors="replace")]
              for match in MARKER.finditer(text)]
    assert marked == [], "merge conflict markers (resolve the conflict, keep what both sides meant):\n" + "\n".join(marked)
