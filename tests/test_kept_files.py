"""Reading the folder again (each rebuild of `make serve`) parses only the files that changed,
and gives exactly what reading everything again would."""

from __future__ import annotations

from faasst_handbook.source import loader
from faasst_handbook.source.loader import read_handbook


def _counting_parses(monkeypatch) -> list[str]:
    parsed: list[str] = []
    original = loader.parse_yaml

    def counting(raw, shown):
        parsed.append(shown)
        return original(raw, shown)

    monkeypatch.setattr(loader, "parse_yaml", counting)
    return parsed


def test_unchanged_files_are_not_parsed_again(mini, monkeypatch):
    first = read_handbook(mini.root, "handbook")
    parsed = _counting_parses(monkeypatch)
    again = read_handbook(mini.root, "handbook")
    assert parsed == []
    assert again.problems == first.problems and again.content == first.content

    mini.replace("sheets/wp1-01.yaml", 'fr: "Fiche 01 en français"', 'fr: "Fiche 01 modifiée"')
    edited = read_handbook(mini.root, "handbook")
    assert parsed == ["handbook/sheets/wp1-01.yaml"]
    assert edited.content.sheets["wp1-01"].title["fr"] == "Fiche 01 modifiée"


def test_a_broken_file_is_reported_on_every_reading(mini, monkeypatch):
    mini.replace("sheets/wp1-01.yaml", "title:", "title: [")
    first = read_handbook(mini.root, "handbook")
    assert first.problems
    parsed = _counting_parses(monkeypatch)
    again = read_handbook(mini.root, "handbook")
    assert again.problems == first.problems and parsed == []


def test_the_languages_are_part_of_what_is_kept(mini, monkeypatch):
    """A file read under other languages is read again: what it must hold depends on them."""
    read_handbook(mini.root, "handbook")
    parsed = _counting_parses(monkeypatch)
    mini.replace("handbook.yaml", "{code: en, name: English", "{code: de, name: Deutsch")
    again = read_handbook(mini.root, "handbook")
    assert "handbook/sheets/wp1-01.yaml" in parsed
    assert any("de" in p.message or "en" in p.message for p in again.problems)
