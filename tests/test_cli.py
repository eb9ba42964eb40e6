"""The `handbook` command: exit codes, formats, and never a traceback for bad content."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from support.handbooks import HandbookCopy
from support.paths import ROOT


def handbook(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "faasst_handbook.cli", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})


def project_with_mini(tmp_path: Path) -> HandbookCopy:
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    return HandbookCopy(tmp_path / "handbook")


def test_validate_passes_on_the_real_handbook():
    result = handbook(ROOT, "validate")
    assert result.returncode == 0, result.stderr
    assert "The Handbook is valid" in result.stdout and "6 Work Packages" in result.stdout


def test_validate_reports_problems_with_exit_code_1(tmp_path):
    mini = project_with_mini(tmp_path)
    mini.replace("sheets/wp1-01.yaml", "effort: medium", "effort: hihg")
    mini.replace("catalogues/roles.yaml", "id: role.analyst,", "id: role.analist,")
    result = handbook(tmp_path, "validate")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "handbook/sheets/wp1-01.yaml:37:9: effort: `hihg` is not an allowed value." in result.stderr
    assert "unknown role `role.analyst`. Did you mean `role.analist`?" in result.stderr
    # wp1-01.yaml is invalid, so its references are not checked; wp1-02.yaml's are.
    assert result.stderr.strip().endswith("4 problems in 2 files.")


def test_validate_json_format(tmp_path):
    mini = project_with_mini(tmp_path)
    mini.replace("sheets/wp1-01.yaml", "effort: medium", "effort: hihg")
    result = handbook(tmp_path, "validate", "--format", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False and report["count"] == 1
    assert report["problems"][0] == {
        "file": "handbook/sheets/wp1-01.yaml", "line": 37, "column": 9, "field": "effort",
        "message": "`hihg` is not an allowed value. Use one of: low, medium, high. Did you mean `high`?",
        "code": "not-allowed", "severity": "error"}


def test_validate_json_when_valid(tmp_path):
    project_with_mini(tmp_path)
    result = handbook(tmp_path, "validate", "--format", "json")
    assert result.returncode == 0
    assert json.loads(result.stdout) == {"ok": True, "count": 0, "errors": 0, "omitted": 0,
                                         "problems": []}


def test_garbage_file_gives_a_message_not_a_traceback(tmp_path):
    mini = project_with_mini(tmp_path)
    mini.write("sheets/wp1-01.yaml", bytes(range(256)))
    result = handbook(tmp_path, "validate")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "handbook/sheets/wp1-01.yaml:1:" in result.stderr


def test_committed_schemas_are_up_to_date():
    result = handbook(ROOT, "schema", "--check")
    assert result.returncode == 0, result.stderr


def test_schema_check_detects_a_stale_schema(tmp_path):
    project_with_mini(tmp_path)
    shutil.copytree(ROOT / "handbook" / "schemas", tmp_path / "handbook" / "schemas")
    path = tmp_path / "handbook" / "schemas" / "sheet.schema.json"
    path.write_text(path.read_text().replace('"minItems": 4', '"minItems": 3'))
    result = handbook(tmp_path, "schema", "--check")
    assert result.returncode == 1
    assert "handbook/schemas/sheet.schema.json is out of date" in result.stderr
