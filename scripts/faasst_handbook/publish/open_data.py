"""Open data (issue 15): every build publishes the whole Handbook as data, under `data/` at
the site's root (shared by the languages: every text column exists once per language).

- `handbook.json`: everything the YAML holds (interface strings aside), as the models read
  it, with its JSON Schema `handbook.schema.json` (generated from models.py, like the
  editors' schemas);
- one CSV table per kind of row (sheets, steps, checklist items, matrix cells, capacity
  criteria, each catalogue…), plain UTF-8 with a header row, described by a Frictionless
  Data Package, `datapackage.json`: a Table Schema per table (types, allowed values, primary
  and foreign keys), the licence of handbook.yaml, each file's size and SHA-256.

Columns are named after the model's fields (`title_fr`, `roles`…); lists of ids are
space-separated (Table Schema `list`), lists of texts are JSON arrays (`array`). The package
is written by this module, without a library: it is plain JSON, and `frictionless validate`
(in the test suite) checks it is what the standard says.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, TypeAdapter

from ..atomic_files import write_atomically
from ..source import models as m
from ..source.schemas import text_schemas_for

if TYPE_CHECKING:  # plan/contexts.py imports this module for the open-data page
    from ..plan.contexts import Plan

DATA_DIR = "data"
PACKAGE_FILE = "datapackage.json"
JSON_FILE = "handbook.json"
SCHEMA_FILE = "handbook.schema.json"


# --- handbook.json and its schema --------------------------------------------------------

@lru_cache(maxsize=1)
def export_model() -> type[BaseModel]:
    """The model of `handbook.json`, built on first use: building it costs a tenth of a
    second, and `handbook validate` imports this module (for the tables' names) without it."""

    class HandbookExport(BaseModel):
        """The whole Handbook in one JSON document (`data/handbook.json`)."""

        model_config = {"extra": "forbid", "strict": True}

        edition: m.Edition
        handbook: m.HandbookInfo
        work_packages: list[m.WorkPackage]
        sheets: list[m.Sheet]
        roles: list[m.Role]
        tools: list[m.Tool]
        mechanisms: list[m.Mechanism]
        indicators: list[m.Indicator]
        bodies: list[m.Body]
        glossary: list[m.Term]
        sources: list[m.Source]
        matrix: m.Matrix
        capacity_grid: m.CapacityGrid
        cases: list[m.Case] = []
        starter_route: m.StarterRoute | None = None
        redirects: list[m.Redirect] = []

    return HandbookExport


def export_of(plan: Plan) -> BaseModel:
    c = plan.content
    return export_model()(
        edition=c.info.edition, handbook=c.info, work_packages=list(c.work_packages.values()),
        sheets=list(c.sheets.values()), roles=list(c.roles.values()),
        tools=list(c.tools.values()), mechanisms=list(c.mechanisms.values()),
        indicators=list(c.indicators.values()), bodies=list(c.bodies.values()),
        glossary=list(c.glossary.values()), sources=list(c.sources.values()),
        matrix=c.matrix, capacity_grid=c.grid, cases=list(c.cases.values()),
        starter_route=c.starter_route, redirects=list(c.redirects))


@lru_cache(maxsize=2)  # the same for every build of a Handbook (mkdocs serve rebuilds)
def _schema_text(languages: tuple[tuple[str, str], ...]) -> bytes:
    return (json.dumps(json_schema(dict(languages)), ensure_ascii=False, indent=1) + "\n"
            ).encode("utf-8")


def json_schema(languages: dict[str, str]) -> dict:
    schema = text_schemas_for(TypeAdapter(export_model()), languages)
    # the document names its schema, as the YAML files do
    schema["properties"] = {"$schema": {"type": "string"}, **schema["properties"]}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "FAASST Handbook: the whole Handbook as data", **schema}


# --- the tables --------------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    name: str
    type: str  # string | integer | date | list (of ids, space-separated) | array (JSON)
    get: Callable[[Any], Any]
    description: str = ""
    required: bool = False
    enum: tuple[str, ...] = ()
    item_type: str = "string"  # the items of a `list`

    def cell(self, row: Any) -> str:
        value = self.get(row)
        if value is None:
            return ""
        if self.type == "list":
            return " ".join(str(v) for v in value)
        if self.type == "array":
            return json.dumps(list(value), ensure_ascii=False)
        if hasattr(value, "isoformat"):
            return value.isoformat()
        return str(value)

    def schema(self) -> dict:
        out: dict[str, Any] = {"name": self.name, "type": self.type}
        if self.type == "list":
            out |= {"delimiter": " ", "itemType": self.item_type}
        if self.description:
            out["description"] = self.description
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.enum:
            constraints["enum"] = list(self.enum)
        if constraints:
            out["constraints"] = constraints
        return out


@dataclass(frozen=True)
class Table:
    name: str  # resource name; the file is `<name>.csv`
    rows: Callable[[Plan], Iterable[Any]]
    columns: list[Column]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = ()

    @property
    def file(self) -> str:
        return f"{self.name}.csv"

    @property
    def title_key(self) -> str:
        """Its title in ui.yaml (the open-data page, the package's titles)."""
        return TITLE_PREFIX + self.name.replace("-", "_")

    def csv(self, plan: Plan) -> bytes:
        out = io.StringIO(newline="")
        writer = csv.writer(out)  # RFC 4180: comma, double quotes, CRLF (Table Schema's default)
        writer.writerow([column.name for column in self.columns])
        for row in self.rows(plan):
            writer.writerow([column.cell(row) for column in self.columns])
        return out.getvalue().encode("utf-8")

    def schema(self) -> dict:
        out: dict[str, Any] = {"fields": [column.schema() for column in self.columns],
                               "missingValues": [""]}
        if self.primary_key:
            out["primaryKey"] = list(self.primary_key)
        if self.foreign_keys:
            out["foreignKeys"] = [{"fields": list(fields),
                                   "reference": {"resource": resource, "fields": list(ref)}}
                                  for fields, resource, ref in self.foreign_keys]
        return out


def _choices(model: type[BaseModel], name: str) -> tuple[str, ...]:
    annotation = model.model_fields[name].annotation
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return tuple(str(v) for v in typing.get_args(annotation))


def _description(model: type[BaseModel], name: str) -> str:
    return model.model_fields[name].description or ""


class Columns:
    """Builds the columns of a table whose rows are (or hold) one model: `self.of(row)`."""

    def __init__(self, plan: Plan, model: type[BaseModel], of: Callable[[Any], Any] = lambda r: r):
        self.languages = {lang.code: lang.name for lang in plan.content.info.languages}
        self.model = model
        self.of = of
        self.columns: list[Column] = []

    def _get(self, name: str) -> Callable[[Any], Any]:
        return lambda row: getattr(self.of(row), name)

    def id(self, name: str = "id") -> Columns:
        self.columns.append(Column(name, "string", self._get(name), required=True))
        return self

    def plain(self, *names: str, type: str = "string") -> Columns:
        for name in names:
            required = self.model.model_fields[name].is_required()
            self.columns.append(Column(name, type, self._get(name),
                                       _description(self.model, name), required))
        return self

    def choice(self, *names: str) -> Columns:
        for name in names:
            self.columns.append(Column(name, "string", self._get(name),
                                       _description(self.model, name),
                                       self.model.model_fields[name].is_required(),
                                       _choices(self.model, name)))
        return self

    def ids(self, *names: str, item_type: str = "string") -> Columns:
        for name in names:
            self.columns.append(Column(name, "list", self._get(name),
                                       _description(self.model, name), item_type=item_type))
        return self

    def text(self, *names: str, markdown: bool = False) -> Columns:
        for name in names:
            for code, language in self.languages.items():
                what = ("Markdown" if markdown else "text") + f" in {language}"
                detail = _description(self.model, name)
                self.columns.append(Column(
                    f"{name}_{code}", "string",
                    lambda row, name=name, code=code: (getattr(self.of(row), name) or {}).get(code),
                    f"{detail} ({what})" if detail else what.capitalize(),
                    self.model.model_fields[name].is_required()))
        return self

    def texts(self, *names: str) -> Columns:
        """A list of texts: one JSON array per language."""
        for name in names:
            for code, language in self.languages.items():
                self.columns.append(Column(
                    f"{name}_{code}", "array",
                    lambda row, name=name, code=code: [t[code]
                                                       for t in getattr(self.of(row), name)],
                    f"JSON array of texts in {language}"))
        return self

    def extra(self, column: Column) -> Columns:
        self.columns.append(column)
        return self

    def page(self, plan: Plan, kind: str, key: Callable[[Any], Any]) -> Columns:
        """The address of the entry on the site, in each language."""
        for code, language in self.languages.items():
            self.columns.append(Column(
                f"handbook_url_{code}", "string",
                lambda row, code=code: plan.online_url(code, plan.routes.url(kind, key(row))),
                f"Its page on the site, in {language}"))
        return self


def _sheet_rows(plan: Plan):
    return plan.content.sheets.values()


def _numbered(items: Callable[[Any], list], owners: Callable[[Plan], Iterable]):
    def rows(plan: Plan):
        for owner in owners(plan):
            for n, item in enumerate(items(owner), 1):
                yield owner, n, item
    return rows


def tables(plan: Plan) -> list[Table]:
    c = plan.content
    cell_position = {(cell.task, cell.means): n for n, cell in enumerate(c.matrix.cells)}
    wp_of_sheet = {sheet_id: (wp.id, n) for wp in c.work_packages.values()
                   for n, sheet_id in enumerate(wp.sheets, 1)}

    def integer(name, get, description=""):
        return Column(name, "integer", get, description)

    def list_of(name, get, description="", item_type="string"):
        return Column(name, "list", get, description, item_type=item_type)

    item = lambda row: row[2]  # noqa: E731  (rows of (owner, number, item))

    wps = (Columns(plan, m.WorkPackage).id().plain("number", type="integer")
           .text("title", "summary").text("objective", "when_to_use", "scope", markdown=True)
           .texts("expected_outcomes").ids("sheets").plain("last_reviewed", type="date")
           .page(plan, "wp", lambda wp: wp.id))
    sheets = (Columns(plan, m.Sheet).id().plain("wp")
              .extra(integer("position", lambda s: wp_of_sheet.get(s.id, (None, None))[1],
                             "Its place in its Work Package, from 1"))
              .text("title", "summary").text("objective", "when_to_use", markdown=True)
              .texts("prerequisites", "pitfalls").ids("prerequisite_sheets")
              .text("duration").choice("effort")
              .extra(integer("timing_months_min", lambda s: s.timing and s.timing.months[0],
                             "Shortest typical duration, in months"))
              .extra(integer("timing_months_max", lambda s: s.timing and s.timing.months[1],
                             "Longest typical duration, in months"))
              .extra(Column("timing_repeats", "string", lambda s: s.timing and s.timing.repeats,
                            "How often it is carried out again",
                            enum=_choices(m.Timing, "repeats")))
              .extra(list_of("tool_ids", lambda s: [u.tool for u in s.tools], "Tools it uses"))
              .extra(list_of("mechanism_ids", lambda s: [u.mechanism for u in s.mechanisms],
                             "Mechanisms it uses"))
              .extra(list_of("body_ids", lambda s: [u.body for u in s.bodies],
                             "Governance bodies involved"))
              .extra(list_of("indicator_ids", lambda s: [u.indicator for u in s.indicators],
                             "Indicators it follows"))
              .ids("related_sheets", "sources").plain("last_reviewed", type="date")
              .page(plan, "sheet", lambda s: s.id))
    steps = (Columns(plan, m.Step, item)
             .extra(Column("sheet", "string", lambda r: r[0].id, required=True))
             .extra(Column("step", "integer", lambda r: r[1], "Its number in the sheet, from 1",
                           required=True))
             .text("title").text("description", markdown=True)
             .ids("roles", "tools", "mechanisms", "bodies").texts("outputs"))
    checklist = (Columns(plan, m.ChecklistItem, item)
                 .extra(Column("sheet", "string", lambda r: r[0].id, required=True))
                 .extra(Column("item", "integer", lambda r: r[1],
                               "Its number in the sheet's checklist, from 1", required=True))
                 .text("text").ids("steps", item_type="integer"))
    human = (Columns(plan, m.RoleAssignment, item)
             .extra(Column("sheet", "string", lambda r: r[0].id, required=True))
             .plain("role").choice("raci").text("effort"))
    tasks = Columns(plan, m.MatrixTask).id().text("name", "description")
    means = Columns(plan, m.MatrixMeans).id().text("name", "description")
    cells = (Columns(plan, m.MatrixCell).plain("task", "means").texts("activities")
             .text("calendar").ids("indicators", "sheets", "tools", "bodies")
             .page(plan, "cell", lambda cell: cell_position[(cell.task, cell.means)]))
    raci = (Columns(plan, m.RaciEntry, lambda r: r[1])
            .extra(Column("task", "string", lambda r: r[0].task, required=True))
            .extra(Column("means", "string", lambda r: r[0].means, required=True))
            .plain("role").choice("raci"))
    scale = Columns(plan, m.Level).plain("level", type="integer").text("name", "description")
    dimensions = Columns(plan, m.Dimension).id().text("name", "description")
    criteria = (Columns(plan, m.Criterion, lambda r: r[1]).id()
                .extra(Column("dimension", "string", lambda r: r[0].id, required=True))
                .text("name", "question").texts("evidence", "levels").ids("sheets")
                .page(plan, "criterion", lambda r: r[1].id))
    roles = (Columns(plan, m.Role).id().text("name").choice("kind").text("description")
             .page(plan, "role", lambda e: e.id))
    tools = (Columns(plan, m.Tool).id().text("name").choice("category").text("description")
             .plain("provider").choice("access").plain("url").page(plan, "tool", lambda e: e.id))
    mechanisms = (Columns(plan, m.Mechanism).id().text("name").plain("acronym")
                  .choice("category", "level").text("description").plain("url").ids("sources")
                  .plain("last_verified", type="date").text("elsewhere")
                  .page(plan, "mechanism", lambda e: e.id))
    indicators = (Columns(plan, m.Indicator).id().text("name", "description", "unit")
                  .choice("family", "type", "frequency").ids("data_sources")
                  .page(plan, "indicator", lambda e: e.id))
    bodies = (Columns(plan, m.Body).id().text("name").choice("kind")
              .text("description", "members").choice("frequency")
              .page(plan, "body", lambda e: e.id))
    glossary = (Columns(plan, m.Term).id().text("term", "acronym", "definition")
                .ids("see_also").page(plan, "term", lambda e: e.id))
    for code, language in glossary.languages.items():
        glossary.extra(Column(f"avoid_{code}", "array",
                              lambda e, code=code: e.avoid.get(code, []),
                              f"JSON array of wordings not to use in {language}"))
    sources = (Columns(plan, m.Source).id().plain("title", "publisher", "language")
               .plain("year", type="integer").plain("url").plain("accessed", type="date")
               .choice("accessed_by").text("note").page(plan, "source", lambda e: e.id))

    sheet_fk = ((("sheet",), "sheets", ("id",)),)
    entries = lambda kind: lambda plan: plan.content.catalogue(kind).values()  # noqa: E731
    return [
        Table("work-packages", lambda p: p.content.work_packages.values(), wps.columns, ("id",)),
        Table("sheets", _sheet_rows, sheets.columns, ("id",),
              ((("wp",), "work-packages", ("id",)),)),
        Table("steps", _numbered(lambda s: s.steps, _sheet_rows),
              steps.columns, ("sheet", "step"), sheet_fk),
        Table("checklist-items", _numbered(lambda s: s.checklist, _sheet_rows), checklist.columns,
              ("sheet", "item"), sheet_fk),
        Table("sheet-roles", _numbered(lambda s: s.human_resources, _sheet_rows), human.columns, (),
              sheet_fk + ((("role",), "roles", ("id",)),)),
        Table("matrix-tasks", lambda p: p.content.matrix.tasks, tasks.columns, ("id",)),
        Table("matrix-means", lambda p: p.content.matrix.means, means.columns, ("id",)),
        Table("matrix-cells", lambda p: p.content.matrix.cells, cells.columns, ("task", "means"),
              ((("task",), "matrix-tasks", ("id",)), (("means",), "matrix-means", ("id",)))),
        Table("matrix-raci",
              lambda p: [(cell, e) for cell in p.content.matrix.cells for e in cell.raci],
              raci.columns, ("task", "means", "role"),
              ((("task", "means"), "matrix-cells", ("task", "means")),
               (("role",), "roles", ("id",)))),
        Table("capacity-scale", lambda p: p.content.grid.scale, scale.columns, ("level",)),
        Table("capacity-dimensions", lambda p: p.content.grid.dimensions, dimensions.columns,
              ("id",)),
        Table("capacity-criteria",
              lambda p: [(d, cr) for d in p.content.grid.dimensions for cr in d.criteria],
              criteria.columns, ("id",), ((("dimension",), "capacity-dimensions", ("id",)),)),
        Table("roles", entries("role"), roles.columns, ("id",)),
        Table("tools", entries("tool"), tools.columns, ("id",)),
        Table("mechanisms", entries("mechanism"),
              mechanisms.columns, ("id",)),
        Table("indicators", entries("indicator"),
              indicators.columns, ("id",)),
        Table("bodies", entries("body"), bodies.columns, ("id",)),
        Table("glossary", entries("term"), glossary.columns,
              ("id",)),
        Table("sources", entries("source"), sources.columns,
              ("id",)),
    ]


# The tables' names, in order: their titles are ui.yaml's `open_data_table_<name>` (found
# there by render/ui_keys.py); a test checks they are the tables built.
TITLE_PREFIX = "open_data_table_"
TABLE_NAMES = ("work-packages", "sheets", "steps", "checklist-items", "sheet-roles",
               "matrix-tasks", "matrix-means", "matrix-cells", "matrix-raci", "capacity-scale",
               "capacity-dimensions", "capacity-criteria", "roles", "tools", "mechanisms",
               "indicators", "bodies", "glossary", "sources")


# --- the package ---------------------------------------------------------------------------

@dataclass
class OpenData:
    files: dict[str, bytes] = field(default_factory=dict)  # name under data/ → bytes

    def sizes(self) -> dict[str, int]:
        return {name: len(data) for name, data in self.files.items()}


def _resource(name: str, path: str, data: bytes, title: str, **more) -> dict:
    return {"name": name, "path": path, "title": title, **more, "encoding": "utf-8",
            "bytes": len(data), "hash": "sha256:" + hashlib.sha256(data).hexdigest()}


def build(plan: Plan) -> OpenData:
    """Every file of `data/`, in memory."""
    content = plan.content
    info = content.info
    lang = content.default_language
    ui = {key: text[lang] for key, text in content.ui.items()}
    languages = {language.code: language.name for language in info.languages}
    data = OpenData()
    resources = []
    document = export_of(plan).model_dump(mode="json")
    data.files[JSON_FILE] = (json.dumps({"$schema": SCHEMA_FILE, **document}, ensure_ascii=False,
                                        separators=(",", ":")) + "\n").encode("utf-8")
    data.files[SCHEMA_FILE] = _schema_text(tuple(languages.items()))
    for table in tables(plan):
        body = table.csv(plan)
        data.files[table.file] = body
        resources.append(_resource(table.name, table.file, body, ui[table.title_key],
                                   profile="tabular-data-resource", format="csv",
                                   mediatype="text/csv", schema=table.schema()))
    resources.append(_resource("handbook", JSON_FILE, data.files[JSON_FILE],
                               ui["open_data_file_json"], format="json",
                               mediatype="application/json",
                               description=f"JSON Schema: {SCHEMA_FILE}"))
    package = {
        "profile": "data-package",  # tables, and the JSON of the whole Handbook
        "name": "handbook",
        "title": info.title[lang],
        "description": info.tagline[lang],
        "version": info.edition,
        "homepage": info.site_url,
        "languages": list(languages),
        "licenses": [{"name": info.data_licence.id, "path": info.data_licence.url,
                      "title": info.data_licence.name[lang]}],
        "contributors": [{"title": info.publisher[lang], "role": "publisher"}],
        "created": f"{info.content_date.isoformat()}T00:00:00Z",
        "resources": resources,
    }
    data.files[PACKAGE_FILE] = (json.dumps(package, ensure_ascii=False, indent=1) + "\n"
                                ).encode("utf-8")
    return data


def write(site_dir: Path, data: OpenData) -> None:
    folder = Path(site_dir) / DATA_DIR
    for name, body in data.files.items():
        write_atomically(folder / name, body)
