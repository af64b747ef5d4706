"""The benchmark runs end to end at a tiny size (its figures are not checked here: speed is
measured by running it, not by tests)."""

import json
import subprocess
import sys

from conftest import ROOT


def test_the_benchmark_runs_and_reports_every_figure(tmp_path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--sizes", "120", "--serve-sizes", "120",
         "--serve-edits", "1", "--repeat", "2", "--work", str(tmp_path / "work"), "--json", str(tmp_path / "out.json")],
        capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    # What it set aside between measurements (the generated pages of the first run) is gone.
    assert not (tmp_path / "work" / ".trash").exists()
    assert (tmp_path / "work" / "site-120" / "docs" / "editors" / "index.md").is_file()
    for label in ("120: generator", "120: mkdocs build", "120: edit one entity", "120: serve --dirty"):
        assert label in result.stdout
    [report] = json.loads((tmp_path / "out.json").read_text())
    assert report["entities"] == 120
    assert set(report["generator"]["stages"]) == {"load", "validate", "link", "render", "write"}
    assert set(report["cold_edit"]["stages"]) == {"load", "validate", "link", "render", "write"}
    assert report["generator"]["pages"] == len(report["generator"]["written"])
    markdown_pages = [p for p in report["generator"]["written"] if p.endswith(".md")]
    assert report["mkdocs"]["pages"] > len(markdown_pages)  # plus the hand-written pages
    assert report["mkdocs"]["search_index_bytes"] > 0 and report["mkdocs"]["peak_bytes"] > 0
    # Two whole builds from content/ alone (the default), the best of them reported.
    assert report["mkdocs"]["seconds"] == min(report["mkdocs"]["all_seconds"]) and len(report["mkdocs"]["all_seconds"]) == 2
    assert report["mkdocs"]["unchanged_seconds"] > 0
    # The memory of the build and any workers, sampled from /proc while mkdocs runs (> 1 s).
    assert report["mkdocs"]["tree_peak_bytes"] > 10 * 2**20
    edited = f"actors/{report['cold_edit']['entity']}.md"
    # A summary is shown on its own page only (and in the open data), fresh process or cached.
    assert report["cold_edit"]["written"] == [edited, "data/actors.csv", "data/site.json"]
    assert report["warm_edit"]["written"] == [edited, "data/actors.csv", "data/site.json"]
    assert edited in report["warm_edit"]["rendered"]
    assert len(report["warm_edit"]["rendered"]) < report["generator"]["pages"] / 4
    assert len(report["serve"]["save_to_served_seconds"]) == 1
