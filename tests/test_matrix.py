"""The management matrix as a matrix (issue 13, part 1): a real tasks × means table on the
matrix page, a role highlight kept in the address, a phone layout without sideways scrolling,
and its posters — one A3 landscape page, two A4 landscape pages — legible and in the
document's language.

Browser tests drive Debian's Chromium on the built site (`built_site`, served with axe-core by
`site_server`); the PDFs are read back with pypdf."""

from __future__ import annotations

import gzip
import json
import math
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from faasst_handbook.plan import views
from faasst_handbook.plan.routes import (MATRIX_A4, MATRIX_POSTER, OUTPUT_DIR, build_routes,
                                         cell_anchor)
from faasst_handbook.validation import load_handbook
from support.gates import GatePage, external_requests, format_violations, language_prefix
from support.paths import LANGUAGES, ROOT

ROLE = "role.portfolio-manager"  # "what does the portfolio manager do?"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# (width, height) in points
PAPER_POINTS = {"A3 landscape": (1190.55, 841.89), "A4 landscape": (841.89, 595.28)}
SMALLEST_TEXT_PT = 8  # legible once printed


@pytest.fixture(scope="module")
def content():
    result = load_handbook(ROOT / "handbook")
    assert result.ok, result.problems
    return result.content


@pytest.fixture(scope="module")
def routes(content):
    return build_routes(content)


@pytest.fixture(scope="module")
def tab(chromium):
    """A tab of its own (the gates' shared tab keeps its desktop size)."""
    page = GatePage(chromium)
    yield page
    page.close()


def matrix_url(base: str, lang: str, query: str = "") -> str:
    return f"{base}/{language_prefix(lang)}handbook/matrix/{query}"


def cells_of_role(content, role: str) -> set[str]:
    """Anchors of the cells a role takes part in, from the YAML."""
    return {cell_anchor(cell.task, cell.means) for cell in content.matrix.cells
            if role in {entry.role for entry in cell.raci}}


# What each cell of the table shows, as the reader's browser has it.
CELL_STATE = """() => [...document.querySelectorAll('#hb-matrix tbody td')].map(td => ({
    cell: td.querySelector('.hb-matrix__detail a').hash.slice(1),
    match: td.classList.contains('hb-matrix__cell--match'),
    dimmed: td.classList.contains('hb-matrix__cell--dimmed'),
    here: td.querySelector('.hb-matrix__here').checkVisibility(),
    chosen: [...td.querySelectorAll('a.hb-matrix__role--chosen')].map(a => a.dataset.role),
    background: getComputedStyle(td).backgroundColor}))"""


def assert_highlighted(page, content, role: str) -> None:
    expected = cells_of_role(content, role) if role else set()
    state = page.evaluate(CELL_STATE)
    assert len(state) == len(content.matrix.cells)
    assert {s["cell"] for s in state if s["match"]} == expected
    assert {s["cell"] for s in state if s["here"]} == expected  # a written mark, not colour only
    for s in state:
        assert s["dimmed"] == (bool(role) and s["cell"] not in expected), s
        assert s["chosen"] == ([role] if s["cell"] in expected else []), s
    if role and len(expected) < len(state):  # highlighted cells look different from the others
        looks = {s["match"]: s["background"] for s in state}
        assert looks[True] != looks[False]


def role_in_url(page) -> list[str]:
    return parse_qs(urlsplit(page.url).query).get("role", [])


# --- the table --------------------------------------------------------------------------

TABLE = """() => {
  const table = document.querySelector('table#hb-matrix');
  const text = e => e.textContent.replace(/\\s+/g, ' ').trim();
  return {
    caption: table.caption ? text(table.caption) : '',
    columns: [...table.tHead.rows[0].cells].map(c => [c.tagName, c.scope, text(c)]),
    rows: [...table.tBodies[0].rows].map(row => ({
      head: [row.cells[0].tagName, row.cells[0].scope, text(row.cells[0])],
      cells: [...row.cells].slice(1).map(td => ({
        tag: td.tagName,
        text: text(td),
        raci: [...td.querySelectorAll('.hb-matrix__raci > li')].map(li => ({
          letter: text(li.querySelector('.hb-raci [aria-hidden="true"]')),
          spoken: text(li.querySelector('.hb-raci .hb-visually-hidden')),
          roles: [...li.querySelectorAll('a[data-role]')].map(a => [a.dataset.role, text(a), a.href])})),
        links: [...td.querySelectorAll('a')].map(a => a.href),
        detail: td.querySelector('.hb-matrix__detail a').href,
      }))}))};
}"""


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_matrix_page_is_a_table_of_tasks_by_means(tab, site_server, content, routes, lang):
    """Tasks are row headers, means column headers; each cell shows its roles with their RACI
    letter (and the full word for screen readers), its calendar, its indicators, links to its
    sheets and to its detailed section below the table."""
    ui = {key: text[lang] for key, text in content.ui.items()}
    tab.open(matrix_url(site_server, lang))
    table = tab.page.evaluate(TABLE)
    matrix = content.matrix
    assert table["caption"] == ui["matrix_table_caption"]
    assert table["columns"] == [["TH", "col", ui["print_task"]]] + [
        ["TH", "col", means.name[lang]] for means in matrix.means]
    assert len(table["rows"]) == len(matrix.tasks) == 4
    base = site_server + "/" + language_prefix(lang)
    cells = {(cell.task, cell.means): cell for cell in matrix.cells}
    for task, row in zip(matrix.tasks, table["rows"]):
        assert row["head"] == ["TH", "row", task.name[lang]]
        assert len(row["cells"]) == len(matrix.means) == 3
        for means, shown in zip(matrix.means, row["cells"]):
            cell = cells[(task.id, means.id)]
            assert shown["tag"] == "TD"
            letters = {}
            for group in shown["raci"]:
                for role, name, href in group["roles"]:
                    letters[role] = (group["letter"], group["spoken"])
                    assert name == content.roles[role].name[lang]
                    assert href == base + routes.url("role", role)
            assert letters == {entry.role: (entry.raci[0].upper(), ui[f"raci_{entry.raci}"])
                               for entry in cell.raci}
            assert cell.calendar[lang] in shown["text"]
            for indicator in cell.indicators:
                assert content.indicators[indicator].name[lang] in shown["text"]
                assert base + routes.url("indicator", indicator) in shown["links"]
            for sheet_id in cell.sheets:
                assert base + routes.url("sheet", sheet_id) in shown["links"]
            anchor = cell_anchor(task.id, means.id)
            assert shown["detail"] == matrix_url(site_server, lang) + "#" + anchor
            assert tab.page.locator(f"h3#{anchor}").count() == 1  # the detailed section stays


@pytest.mark.parametrize("lang", LANGUAGES)
def test_without_javascript_the_table_is_complete_and_the_filter_hidden(chromium, site_server,
                                                                         content, lang):
    context = chromium.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(matrix_url(site_server, lang, f"?role={ROLE}"))
        assert not page.locator("#hb-matrix-filter").is_visible()
        assert page.locator("#hb-matrix tbody td").count() == len(content.matrix.cells)
        assert page.locator("#hb-matrix .hb-matrix__cell--match").count() == 0
        assert page.locator("#hb-matrix .hb-matrix__here:visible").count() == 0
    finally:
        context.close()


# --- the role filter ----------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_role_filter_highlights_its_cells_and_keeps_the_choice_in_the_address(
        tab, site_server, content, lang):
    ui = {key: text[lang] for key, text in content.ui.items()}
    page = tab.page
    tab.open(matrix_url(site_server, lang))
    assert page.locator("#hb-matrix-filter").is_visible()
    assert page.locator("label[for=matrix-role]").inner_text() == ui["matrix_filter_label"]
    options = page.eval_on_selector_all("#matrix-role option", "os => os.map(o => o.value)")
    in_matrix = {entry.role for cell in content.matrix.cells for entry in cell.raci}
    assert options[0] == "" and set(options[1:]) == in_matrix and len(options) == len(in_matrix) + 1
    assert_highlighted(page, content, "")

    page.select_option("#matrix-role", ROLE)
    assert_highlighted(page, content, ROLE)
    assert role_in_url(page) == [ROLE]
    count = len(cells_of_role(content, ROLE))
    assert page.inner_text("#hb-matrix-status") == ui["matrix_filter_count_many"].replace(
        "{role}", content.roles[ROLE].name[lang]).replace("{count}", str(count)).replace(
        "{total}", str(len(content.matrix.cells)))
    assert page.get_attribute("#hb-matrix-status", "aria-live") == "polite"

    page.reload()  # the choice survives a reload
    assert page.input_value("#matrix-role") == ROLE
    assert_highlighted(page, content, ROLE)

    page.focus("#matrix-role")  # by keyboard: the next role in the list
    page.keyboard.press("ArrowDown")
    following = options[options.index(ROLE) + 1]
    page.wait_for_function(f"() => new URLSearchParams(location.search).get('role') === '{following}'")
    assert_highlighted(page, content, following)

    page.select_option("#matrix-role", "")  # none: the whole matrix, and a clean address
    assert_highlighted(page, content, "")
    assert role_in_url(page) == [] and page.inner_text("#hb-matrix-status") == ""


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_shared_address_opens_with_its_role_highlighted(tab, site_server, content, lang):
    single = next(role for role in sorted({e.role for c in content.matrix.cells for e in c.raci})
                  if len(cells_of_role(content, role)) == 1)
    ui = {key: text[lang] for key, text in content.ui.items()}
    tab.open(matrix_url(site_server, lang, f"?role={single}"))
    assert tab.page.input_value("#matrix-role") == single
    assert_highlighted(tab.page, content, single)
    assert tab.page.inner_text("#hb-matrix-status") == ui["matrix_filter_count_one"].replace(
        "{role}", content.roles[single].name[lang]).replace("{total}",
                                                              str(len(content.matrix.cells)))
    tab.open(matrix_url(site_server, lang, "?role=role.nobody"))  # unknown: nothing dimmed
    assert tab.page.input_value("#matrix-role") == ""
    assert_highlighted(tab.page, content, "")


def test_the_matrix_script_does_nothing_on_other_pages(tab, site_server):
    errors: list[str] = []

    def record(error) -> None:
        errors.append(str(error))

    tab.page.on("pageerror", record)
    try:
        for path in ("", "handbook/wp4/wp4-02/", "handbook/sheets/"):
            url = f"{site_server}/{path}?role={ROLE}"
            tab.open(url)
            assert tab.page.url == url
            assert tab.page.locator(".hb-matrix__cell--match, .hb-matrix__cell--dimmed").count() == 0
    finally:
        tab.page.remove_listener("pageerror", record)
    assert errors == []


def test_printing_the_page_keeps_the_chosen_role_and_drops_the_controls(tab, site_server,
                                                                        content):
    page = tab.page
    tab.open(matrix_url(site_server, LANGUAGES[0], f"?role={ROLE}"))
    page.emulate_media(media="print")
    try:
        assert not page.locator("#hb-matrix-filter").is_visible()
        assert not page.locator(".hb-matrix-prints").is_visible()
        assert page.locator(".hb-matrix__here:visible").count() == len(cells_of_role(content, ROLE))
    finally:
        page.emulate_media(media="screen")


# --- on a phone -----------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGUAGES)
def test_on_a_phone_the_page_does_not_scroll_sideways(tab, site_server, content, lang):
    """390 × 844: one task at a time, each cell a block that names its means."""
    page = tab.page
    page.set_viewport_size(PHONE)
    try:
        for query in ("", f"?role={ROLE}"):
            tab.open(matrix_url(site_server, lang, query))
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
            boxes = page.eval_on_selector_all(
                "#hb-matrix tbody th, #hb-matrix tbody td, #hb-matrix-filter, #hb-matrix caption",
                "es => es.map(e => { const r = e.getBoundingClientRect(); "
                "return [r.left, r.right, r.width]; })")
            assert all(left >= 0 and right <= PHONE["width"] for left, right, _ in boxes), boxes
            # stacked: each cell has the width of the content, not a third of it
            widths = [width for _, _, width in boxes]
            assert min(widths) > PHONE["width"] * 0.8, widths
            labels = page.eval_on_selector_all(
                "#hb-matrix tbody td", "tds => tds.map(td => td.querySelector('.hb-matrix__means')"
                ".checkVisibility() && td.querySelector('.hb-matrix__means').textContent)")
            names = [means.name[lang] for means in content.matrix.means]
            assert labels == names * len(content.matrix.tasks)
            if query:
                assert_highlighted(page, content, ROLE)
    finally:
        page.set_viewport_size(DESKTOP)


# --- accessibility --------------------------------------------------------------------------

@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_axe_finds_nothing_with_or_without_a_role_chosen(tab, site_server, record_property,
                                                         lang, viewport):
    tab.page.set_viewport_size(viewport)
    try:
        found: list[str] = []
        for query in ("", f"?role={ROLE}"):
            urls = tab.open(matrix_url(site_server, lang, query))
            assert not external_requests(urls, site_server)
            name = f"matrix ({lang}, {viewport['width']} px, {query or 'no role'})"
            found += format_violations(name, tab.axe(site_server))
    finally:
        tab.page.set_viewport_size(DESKTOP)
    assert not found, "\n".join(found)


# --- the posters ----------------------------------------------------------------------------

def words(text: str) -> str:
    """Text compared word by word: line breaks and no-break spaces do not count."""
    return re.sub(r"-\s+", "-", re.sub(r"\s+", " ", text.replace("\xa0", " "))).strip()


def text_sizes(page) -> list[tuple[float, str]]:
    """(size in points as printed, text) of every run of text on a PDF page."""
    runs = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            runs.append((size * math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3]), text))

    page.extract_text(visitor_text=visit)
    return runs


def test_the_posters_are_declared_for_their_paper(routes):
    poster, a4 = routes.print_by_slug[MATRIX_POSTER], routes.print_by_slug[MATRIX_A4]
    assert (poster.paper, poster.pages) == ("A3 landscape", 1)
    assert (a4.paper, a4.pages) == ("A4 landscape", 2)
    assert poster.online == a4.online == "handbook/matrix"


@pytest.mark.parametrize("slug", [MATRIX_POSTER, MATRIX_A4])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_poster_fills_its_pages_legibly_in_its_language(built_site, content, routes, lang,
                                                             slug):
    pypdf = pytest.importorskip("pypdf")
    doc = routes.print_by_slug[slug]
    path = built_site / content.language_root(lang) / OUTPUT_DIR / f"{slug}.pdf"
    reader = pypdf.PdfReader(path)
    assert len(reader.pages) == doc.pages, (path, len(reader.pages))
    ui = {key: text[lang] for key, text in content.ui.items()}
    pages = [words(page.extract_text()) for page in reader.pages]
    for page, text in zip(reader.pages, pages):
        size = (float(page.mediabox.width), float(page.mediabox.height))
        assert size == pytest.approx(PAPER_POINTS[doc.paper], abs=0.5)
        assert words(ui["print_raci_legend"]) in text  # the legend on every page
        small = [(round(points, 2), run) for points, run in text_sizes(page)
                 if points < SMALLEST_TEXT_PT - 0.01]
        assert not small, small[:5]
    text = " ".join(pages)
    matrix = content.matrix
    others = [other for other in content.languages if other != lang]
    for named in [*matrix.tasks, *matrix.means]:
        assert words(named.name[lang]) in text, named.id
        for other in others:
            if named.name[other] != named.name[lang]:
                assert words(named.name[other]) not in text, named.id
    groups = views.matrix_raci(content)
    for position, cell in enumerate(matrix.cells):
        for raci, roles in groups[position]:  # each role after its RACI letter
            names = ", ".join(content.roles[role].name[lang] for role in roles)
            assert words(f"{raci[0].upper()} {names}") in text, (cell.task, cell.means, raci)
        assert words(cell.calendar[lang]) in text
        for activity in cell.activities:
            assert words(activity[lang]) in text
    assert len(reader.get_fields() or {}) == sum(len(cell.activities) for cell in matrix.cells)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_both_posters_are_linked_from_the_matrix_and_checklists_pages(built_site, content,
                                                                      lang):
    root = built_site / content.language_root(lang)
    for page in ("handbook/matrix", "handbook/checklists"):
        folder = root / page
        html = (folder / "index.html").read_text(encoding="utf-8")
        hrefs = re.findall(r'<a [^>]*href="([^"]+)"', html)
        for slug in (MATRIX_POSTER, MATRIX_A4):
            for extension in ("html", "pdf"):
                found = [h for h in hrefs if Path(h).name == f"{slug}.{extension}"]
                assert found, (page, slug, extension)
                assert (folder / found[0]).resolve().is_file()
    view = (root / OUTPUT_DIR / f"{MATRIX_POSTER}.html").read_text(encoding="utf-8")
    assert content.ui["print_how_a3"][lang] in view.replace("&#39;", "'")


# --- the views behind them ----------------------------------------------------------------

def test_roles_are_grouped_by_raci_letter_and_rows_split_evenly(content):
    groups = views.matrix_raci(content)
    for position, cell in enumerate(content.matrix.cells):
        order = [raci for raci, _ in groups[position]]
        assert order == [r for r in views.RACI_ORDER if r in order]
        assert sorted(role for _, roles in groups[position] for role in roles) == \
            sorted(entry.role for entry in cell.raci)
    for lang in content.languages:
        names = [name for _, name in views.matrix_roles(content, lang)]
        assert names == sorted(names, key=views.sort_key) and len(set(names)) == len(names)
    assert views.split_evenly([1, 2, 3, 4], 2) == [[1, 2], [3, 4]]
    assert views.split_evenly([1, 2, 3], 2) == [[1, 2], [3]]
    assert views.split_evenly([1], 2) == [[1]]
    assert views.split_evenly([1, 2, 3, 4], 1) == [[1, 2, 3, 4]]


def test_only_the_poster_is_indexed_for_search(built_site, content):
    """The A4 version repeats the poster: the search index holds the poster alone."""
    indexed = set()
    for fragment in (built_site / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd")
        indexed.add(json.loads(data)["url"])
    for lang in content.languages:
        folder = "/" + content.language_root(lang) + OUTPUT_DIR
        assert f"{folder}/{MATRIX_POSTER}.html" in indexed
        assert f"{folder}/{MATRIX_A4}.html" not in indexed
