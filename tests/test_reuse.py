"""Reuse by another city (issue 15, point 7): the site's name, logo, colours, contact and
licence are handbook.yaml's configuration. The mini Handbook built with another city's
configuration shows that city's, on every page, in every language — and none of Dijon's."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from faasst_handbook.publish import open_data
from faasst_handbook.render import theme
from support.handbooks import HandbookCopy
from support.paths import LANGUAGES
from support.sites import handbook, new_mini_project, shared_build

CITY = {lang: f"Manuel climat de Lisière ({lang})" for lang in LANGUAGES}
COLOURS = {"primary": "#5b2a86", "accent": "#8a3b00", "links": "#1d5e20"}
EMAIL = "climat@lisiere.example"
LICENCE = {lang: f"© Ville de Lisière, 2026 ({lang}), d'après le Handbook FAASST." for lang in LANGUAGES}
LOGO = '<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24"><circle cx="12" cy="12" r="10" fill="#5b2a86"/></svg>\n'


def texts(values: dict[str, str]) -> str:
    return "{" + ", ".join(f"{lang}: {json.dumps(text, ensure_ascii=False)}"
                           for lang, text in values.items()) + "}"


def another_city(copy: HandbookCopy) -> None:
    text = copy.read("handbook.yaml")
    text = re.sub(r"^short_title: .*$", f"short_title: {texts(CITY)}", text, flags=re.M)
    text = re.sub(r"^licence: .*$", f"licence: {texts(LICENCE)}", text, flags=re.M)
    text = re.sub(r"^data_licence: .*$", "data_licence: {id: ODbL-1.0, name: " + texts(
        {lang: f"Open Database License ({lang})" for lang in LANGUAGES})
        + ", url: \"https://opendatacommons.org/licenses/odbl/1-0/\"}", text, flags=re.M)
    text = re.sub(r"^forge:(?: \{.*\}\n|\n(?:  .*\n)+)", "", text, flags=re.M)
    text = text[:text.index("site:")] + (
        "forge: {kind: gitea, repository: \"https://forge.lisiere.example/climat/handbook\"}\n"
        "site:\n  logo: assets/images/lisiere.svg\n"
        f"  colours: {json.dumps(COLOURS)}\n"
        f"  contact: {{name: {texts({l: f'Mission climat ({l})' for l in LANGUAGES})}, "
        f"email: \"{EMAIL}\"}}\n")
    copy.write("handbook.yaml", text)
    images = copy.root.parent / "docs" / "assets" / "images"
    images.mkdir(parents=True, exist_ok=True)
    (images / "lisiere.svg").write_text(LOGO, encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return shared_build(tmp_path_factory, "another-city", another_city) / "site"


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "checklists" not in p.parts)


def lang_of(site: Path, page: Path) -> str:
    first = page.relative_to(site).parts[0]
    return first if first in LANGUAGES[1:] else LANGUAGES[0]


def test_every_page_carries_the_citys_name_contact_and_licence(site):
    checked = 0
    for page in pages(site):
        html = page.read_text(encoding="utf-8")
        if "md-copyright" not in html:
            continue  # not a page of the theme (none expected, but a redirect would be one)
        lang = lang_of(site, page)
        assert f"<title>" in html and CITY[lang] in html, page
        footer = html[html.index('class="md-copyright"'):]
        assert json.dumps(LICENCE[lang], ensure_ascii=False)[1:-1].replace("'", "&#39;") in footer
        assert f'<a href="mailto:{EMAIL}">{EMAIL}</a>' in footer, page
        assert "Dijon" not in footer, page
        checked += 1
    assert checked > 20


def test_the_colours_and_logo_are_the_citys(site):
    css = (site / theme.STYLESHEET).read_text(encoding="utf-8")
    for name, variable in (("primary", "--md-primary-fg-color:"),
                           ("accent", "--md-accent-fg-color:"),
                           ("links", "--md-typeset-a-color:")):
        assert f"{variable} {COLOURS[name]};" in css
    assert (site / "assets" / "images" / "lisiere.svg").read_text(encoding="utf-8") == LOGO
    for lang in LANGUAGES:
        home = site / ("" if lang == LANGUAGES[0] else lang) / "index.html"
        html = home.read_text(encoding="utf-8")
        link = re.search(r'<link rel="stylesheet" href="([^"]*handbook/site\.css)"', html)
        assert link and (home.parent / link.group(1)).resolve() == (site / theme.STYLESHEET)
        logo = re.search(r'<img src="([^"]*lisiere\.svg)"', html)
        assert logo and (home.parent / logo.group(1)).resolve().is_file()


def test_the_header_is_drawn_in_the_citys_colour(site, chromium):
    from support.browser import static_server

    with static_server(site) as base:
        page = chromium.new_page()
        try:
            page.goto(f"{base}/")
            colour = page.eval_on_selector("header.md-header",
                                           "e => getComputedStyle(e).backgroundColor")
        finally:
            page.close()
    red, green, blue = (int(COLOURS["primary"][i:i + 2], 16) for i in (1, 3, 5))
    assert colour == f"rgb({red}, {green}, {blue})"


def test_the_open_data_carries_the_citys_licence(site):
    package = json.loads((site / open_data.DATA_DIR / open_data.PACKAGE_FILE).read_text())
    assert package["licenses"][0]["name"] == "ODbL-1.0"
    assert package["licenses"][0]["path"] == "https://opendatacommons.org/licenses/odbl/1-0/"
    for lang in LANGUAGES:
        page = site / ("" if lang == LANGUAGES[0] else lang) / "open-data" / "index.html"
        assert f"Open Database License ({lang})" in page.read_text(encoding="utf-8")


def test_a_missing_logo_stops_the_build_with_a_message(tmp_path):
    project = new_mini_project(tmp_path / "project")
    copy = HandbookCopy.__new__(HandbookCopy)
    copy.root = project / "handbook"
    another_city(copy)
    (project / "docs" / "assets" / "images" / "lisiere.svg").unlink()
    result = handbook(project, "build")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "handbook/handbook.yaml: site.logo: `assets/images/lisiere.svg` is not a file under " \
           "docs/: put the image at docs/assets/images/lisiere.svg, or correct the path." \
           in result.stdout + result.stderr
