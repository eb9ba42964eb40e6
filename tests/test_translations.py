"""Translations that stay true (issue 12): the review state (handbook/translations.lock) and
`handbook i18n status` / `reviewed`, the notice on the pages, PO files for translators
(`export`, `import`) on a copy of the real Handbook, and the interface strings of the English
pages."""

from __future__ import annotations

import difflib
import html.parser
import json
import re
import shutil
from pathlib import Path

import polib
import pytest
import yaml

from faasst_handbook import cli
from faasst_handbook.pipeline import Generator
from faasst_handbook.validation import load_handbook
from support.gettext import msgfmt_check
from support.paths import ROOT, SOURCE_LANGUAGE, TARGET_LANGUAGES
from support.sites import tree_digest

TARGET = TARGET_LANGUAGES[0]  # English today
NOTICE = "hb-translation-notice"


def i18n(project: Path, monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    """`handbook i18n ...` run in `project`, in-process; (exit code, stdout, stderr)."""
    monkeypatch.chdir(project)
    code = cli.main(["i18n", *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def todo(project: Path, monkeypatch, capsys) -> dict[str, list[tuple[str, str]]]:
    """Language → [(text id, state)] of what is missing or out of date."""
    code, out, _ = i18n(project, monkeypatch, capsys, "status", "--format", "json")
    assert code == 0
    report = json.loads(out)
    return {lang: [(item["id"], item["state"]) for file in data["files"].values()
                   for item in file["todo"]]
            for lang, data in report["languages"].items()}


def pages_with_the_notice(project: Path) -> set[str]:
    """Generated pages (docs/ paths) that carry the translation notice."""
    generation = Generator(project).generate(with_pdfs=False)
    return {name for name, page in generation.pages.items() if NOTICE in page.html}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- staleness: the lock, status, reviewed, the notice ----------------------------------------

def test_a_changed_french_text_makes_its_translation_out_of_date_until_reviewed(
        mini_project, monkeypatch, capsys):
    code, out, _ = i18n(mini_project, monkeypatch, capsys, "reviewed")
    assert code == 0 and "translations recorded as reviewed" in out
    assert (mini_project / "handbook/translations.lock").is_file()
    assert i18n(mini_project, monkeypatch, capsys, "status", "--strict")[0] == 0
    assert pages_with_the_notice(mini_project) == set()

    sheet = mini_project / "handbook/sheets/wp1-01.yaml"
    edit(sheet, '"Collecter les données."', '"Collecter les données du territoire."')
    assert todo(mini_project, monkeypatch, capsys) == {
        TARGET: [("wp1-01:steps[2].description", "stale")]}
    code, out, _ = i18n(mini_project, monkeypatch, capsys, "status", "--strict")
    assert code == 1
    assert ("handbook/sheets/wp1-01.yaml:20:18: wp1-01:steps[2].description: out of date: the "
            "French text changed after this translation was reviewed") in out
    # The notice: on that sheet's English page only, never on a French page.
    assert pages_with_the_notice(mini_project) == {f"handbook/wp1/wp1-01.{TARGET}.md"}
    page = (mini_project / f"docs/handbook/wp1/wp1-01.{TARGET}.md").read_text(encoding="utf-8")
    notice = page[page.index(NOTICE):page.index("</div>", page.index(NOTICE))]
    assert "has changed in French since its translation was last reviewed" in notice
    assert '<a href="#steps">Steps</a>' in notice
    assert ('<a href="../../../../handbook/wp1/wp1-01/" hreflang="fr" lang="fr">Français</a>'
            in notice)

    code, out, _ = i18n(mini_project, monkeypatch, capsys, "reviewed",
                        "handbook/sheets/wp1-01.yaml")
    assert code == 0 and "1 of them new or changed" in out
    assert i18n(mini_project, monkeypatch, capsys, "status", "--strict")[0] == 0
    assert pages_with_the_notice(mini_project) == set()


def test_reviewed_can_be_limited_to_a_field_and_a_language(mini_project, monkeypatch, capsys):
    i18n(mini_project, monkeypatch, capsys, "reviewed")
    edit(mini_project / "handbook/sheets/wp1-01.yaml", '"Collecter les données."',
         '"Collecter toutes les données."')
    edit(mini_project / "handbook/sheets/wp1-02.yaml", '"Résumé de la fiche 02."',
         '"Nouveau résumé de la fiche 02."')
    code, _, err = i18n(mini_project, monkeypatch, capsys, "reviewed", "--field",
                        "wp1-01:steps[9]")
    assert code == 1 and "no text matches `--field wp1-01:steps[9]`" in err
    code, _, err = i18n(mini_project, monkeypatch, capsys, "reviewed", "--lang", "xx")
    assert code == 1 and "`xx` is not a language to translate into" in err
    code, _, err = i18n(mini_project, monkeypatch, capsys, "reviewed", "mkdocs.yml")
    assert code == 1 and "mkdocs.yml is not a file of the Handbook" in err
    code, out, _ = i18n(mini_project, monkeypatch, capsys, "reviewed", "--field",
                        "wp1-01:steps[2]", "--lang", TARGET)
    assert code == 0 and out.startswith("2 translations recorded as reviewed")  # title, text
    assert todo(mini_project, monkeypatch, capsys) == {TARGET: [("wp1-02:summary", "stale")]}


def test_a_step_inserted_before_others_leaves_their_reviews_alone(mini_project, monkeypatch,
                                                                  capsys):
    i18n(mini_project, monkeypatch, capsys, "reviewed")
    edit(mini_project / "handbook/sheets/wp1-01.yaml", "steps:\n", 'steps:\n'
         '  - title: {fr: "Préparer", en: "Prepare"}\n'
         '    description: {fr: "Préparer la réunion.", en: "Prepare the meeting."}\n'
         '    roles: [role.lead]\n')
    # The new step is not reviewed; the steps after it moved, and keep their reviews.
    assert sorted(todo(mini_project, monkeypatch, capsys)[TARGET]) == [
        ("wp1-01:steps[1].description", "stale"), ("wp1-01:steps[1].title", "stale")]


def test_without_a_lock_nothing_is_tracked(mini_project, monkeypatch, capsys):
    code, out, _ = i18n(mini_project, monkeypatch, capsys, "status", "--strict")
    assert code == 0
    assert "Reviews are not tracked (no handbook/translations.lock)" in out
    assert pages_with_the_notice(mini_project) == set()


def test_the_real_handbook_has_a_review_state_for_every_language():
    result = load_handbook(ROOT / "handbook")
    assert result.ok and result.translations.tracked
    lock = json.loads((ROOT / "handbook/translations.lock").read_text(encoding="utf-8"))
    assert lock["source"] == SOURCE_LANGUAGE and set(lock["reviewed"]) == set(TARGET_LANGUAGES)


# --- PO files on a copy of the real Handbook --------------------------------------------------

@pytest.fixture
def real_copy(tmp_path: Path, monkeypatch, capsys) -> Path:
    """The real Handbook in a project folder of its own (the commands need mkdocs.yml), with
    every translation recorded as reviewed: the tests then know which texts are out of date
    whatever French edits are waiting for their review in the real one."""
    project = tmp_path / "project"
    project.mkdir()
    shutil.copytree(ROOT / "handbook", project / "handbook")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    assert i18n(project, monkeypatch, capsys, "reviewed")[0] == 0
    return project


SHEET_FILE = "handbook/sheets/wp1-01.yaml"
# The French source of one text of the real Handbook, changed by some tests.
CHANGED_ID = "wp1-01:summary"


def change_french(project: Path, text_id: str) -> tuple[str, str]:
    """Change the source text of `text_id` in the file; returns (old, new)."""
    result = load_handbook(project / "handbook")
    item = next(t for t in result.content.texts()
                if f"{t.entry_id or t.kind}:" + _path(t.loc) == text_id)
    old = item.text[SOURCE_LANGUAGE]
    new = old.rstrip(".") + ", pas à pas."
    edit(project / SHEET_FILE, old, new)
    return old, new


def _path(loc) -> str:
    from faasst_handbook.source.problems import field_path
    return field_path(loc)


def export(project: Path, monkeypatch, capsys) -> polib.POFile:
    code, out, _ = i18n(project, monkeypatch, capsys, "export", "--lang", TARGET, "-o", "po")
    assert code == 0 and out.startswith(f"po/{TARGET}.po: ")
    return polib.pofile(str(project / "po" / f"{TARGET}.po"))


def test_export_then_import_leaves_every_file_byte_for_byte_identical(real_copy, monkeypatch,
                                                                      capsys):
    change_french(real_copy, CHANGED_ID)  # so that the PO file also has a fuzzy entry
    before = tree_digest(real_copy / "handbook")
    po = export(real_copy, monkeypatch, capsys)
    assert [entry.msgctxt for entry in po if entry.fuzzy] == [CHANGED_ID]
    code, out, err = i18n(real_copy, monkeypatch, capsys, "import", f"po/{TARGET}.po")
    assert code == 0, err
    assert "0 translations written into 0 files" in out and "1 fuzzy left out" in out
    assert tree_digest(real_copy / "handbook") == before  # the lock too


def test_exported_po_files_pass_msgfmt_check(real_copy, monkeypatch, capsys):
    change_french(real_copy, CHANGED_ID)
    export(real_copy, monkeypatch, capsys)
    statistics = msgfmt_check(real_copy / "po" / f"{TARGET}.po")
    assert re.fullmatch(r"\d+ translated messages, 1 fuzzy translation\.\n", statistics)


def test_po_files_have_standard_headers_and_say_what_each_text_is(real_copy, monkeypatch,
                                                                  capsys):
    change_french(real_copy, CHANGED_ID)
    po = export(real_copy, monkeypatch, capsys)
    assert po.metadata["Language"] == TARGET
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert po.metadata["Content-Transfer-Encoding"] == "8bit"
    assert po.metadata["MIME-Version"] == "1.0"
    assert po.metadata["Plural-Forms"].startswith("nplurals=")
    assert po.metadata["Project-Id-Version"].endswith(" 2.0")
    content = load_handbook(real_copy / "handbook").content
    texts = sum(1 for _ in content.texts())
    assert len(po) == texts and len({entry.msgctxt for entry in po}) == texts
    sheet = content.sheets["wp1-01"]
    step = po.find("wp1-01:steps[2].description", by="msgctxt")
    assert step.msgid == sheet.steps[1].description[SOURCE_LANGUAGE]
    assert step.msgstr == sheet.steps[1].description[TARGET] and not step.fuzzy
    assert step.occurrences == [(SHEET_FILE, step.occurrences[0][1])]
    assert step.comment.startswith(f"Method sheet WP1-01 “{sheet.title[SOURCE_LANGUAGE]}” — "
                                   "field steps[2].description.")
    assert "Markdown allowed" in step.comment
    stale = po.find(CHANGED_ID, by="msgctxt")
    assert stale.fuzzy and stale.msgstr == sheet.summary[TARGET]
    colon = po.find("ui:label_colon", by="msgctxt")
    assert "python-brace-format" in colon.flags and "Keep {label} as they are." in colon.comment


# Texts of different layouts: block mapping in a sheet, a flow mapping in ui.yaml, catalogue
# and glossary entries in lists of flow or block mappings.
TRANSLATED = {
    "wp1-01:steps[2].description": "The transition team sets the boundary and the topics.",
    "ui:permalink": "Permanent link to this section",
    "role.transition-lead:name": "Climate transition lead",
    "term.pcaet:definition": "The climate plan French inter-municipal authorities must adopt.",
}


def texts_by_id(project: Path) -> dict[str, dict[str, str]]:
    result = load_handbook(project / "handbook")
    assert result.ok, [p.format() for p in result.problems]
    return {f"{t.entry_id or t.kind}:{_path(t.loc)}": dict(t.text)
            for t in result.content.texts()}


def test_a_translated_po_file_changes_exactly_the_fields_it_translates(real_copy, monkeypatch,
                                                                       capsys):
    before_texts = texts_by_id(real_copy)
    before_files = {path: path.read_text(encoding="utf-8")
                    for path in (real_copy / "handbook").rglob("*.yaml")}
    po = export(real_copy, monkeypatch, capsys)
    for text_id, words in TRANSLATED.items():
        po.find(text_id, by="msgctxt").msgstr = words
    po.save()
    code, out, err = i18n(real_copy, monkeypatch, capsys, "import", f"po/{TARGET}.po")
    assert code == 0, err
    assert f"{len(TRANSLATED)} translations written into 4 files" in out
    after_texts = texts_by_id(real_copy)
    for text_id, texts in after_texts.items():
        expected = dict(before_texts[text_id])
        if text_id in TRANSLATED:
            expected[TARGET] = TRANSLATED[text_id]
        assert texts == expected, text_id
    changed_lines = []
    for path, text in before_files.items():
        diff = difflib.ndiff(text.splitlines(), path.read_text(encoding="utf-8").splitlines())
        changed_lines += [line for line in diff if line.startswith(("+ ", "- "))]
    assert len(changed_lines) == 2 * len(TRANSLATED), changed_lines  # one line each, in place
    assert '+ permalink: {fr: "Lien vers cette section", en: "Permanent link to this ' \
           'section"}' in changed_lines
    # Imported translations count as reviewed.
    assert todo(real_copy, monkeypatch, capsys) == {TARGET: []}


def test_an_entry_whose_source_changed_after_the_export_is_refused(real_copy, monkeypatch,
                                                                   capsys):
    po = export(real_copy, monkeypatch, capsys)
    change_french(real_copy, CHANGED_ID)  # an editor changes the French meanwhile
    stale = po.find(CHANGED_ID, by="msgctxt")
    stale.msgstr = "A translation of the French text as it was."
    po.find("ui:permalink", by="msgctxt").msgstr = TRANSLATED["ui:permalink"]
    po.save()
    po = polib.pofile(str(real_copy / "po" / f"{TARGET}.po"))
    line = po.find(CHANGED_ID, by="msgctxt").linenum
    sheet_before = (real_copy / SHEET_FILE).read_text(encoding="utf-8")
    code, out, err = i18n(real_copy, monkeypatch, capsys, "import", f"po/{TARGET}.po")
    assert code == 1
    assert (f"po/{TARGET}.po:{line}:1: {CHANGED_ID}: the French text changed after this file "
            f"was exported, so this translation was not imported: export again (`handbook i18n "
            f"export --lang {TARGET}`) and translate the new text.") in err.splitlines()
    assert "1 translation written into 1 file" in out and "1 refused" in out
    assert (real_copy / SHEET_FILE).read_text(encoding="utf-8") == sheet_before
    assert texts_by_id(real_copy)["ui:permalink"][TARGET] == TRANSLATED["ui:permalink"]


def test_a_fuzzy_entry_counts_once_the_translator_clears_its_mark(real_copy, monkeypatch,
                                                                  capsys):
    change_french(real_copy, CHANGED_ID)
    before = (real_copy / SHEET_FILE).read_text(encoding="utf-8")
    po = export(real_copy, monkeypatch, capsys)
    po.find(CHANGED_ID, by="msgctxt").flags.remove("fuzzy")  # checked: still right
    po.save()
    code, out, _ = i18n(real_copy, monkeypatch, capsys, "import", f"po/{TARGET}.po")
    assert code == 0 and "(1 now recorded as reviewed)" in out
    assert (real_copy / SHEET_FILE).read_text(encoding="utf-8") == before
    assert todo(real_copy, monkeypatch, capsys) == {TARGET: []}


def test_a_translation_the_validator_would_refuse_is_not_imported(real_copy, monkeypatch,
                                                                  capsys):
    po = export(real_copy, monkeypatch, capsys)
    po.find("ui:permalink", by="msgctxt").msgstr = "Link <script>alert(1)</script>"
    po.save()
    before = tree_digest(real_copy / "handbook")
    code, _, err = i18n(real_copy, monkeypatch, capsys, "import", f"po/{TARGET}.po")
    assert code == 1
    assert re.search(r"ui:permalink: the English text contains an HTML tag \(`<script>`\).*"
                     r"This translation was not imported: correct it in the PO file\.", err)
    assert tree_digest(real_copy / "handbook") == before


def test_a_po_file_for_the_source_language_is_refused(real_copy, monkeypatch, capsys):
    po = export(real_copy, monkeypatch, capsys)
    po.metadata["Language"] = SOURCE_LANGUAGE
    po.save()
    code, _, err = i18n(real_copy, monkeypatch, capsys, "import", f"po/{TARGET}.po")
    assert code == 1 and f"the file's `Language` header is `{SOURCE_LANGUAGE}`" in err


# --- interface strings: no French on English pages ------------------------------------------

class _TextInLanguage(html.parser.HTMLParser):
    """The text and attribute values of a page that are in `lang` (by the nearest `lang`)."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
            "source", "track", "wbr"}

    def __init__(self, lang: str):
        super().__init__(convert_charrefs=True)
        self.lang, self.stack, self.found = lang, [], []

    def _current(self) -> str | None:
        return next((lang for _, lang in reversed(self.stack) if lang), None)

    def handle_starttag(self, tag, attrs):
        own = dict(attrs).get("lang")
        if (own or self._current()) == self.lang:
            self.found += [value for name, value in attrs
                           if value and name not in ("lang", "hreflang")]
        if tag not in self.VOID:
            self.stack.append((tag, own))

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if self._current() == self.lang:
            self.found.append(data)


def french_interface_strings() -> dict[str, str]:
    """Every French interface text (ui.yaml) of 8 characters or more that is not also an
    English one, cut at its placeholders (`{label} :` → `:` is too short): text → key."""
    ui = yaml.safe_load((ROOT / "handbook/ui.yaml").read_text(encoding="utf-8"))
    english = {texts[TARGET] for texts in ui.values()}
    found = {}
    for key, texts in ui.items():
        for part in re.split(r"\{[a-z_]+\}", texts[SOURCE_LANGUAGE]):
            part = part.strip(" :;,.")
            if len(part) >= 8 and part not in english:
                found[part] = key
    return found


def written_as_is() -> list[str]:
    """Documented exceptions: single-language fields, shown in their own language by design
    (a source's title and publisher, a tool's provider, a mechanism's acronym), may contain
    the same words as a French interface text (e.g. « trimestrielle »)."""
    content = load_handbook(ROOT / "handbook").content
    words = {value for source in content.sources.values()
             for value in (source.title, source.publisher)}
    words |= {tool.provider for tool in content.tools.values()}
    words |= {m.acronym for m in content.mechanisms.values() if m.acronym}
    return sorted(words, key=len, reverse=True)


def french_interface_leaks(html_text: str, needles: dict[str, str],
                           as_is: list[str]) -> list[str]:
    parser = _TextInLanguage(TARGET)
    parser.feed(html_text)
    text = " ".join(parser.found)
    for words in as_is:
        text = text.replace(words, " ")
    return [f"{needle!r} (ui.{key})" for needle, key in needles.items()
            if re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", text)]


def test_the_leak_check_finds_a_french_interface_string():
    needles = french_interface_strings()
    assert len(needles) > 100
    page = ('<html lang="en"><body><a title="Lien vers cette section">¶</a>'
            '<p lang="fr">Lien vers cette section</p></body></html>')
    assert french_interface_leaks(page, needles, []) == ["'Lien vers cette section' "
                                                         "(ui.permalink)"]
    assert french_interface_leaks(page.replace('title="Lien', 'lang="fr" title="Lien'),
                                  needles, []) == []


def test_no_english_page_carries_a_french_interface_string(built_site):
    needles, as_is = french_interface_strings(), written_as_is()
    pages = sorted((built_site / TARGET).rglob("*.html"))
    assert len(pages) > 50
    leaks = [f"{page.relative_to(built_site)}: {leak}" for page in pages
             for leak in french_interface_leaks(page.read_text(encoding="utf-8"), needles,
                                                as_is)]
    assert not leaks, "\n".join(leaks[:40])
