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
