"""Editable working files (issue 13) and the capacity grid's scoring form: every file opens
with a library and holds the Handbook's words in its language, the sheet pages and the
checklists page link files that exist, unchanged files are never written again, and the
capacity grid's PDF is a compact form."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from markupsafe import escape

from faasst_handbook.plan.contexts import Plan
from faasst_handbook.plan.routes import WORKFILES_DIR, build_routes, page_url, workfile_slug
from faasst_handbook.printing import office, workfiles
from faasst_handbook.source import models as m
from faasst_handbook.validation import load_handbook

from support.paths import LANGUAGES, ROOT

openpyxl = pytest.importorskip("openpyxl")
odf_opendocument = pytest.importorskip("odf.opendocument")
from odf import dc as odf_dc, table as odf_table, teletype, text as odf_text  # noqa: E402

pypdf = pytest.importorskip("pypdf")

RACI_LETTERS = {"responsible": "R", "accountable": "A", "consulted": "C", "informed": "I"}


@pytest.fixture(scope="module")
def plan() -> Plan:
    result = load_handbook(ROOT / "handbook")
    assert result.ok, result.problems
    return Plan(result.content, build_routes(result.content), ROOT / "docs")


@pytest.fixture(scope="module")
def content(plan):
    return plan.content


def ui(content, lang: str) -> dict[str, str]:
    return {key: text[lang] for key, text in content.ui.items()}


def site_file(site: Path, content, lang: str, slug: str, fmt: str) -> Path:
    return site / content.language_root(lang) / WORKFILES_DIR / f"{slug}.{fmt}"


# --- reading the files back --------------------------------------------------------------

def xlsx_tables(path: Path) -> dict[str, list[list]]:
    """Tab name → rows of cell values (formulas as their text)."""
    book = openpyxl.load_workbook(path)
    return {ws.title: [[cell.value for cell in row] for row in ws.iter_rows()]
            for ws in book.worksheets}


def ods_tables(path: Path) -> dict[str, list[list]]:
    """Tab name → rows of cell texts (repeated rows and cells expanded, up to 200 rows)."""
    doc = odf_opendocument.load(str(path))
    tables = {}
    for sheet in doc.spreadsheet.getElementsByType(odf_table.Table):
        rows = []
        for row in sheet.getElementsByType(odf_table.TableRow):
            cells = []
            for cell in row.getElementsByType(odf_table.TableCell):
                value = teletype.extractText(cell) or cell.getAttribute("formula") or None
                cells += [value] * int(cell.getAttribute("numbercolumnsrepeated") or 1)
            rows += [cells] * min(200, int(row.getAttribute("numberrowsrepeated") or 1))
        tables[sheet.getAttribute("name")] = rows
    return tables


def both_formats(site: Path, content, lang: str, slug: str) -> dict[str, dict[str, list[list]]]:
    return {"ods": ods_tables(site_file(site, content, lang, slug, "ods")),
            "xlsx": xlsx_tables(site_file(site, content, lang, slug, "xlsx"))}


def cells(rows: list[list]) -> set[str]:
    return {str(value) for row in rows for value in row if value not in (None, "")}


def odt_text(path: Path) -> tuple[str, list[str], str]:
    """(all the text, the headings, the document's language)."""
    doc = odf_opendocument.load(str(path))
    headings = [teletype.extractText(h) for h in doc.text.getElementsByType(odf_text.H)]
    body = "\n".join(teletype.extractText(element) for element in doc.text.childNodes)
    language = teletype.extractText(doc.meta.getElementsByType(odf_dc.Language)[0])
    return body, headings, language


# --- every file, in every language -----------------------------------------------------------

def test_every_working_file_is_in_the_site_and_opens_with_its_library(built_site, plan, content):
    for lang in LANGUAGES:
        for route in plan.routes.workfiles:
            for fmt in route.formats:
                path = site_file(built_site, content, lang, route.slug, fmt)
                assert path.is_file(), path
                if fmt == "xlsx":
                    book = openpyxl.load_workbook(path)
                    assert book.properties.language == lang
                    assert book.worksheets, path
                else:
                    doc = odf_opendocument.load(str(path))
                    assert doc.mimetype.startswith("application/vnd.oasis.opendocument.")
                    assert odt_text(path)[2] == lang if fmt == "odt" else True


def test_every_kind_of_working_file_has_a_route():
    """The allowed values of a deliverable's `templates` and the route table stay in step."""
    result = load_handbook(ROOT / "handbook")
    routes = build_routes(result.content)
    kinds = {route.template for route in routes.workfiles}
    assert kinds == set(m.WorkTemplate.__args__)
    assert len(routes.workfile_by_slug) == len(routes.workfiles)
    raci = [route.sheet for route in routes.workfiles if route.template == "raci"]
    assert sorted(raci) == sorted(result.content.sheets)


def test_the_english_raci_of_wp1_01_lists_its_roles_letters_and_effort(built_site, content):
    sheet = content.sheets["wp1-01"]
    for lang in LANGUAGES:
        words = ui(content, lang)
        for fmt, tables in both_formats(built_site, content, lang, "raci-wp1-01").items():
            roles_tab, steps_tab = list(tables)[:2]
            rows = tables[roles_tab]
            header = next(n for n, row in enumerate(rows) if row and row[0] == words["role"])
            listed = [row[:4] for row in rows[header + 1:] if row and row[0]]
            assert listed == [[content.roles[a.role].name[lang], RACI_LETTERS[a.raci],
                               words["raci_" + a.raci], a.effort[lang]]
                              for a in sheet.human_resources], (lang, fmt)
            assert sheet.title[lang] in rows[0][0]
            # Steps × roles: the role's letter where the step involves the role.
            steps = tables[steps_tab]
            head = next(n for n, row in enumerate(steps) if row and row[0] ==
                        words["workfile_col_number"])
            role_names = steps[head][2:2 + len(sheet.human_resources)]
            assert role_names == [content.roles[a.role].name[lang] for a in sheet.human_resources]
            for number, step in enumerate(sheet.steps, start=1):
                row = steps[head + number]
                assert str(row[0]) == str(number) and row[1] == step.title[lang]
                for assignment, value in zip(sheet.human_resources, row[2:]):
                    expected = RACI_LETTERS[assignment.raci] if assignment.role in step.roles \
                        else None
                    assert value == expected, (lang, fmt, number, assignment.role)


def test_the_decision_log_headers_are_the_interface_strings_of_its_language(built_site,
                                                                            content):
    for lang in LANGUAGES:
        words = ui(content, lang)
        expected = [words[key] for key in (
            "workfile_col_number", "print_date", "workfile_col_body", "workfile_col_decision",
            "workfile_col_reasons", "workfile_col_owner", "workfile_col_deadline",
            "workfile_col_budget_impact", "workfile_col_sheet", "workfile_col_status",
            "workfile_col_follow_up")]
        for fmt, tables in both_formats(built_site, content, lang, "decision-log").items():
            log, lists = tables[next(iter(tables))], tables[list(tables)[-1]]
            assert log[0][0] == words["workfile_decision_log"]
            assert expected in [row[:len(expected)] for row in log], (lang, fmt)
            # The bodies to choose from are the catalogue's, in this language.
            assert {body.name[lang] for body in content.bodies.values()} <= cells(lists)
            others = [other for other in LANGUAGES if other != lang]
            for other in others:
                foreign = {ui(content, other)[key] for key in ("workfile_col_decision",
                                                               "workfile_col_reasons")}
                assert not foreign & cells(log), (lang, fmt)


def test_the_decision_log_offers_its_choices_from_the_lists_tab(built_site, content):
    lang = LANGUAGES[0]
    book = openpyxl.load_workbook(site_file(built_site, content, lang, "decision-log", "xlsx"))
    lists_name = book.worksheets[-1].title
    formulas = {dv.formula1 for dv in book.worksheets[0].data_validations.dataValidation}
    assert all(f.startswith(f"'{lists_name}'!$") for f in formulas), formulas
    assert len(formulas) == 3  # bodies, sheets, statuses


def test_the_portfolio_register_and_its_lists_are_in_the_language(built_site, content):
    for lang in LANGUAGES:
        words = ui(content, lang)
        for fmt, tables in both_formats(built_site, content, lang, "portfolio-register").items():
            register, lists = tables[next(iter(tables))], tables[list(tables)[-1]]
            assert words["workfile_col_project_owner"] in cells(register)
            assert words["workfile_stage_delivery"] in cells(lists)
            assert {mech.name[lang] for mech in content.mechanisms.values()} <= cells(lists)
            # Which sheets it serves, from their deliverables' `templates`.
            users = [s for s, sheet in content.sheets.items()
                     if any("portfolio-register" in d.templates for d in sheet.deliverables)]
            assert users and all(s.upper() in register[3][0] for s in users), register[3]


def test_the_indicator_workbook_has_a_tab_per_indicator(built_site, content):
    for lang in LANGUAGES:
        words = ui(content, lang)
        for fmt, tables in both_formats(built_site, content, lang, "indicator-sheets").items():
            names = list(tables)
            assert len(names) == 1 + len(content.indicators), (lang, fmt)
            overview = tables[names[0]]
            for indicator in content.indicators.values():
                tab = indicator.id.removeprefix("ind.")
                assert tab in tables, (lang, fmt, tab)
                assert indicator.name[lang] in cells(overview)
                assert indicator.name[lang] in tables[tab][0][0]
                assert words["workfile_col_year"] in cells(tables[tab])


def test_the_capacity_workbook_scores_every_criterion(built_site, content):
    grid = content.grid
    low, high = grid.scale[0].level, grid.scale[-1].level
    for lang in LANGUAGES:
        words = ui(content, lang)
        for fmt, tables in both_formats(built_site, content, lang, "capacity-grid").items():
            assessment, summary = list(tables.values())[:2]
            text = cells(assessment)
            for dimension in grid.dimensions:
                for criterion in dimension.criteria:
                    assert criterion.name[lang] in text and criterion.question[lang] in text
                    assert all(level[lang] in text for level in criterion.levels)
            summary_rows = [row for row in summary if row and row[0]]
            for dimension in grid.dimensions:
                row = next(r for r in summary_rows if r[0] == dimension.name[lang])
                assert row[1] in (len(dimension.criteria), str(len(dimension.criteria)))
                assert "AVERAGE(" in str(row[3]) and "COUNT(" in str(row[2]), (fmt, row)
            assert summary_rows[-1][0] == words["workfile_all_dimensions"]
        # The level reached is a whole number of the scale.
        book = openpyxl.load_workbook(site_file(built_site, content, lang, "capacity-grid",
                                                "xlsx"))
        (check,) = book.worksheets[0].data_validations.dataValidation
        assert (check.type, check.formula1, check.formula2) == ("whole", str(low), str(high))
        count = sum(len(d.criteria) for d in grid.dimensions)
        assert len(list(list(check.sqref.ranges)[0].cells)) == count


def test_the_average_formulas_cover_each_dimension_s_rows(plan, content):
    route = plan.routes.workfile_by_slug["capacity-grid"]
    book = workfiles.describe(plan, route, LANGUAGES[0])
    assessment, summary = book.tables[0], book.tables[1]
    level = next(n for n, column in enumerate(assessment.columns) if column.whole)
    letter = office.column_letter(level)
    first = assessment.first_row
    for dimension, row in zip(content.grid.dimensions, summary.rows):
        last = first + len(dimension.criteria) - 1
        for formula in row[2:4]:
            assert f"!{letter}{first}:{letter}{last})" in formula.excel, formula
            assert f".{letter}{first}:.{letter}{last}]" in formula.odf, formula
        first = last + 1
    assert first == assessment.last_row + 1


def test_the_committee_agenda_and_minutes_are_texts_in_their_language(built_site, content):
    for lang in LANGUAGES:
        words = ui(content, lang)
        body, headings, language = odt_text(site_file(built_site, content, lang,
                                                      "committee-agenda", "odt"))
        assert language == lang
        assert headings[0] == words["workfile_committee_agenda"]
        assert {words["workfile_meeting"], words["workfile_agenda_items"]} <= set(headings)
        for body_entry in content.bodies.values():
            assert body_entry.name[lang] in body
        body, headings, _ = odt_text(site_file(built_site, content, lang, "committee-minutes",
                                               "odt"))
        assert headings[0] == words["workfile_committee_minutes"]
        assert words["workfile_decisions"] in headings
        assert words["workfile_col_decision"] in body


# --- links from the pages ------------------------------------------------------------------

LINK = re.compile(r'<a href="([^"#]*working-files/[^"]+)" type="([^"]+)">([A-Z]+)'
                  r'<span class="hb-file-size" data-file="([^"]+)">([^<]*)</span></a>')


def page(site: Path, content, lang: str, url: str) -> tuple[Path, str]:
    path = site / content.language_root(lang) / url / "index.html"
    return path, path.read_text(encoding="utf-8")


def linked_files(path: Path, html: str) -> dict[str, tuple[str, str]]:
    """Working file linked → (its format as shown, its size as shown)."""
    found = {}
    for href, media_type, shown, data_file, size in LINK.findall(html):
        target = (path.parent / unescape(href)).resolve()
        assert target.is_file(), (path, href)
        assert target.as_posix().endswith(data_file)
        found[data_file] = (shown, size)
    return found


def test_every_sheet_page_links_its_raci_and_its_deliverables_files(built_site, plan, content):
    for lang in LANGUAGES:
        words = ui(content, lang)
        for sheet_id, sheet in content.sheets.items():
            path, html = page(built_site, content, lang, plan.routes.url("sheet", sheet_id))
            linked = linked_files(path, html)
            expected = {workfile_slug("raci", sheet_id)}
            expected |= {workfile_slug(name, sheet_id) for d in sheet.deliverables
                         for name in d.templates}
            slugs = {Path(name).stem for name in linked}
            assert slugs == expected, (lang, sheet_id)
            for name, (shown, size) in linked.items():
                assert shown == Path(name).suffix[1:].upper()
                assert re.fullmatch(r", \d+ " + re.escape(words["size_kb"].split()[-1]), size), \
                    (name, size)
            for deliverable in sheet.deliverables:
                if deliverable.templates:
                    block = html[html.index(f"<strong>{escape(deliverable.title[lang])}"
                                            "</strong>"):]
                    block = block[:block.index("</li>")]
                    for name in deliverable.templates:
                        slug = workfile_slug(name, sheet_id)
                        assert f"{WORKFILES_DIR}/{slug}." in block, (lang, sheet_id, name)


def test_the_decision_log_is_linked_from_the_sheets_that_produce_one(built_site, plan, content):
    lang = LANGUAGES[-1]
    producers = [s for s, sheet in content.sheets.items()
                 if any("decision-log" in d.templates for d in sheet.deliverables)]
    assert {"wp4-03", "wp6-01"} <= set(producers)
    for sheet_id in producers:
        _, html = page(built_site, content, lang, plan.routes.url("sheet", sheet_id))
        assert f'{WORKFILES_DIR}/decision-log.ods"' in html


def test_the_checklists_page_lists_every_working_file_with_format_and_size(built_site, plan,
                                                                           content):
    for lang in LANGUAGES:
        words = ui(content, lang)
        path, html = page(built_site, content, lang, page_url("handbook/checklists"))
        assert 'id="working-files"' in html and words["workfiles_title"] in unescape(html)
        linked = linked_files(path, html)
        expected = {route.file(fmt) for route in plan.routes.workfiles for fmt in route.formats}
        assert set(linked) == expected
        assert all(size for _, size in linked.values())
        for route in plan.routes.workfiles:
            if route.sheet is None:
                assert words["workfile_" + route.template.replace("-", "_")] in unescape(html)


# --- reproducible, cached ----------------------------------------------------------------------

def test_files_are_reproducible_and_written_again_only_when_they_change(plan, tmp_path):
    cache = tmp_path / "cache"
    first = workfiles.build(plan, cache)
    assert first.written == len(first.items) == sum(
        len(route.formats) for route in plan.routes.workfiles) * len(LANGUAGES)
    again = workfiles.build(plan, cache)
    assert again.written == 0
    assert [item.data for item in again.items] == [item.data for item in first.items]
    # Without the cache, the same bytes: the archives carry the content date, not the time.
    route = plan.routes.workfile_by_slug["raci-wp1-01"]
    described = workfiles.describe(plan, route, LANGUAGES[0])
    for fmt in route.formats:
        data = workfiles.WRITERS[fmt](described)
        assert data == next(item.data for item in first.items if item.lang == LANGUAGES[0]
                            and item.route == route and item.fmt == fmt)


def test_editing_one_sheet_rewrites_only_the_files_that_show_it(mini, tmp_path):
    result = mini.load()
    content = result.content
    plan = Plan(content, build_routes(content), ROOT / "docs")
    cache = tmp_path / "cache"
    workfiles.build(plan, cache)
    effort = content.sheets["wp1-02"].human_resources[0].effort
    old = effort[LANGUAGES[0]]
    mini.replace("sheets/wp1-02.yaml", f'"{old}"', f'"{old} (revu)"')
    changed = mini.load().content
    rebuilt = workfiles.build(Plan(changed, build_routes(changed), ROOT / "docs"), cache)
    assert rebuilt.written == len(plan.routes.workfile_by_slug["raci-wp1-02"].formats)


# --- the capacity grid's PDF: a compact scoring form ----------------------------------------

def test_the_capacity_grid_pdf_is_a_compact_form_with_every_criterion(built_site, content):
    for lang in LANGUAGES:
        path = built_site / content.language_root(lang) / "checklists" / "capacity-grid.pdf"
        reader = pypdf.PdfReader(path)
        assert len(reader.pages) <= 4, (lang, len(reader.pages))
        pages = [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]
        text = re.sub(r"-\s+", "-", " ".join(pages))
        for dimension in content.grid.dimensions:
            assert re.sub(r"\s+", " ", dimension.name[lang]) in text
            for criterion in dimension.criteria:
                assert re.sub(r"\s+", " ", criterion.name[lang]) in text, (lang, criterion.id)
        # No half-empty pages: each holds at least half as much text as the fullest.
        fullest = max(len(page) for page in pages)
        assert all(len(page) >= fullest / 2 for page in pages), [len(p) for p in pages]
        # One group of tick boxes per criterion, one box per level: real form fields.
        fields = [field.get_object() for field in reader.trailer["/Root"]["/AcroForm"]["/Fields"]]
        groups = {str(field["/T"]): len(field.get("/Kids", [])) for field in fields
                  if field.get("/FT") == "/Btn" and "/Kids" in field}
        for dimension in content.grid.dimensions:
            for criterion in dimension.criteria:
                assert groups.get(criterion.id.replace(".", "-")) == len(content.grid.scale)


def test_file_sizes_are_written_beside_their_links_in_the_page_language(mini, tmp_path):
    from faasst_handbook.publish.finish import fill_pdf_sizes

    content = mini.load().content
    site = tmp_path / "site"
    span = ('<a href="x.ods">ODS<span class="hb-file-size" '
            'data-file="working-files/decision-log.ods"></span></a>')
    sizes = {}
    for lang in LANGUAGES:
        folder = site / content.language_root(lang) / "handbook"
        folder.mkdir(parents=True)
        (folder / "index.html").write_text(span)
        sizes[(lang, "working-files/decision-log.ods")] = 9_000

    class Files:
        @staticmethod
        def sizes():
            return sizes

    class Generation:
        printed, workfiles = None, Files

    Generation.content = content
    assert fill_pdf_sizes(site, Generation) == len(LANGUAGES)
    for lang in LANGUAGES:
        size = ui(content, lang)["size_kb"].replace("{size}", "9")
        page = site / content.language_root(lang) / "handbook" / "index.html"
        assert page.read_text() == span.replace("></span>", f">, {size}</span>")
