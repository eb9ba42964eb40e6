""""Edit this page" (issue 15): every page of the site links to the file it comes from — the
YAML file of its entry, or its hand-written Markdown — on the forge named in handbook.yaml
(`forge: {kind, repository, branch}`), in that forge's URL shape. The built site's links are
mapped back to paths, which must be files of this repository."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest

from faasst_handbook.pipeline import Generator
from faasst_handbook.plan.routes import build_routes, source_file
from faasst_handbook.source.models import Forge
from faasst_handbook.validation import load_handbook

from support.paths import LANGUAGES, ROOT


@pytest.mark.parametrize("kind, edit, tree, file", [
    ("gitlab", "{r}/-/edit/main/{p}", "{r}/-/tree/main/{p}", "{r}/-/blob/main/{p}"),
    ("github", "{r}/edit/main/{p}", "{r}/tree/main/{p}", "{r}/blob/main/{p}"),
    ("gitea", "{r}/_edit/main/{p}", "{r}/src/branch/main/{p}", "{r}/src/branch/main/{p}"),
    ("forgejo", "{r}/_edit/main/{p}", "{r}/src/branch/main/{p}", "{r}/src/branch/main/{p}"),
])
def test_each_forge_gets_its_own_url_shape(kind, edit, tree, file):
    repository = "https://forge.example.org/city/handbook"
    forge = Forge(kind=kind, repository=repository + "/")
    path = "handbook/sheets/wp1-01.yaml"
    assert forge.edit_url(path) == edit.format(r=repository, p=path)
    assert forge.tree_url("tests/bad_inputs") == tree.format(r=repository, p="tests/bad_inputs")
    assert forge.file_url(path) == file.format(r=repository, p=path)
    assert Forge(kind=kind, repository=repository, branch="release/2.0").edit_url(
        "docs/a b.md").endswith("/release/2.0/docs/a%20b.md")


@pytest.fixture(scope="module")
def real():
    content = load_handbook(ROOT / "handbook").content
    return content, build_routes(content)


def test_every_page_comes_from_a_file_of_the_repository(real):
    content, routes = real
    expected = {"sheet": lambda r: f"handbook/sheets/{r.entry}.yaml",
                "wp": lambda r: f"handbook/work-packages/{r.entry}.yaml",
                "matrix": lambda r: "handbook/matrix.yaml",
                "matrix-by-role": lambda r: "handbook/matrix.yaml",
                "capacity-grid": lambda r: "handbook/capacity-grid.yaml",
                "glossary": lambda r: "handbook/glossary.yaml",
                "starter-route": lambda r: "handbook/starter-route.yaml",
                "case": lambda r: f"handbook/cases/{r.entry}.yaml",
                "handbook-index": lambda r: "handbook/handbook.yaml"}
    catalogue_files = {"role": "roles", "tool": "tools", "mechanism": "mechanisms",
                       "indicator": "indicators", "body": "bodies"}
    for route in routes.pages:
        for lang in LANGUAGES:
            path = source_file(route, lang)
            assert (ROOT / path).is_file(), (route.path, path)
            if not route.generated:
                assert path == f"docs/{route.path}.{lang}.md"
            elif route.kind == "catalogue":
                name = catalogue_files.get(route.entry)
                assert path == (f"handbook/catalogues/{name}.yaml" if name
                                else "handbook/sources.yaml"), route.entry
            elif route.kind in expected:
                assert path == expected[route.kind](route)
            else:  # assembled from many files: its own words are interface strings
                assert path == "handbook/ui.yaml", route.kind


class _EditLinks(HTMLParser):
    def __init__(self):
        super().__init__()
        self.edit: list[str] = []
        self.theme = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("rel") == "edit":
            self.edit.append(attrs.get("href") or "")
        if tag == "footer" and "md-footer" in (attrs.get("class") or ""):
            self.theme = True


def test_every_page_of_the_built_site_edits_an_existing_file(built_site, real):
    content, routes = real
    forge = content.info.forge
    assert forge is not None, "handbook.yaml names the forge"
    prefix = forge.edit_url("")
    by_url = {route.url: route for route in routes.pages}
    checked = 0
    for page in sorted(built_site.rglob("*.html")):
        relative = page.relative_to(built_site).as_posix()
        parser = _EditLinks()
        parser.feed(page.read_text(encoding="utf-8"))
        if not parser.theme or relative.endswith("404.html"):
            continue  # print documents, redirect and 404 pages have no source of their own
        assert len(parser.edit) == 1, f"{relative}: {len(parser.edit)} edit links"
        href = parser.edit[0].replace("&amp;", "&")
        assert href.startswith(prefix), (relative, href)
        path = unquote(href[len(prefix):])
        assert (ROOT / path).is_file(), f"{relative}: the edit link leads to {path}, no file"
        lang = next((lang for lang in LANGUAGES[1:] if relative.startswith(f"{lang}/")),
                    LANGUAGES[0])
        url = relative.removeprefix(content.language_root(lang)).removesuffix("index.html")
        assert path == source_file(by_url[url], lang), relative
        checked += 1
    assert checked == len(routes.pages) * len(LANGUAGES)


def test_the_contributor_guide_links_to_existing_folders_of_the_repository(built_site, real):
    content, _ = real
    forge = content.info.forge
    for lang in LANGUAGES:
        html = (built_site / content.language_root(lang) / "contributing/index.html") \
            .read_text(encoding="utf-8")
        links = re.findall(r'<a href="([^"]+)"', html)
        folders = [unquote(link[len(forge.tree_url("")):]) for link in links
                   if link.startswith(forge.tree_url(""))]
        files = [unquote(link[len(forge.file_url("")):]) for link in links
                 if link.startswith(forge.file_url(""))]
        assert "tests/bad_inputs" in folders and "handbook" in folders
        assert all((ROOT / folder).is_dir() for folder in folders), folders
        assert files and all((ROOT / file).is_file() for file in files), files


def test_without_a_forge_pages_have_no_edit_link(mini_project):
    generator = Generator(mini_project)
    generator.generate(with_pdfs=False)
    for lang in LANGUAGES:
        assert generator.edit_url(f"handbook/wp1/wp1-01.{lang}.md", lang) == \
            "https://github.com/example/handbook/edit/main/handbook/sheets/wp1-01.yaml"
        assert generator.edit_url(f"about.{lang}.md", lang).endswith(f"/main/docs/about.{lang}.md")
    handbook_yaml = mini_project / "handbook" / "handbook.yaml"
    handbook_yaml.write_text(re.sub(r"(?m)^forge:.*\n", "", handbook_yaml.read_text()))
    generator.generate(with_pdfs=False)
    for lang in LANGUAGES:
        assert generator.edit_url(f"handbook/wp1/wp1-01.{lang}.md", lang) is None
        assert generator.edit_url(f"about.{lang}.md", lang) is None
