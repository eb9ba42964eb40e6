"""The committed JSON Schemas accept the real Handbook and reject what the validator rejects,
so editors' YAML plugins (which use them while typing) agree with `handbook validate`."""

from __future__ import annotations

import datetime as dt
import json

import jsonschema
import pytest

from support.paths import ROOT
from faasst_handbook.source.layout import KINDS
from faasst_handbook.source.yaml_reader import read_yaml

HANDBOOK = ROOT / "handbook"


def as_json(value):
    """YAML as an editor's plugin sees it: dates are strings."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def validator(kind):
    schema = json.loads((HANDBOOK / "schemas" / kind.schema_file).read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_real_files_match_their_committed_schema(kind):
    paths = sorted(HANDBOOK.glob(kind.pattern))
    if not paths and not kind.required:
        pytest.skip(f"{kind.pattern} is optional and absent")
    assert paths, f"no file for {kind.pattern}"
    check = validator(kind)
    for path in paths:
        doc, problems = read_yaml(path, str(path))
        assert not problems
        errors = [f"{path.name}: {e.json_path}: {e.message}" for e in check.iter_errors(as_json(doc.data))]
        assert errors == []


def test_schema_rejects_a_missing_translation_and_an_unknown_field():
    check = validator(next(k for k in KINDS if k.name == "sheet"))
    doc, _ = read_yaml(ROOT / "tests/fixtures/mini/sheets/wp1-01.yaml", "x")
    data = as_json(doc.data)
    data["title"] = {"fr": "Seulement en français"}
    data["titel"] = "typo"
    messages = {e.message for e in check.iter_errors(data)}
    assert "'en' is a required property" in messages
    assert any("'titel' was unexpected" in m for m in messages)


def test_every_yaml_file_declares_its_schema():
    for kind in KINDS:
        for path in HANDBOOK.glob(kind.pattern):
            depth = len(path.relative_to(HANDBOOK).parts) - 1
            first = path.read_text(encoding="utf-8").splitlines()[0]
            assert first == f"# yaml-language-server: $schema={'../' * depth}schemas/{kind.schema_file}"
