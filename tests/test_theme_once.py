"""Parts of the theme rendered once per folder (generator/theme_once.py) change no byte of the site.

Neither does the faster search parser (generator/fast_search.py): the same build compares
the search index too.
"""

import os
import subprocess
import sys
from types import SimpleNamespace

from conftest import ROOT, _env
from generator.theme_once import ELLIPSIS, TOPIC, HeaderOnce


def _site_files(site):
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_the_site_is_the_same_with_every_part_rendered_for_every_page(real_site, tmp_path):
    other = tmp_path / "site"
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(other)],
                           cwd=real_site.root, env=dict(_env(), GENERATOR_THEME_ONCE="0", GENERATOR_FAST_SEARCH="0"),
                           capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    ours, materials = _site_files(real_site.site), _site_files(other)
    assert len([path for path in ours if path.endswith(".html")]) > 150
    assert [path for path in ours if ours[path] != materials.get(path)] == []
    assert ours.keys() == materials.keys()
    assert "search/search_index.json" in ours


def _page(url, title):
    return SimpleNamespace(url=url, title=title, meta={})


def _header(title, extra=""):
    return f'<header><a href="../../">Site</a><div {TOPIC}\n  {ELLIPSIS}\n    {title}\n  </span>{extra}</div></header>'


def test_each_page_of_a_folder_gets_its_own_title_in_one_rendering_of_the_header():
    once, rendered = HeaderOnce(), []

    def call(page):
        def caller():
            rendered.append(page.title)
            return _header(page.title)
        return once(page, caller)

    pages = [_page(f"actors/{name}/", name.title()) for name in ("ada", "bea", "cy", "dee")]
    assert [call(page) for page in pages] == [_header(page.title) for page in pages]
    assert rendered == ["Ada", "Bea"]  # the first, and the second to check the first against
    assert call(_page("topics/x/", "X")) == _header("X") and rendered[-1] == "X"  # another folder


def test_a_header_that_differs_by_more_than_the_title_is_rendered_for_every_page():
    once, rendered = HeaderOnce(), []

    def call(page):
        def caller():
            rendered.append(page.title)
            return _header(page.title, extra=page.url)  # the page's own address: not shareable
        return once(page, caller)

    pages = [_page(f"actors/{name}/", name.title()) for name in ("ada", "bea", "cy", "dee")]
    assert [call(page) for page in pages] == [_header(page.title, page.url) for page in pages]
    assert rendered == ["Ada", "Bea", "Cy", "Dee"]


def test_a_header_without_the_title_where_material_puts_it_is_rendered_for_every_page():
    once, rendered = HeaderOnce(), []
    for name in ("ada", "bea", "cy"):
        page = _page(f"actors/{name}/", name.title())
        assert once(page, lambda: rendered.append(name) or "<header>no topic</header>") == "<header>no topic</header>"
    assert rendered == ["ada", "bea", "cy"]
    assert os.environ.get("GENERATOR_THEME_ONCE", "") != "0"  # the rest of the suite tests the shortcut
    assert (ROOT / "overrides" / "main.html").read_text().count("header_once(page)") == 1


def test_templates_compiled_ahead_are_loaded_by_a_new_environment_without_compiling(project):
    from mkdocs.config import load_config

    from generator.theme_once import TemplateCodeCache, compile_ahead

    config = load_config(str(project.root / "mkdocs.yml"))
    cache = TemplateCodeCache()
    ahead = config.theme.get_env()
    ahead.bytecode_cache = cache
    assert compile_ahead(ahead) > 20  # main.html, base.html, the partials, the icons
    assert compile_ahead(ahead) == 0

    fresh, compiled = config.theme.get_env(), []
    fresh.bytecode_cache = cache
    compile_for_real = fresh.compile
    fresh.compile = lambda source, name=None, *rest, **options: (compiled.append(name),
                                                                 compile_for_real(source, name, *rest, **options))[1]
    for name in ("main.html", "base.html", "partials/header.html", "404.html"):
        fresh.get_template(name)
    assert compiled == []
    fresh.get_template("partials/languages/de.html")  # named by an expression: not compiled ahead
    assert compiled == ["partials/languages/de.html"]


def _counting_compiles(env):
    compiled, compile_for_real = [], env.compile
    env.compile = lambda source, name=None, *rest, **options: (compiled.append(name),
                                                               compile_for_real(source, name, *rest, **options))[1]
    return compiled


def test_templates_compiled_once_are_loaded_from_disk_by_the_next_process(project, tmp_path):
    import jinja2
    from mkdocs.config import load_config

    from generator.theme_once import TemplateCodeCache, compile_ahead

    config = load_config(str(project.root / "mkdocs.yml"))
    folder = tmp_path / "compiled"
    folder.mkdir()
    first = config.theme.get_env()
    first.bytecode_cache = TemplateCodeCache(jinja2.FileSystemBytecodeCache(str(folder)))
    assert compile_ahead(first) > 20
    assert (folder / TemplateCodeCache.REFERENCES).is_file()

    # A new cache on the same folder stands for the next build's process.
    later = config.theme.get_env()
    later.bytecode_cache = TemplateCodeCache(jinja2.FileSystemBytecodeCache(str(folder)))
    compiled, parsed, parse_for_real = _counting_compiles(later), [], later.parse
    later.parse = lambda source, name=None, *rest: (parsed.append(name), parse_for_real(source, name, *rest))[1]
    assert compile_ahead(later) == 0
    assert parsed == []  # the templates each one names were kept with their code
    later.get_template("main.html").render  # noqa: B018 - loaded, not compiled
    assert compiled == []

    # An edited template (here, the project's own main.html) is compiled again, alone.
    main = project.root / "overrides" / "main.html"
    main.write_text(main.read_text(encoding="utf-8") + "{# edited #}\n", encoding="utf-8")
    edited = load_config(str(project.root / "mkdocs.yml")).theme.get_env()
    edited.bytecode_cache = TemplateCodeCache(jinja2.FileSystemBytecodeCache(str(folder)))
    compiled = _counting_compiles(edited)
    assert compile_ahead(edited) == 1
    assert compiled == ["main.html"]


def test_a_cache_folder_that_cannot_be_written_leaves_the_templates_compiled_in_memory(project, tmp_path):
    import jinja2
    from mkdocs.config import load_config

    from generator.theme_once import TemplateCodeCache, compile_ahead

    config = load_config(str(project.root / "mkdocs.yml"))
    cache = TemplateCodeCache(jinja2.FileSystemBytecodeCache(str(tmp_path / "no-such-folder")))
    env = config.theme.get_env()
    env.bytecode_cache = cache
    assert compile_ahead(env) > 20
    assert len(cache.code) > 20 and not (tmp_path / "no-such-folder").exists()
