"""Content rules over the real Handbook (issue: every section filled in both languages, no
placeholders, real translations, every reference used, sources cited, consistent terms)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from pydantic import BaseModel

from conftest import ROOT
from faasst_handbook.source.loader import load_handbook

RESULT = load_handbook(ROOT / "handbook")
CONTENT = RESULT.content

# Placeholders and leftovers that must never be published.
PLACEHOLDERS = re.compile(r"\b(TODO|TBD|FIXME|XXX|lorem|ipsum)\b|…|\.\.\.|\bà compléter\b(?! l)"
                          r"|\bto be completed\b", re.IGNORECASE)


def texts(value, path: str = "") -> Iterator[tuple[str, dict[str, str]]]:
    """Every bilingual text in a model, with its field path."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from texts(getattr(value, name), f"{path}.{name}" if path else name)
    elif isinstance(value, list):
        for n, item in enumerate(value):
            yield from texts(item, f"{path}[{n + 1}]")
    elif isinstance(value, dict) and set(value) == set(CONTENT.languages):
        yield path, value


def all_texts() -> Iterator[tuple[str, dict[str, str]]]:
    for wp in CONTENT.work_packages.values():
        yield from texts(wp, wp.id)
    for sheet in CONTENT.sheets.values():
        yield from texts(sheet, sheet.id)
    for kind in ("role", "tool", "mechanism", "indicator", "body", "term", "source"):
        for entry in CONTENT.catalogue(kind).values():
            yield from texts(entry, entry.id)
    yield from texts(CONTENT.matrix, "matrix")
    yield from texts(CONTENT.grid, "capacity-grid")
    yield from texts(CONTENT.info, "handbook")


def test_the_real_handbook_is_valid():
    assert RESULT.problems == []


def test_the_handbook_has_the_expected_size():
    assert len(CONTENT.work_packages) == 6
    assert len(CONTENT.sheets) >= 40
    for wp in CONTENT.work_packages.values():
        assert 6 <= len(wp.sheets) <= 8, wp.id
    assert len(CONTENT.roles) >= 12 and len(CONTENT.tools) >= 12
    assert len(CONTENT.mechanisms) >= 18 and len(CONTENT.indicators) >= 15
    assert len(CONTENT.bodies) >= 8 and len(CONTENT.glossary) >= 40


@pytest.mark.parametrize("sheet_id", list(CONTENT.sheets))
def test_every_sheet_section_is_filled(sheet_id):
    sheet = CONTENT.sheets[sheet_id]
    for field in ("prerequisites", "steps", "human_resources", "tools", "mechanisms", "bodies",
                  "deliverables", "indicators", "related_sheets", "sources"):
        assert getattr(sheet, field), f"{sheet_id}: {field} is empty"
    assert len(sheet.steps) >= 4
    assert 6 <= len(sheet.checklist) <= 12
    assert [a.raci for a in sheet.human_resources].count("accountable") == 1, sheet_id
    for path, text in texts(sheet, sheet_id):
        for lang in CONTENT.languages:
            assert text[lang].strip(), f"{path}.{lang} is empty"


def test_no_placeholder_text():
    found = [f"{path}.{lang}: {text[lang][:60]}" for path, text in all_texts()
             for lang in CONTENT.languages if PLACEHOLDERS.search(text[lang])]
    assert found == []


# Texts that are proper names: the same in every language by nature.
def is_proper_name(path: str) -> bool:
    leaf = path.rsplit(".", 1)[-1]
    return leaf in ("name", "term", "acronym", "unit") or path.endswith(".title") and path.startswith("src.")


def test_english_is_never_a_copy_of_the_french():
    copies = [f"{path}: {text['fr']}" for path, text in all_texts()
              if text["fr"] == text["en"] and not is_proper_name(path)]
    assert copies == []


def test_catalogue_names_copied_across_languages_are_few():
    """Names may be identical when they are proper names (TerriSTORY®, ELENA…), but most
    catalogue names must read naturally in each language."""
    names = [(path, text) for path, text in all_texts() if path.rsplit(".", 1)[-1] == "name"]
    identical = [path for path, text in names if text["fr"] == text["en"]]
    assert len(identical) <= len(names) // 4, identical


@pytest.mark.parametrize("kind", ["role", "tool", "mechanism", "indicator", "body", "source"])
def test_every_catalogue_entry_is_used(kind):
    unused = [entry_id for entry_id in CONTENT.catalogue(kind)
              if not (CONTENT.used_in(kind, entry_id).sheets or CONTENT.used_in(kind, entry_id).cells
                      or CONTENT.used_in(kind, entry_id).entries)]
    assert unused == []


def test_every_sheet_cites_a_source():
    assert all(sheet.sources for sheet in CONTENT.sheets.values())


def loose(phrase: str) -> str:
    """A pattern for a phrase in singular or plural: "ville jumelle" finds "villes jumelles",
    "pilot city" finds "pilot cities"."""
    words = [re.escape(w[:-1]) + r"\w{0,3}" if len(w) > 3 else re.escape(w)
             for w in re.split(r"\s+", phrase)]
    return r"(?<!\w)" + r"\W+".join(words) + r"(?!\w)"


def test_every_glossary_term_appears_in_the_content():
    corpus = {lang: " ".join(text[lang] for path, text in all_texts()
                             if not path.startswith("term.")) for lang in CONTENT.languages}
    missing = []
    for term in CONTENT.glossary.values():
        for lang in CONTENT.languages:
            # "Ville jumelle (jumelage)" is written "ville jumelle" or "villes jumelles".
            main = re.sub(r"\s*\([^)]*\)", "", term.term[lang]).strip()
            patterns = [loose(main)] + ([rf"(?<!\w){re.escape(term.acronym[lang])}(?!\w)"]
                                        if term.acronym else [])
            if not any(re.search(p, corpus[lang], re.IGNORECASE) for p in patterns):
                missing.append(f"{term.id} ({lang})")
    assert missing == []


# The terminology table of handbook/STYLE.md: words that must not be used for these notions.
FORBIDDEN = {
    "en": [r"\bmassification operator\b", r"\banimation\b", r"\bsheet-method\b",
           r"\bmanagement grid\b", r"\bcapacities grid\b", r"\bcontrat climat de ville\b"],
    "fr": [r"\bfiche méthode\b", r"\bcontrat climat de ville\b(?!\))", r"\bgrille de capacités\b"],
}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_terminology_follows_the_style_guide(lang):
    found = []
    for path, text in all_texts():
        if path == "term.ccc.term":  # the glossary gives the French gloss once, by design
            continue
        for pattern in FORBIDDEN[lang]:
            if re.search(pattern, text[lang], re.IGNORECASE):
                found.append(f"{path}: {pattern}")
    assert found == []


def test_uncertain_figures_are_absent_or_sourced():
    """The brief's §6 flags figures whose sources disagree: they appear only with a source."""
    flagged = [r"750\s?M", r"200\s?M€", r"€\s?200\s?M", r"\b4 ?559\b", r"120\s?%", r"6[,.]2\s?M",
               r"\b24 communes\b", r"\b23 communes\b", r"26 juin 2025", r"26 June 2025"]
    found = [f"{path}.{lang}" for path, text in all_texts() for lang in CONTENT.languages
             if any(re.search(p, text[lang]) for p in flagged)]
    assert found == []
    for path, text in all_texts():
        for lang in CONTENT.languages:
            if re.search(r"350\s?GWh", text[lang]):
                assert re.search(r"FAASST|pv magazine", text[lang]), f"{path}.{lang} gives 350 GWh without its source"
