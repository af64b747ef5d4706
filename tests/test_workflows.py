"""The GitHub workflows lint clean, name only official actions, and publish a tested, strict build."""

import re

import pytest
import yaml
from yamllint import linter
from yamllint.config import YamlLintConfig

from conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
# yamllint's defaults, except: `on:` is a key GitHub requires (not a truthy value), and a
# document-start marker is optional.
LINT_CONFIG = YamlLintConfig("""
extends: default
rules:
  truthy: {check-keys: false}
  document-start: disable
  line-length: {max: 120}
""")
OFFICIAL_ACTION = re.compile(r"^actions/[a-z0-9-]+@v\d+$")


def _workflow(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


def _steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


@pytest.mark.parametrize("name", ["ci.yml", "pages.yml"])
def test_the_workflow_lints_clean(name):
    text = (WORKFLOWS / name).read_text(encoding="utf-8")
    problems = [f"{name}:{p.line}: {p.desc} ({p.rule})" for p in linter.run(text, LINT_CONFIG)]
    assert problems == []


@pytest.mark.parametrize("name", ["ci.yml", "pages.yml"])
def test_every_action_used_is_an_official_one(name):
    uses = [step["uses"] for step in _steps(_workflow(name)) if "uses" in step]
    assert uses, "a workflow with no action checks nothing"
    assert [u for u in uses if not OFFICIAL_ACTION.match(u)] == []


def test_the_linter_catches_what_it_should():
    broken = "on:\n  push:\njobs:\n  x:\n    steps:\n      - run: a\n       - run: b\n"
    assert list(linter.run(broken, LINT_CONFIG)), "yamllint must report a syntax error"


def test_pages_tests_then_builds_strict_then_deploys():
    workflow = _workflow("pages.yml")
    # PyYAML reads the key `on` as the boolean True (YAML 1.1).
    triggers = workflow[True]
    assert triggers["push"]["branches"] == ["main"] and "workflow_dispatch" in triggers
    jobs = workflow["jobs"]
    assert jobs["build"]["needs"] == "test" and jobs["deploy"]["needs"] == "build"
    assert "make test" in [s.get("run") for s in jobs["test"]["steps"]]
    build = {s.get("uses", s.get("run")).split("@")[0]: s for s in jobs["build"]["steps"]}
    assert list(build) == ["actions/checkout", "actions/setup-python", "actions/configure-pages",
                           "make site", "actions/upload-pages-artifact"]
    assert build["actions/upload-pages-artifact"]["with"]["path"] == "site"
    assert build["make site"]["env"]["SITE_URL"] == "${{ steps.pages.outputs.base_url }}/"
    deploy = jobs["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]


def test_make_site_builds_strict_and_the_environment_names_match_mkdocs_yml():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^site:.*\n\t.*mkdocs build --strict$", makefile, re.MULTILINE)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert re.search(r"^site_url: !ENV \[SITE_URL, ", config, re.MULTILINE)
    assert re.search(r"^repo_url: !ENV \[REPO_URL, ", config, re.MULTILINE)
