"""Open data (issue 15, point 3): every build publishes the Handbook as data under `data/`.
The package passes the real `frictionless validate` (and fails it when a table is tampered
with), `handbook.json` passes its JSON Schema, and both read back to the YAML's content."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from pydantic import BaseModel, TypeAdapter

from faasst_handbook.plan.contexts import Plan
from faasst_handbook.plan.routes import build_routes
from faasst_handbook.publish import open_data
from faasst_handbook.source.loader import configured_languages
from faasst_handbook.validation import load_handbook
from support.paths import LANGUAGES, ROOT, SOURCE_LANGUAGE

FRICTIONLESS = Path(sys.executable).with_name("frictionless")


@pytest.fixture(scope="module")
def content():
    result = load_handbook(ROOT / "handbook")
    assert result.ok
    return result.content


@pytest.fixture(scope="module")
def data(built_site) -> Path:
    return built_site / open_data.DATA_DIR


def frictionless(package: Path) -> dict:
    result = subprocess.run([str(FRICTIONLESS), "validate", "--json", str(package)],
                            capture_output=True, text=True, timeout=300)
    return json.loads(result.stdout)


def test_the_package_passes_frictionless_validate(data):
    report = frictionless(data / open_data.PACKAGE_FILE)
    assert report["valid"], json.dumps(report["errors"] or report["tasks"], indent=1)[:3000]
    names = {task["name"] for task in report["tasks"]}
    assert names == {*open_data.TABLE_NAMES, "handbook"}


def test_frictionless_catches_a_tampered_table(data, tmp_path):
    """The check is real: a wrong Work Package id in sheets.csv breaks its foreign key, and the
    file no longer matches the size and hash the package records."""
    copy = tmp_path / "data"
    shutil.copytree(data, copy)
    sheets = (copy / "sheets.csv").read_text(encoding="utf-8")
    first = sheets.splitlines()[1]
    wp = first.split(",")[1]
    (copy / "sheets.csv").write_text(sheets.replace(f",{wp},", ",wp0,", 1), encoding="utf-8")
    report = frictionless(copy / open_data.PACKAGE_FILE)
    assert not report["valid"]
    errors = {error["type"] for task in report["tasks"] for error in task["errors"]}
    assert {"foreign-key", "hash-count"} <= errors, errors


def test_the_package_states_the_configured_licence(data, content):
    package = json.loads((data / open_data.PACKAGE_FILE).read_text(encoding="utf-8"))
    licence = content.info.data_licence
    assert package["licenses"] == [{"name": licence.id, "path": licence.url,
                                    "title": licence.name[SOURCE_LANGUAGE]}]
    assert package["version"] == content.info.edition
    assert package["languages"] == LANGUAGES


def test_the_tables_are_the_ones_the_page_and_ui_name(content):
    plan = Plan(content, build_routes(content), ROOT / "docs")
    assert [table.name for table in open_data.tables(plan)] == list(open_data.TABLE_NAMES)


# --- handbook.json ------------------------------------------------------------------------

def test_handbook_json_passes_its_schema_and_reads_back_to_the_content(data, content):
    document = json.loads((data / open_data.JSON_FILE).read_text(encoding="utf-8"))
    schema = json.loads((data / open_data.SCHEMA_FILE).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(document)
    assert document.pop("$schema") == open_data.SCHEMA_FILE

    languages = configured_languages(ROOT / "handbook" / "handbook.yaml")
    back = TypeAdapter(open_data.export_model()).validate_python(
        document, context={"languages": languages})
    assert back.handbook == content.info
    assert back.work_packages == list(content.work_packages.values())
    assert back.sheets == list(content.sheets.values())
    for kind, entries in (("role", back.roles), ("tool", back.tools),
                          ("mechanism", back.mechanisms), ("indicator", back.indicators),
                          ("body", back.bodies), ("term", back.glossary),
                          ("source", back.sources)):
        assert entries == list(content.catalogue(kind).values()), kind
    assert back.matrix == content.matrix and back.capacity_grid == content.grid
    assert back.cases == list(content.cases.values())
    assert back.starter_route == content.starter_route
    assert back.redirects == content.redirects


def test_the_schema_refuses_what_the_yaml_would_refuse(data):
    schema = json.loads((data / open_data.SCHEMA_FILE).read_text(encoding="utf-8"))
    document = json.loads((data / open_data.JSON_FILE).read_text(encoding="utf-8"))
    document["sheets"][0]["title"].pop(LANGUAGES[-1])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, schema)


# --- the CSV tables, read back ------------------------------------------------------------

def read_table(data: Path, resource: dict) -> list[dict]:
    raw = (data / resource["path"]).read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")  # plain UTF-8, no byte-order mark
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
    fields = resource["schema"]["fields"]
    assert rows[0] == [f["name"] for f in fields]  # a header row, as the schema says
    return [{f["name"]: decode(cell, f) for f, cell in zip(fields, row, strict=True)}
            for row in rows[1:]]


def decode(cell: str, field: dict):
    if cell == "":
        return None
    kind = field["type"]
    if kind == "integer":
        return int(cell)
    if kind == "list":
        items = cell.split(field["delimiter"])
        return [int(i) for i in items] if field["itemType"] == "integer" else items
    if kind == "array":
        return json.loads(cell)
    return cell


def _by(items, key):
    return {key(item): item for item in items}


def row_models(c):
    """For each table: the number of rows the content has, and the model of a row."""
    cells = _by(c.matrix.cells, lambda cell: (cell.task, cell.means))
    criteria = {cr.id: cr for d in c.grid.dimensions for cr in d.criteria}
    sheets = c.sheets.values()
    return {
        "work-packages": (len(c.work_packages), lambda r: c.work_packages[r["id"]]),
        "sheets": (len(c.sheets), lambda r: c.sheets[r["id"]]),
        "steps": (sum(len(s.steps) for s in sheets),
                  lambda r: c.sheets[r["sheet"]].steps[r["step"] - 1]),
        "checklist-items": (sum(len(s.checklist) for s in sheets),
                            lambda r: c.sheets[r["sheet"]].checklist[r["item"] - 1]),
        "sheet-roles": (sum(len(s.human_resources) for s in sheets),
                        lambda r: next(a for a in c.sheets[r["sheet"]].human_resources
                                       if a.role == r["role"] and a.raci == r["raci"])),
        "matrix-tasks": (len(c.matrix.tasks), lambda r: _by(c.matrix.tasks, lambda t: t.id)[r["id"]]),
        "matrix-means": (len(c.matrix.means), lambda r: _by(c.matrix.means, lambda t: t.id)[r["id"]]),
        "matrix-cells": (len(cells), lambda r: cells[(r["task"], r["means"])]),
        "matrix-raci": (sum(len(cell.raci) for cell in c.matrix.cells),
                        lambda r: next(e for e in cells[(r["task"], r["means"])].raci
                                       if e.role == r["role"])),
        "capacity-scale": (len(c.grid.scale), lambda r: _by(c.grid.scale, lambda l: l.level)[r["level"]]),
        "capacity-dimensions": (len(c.grid.dimensions),
                                lambda r: _by(c.grid.dimensions, lambda d: d.id)[r["id"]]),
        "capacity-criteria": (len(criteria), lambda r: criteria[r["id"]]),
        **{name: (len(c.catalogue(kind)), lambda r, kind=kind: c.catalogue(kind)[r["id"]])
           for name, kind in (("roles", "role"), ("tools", "tool"), ("mechanisms", "mechanism"),
                              ("indicators", "indicator"), ("bodies", "body"),
                              ("glossary", "term"), ("sources", "source"))},
    }


def plain(value):
    """A model's value as the CSV holds it."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list) and not value:
        return None
    return value


# Columns that are not a field of the row's model: where the row sits, and derived values.
DERIVED = re.compile(r"^(handbook_url_[a-z]+|position|timing_.*|[a-z]+_ids|sheet|step|item|"
                     r"task|means|dimension)$")


def test_every_table_reads_back_to_the_content(data, content):
    package = json.loads((data / open_data.PACKAGE_FILE).read_text(encoding="utf-8"))
    expected = row_models(content)
    checked = 0
    for resource in package["resources"]:
        if resource.get("format") != "csv":
            continue
        count, model_of = expected[resource["name"]]
        rows = read_table(data, resource)
        assert len(rows) == count, resource["name"]
        for row in rows:
            model: BaseModel = model_of(row)
            for name, value in row.items():
                field, _, lang = name.rpartition("_")
                if name in type(model).model_fields:
                    assert value == plain(getattr(model, name)), (resource["name"], name, row)
                elif lang in LANGUAGES and field == "avoid":
                    assert value == model.avoid.get(lang, []), (resource["name"], name)
                elif lang in LANGUAGES and field in type(model).model_fields:
                    text = getattr(model, field)
                    if isinstance(text, list):  # a list of texts
                        assert value == [t[lang] for t in text], (resource["name"], name)
                    else:
                        assert value == (text[lang] if text else None), (resource["name"], name)
                else:
                    assert DERIVED.match(name), f"{resource['name']}.{name} is checked by nothing"
                    continue
                checked += 1
    assert checked > 5_000  # every cell of the Handbook's tables, not a sample


def test_site_addresses_in_the_tables_exist(data, content, built_site):
    site = content.info.site_url
    rows = read_table(data, next(r for r in json.loads(
        (data / open_data.PACKAGE_FILE).read_text(encoding="utf-8"))["resources"]
        if r["name"] == "sheets"))
    for row in rows:
        for lang in LANGUAGES:
            url = row[f"handbook_url_{lang}"]
            assert url.startswith(site)
            page = url[len(site):].split("#")[0]
            assert (built_site / page / "index.html").is_file(), url


# --- the open-data page --------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_open_data_page_links_every_file_and_states_the_licence(built_site, content, lang):
    root = built_site / content.language_root(lang)
    page = (root / "open-data" / "index.html").read_text(encoding="utf-8")
    licence = content.info.data_licence
    assert f'<a href="{licence.url}">{licence.name[lang]}</a>' in page.replace("&#39;", "'")
    links = set(re.findall(r'href="([^"]*data/[^"]+)"', page))
    targets = {(root / "open-data" / link).resolve() for link in links}
    assert {p.name for p in targets} == {p.name for p in (built_site / "data").iterdir()}
    assert all(p.is_file() for p in targets)
    assert '<span class="hb-data-size" data-file="sheets.csv"></span>' not in page  # sizes filled
    assert "open-data/" in (root / "about" / "index.html").read_text(encoding="utf-8")
