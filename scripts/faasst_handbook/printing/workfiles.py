"""The editable working files (issue 13): templates of the deliverables readers reuse most,
built from the Handbook in every language, in open formats.

- spreadsheets, as ODS and XLSX: the project portfolio register, the decision log, the RACI of
  every method sheet (its roles with their letters and effort, and the steps each role takes
  part in), the indicator sheets (the list, then one tab per indicator) and the capacity grid
  as a scoring form (levels to pick, averages per dimension);
- texts, as ODT: the agenda and the minutes of a committee meeting.

Which files exist, in which formats and where, is the route table's (plan/routes.py:
`Routes.workfiles`); this module decides what each holds, from the Handbook's data and the
interface strings of one language, and office.py writes them. Written into the site by
publish/finish.py, under each language's root: `working-files/<slug>.<format>`.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..atomic_files import write_atomically
from ..plan.contexts import Plan
from ..plan.routes import WorkFileRoute
from ..source import models as m
from . import office, pdf
from .office import Column, Document, Fields, Grid, Heading, Paragraph, Table, Workbook

RACI_LETTERS = {"responsible": "R", "accountable": "A", "consulted": "C", "informed": "I"}
# Excel refuses these in a tab's name, and more than 31 characters.
_TAB_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})
WRITERS: dict[str, Callable] = {"ods": office.write_ods, "xlsx": office.write_xlsx,
                                "odt": office.write_odt}


@dataclass(frozen=True)
class WorkFile:
    lang: str
    route: WorkFileRoute
    fmt: str
    data: bytes

    @property
    def path(self) -> str:
        return self.route.file(self.fmt)


@dataclass
class WorkFileSet:
    items: list[WorkFile]
    written: int  # files written by this build; the others came from the cache
    seconds: float

    def sizes(self) -> dict[tuple[str, str], int]:
        """(language, site-relative path) → bytes."""
        return {(item.lang, item.path): len(item.data) for item in self.items}

    def for_language(self, lang: str) -> list[WorkFile]:
        return [item for item in self.items if item.lang == lang]


def cache_dir(project_root: Path) -> Path:
    """`.cache/workfiles/`, next to the PDFs' cache (and under $HANDBOOK_CACHE_DIR with it)."""
    return pdf.cache_dir(project_root).parent / "workfiles"


def build(plan: Plan, cache: Path | None = None) -> WorkFileSet:
    """Every working file of the route table, in every language. Writing them all takes a
    few seconds (openpyxl and odfpy build every cell as an object), so each file is kept in
    `cache` under a hash of what it holds: a build only writes the files whose content, or
    whose writer, changed."""
    start = time.perf_counter()
    fixed = _writers_digest()
    items, written, used = [], 0, set()
    for lang in plan.content.languages:
        builder = _Builder(plan, lang)
        for route in plan.routes.workfiles:
            described = builder.describe(route)
            for fmt in route.formats:
                data, path = None, None
                if cache is not None:
                    key = hashlib.sha256(f"{fixed}\0{fmt}\0{described!r}".encode()).hexdigest()
                    path = cache / f"{key}.{fmt}"
                    used.add(path)
                    if pdf._touch(path):
                        data = path.read_bytes()
                if data is None:
                    data = WRITERS[fmt](described)
                    written += 1
                    if path is not None:
                        path.parent.mkdir(parents=True, exist_ok=True)
                        write_atomically(path, data)
                items.append(WorkFile(lang, route, fmt, data))
    if cache is not None and cache.is_dir():
        pdf._forget_stale(cache, used)
    return WorkFileSet(items, written, time.perf_counter() - start)


@lru_cache(maxsize=1)
def _writers_digest() -> str:
    """What else changes the bytes: the writer's code and the libraries' versions."""
    digest = hashlib.sha256(Path(office.__file__).read_bytes())
    for package in ("odfpy", "openpyxl"):
        digest.update(f"\0{package}={importlib.metadata.version(package)}".encode())
    return digest.hexdigest()


def write(files: WorkFileSet, lang: str, folder: Path) -> int:
    """Write one language's working files under `folder` (its language root)."""
    items = files.for_language(lang)
    for item in items:
        target = folder / item.path
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, item.data)
    return len(items)


def describe(plan: Plan, route: WorkFileRoute, lang: str) -> Workbook | Document:
    """What one working file holds, before it is written in a format (for tests and tools)."""
    return _Builder(plan, lang).describe(route)


def tab_name(name: str) -> str:
    return " ".join(name.translate(_TAB_FORBIDDEN).split())[:31].strip()


class _Builder:
    def __init__(self, plan: Plan, lang: str):
        self.plan, self.lang = plan, lang
        self.c = plan.content
        self.ui = {key: text[lang] for key, text in self.c.ui.items()}
        self.date = self.c.info.content_date

    def describe(self, route: WorkFileRoute) -> Workbook | Document:
        build = {
            "portfolio-register": self.portfolio_register,
            "decision-log": self.decision_log,
            "raci": self.raci,
            "committee-agenda": self.committee_agenda,
            "committee-minutes": self.committee_minutes,
            "indicator-sheets": self.indicator_sheets,
            "capacity-grid": self.capacity_grid,
        }[route.template]
        return build(route)

    # --- shared pieces ---------------------------------------------------------------------

    def title(self, template: str) -> str:
        ui = self.ui
        return {"portfolio-register": ui["workfile_portfolio_register"],
                "decision-log": ui["workfile_decision_log"],
                "raci": ui["workfile_raci"],
                "committee-agenda": ui["workfile_committee_agenda"],
                "committee-minutes": ui["workfile_committee_minutes"],
                "indicator-sheets": ui["workfile_indicator_sheets"],
                "capacity-grid": ui["workfile_capacity_grid"]}[template]

    def edition(self) -> str:
        ui = self.ui
        date = ui["print_content_date"].replace("{date}", self.date.isoformat())
        return (f"{self.c.info.short_title[self.lang]} · "
                f"{ui['print_edition'].replace('{edition}', self.c.info.edition)} · {date}")

    def online(self, kind: str, entry: str) -> str:
        return self.plan.online_url(self.lang, self.plan.routes.url(kind, entry))

    def colon(self, label: str) -> str:
        """`Unit:` / `Unité :` (the language's typography, from ui.yaml)."""
        return self.ui["label_colon"].replace("{label}", label)

    def sheet_label(self, sheet_id: str) -> str:
        return f"{sheet_id.upper()} {self.c.sheets[sheet_id].title[self.lang]}"

    def used_by(self, template: str) -> str:
        """`Method sheets: WP4-01 …; WP5-05 …`: the sheets whose deliverables this file helps
        produce (from their `templates`)."""
        sheets = [sheet_id for sheet_id, sheet in self.c.sheets.items()
                  if any(template in d.templates for d in sheet.deliverables)]
        labels = self.ui["list_separator"].join(self.sheet_label(s) for s in sheets)
        return f"{self.colon(self.ui['workfile_used_by'])} {labels}" if sheets else ""

    def notes(self, template: str, how: str) -> list[str]:
        return [line for line in (self.edition(), how, self.used_by(template)) if line]

    def workbook(self, template: str, tables: list[Table],
                 lists: dict[str, tuple[str, list[str]]], title: str | None = None) -> Workbook:
        return Workbook(title or self.title(template), self.c.info.title[self.lang], self.lang,
                        self.date, tables, lists, tab_name(self.ui["workfile_tab_lists"]))

    def names(self, kind: str) -> list[str]:
        return [entry.name[self.lang] for entry in self.c.catalogue(kind).values()]

    def sheet_choices(self) -> list[str]:
        return [self.sheet_label(sheet_id) for sheet_id in self.c.sheets]

    # --- spreadsheets ----------------------------------------------------------------------

    def portfolio_register(self, route: WorkFileRoute) -> Workbook:
        ui = self.ui
        columns = [
            Column(ui["workfile_col_number"], 1.6, input=True),
            Column(ui["workfile_col_project"], 6, input=True),
            Column(ui["workfile_col_project_owner"], 4.5, input=True),
            Column(ui["workfile_col_domain"], 3.5, input=True),
            Column(ui["workfile_col_location"], 3.5, input=True),
            Column(ui["workfile_col_stage"], 3, choices="stages", input=True),
            Column(ui["workfile_col_start"], 2.6, input=True),
            Column(ui["workfile_col_end"], 2.6, input=True),
            Column(ui["workfile_col_next_milestone"], 4.5, input=True),
            Column(ui["workfile_col_cost"], 3, input=True),
            Column(ui["workfile_col_funding_secured"], 3, input=True),
            Column(ui["workfile_col_funding_sought"], 5, choices="mechanisms", input=True),
            Column(ui["workfile_col_expected_effect"], 5, input=True),
            Column(ui["workfile_col_indicator"], 5, choices="indicators", input=True),
            Column(ui["workfile_col_risks"], 5, input=True),
            Column(ui["workfile_col_alert"], 3, choices="alerts", input=True),
            Column(ui["workfile_col_updated"], 2.6, input=True),
        ]
        title = self.title(route.template)
        sheet = Table(tab_name(title), title,
                      self.notes(route.template, ui["workfile_about_portfolio_register"]),
                      columns, blank_rows=60)
        stages = [ui["workfile_stage_idea"], ui["workfile_stage_study"],
                  ui["workfile_stage_funding"], ui["workfile_stage_delivery"],
                  ui["workfile_stage_operation"]]
        alerts = [ui["workfile_alert_on_track"], ui["workfile_alert_watch"],
                  ui["workfile_alert_late"]]
        return self.workbook(route.template, [sheet], {
            "stages": (ui["workfile_col_stage"], stages),
            "mechanisms": (ui["mechanisms"], self.names("mechanism")),
            "indicators": (ui["indicators"], self.names("indicator")),
            "alerts": (ui["workfile_col_alert"], alerts)})

    def decision_log(self, route: WorkFileRoute) -> Workbook:
        ui = self.ui
        columns = [
            Column(ui["workfile_col_number"], 1.6, input=True),
            Column(ui["print_date"], 2.6, input=True),
            Column(ui["workfile_col_body"], 5, choices="bodies", input=True),
            Column(ui["workfile_col_decision"], 7, input=True),
            Column(ui["workfile_col_reasons"], 6, input=True),
            Column(ui["workfile_col_owner"], 4, input=True),
            Column(ui["workfile_col_deadline"], 2.6, input=True),
            Column(ui["workfile_col_budget_impact"], 3.5, input=True),
            Column(ui["workfile_col_sheet"], 5, choices="sheets", input=True),
            Column(ui["workfile_col_status"], 3, choices="statuses", input=True),
            Column(ui["workfile_col_follow_up"], 5, input=True),
        ]
        title = self.title(route.template)
        sheet = Table(tab_name(title), title,
                      self.notes(route.template, ui["workfile_about_decision_log"]),
                      columns, blank_rows=80)
        statuses = [ui["workfile_status_open"], ui["workfile_status_under_way"],
                    ui["workfile_status_done"], ui["workfile_status_dropped"]]
        return self.workbook(route.template, [sheet], {
            "bodies": (ui["bodies"], self.names("body")),
            "sheets": (ui["workfile_col_sheet"], self.sheet_choices()),
            "statuses": (ui["workfile_col_status"], statuses)})

    def raci(self, route: WorkFileRoute) -> Workbook:
        ui, lang = self.ui, self.lang
        sheet = self.c.sheets[route.sheet]
        label = self.sheet_label(sheet.id)
        online = f"{ui['print_online']} {self.online('sheet', sheet.id)}"
        notes = [self.edition(), online, ui["print_raci_legend"]]
        letters = {a.role: RACI_LETTERS[a.raci] for a in sheet.human_resources}
        roles = [a.role for a in sheet.human_resources]
        people = Table(tab_name(ui["workfile_tab_raci"]), f"{ui['workfile_raci']} · {label}",
                       [*notes, ui["workfile_about_raci"]], [
                           Column(ui["role"], 6),
                           Column(ui["workfile_col_letter"], 1.8),
                           Column(ui["raci"], 5),
                           Column(ui["effort_estimate"], 7),
                           Column(ui["workfile_col_person"], 5, input=True),
                           Column(ui["workfile_col_department"], 5, input=True),
                           Column(ui["workfile_col_contact"], 5, input=True)],
                       [[self.c.roles[a.role].name[lang], RACI_LETTERS[a.raci],
                         ui["raci_" + a.raci], a.effort[lang]] for a in sheet.human_resources],
                       blank_rows=3)
        steps = Table(tab_name(ui["workfile_tab_steps"]),
                      f"{ui['workfile_steps_roles']} · {label}",
                      [*notes, ui["workfile_about_steps_roles"]],
                      [Column(ui["workfile_col_number"], 1.4), Column(ui["steps"], 8),
                       *[Column(self.c.roles[role].name[lang], 3, choices="letters", input=True)
                         for role in roles]],
                      [[n, step.title[lang],
                        *[letters[role] if role in step.roles else None for role in roles]]
                       for n, step in enumerate(sheet.steps, start=1)])
        return self.workbook(route.template, [people, steps],
                             {"letters": (ui["workfile_col_letter"], list(RACI_LETTERS.values()))},
                             title=f"{ui['workfile_raci']} · {label}")

    def indicator_sheets(self, route: WorkFileRoute) -> Workbook:
        ui, lang = self.ui, self.lang
        indicators = list(self.c.indicators.values())
        title = self.title(route.template)

        def sources(indicator: m.Indicator) -> str:
            return ui["list_separator"].join(self.c.tools[t].name[lang]
                                             for t in indicator.data_sources)

        def sheets_using(indicator: m.Indicator) -> str:
            return ", ".join(s.upper() for s in self.c.used_in("indicator", indicator.id).sheets)

        overview = Table(tab_name(ui["workfile_tab_indicators"]), title,
                         self.notes(route.template, ui["workfile_about_indicator_sheets"]), [
                             Column(ui["workfile_col_tab"], 4),
                             Column(ui["workfile_col_indicator"], 6),
                             Column(ui["workfile_col_definition"], 9),
                             Column(ui["unit"], 3.5),
                             Column(ui["indicator_type"], 2.8),
                             Column(ui["frequency"], 3),
                             Column(ui["data_sources"], 5),
                             Column(ui["workfile_col_sheets"], 4),
                             Column(ui["workfile_col_owner"], 4, input=True),
                             Column(ui["workfile_col_producer"], 4, input=True),
                             Column(ui["workfile_col_time_lag"], 3, input=True),
                             Column(ui["workfile_col_baseline_year"], 2.8, input=True),
                             Column(ui["workfile_col_baseline_value"], 3, input=True),
                             Column(ui["workfile_col_target_year"], 2.8, input=True),
                             Column(ui["workfile_col_target_value"], 3, input=True)],
                         [[self.indicator_tab(i), i.name[lang], i.description[lang],
                           i.unit[lang], ui["indicator_type_" + i.type],
                           ui["frequency_" + i.frequency.replace("-", "_")], sources(i),
                           sheets_using(i)] for i in indicators])
        tables = [overview]
        for indicator in indicators:
            facts = [f"{self.colon(ui['workfile_col_definition'])} {indicator.description[lang]}",
                     f"{self.colon(ui['unit'])} {indicator.unit[lang]} · "
                     f"{self.colon(ui['frequency'])} "
                     f"{ui['frequency_' + indicator.frequency.replace('-', '_')]}",
                     f"{self.colon(ui['data_sources'])} {sources(indicator) or '—'}",
                     f"{ui['print_online']} {self.online('indicator', indicator.id)}"]
            tables.append(Table(self.indicator_tab(indicator),
                                f"{ui['workfile_indicator_sheet']} · {indicator.name[lang]}",
                                facts, [Column(ui["workfile_col_year"], 2.5, input=True),
                                        Column(ui["workfile_col_value"], 3.5, input=True),
                                        Column(ui["workfile_col_source_vintage"], 6, input=True),
                                        Column(ui["workfile_col_comment"], 9, input=True)],
                                blank_rows=15))
        return self.workbook(route.template, tables, {})

    @staticmethod
    def indicator_tab(indicator: m.Indicator) -> str:
        return tab_name(indicator.id.removeprefix("ind."))

    def capacity_grid(self, route: WorkFileRoute) -> Workbook:
        ui, lang = self.ui, self.lang
        grid = self.c.grid
        scale = grid.scale
        low, high = min(level.level for level in scale), max(level.level for level in scale)
        title = self.title(route.template)
        columns = [Column(ui["workfile_col_dimension"], 3.5),
                   Column(ui["workfile_col_criterion"], 5),
                   Column(ui["workfile_col_question"], 7), Column(ui["evidence"], 7),
                   *[Column(f"{level.level} · {level.name[lang]}", 5.5) for level in scale],
                   Column(ui["workfile_col_level_reached"].replace("{low}", str(low))
                          .replace("{high}", str(high)), 2.8, whole=(low, high), input=True),
                   Column(ui["workfile_col_evidence_found"], 7, input=True),
                   Column(ui["workfile_col_sheets"], 3)]
        level_column = 4 + len(scale)
        rows, spans = [], []
        assessment = Table(tab_name(ui["workfile_tab_assessment"]), title,
                           self.notes(route.template, ui["workfile_about_capacity_grid"]),
                           columns, rows)
        for dimension in grid.dimensions:
            first = assessment.first_row + len(rows)
            for criterion in dimension.criteria:
                rows.append([dimension.name[lang], criterion.name[lang], criterion.question[lang],
                             "\n".join(f"• {item[lang]}" for item in criterion.evidence),
                             *[text[lang] for text in criterion.levels], None, None,
                             ", ".join(s.upper() for s in criterion.sheets)])
            spans.append((dimension, first, assessment.first_row + len(rows) - 1))
        name = assessment.name
        summary_rows: list[list] = [
            [dimension.name[lang], len(dimension.criteria),
             office.count(name, level_column, first, last),
             office.average(name, level_column, first, last)]
            for dimension, first, last in spans]
        summary_rows.append([ui["workfile_all_dimensions"],
                             sum(len(d.criteria) for d in grid.dimensions),
                             office.count(name, level_column, assessment.first_row,
                                          assessment.last_row),
                             office.average(name, level_column, assessment.first_row,
                                            assessment.last_row)])
        summary = Table(tab_name(ui["workfile_tab_summary"]), ui["workfile_summary"],
                        [self.edition(), ui["workfile_about_summary"]],
                        [Column(ui["workfile_col_dimension"], 6),
                         Column(ui["workfile_col_criteria"], 3),
                         Column(ui["workfile_col_scored"], 3),
                         Column(ui["workfile_col_average"].replace("{low}", str(low))
                                .replace("{high}", str(high)), 4)],
                        summary_rows)
        levels = Table(tab_name(ui["workfile_tab_scale"]), ui["workfile_scale"], [self.edition()],
                       [Column(ui["level"], 2), Column(ui["workfile_col_name"], 4),
                        Column(ui["workfile_col_definition"], 14)],
                       [[level.level, level.name[lang], level.description[lang]]
                        for level in scale])
        return self.workbook(route.template, [assessment, summary, levels], {})

    # --- texts -----------------------------------------------------------------------------

    def document(self, template: str, blocks: list) -> Document:
        return Document(self.title(template), self.c.info.title[self.lang], self.lang,
                        self.date, blocks)

    def committee_agenda(self, route: WorkFileRoute) -> Document:
        ui = self.ui
        return self.document(route.template, [
            Paragraph(self.edition(), small=True),
            Paragraph(ui["workfile_about_committee_agenda"]),
            *([Paragraph(self.used_by(route.template), small=True)]
              if self.used_by(route.template) else []),
            Heading(2, ui["workfile_meeting"]),
            Fields([ui["workfile_col_body"], ui["workfile_date_time"], ui["workfile_place"],
                    ui["workfile_chair"], ui["workfile_secretary"], ui["workfile_papers_sent"]]),
            Heading(2, ui["workfile_question"]),
            Fields([ui["workfile_question_label"]]),
            Heading(2, ui["workfile_agenda_items"]),
            Grid([Column(ui["workfile_col_number"], 1.2), Column(ui["workfile_col_item"], 6.8),
                  Column(ui["workfile_col_purpose"], 3.2, input=True),
                  Column(ui["workfile_col_lead"], 3.3, input=True),
                  Column(ui["workfile_col_duration"], 2.5, input=True)],
                 [["1", ui["workfile_item_opening"]], ["2", ui["workfile_item_actions"]],
                  ["3"], ["4"], ["5"], ["6"], ["7", ui["workfile_item_closing"]]]),
            Paragraph(ui["workfile_purpose_legend"], small=True),
            Heading(2, ui["workfile_invited"]),
            Grid([Column(ui["workfile_col_name"], 6), Column(ui["workfile_col_organisation"], 7),
                  Column(ui["workfile_col_confirmed"], 4, input=True)], blank_rows=8),
            Heading(2, ui["workfile_bodies_reminder"]),
            Paragraph(ui["workfile_bodies_reminder_about"], small=True),
            Grid([Column(ui["workfile_col_body"], 4.5), Column(ui["members"], 9),
                  Column(ui["frequency"], 3.5)],
                 [[body.name[self.lang], body.members[self.lang],
                   ui["frequency_" + body.frequency.replace("-", "_")]]
                  for body in self.c.bodies.values()]),
        ])

    def committee_minutes(self, route: WorkFileRoute) -> Document:
        ui = self.ui
        return self.document(route.template, [
            Paragraph(self.edition(), small=True),
            Paragraph(ui["workfile_about_committee_minutes"]),
            *([Paragraph(self.used_by(route.template), small=True)]
              if self.used_by(route.template) else []),
            Heading(2, ui["workfile_meeting"]),
            Fields([ui["workfile_col_body"], ui["workfile_date_time"], ui["workfile_place"],
                    ui["workfile_chair"], ui["workfile_minute_taker"]]),
            Heading(2, ui["print_participants"]),
            Grid([Column(ui["workfile_col_name"], 6), Column(ui["workfile_col_organisation"], 7),
                  Column(ui["workfile_col_attendance"], 4, input=True)], blank_rows=10),
            Heading(2, ui["workfile_previous_actions"]),
            Grid([Column(ui["workfile_col_action"], 8), Column(ui["workfile_col_owner"], 4.5),
                  Column(ui["workfile_col_status"], 4.5, input=True)], blank_rows=4),
            Heading(2, ui["workfile_decisions"]),
            Grid([Column(ui["workfile_col_number"], 1.2), Column(ui["workfile_col_decision"], 6.8),
                  Column(ui["workfile_col_owner"], 3.5, input=True),
                  Column(ui["workfile_col_deadline"], 2.5, input=True),
                  Column(ui["workfile_col_budget_impact"], 3, input=True)],
                 [[str(n)] for n in range(1, 7)]),
            Paragraph(ui["workfile_decisions_to_log"], small=True),
            Heading(2, ui["workfile_actions"]),
            Grid([Column(ui["workfile_col_action"], 9), Column(ui["workfile_col_owner"], 4.5),
                  Column(ui["workfile_col_deadline"], 3.5, input=True)], blank_rows=6),
            Heading(2, ui["workfile_escalate"]),
            Grid([Column(ui["workfile_col_item"], 9), Column(ui["workfile_col_escalate_to"], 8,
                                                             input=True)], blank_rows=3),
            Heading(2, ui["workfile_next_meeting"]),
            Fields([ui["workfile_date_time"], ui["workfile_next_items"]]),
        ])
