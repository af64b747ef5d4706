"""Golden files: the fixture content renders to exactly the Markdown in tests/golden/.

After an intended change to the templates, run `pytest tests/test_golden.py --update-goldens`
and review the diff of tests/golden/ before committing.
"""

from pathlib import Path

import pytest

from generator.pipeline import check
from generator.render import render

from conftest import FIXTURE_CONTENT

GOLDEN = Path(__file__).parent / "golden"


def _rendered() -> dict[str, str]:
    graph, problems = check(FIXTURE_CONTENT)
    assert graph is not None, "\n".join(map(str, problems))
    return render(graph)


def test_fixture_renders_to_the_golden_pages(request):
    pages = _rendered()
    if request.config.getoption("--update-goldens"):
        for old in GOLDEN.rglob("*.md"):
            old.unlink()
        for path, text in pages.items():
            (GOLDEN / path).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / path).write_text(text, encoding="utf-8")
        pytest.skip("goldens rewritten: review `git diff tests/golden`")
    expected = {p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8") for p in GOLDEN.rglob("*.md")}
    assert sorted(pages) == sorted(expected)
    for path, text in pages.items():
        assert text == expected[path], f"{path} differs from its golden file"


def test_rendering_is_deterministic():
    assert _rendered() == _rendered()


def _templates_of_this_test(tmp_path, monkeypatch, request) -> Path:
    """A copy of the templates, which the process's one environment renders from."""
    import shutil

    from generator import render as rendering

    templates = tmp_path / "templates"
    shutil.copytree(rendering.TEMPLATES, templates)
    monkeypatch.setattr(rendering, "TEMPLATES", templates)
    monkeypatch.setattr(rendering, "_loaded", {})
    rendering.make_environment.cache_clear()
    request.addfinalizer(rendering.make_environment.cache_clear)  # the next test's: the package's templates
    return templates


def _save(template: Path, text: str) -> None:
    import os

    template.write_text(text, encoding="utf-8")
    stat = template.stat()
    os.utime(template, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # a later save, whatever the clock


def test_a_template_saved_between_two_renders_of_one_process_is_used(tmp_path, monkeypatch, request):
    # The process's one environment does not have Jinja look at the files at every page:
    # current_environment looks at them once per render.
    templates = _templates_of_this_test(tmp_path, monkeypatch, request)
    before = _rendered()
    actor = templates / "actor.md.j2"
    _save(actor, actor.read_text(encoding="utf-8") + "\nA line added to the template.\n")
    after = _rendered()
    actor_pages = [path for path in after if path.startswith("actors/") and not path.endswith("index.md")]
    assert actor_pages
    for path in actor_pages:
        assert "A line added to the template." not in before[path]
        assert "A line added to the template." in after[path], path
    assert [path for path in after if path not in actor_pages and after[path] != before[path]] == []


def test_the_macros_saved_between_two_renders_of_one_process_are_used(tmp_path, monkeypatch, request):
    # Pages share one module of the macros (the global m), made again when a template changes.
    templates = _templates_of_this_test(tmp_path, monkeypatch, request)
    before = _rendered()
    macros = templates / "_macros.md.j2"
    _save(macros, macros.read_text(encoding="utf-8").replace("Each numbered note is a source.",
                                                             "Each numbered note is one source."))
    after = _rendered()
    citing = [path for path, text in before.items() if "Each numbered note is a source." in text]
    assert citing
    assert [path for path in citing if "Each numbered note is one source." not in after[path]] == []
    assert [path for path in after if path not in citing and after[path] != before[path]] == []
