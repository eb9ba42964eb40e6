"""The reading experience, checked on the built site: "used in" lists, the matrix, paths to
every sheet, both languages, nothing loaded from elsewhere."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import pytest

from support.paths import ROOT
from faasst_handbook.validation import load_handbook
from faasst_handbook.plan.views import sheet_entries

CONTENT = load_handbook(ROOT / "handbook").content
LANGS = {"fr": "", "en": "en/"}


def page(site: Path, lang: str, path: str) -> str:
    return (site / LANGS[lang] / path / "index.html").read_text(encoding="utf-8")


def article(html: str) -> str:
    return re.search(r'<article class="md-content__inner md-typeset">(.*?)</article>', html, re.S).group(1)


def sections(html: str) -> dict[str, str]:
    """h2 id → the HTML up to the next h2, inside the article."""
    body = article(html)
    parts = re.split(r'(<h2 id="[^"]+")', body)
    found = {}
    for n in range(1, len(parts), 2):
        found[re.search(r'id="([^"]+)"', parts[n]).group(1)] = parts[n + 1]
    return found


def linked_sheets(fragment: str, from_url: str) -> list[str]:
    """Sheet ids linked from an HTML fragment of the page at `from_url` (a site path)."""
    out = []
    for href in re.findall(r'href="([^"#?]+)', fragment):
        target = posixpath.normpath(posixpath.join(from_url, href))
        match = re.fullmatch(r"handbook/wp\d/(wp\d-\d\d)", target)
        if match:
            out.append(match.group(1))
    return out


def expected_usage(kind: str, entry_id: str) -> list[str]:
    """Sheets that use an entry, computed from the YAML independently of content.usage."""
    users = []
    for sheet in CONTENT.sheets.values():
        if kind == "source":
            used = entry_id in sheet.sources
        else:
            used = entry_id in sheet_entries(sheet, kind)
        if used:
            users.append(sheet.id)
    return users


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("kind, name", [("role", "roles"), ("tool", "tools"),
                                        ("mechanism", "mechanisms"), ("body", "bodies"),
                                        ("indicator", "indicators"), ("source", "sources")])
def test_used_in_lists_match_the_sheets_that_reference_each_entry(built_site, lang, kind, name):
    url = f"handbook/catalogues/{name}"
    found = sections(page(built_site, lang, url))
    for entry_id in CONTENT.catalogue(kind):
        anchor = entry_id.replace(".", "-")
        assert anchor in found, f"{entry_id} has no section on {url}"
        used = re.search(r'<ul class="hb-used-in__sheets">(.*?)</ul>', found[anchor], re.S)
        listed = linked_sheets(used.group(1), url) if used else []
        assert listed == expected_usage(kind, entry_id), entry_id


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_matrix_page_shows_every_cell(built_site, lang):
    html = page(built_site, lang, "handbook/matrix")
    for cell in CONTENT.matrix.cells:
        anchor = f"{cell.task}--{cell.means}".replace(".", "-")
        match = re.search(rf'<h3 id="{anchor}".*?(?=<h[23] |</article>)', html, re.S)
        assert match, f"cell {anchor} missing"
        text = match.group(0)
        for activity in cell.activities:
            assert activity[lang] in plain(text)
        assert cell.calendar[lang] in plain(text)
        assert sorted(linked_sheets(text, "handbook/matrix")) == sorted(cell.sheets)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_matrix_by_role_lists_each_role_with_its_cells(built_site, lang):
    found = sections(page(built_site, lang, "handbook/matrix-by-role"))
    for role_id in CONTENT.roles:
        cells = [n for n, cell in enumerate(CONTENT.matrix.cells)
                 if any(entry.role == role_id for entry in cell.raci)]
        anchor = role_id.replace(".", "-")
        if not cells:
            assert anchor not in found
            continue
        links = re.findall(r'href="\.\./matrix/#([^"]+)"', found[anchor])
        expected = [f"{CONTENT.matrix.cells[n].task}--{CONTENT.matrix.cells[n].means}".replace(".", "-")
                    for n in cells]
        assert links == expected


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_sheet_is_reachable_from_its_wp_page_and_the_finder(built_site, lang):
    finder = linked_sheets(article(page(built_site, lang, "handbook/sheets")), "handbook/sheets")
    assert finder == list(CONTENT.sheets)
    for wp in CONTENT.work_packages.values():
        url = f"handbook/{wp.id}"
        listed = linked_sheets(sections(page(built_site, lang, url))["sheets"], url)
        assert listed == wp.sheets


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_sheet_pages_render_every_section_and_link_their_neighbours(built_site, lang):
    order = list(CONTENT.sheets)
    for n, sheet_id in enumerate(order):
        sheet = CONTENT.sheets[sheet_id]
        url = f"handbook/{sheet.wp}/{sheet_id}"
        html = page(built_site, lang, url)
        ids = set(sections(html))
        assert {"objective", "when-to-use", "prerequisites", "steps", "human-resources", "tools",
                "mechanisms", "bodies", "deliverables", "indicators", "related-sheets", "sources",
                "checklist"} <= ids, sheet_id
        assert html.count('type="checkbox"') >= len(sheet.checklist)
        pager = re.search(r'<nav class="hb-pager".*?</nav>', html, re.S).group(0)
        expected = [s for s in (order[n - 1] if n else None, order[n + 1] if n + 1 < len(order) else None) if s]
        assert linked_sheets(pager, url) == expected
        assert sheet.last_reviewed.isoformat() in html


def test_home_page_shows_the_six_modules_in_each_language(built_site):
    for lang in LANGS:
        text = plain(article(page(built_site, lang, "")))
        for wp in CONTENT.work_packages.values():
            assert wp.title[lang] in text


def test_the_home_page_speaks_to_readers_only(built_site):
    """Issue 16: the home page ended with a section for maintainers about YAML files; that help
    is in CONTRIBUTING.md now."""
    for lang in LANGS:
        text = plain(article(page(built_site, lang, "")))
        assert not re.search(r"\bYAML\b|start-editors", text), lang
        assert 'id="start-editors"' not in page(built_site, lang, "")


def test_acronyms_are_explained_on_hover_and_focus(built_site):
    html = page(built_site, "fr", "handbook/wp4/wp4-06")
    assert re.search(r'<abbr title="[^"]+" tabindex="0">SEM</abbr>', html)
    english = page(built_site, "en", "handbook/catalogues/mechanisms")
    assert re.search(r'<abbr title="[^"]+"( tabindex="0")?>(SEM|PCAET|CEE)</abbr>', english)


def test_finder_works_without_javascript_as_a_plain_list(built_site):
    html = page(built_site, "fr", "handbook/sheets")
    assert re.search(r'<form class="hb-finder" id="hb-finder" hidden', html)
    assert html.count('class="hb-finder-results__item"') == len(CONTENT.sheets)
    assert 'src="../../assets/javascripts/sheet-finder.js"' in html


EXTERNAL = re.compile(r'<(?:script|img|iframe|source|video|audio)[^>]+src="(https?:)?//|'
                      r'<link[^>]+href="(https?:)?//[^"]+"[^>]*rel="(?:stylesheet|preload|preconnect|icon)"|'
                      r'<link[^>]+rel="(?:stylesheet|preload|preconnect|icon)"[^>]+href="(https?:)?//')


def test_no_page_loads_resources_from_another_host(built_site):
    offenders = []
    for path in built_site.rglob("*.html"):
        if EXTERNAL.search(path.read_text(encoding="utf-8")):
            offenders.append(str(path.relative_to(built_site)))
    for path in built_site.rglob("*.css"):
        if re.search(r"url\((['\"]?)(https?:)?//", path.read_text(encoding="utf-8")):
            offenders.append(str(path.relative_to(built_site)))
    assert offenders == []


def plain(fragment: str) -> str:
    """The text a reader sees: tags removed, entities decoded."""
    import html
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))
