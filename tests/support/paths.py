"""Where things are, and the Handbook's languages as configured (never hard-coded)."""

from __future__ import annotations

from pathlib import Path

from faasst_handbook.source.loader import configured_languages

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"
MINI = TESTS / "fixtures" / "mini"
LANGUAGES = list(configured_languages(ROOT / "handbook" / "handbook.yaml"))  # source first
SOURCE_LANGUAGE, TARGET_LANGUAGES = LANGUAGES[0], LANGUAGES[1:]
