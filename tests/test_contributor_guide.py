"""The contributor guide in the site (issue 15, point 8): docs/contributing.<lang>.md, in every
language, under About in the navigation, covering what an editor needs, with real messages of
the validator as examples."""

from __future__ import annotations

import re

from faasst_handbook.plan.routes import HAND_WRITTEN, WHATS_NEW, Section, build_routes

from support.paths import LANGUAGES, ROOT, TESTS

GUIDE = "contributing"
# What an editor needs, by section id (the same in every language).
SECTIONS = ["content", "change-a-sheet", "add-a-sheet", "rename-a-sheet",
            "add-a-catalogue-entry", "change-a-matrix-cell", "preview", "messages", "submit",
            "links"]


def guide(lang: str) -> str:
    return (ROOT / "docs" / f"{GUIDE}.{lang}.md").read_text(encoding="utf-8")


def test_the_guide_has_the_same_sections_in_every_language():
    for lang in LANGUAGES:
        text = guide(lang)
        assert text.startswith("# ")
        assert re.findall(r"^## .*\{#([a-z-]+)\}$", text, re.MULTILINE) == SECTIONS, lang
        assert "make serve" in text and "make validate" in text
        assert "<!-- handbook:contributing-links -->" in text


def test_the_guide_and_whats_new_are_under_about(mini):
    routes = build_routes(mini.load().content)
    about = next(item for item in routes.nav
                 if isinstance(item, Section) and item.title_key == "nav_about")
    assert GUIDE in HAND_WRITTEN
    assert GUIDE in about.children and WHATS_NEW in about.children


def test_the_guides_example_messages_are_real_messages():
    produced = {line for case in (TESTS / "bad_inputs").iterdir() if case.is_dir()
                for line in (case / "expected.txt").read_text(encoding="utf-8").splitlines()
                if not line.startswith("#")}
    for lang in LANGUAGES:
        examples = re.findall(r"^    (handbook/\S+:\d+:\d+: .*)$", guide(lang), re.MULTILINE)
        assert len(examples) >= 3, lang
        for example in examples:
            assert example in produced, f"not a message of tests/bad_inputs/: {example}"
