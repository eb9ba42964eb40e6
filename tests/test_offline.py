"""The offline copy for training rooms (issue 15, point 5): `handbook offline` makes a zip of
the site that works when opened from disk. The copy of the real Handbook is built once, in a
project of its own, unzipped, and opened from `file://` in Chromium as a trainer would: home
page, a sheet, the language switch, a checklist's print view and its PDF, and a search —
without a single request to any host."""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from faasst_handbook.publish import offline
from support.paths import LANGUAGES, ROOT
from support.sites import handbook

DEFAULT, OTHER = LANGUAGES[0], LANGUAGES[-1]
OTHER_ROOT = "" if OTHER == DEFAULT else f"{OTHER}/"
SHIM_SHA256 = "e8e412dbcfea9b7e31b5ffa288d7b6035915e714c542f4176a0cdbe262fc9609"


# --- the links, without a build ------------------------------------------------------------

FILES = {"": "index.html", "handbook/": "handbook/index.html",
         "handbook/wp1/": "handbook/wp1/index.html",
         "handbook/wp1/wp1-01/": "handbook/wp1/wp1-01.html",
         "handbook/wp1/wp1-02/": "handbook/wp1/wp1-02.html",
         "handbook/catalogues/roles/": "handbook/catalogues/roles.html",
         "en/": "en/index.html", "en/handbook/wp1/wp1-01/": "en/handbook/wp1/wp1-01.html",
         "about/": "about.html"}


@pytest.mark.parametrize("href, expected", [
    ('../wp1-02/', 'wp1-02.html'),
    ('../../catalogues/roles/#role-lead', '../catalogues/roles.html#role-lead'),
    ('../../../checklists/wp1-01.pdf', '../../checklists/wp1-01.pdf'),  # a file: moved only
    ('../', 'index.html'),
    ('../../..', '../../index.html'),
    ('#steps', '#steps'),
    ('https://example.org/a/', 'https://example.org/a/'),
    ('mailto:x@example.org', 'mailto:x@example.org'),
    ('../../sheets/?role=x', '../sheets/?role=x'),  # not a page of this table: moved only
])
def test_generated_links_point_at_files(href, expected):
    """A generated sheet's links were written for `handbook/wp1/wp1-01/`; the page is the file
    `handbook/wp1/wp1-01.html`, one folder up."""
    html = f'<a href="{href}">x</a>'
    out = offline.rewrite_links(html, "handbook/wp1/wp1-01/", "handbook/wp1/wp1-01.html",
                                FILES, relocate=True)
    assert out == f'<a href="{expected}">x</a>'


@pytest.mark.parametrize("href, page, expected", [
    ('about/', 'index.html', 'about.html'),  # the theme's footer, written for folder URLs
    ('../about/', 'handbook/index.html', '../about.html'),
    ('/en/', 'index.html', 'en/index.html'),  # the home page's language switch
    ('/', 'en/index.html', '../index.html'),
    ('wp1-01.html', 'handbook/wp1/wp1-02.html', 'wp1-01.html'),  # a file already: kept
    ('../assets/x.css', 'handbook/index.html', '../assets/x.css'),
])
def test_theme_links_to_folders_point_at_files(href, page, expected):
    here = posixpath.dirname(page)
    html = f'<link href="{href}"><script src="{href}"></script>'
    out = offline.rewrite_links(html, here + "/" if here else "", page, FILES, relocate=False)
    assert out == f'<link href="{expected}"><script src="{expected}"></script>'


def test_the_variant_is_mkdocs_yml_with_files_for_pages_and_materials_offline_search():
    settings = offline.offline_settings(ROOT)
    assert settings["use_directory_urls"] is False
    names = [p if isinstance(p, str) else next(iter(p)) for p in settings["plugins"]]
    assert names.index("search") < names.index("offline") < names.index("i18n")
    assert {"handbook": {"offline": True}} in settings["plugins"]
    # The shim is the project's copy: Material's offline plugin then adds no CDN script.
    assert settings["extra"]["polyfills"] == [offline.SHIM_URL]


def test_the_vendored_worker_shim_is_the_published_one():
    assert hashlib.sha256(offline.SHIM.read_bytes()).hexdigest() == SHIM_SHA256
    assert SHIM_SHA256 in (offline.SHIM.parent / "README.md").read_text(encoding="utf-8")


# --- the copy of the real Handbook -----------------------------------------------------------

def new_project(project: Path) -> Path:
    """The project (real Handbook, pages, theme) in a folder of its own: the copy's build
    writes its generated pages there, not into the repository's docs/."""
    project.mkdir(parents=True)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    for name in ("overrides", "docs", "handbook"):
        shutil.copytree(ROOT / name, project / name,
                        ignore=shutil.ignore_patterns("handbook") if name == "docs" else None)
    (project / "scripts" / "faasst_handbook" / "templates").mkdir(parents=True)  # watched
    return project


@pytest.fixture(scope="module")
def copy_zip(tmp_path_factory) -> Path:
    project = new_project(tmp_path_factory.mktemp("offline") / "project")
    out = project / "out" / offline.ZIP_NAME
    result = handbook(project, "offline", "--out", str(out), timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    assert offline.ZIP_NAME in result.stdout and "index.html" in result.stdout
    return out


@pytest.fixture(scope="module")
def copy_dir(copy_zip, tmp_path_factory) -> Path:
    """The zip unzipped, as a trainer does: one folder."""
    target = tmp_path_factory.mktemp("unzipped")
    with zipfile.ZipFile(copy_zip) as archive:
        archive.extractall(target)
    assert [p.name for p in target.iterdir()] == [offline.FOLDER_IN_ZIP]
    return target / offline.FOLDER_IN_ZIP


def test_the_zip_holds_the_site_and_nothing_only_a_server_uses(copy_zip, copy_dir):
    names = zipfile.ZipFile(copy_zip).namelist()
    assert names == sorted(names)  # same site, same zip
    for lang in LANGUAGES:
        root = "" if lang == DEFAULT else f"{lang}/"
        assert (copy_dir / root / "index.html").is_file()
        assert (copy_dir / root / "handbook" / "wp1" / "wp1-01.html").is_file()
        assert (copy_dir / root / "checklists" / "wp1-01.pdf").read_bytes()[:5] == b"%PDF-"
        assert not (copy_dir / root / "404.html").exists()
    for server_only in ("_headers", ".htaccess", "_headers.nginx.conf", "pagefind",
                        "sitemap.xml"):
        assert not (copy_dir / server_only).exists(), server_only
    assert hashlib.sha256((copy_dir / offline.SHIM_URL).read_bytes()).hexdigest() == SHIM_SHA256


def test_every_link_of_the_copy_opens_a_file(copy_dir):
    """From disk a link to a folder shows a file listing, and `/...` leaves the copy: every
    `href`/`src` of every page must name a file of the copy (or another site, or an anchor)."""
    problems, checked = [], 0
    for page in sorted(copy_dir.rglob("*.html")):
        here = page.relative_to(copy_dir).parent.as_posix()
        ids = None
        for url in re.findall(r'\s(?:href|src)="([^"]*)"', page.read_text(encoding="utf-8")):
            path, _, fragment = url.partition("#")
            path = path.partition("?")[0]
            if re.match(r"^[a-z]+:|^//", path) or (not path and not fragment):
                continue
            checked += 1
            if path.startswith("/"):
                problems.append(f"{page.relative_to(copy_dir)}: {url}: absolute path")
                continue
            target = copy_dir / posixpath.normpath(posixpath.join(here, path)) if path else page
            if not target.is_file():
                problems.append(f"{page.relative_to(copy_dir)}: {url}: no such file")
            elif fragment and target.suffix == ".html" and fragment not in ("top",):
                ids = set(re.findall(r'\sid="([^"]*)"', target.read_text(encoding="utf-8")))
                if fragment not in ids:
                    problems.append(f"{page.relative_to(copy_dir)}: {url}: no such anchor")
    assert checked > 1000
    assert problems == []


def test_each_language_has_its_own_search_index(copy_dir):
    script = (copy_dir / offline.SEARCH_SCRIPT).read_text(encoding="utf-8")
    data = json.loads(script[script.index("})(") + 3: script.rindex(");")])
    assert list(data) == LANGUAGES
    for lang, index in data.items():
        root = "" if lang == DEFAULT else f"{lang}/"
        locations = [doc["location"] for doc in index["docs"]]
        assert len(locations) > 100
        assert len(set(zip(locations, (d["title"] for d in index["docs"])))) == len(locations)
        if root:
            assert all(location.startswith(root) for location in locations)
        else:
            others = tuple(f"{other}/" for other in LANGUAGES[1:])
            assert not any(location.startswith(others) for location in locations)
        assert index["config"]["lang"] == [lang]


def test_the_copy_works_from_disk_without_any_request_to_a_host(chromium, copy_dir):
    base = copy_dir.as_uri() + "/"
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    errors: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        # The home page, then a module and one of its sheets, following their links.
        page.goto(base + "index.html")
        assert page.locator("html").get_attribute("lang") == DEFAULT
        page.locator("a[href='handbook/wp1/index.html']").first.click()
        assert page.url == base + "handbook/wp1/index.html"
        page.locator(".md-content a[href='wp1-01.html']").first.click()
        assert page.url == base + "handbook/wp1/wp1-01.html"
        page.wait_for_load_state()  # the address changes before the page has loaded
        assert page.locator("h1").count() == 1
        # The language switch: the same sheet in the other language.
        page.locator(".md-header .md-select").hover()
        page.locator(f"a.md-select__link[hreflang='{OTHER}']").click()
        assert page.url == base + OTHER_ROOT + "handbook/wp1/wp1-01.html"
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == OTHER
        # The sheet's checklist: its print view, and the PDF it links to.
        page.locator("a[href$='checklists/wp1-01.html']").first.click()
        assert page.url == base + OTHER_ROOT + "checklists/wp1-01.html"
        pdf = page.locator("a[href$='.pdf']").first.get_attribute("href")
        assert pdf == "wp1-01.pdf"
        assert (copy_dir / OTHER_ROOT / "checklists" / pdf).read_bytes()[:5] == b"%PDF-"
        # Search, in each language: results in the page's language, which open.
        for lang, query in ((DEFAULT, "matrice"), (OTHER, "matrix")):
            root = "" if lang == DEFAULT else f"{lang}/"
            page.goto(base + root + "index.html")
            page.locator(".md-search__input").click()
            page.locator(".md-search__input").press_sequentially(query)
            page.wait_for_selector(".md-search-result__item", timeout=15000)
            links = page.locator(".md-search-result__link")
            hrefs = [links.nth(n).get_attribute("href") for n in range(links.count())]
            assert hrefs and all(h.startswith(base + root) for h in hrefs), hrefs
            if root == "":
                assert not any(h.startswith(base + f"{o}/") for h in hrefs for o in LANGUAGES[1:])
            links.first.click()
            page.wait_for_load_state()
            assert page.url.split("#")[0].startswith(base + root)
            assert page.locator("h1").count() == 1
        # The search page of the menu opens the same search.
        page.goto(base + "search.html?q=matrice")
        page.wait_for_selector(".md-search-result__item", timeout=15000)
    finally:
        context.close()
    assert [url for url in requests if not url.startswith(("file:", "data:", "blob:",
                                                           "about:"))] == []
    assert errors == []
