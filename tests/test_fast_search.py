"""Pages divided into search sections by generator/fast_search.py give Material's own entries."""

from types import SimpleNamespace

import markdown
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from material.plugins.search.plugin import Parser

from generator import fast_search
from generator.fast_inline import FastInlineExtension

EXTENSIONS = ["admonition", "attr_list", "abbr", "tables", "footnotes", "toc", FastInlineExtension()]
CONFIGS = {"toc": {"permalink": True}}


def _as_data(found):
    return [(s.el.tag, s.el.attrs, s.depth, s.id, s.title, s.text, s.is_excluded()) for s in found]


def _materials(html):
    """Material's sections of html, or the type of the error its parser raises."""
    parser = Parser()
    try:
        parser.feed(html)
        parser.close()
    except Exception as error:  # Material's own failures must be ours too
        return type(error)
    return _as_data(parser.data)


def _ours(html):
    try:
        found = fast_search.sections(html)
    except Exception as error:
        return type(error)
    return None if found is None else _as_data(found)


def test_the_installed_material_is_the_code_imitated():
    # A release of Material that changes its search parser loses the shortcut: this says so.
    assert fast_search.material_code() == fast_search.KNOWN_CODE
    assert fast_search.enabled()  # the rest of the suite builds with the shortcut


@pytest.mark.parametrize("site_name", ["fixture_site", "real_site"])
def test_every_page_of_the_site_gets_materials_sections(request, site_name):
    project = request.getfixturevalue(site_name)
    pages = sorted(project.docs.rglob("*.md"))
    assert len(pages) > 20
    different, read_by_material = [], []
    for page in pages:
        html = markdown.Markdown(extensions=EXTENSIONS, extension_configs=CONFIGS).convert(
            page.read_text(encoding="utf-8"))
        ours = _ours(html)
        if ours is None:
            read_by_material.append(page.name)
        elif ours != _materials(html):
            different.append(page.name)
    assert different == []
    assert read_by_material == []  # every page takes the fast way


# Pieces of the HTML Python-Markdown writes, which the fast way must read itself …
OURS = ['<h1 id="a">', "</h1>", '<h2 id="b">', "<h2>", "</h2>", '<h3 id="c">', "</h3>", "<p>", "</p>",
        "<pre>", "</pre>", "<code>", "</code>", "<ul>", "</ul>", "<li>", "</li>", "<sup>", "</sup>",
        '<a class="headerlink" href="#a" title="Permanent link">', '<a href="x/">', "</a>",
        "<div data-search-exclude>", '<div class="linenodiv">', "<div>", "</div>", "<br>", "<br />",
        "<hr/>", "<span/>", '<abbr title="a &amp; b">', "</abbr>", "<table>", "<td>", "</td>", "</table>",
        "<section>", "</section>", "<P>", "</P>", '<img alt="" src="a.png">', "<input disabled>",
        "<!-- a note -->", "text", " ", "\n", "  \n ", "a &amp; b", "&lt;x&gt;", "&para;", "x\ny", "&"]
# … and pieces it may leave to Material's parser.
FOREIGN = ["<script>var a = '<p>';</script>", "<style>p {}</style>", "<!DOCTYPE html>", "<?x?>", "a < b",
           "<", "<a href='x'>", '<a b = "c">', "<!-->", "<!-- a -- b -->", "<my-el>", "</my-el>", "</p >",
           '<p\u00a0class="x">']


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(OURS), max_size=40).map("".join))
# White space after white space is kept in <pre> only; a heading inside another element
# ends its section with that element; an element with only white space in it is dropped.
@example('<pre>x<br> <br>\n</pre><p>y<br> <br> </p>')
@example('<div><h2 id="b">B</h2>text</div>more<h3 id="c">C</h3>')
@example('<ul><li> </li><li>x</li></ul><p>\n</p>')
def test_html_as_python_markdown_writes_it_gets_materials_sections(html):
    ours = _ours(html)
    assert ours is not None
    assert ours == _materials(html)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(OURS + FOREIGN), max_size=40).map("".join))
def test_any_html_gets_materials_sections_or_goes_to_materials_parser(html):
    ours = _ours(html)
    if ours is not None:
        assert ours == _materials(html)


def test_a_page_with_a_script_goes_to_materials_parser():
    assert fast_search.sections("<p>a</p><script>if (a < b) {}</script>") is None


def test_the_shortcut_is_off_for_an_index_it_does_not_know():
    class Other:
        search_index = object()
    assert fast_search.install(Other()) is False


def test_mkdocs_gives_materials_search_the_fast_index(project):
    # The configured plugins' on_config first (Material's makes its index), then the hook's.
    from mkdocs.config import load_config

    config = load_config(str(project.root / "mkdocs.yml"))
    config = config.plugins.on_config(config)
    assert type(config.plugins["material/search"].search_index) is fast_search.FastSearchIndex


def test_a_search_plugin_without_its_index_yet_is_left_alone():
    from material.plugins.search.plugin import SearchPlugin

    assert fast_search.install(SearchPlugin()) is False


def test_materials_page_step_still_removes_its_search_attributes(project):
    from mkdocs.config import load_config

    config = load_config(str(project.root / "mkdocs.yml"))
    config = config.plugins.on_config(config)
    search = config.plugins["material/search"]
    steps = [step for step in config.plugins.events["page_context"]
             if config.plugins._event_origins.get(step) == "material/search"]
    assert len(steps) == 1 and getattr(steps[0], "__self__", None) is not search  # the replacement
    for content, kept in [('<p data-search-exclude="yes">a</p>\n<p>b</p>', "<p>a</p>\n<p>b</p>"),
                          ("<p>no attributes</p>", "<p>no attributes</p>")]:
        page = SimpleNamespace(meta={"search": {"exclude": True}}, content=content)
        steps[0]({}, page=page, config=config, nav=None)
        assert page.content == kept
