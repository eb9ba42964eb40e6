"""The real Handbook passes every rule of `handbook validate` (the rules themselves, and a
failing fixture for each, are in test_rules.py and tests/bad_inputs/)."""

from __future__ import annotations

from faasst_handbook.source.problems import errors
from faasst_handbook.validation import load_handbook

from support.paths import ROOT


def test_the_real_handbook_has_no_error():
    result = load_handbook(ROOT / "handbook")
    assert [p.format() for p in errors(result.problems)] == []


def test_the_handbook_has_the_expected_size():
    content = load_handbook(ROOT / "handbook").content
    assert len(content.work_packages) == 6
    assert len(content.sheets) >= 40
    for wp in content.work_packages.values():
        assert 6 <= len(wp.sheets) <= 8, wp.id
    assert len(content.roles) >= 12 and len(content.tools) >= 12
    assert len(content.mechanisms) >= 18 and len(content.indicators) >= 15
    assert len(content.bodies) >= 8 and len(content.glossary) >= 40
