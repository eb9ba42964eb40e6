"""A third language is configuration (issue 12, point 7): the mini Handbook with Portuguese
added the way the README says a city adds it — `handbook.yaml` (with `fallback: en`),
`mkdocs.yml`, the hand-written pages, then a PO file exported, partly translated and imported
back. What is not translated falls back to English, with the notice; the status counts match;
and the built site works in the three languages: `<html lang>`, the switcher, `hreflang` in
the sitemap, the search (a Portuguese index), links, axe."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from urllib.parse import quote, urlsplit

import polib
import pytest
import yaml

from faasst_handbook.checks.link_check import check_site
from support.browser import static_server
from support.gettext import msgfmt_check
from support.gates import AXE_JS, AXE_URL, GatePage, format_violations, require_tool
from support.sites import handbook, shared_build

THIRD = "pt"
LANGS = ["fr", "en", THIRD]  # the fixture's, source first (not the real Handbook's)
# What the city's translator translated (by text id); everything else stays missing.
PORTUGUESE = {
    "wp1:title": "Diagnóstico partilhado",
    "wp1:summary": "Construir um retrato comum da situação.",
    "wp1-01:title": "Ficha 01 em português",
    "wp1-01:summary": "Resumo da ficha 01.",
    "wp1-01:objective": "Objetivo da *ficha* 01.",
    "wp1-01:steps[1].title": "Reunir a equipa",
    "role.lead:name": "Chefe de projeto",
    "term.sem:term": "Sociedade de economia mista",
    "ui:objective": "Objetivo",
    "ui:steps": "Etapas",
    "ui:search_title": "Pesquisa",
    "ui:language_fr": "francês",
    "ui:language_en": "inglês",
    "ui:translation_notice_title": "Tradução",
    "ui:translation_notice_missing": "Parte desta página ainda não está traduzida e é "
                                     "apresentada em {fallback}.",
    "ui:translation_notice_original": "Versão original",
}
SHEET = "handbook/wp1/wp1-01/"
UNTRANSLATED_SHEET = "handbook/wp1/wp1-02/"


def prefix(lang: str) -> str:
    return "" if lang == LANGS[0] else f"{lang}/"


def add_portuguese(project: Path) -> None:
    """What a city does (README, "To add a language"), on a mini project."""
    info = project / "handbook" / "handbook.yaml"
    info.write_text(info.read_text(encoding="utf-8").replace(
        "  - {code: en, name: English, label: English}\n",
        "  - {code: en, name: English, label: English}\n"
        "  - {code: pt, name: Portuguese, label: Português, fallback: en}\n"), encoding="utf-8")
    config_path = project / "mkdocs.yml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    i18n = next(plugin["i18n"] for plugin in config["plugins"]
                if isinstance(plugin, dict) and "i18n" in plugin)
    i18n["languages"].append({"locale": THIRD, "name": "Português", "build": True,
                              "site_name": "FAASST Handbook"})
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
                           encoding="utf-8")
    # The hand-written pages: a city writes them in its language; the fixture copies the
    # English ones (their search page carries the Portuguese page's title).
    for page in (project / "docs").glob("*.en.md"):
        shutil.copy(page, page.with_name(page.name.replace(".en.md", f".{THIRD}.md")))
    search = project / "docs" / f"search.{THIRD}.md"
    search.write_text(search.read_text(encoding="utf-8").replace('title: "Search"',
                                                                 'title: "Pesquisa"'),
                      encoding="utf-8")


def run(project: Path, *args: str) -> str:
    result = handbook(project, *args)
    assert result.returncode == 0, f"handbook {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result.stdout + result.stderr


def translate_po(po_file: Path) -> None:
    po = polib.pofile(str(po_file))
    for entry in po:
        if entry.msgctxt in PORTUGUESE:
            entry.msgstr = PORTUGUESE[entry.msgctxt]
    po.save(str(po_file))


def prepare(copy) -> None:
    project = copy.root.parent
    add_portuguese(project)
    run(project, "schema")  # Portuguese becomes an optional key of every text
    run(project, "i18n", "reviewed")  # the English is reviewed; Portuguese has nothing yet
    run(project, "i18n", "export", "--lang", THIRD, "-o", "po")
    translate_po(project / "po" / f"{THIRD}.po")
    run(project, "i18n", "import", f"po/{THIRD}.po")


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return shared_build(tmp_path_factory, "third-language-site", prepare)


@pytest.fixture(scope="module")
def site(project) -> Path:
    return project / "site"


def page(site: Path, lang: str, path: str) -> str:
    return (site / prefix(lang) / path / "index.html").read_text(encoding="utf-8")


def count_language_keys(handbook_dir: Path, lang: str) -> int:
    """Texts written in `lang` in the YAML files, counted without the project's code."""
    def walk(node) -> int:
        if isinstance(node, dict):
            here = int(lang in node and isinstance(node[lang], str) and "fr" in node)
            return here + sum(walk(value) for value in node.values())
        if isinstance(node, list):
            return sum(walk(item) for item in node)
        return 0

    return sum(walk(yaml.safe_load(path.read_text(encoding="utf-8")))
               for path in handbook_dir.rglob("*.yaml") if "schemas" not in path.parts)


# --- the Handbook side ----------------------------------------------------------------------

def test_the_import_wrote_exactly_the_translated_texts(project):
    assert count_language_keys(project / "handbook", THIRD) == len(PORTUGUESE)
    sheet = (project / "handbook/sheets/wp1-01.yaml").read_text(encoding="utf-8")
    # a flow mapping gets the new language after the others, in double quotes
    assert 'title: {fr: "Fiche 01 en français", en: "Sheet 01 in English", pt: "Ficha 01 em ' \
           'português"}' in sheet


def test_the_exported_po_file_passes_msgfmt_check(project):
    statistics = msgfmt_check(project / "po" / f"{THIRD}.po")  # as translated, then imported
    assert statistics.startswith(f"{len(PORTUGUESE)} translated messages, ")
    assert "untranslated messages" in statistics


def test_status_counts_match_the_fixture(project):
    result = handbook(project, "i18n", "status", "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    total = report["languages"]["en"]["total"]["texts"]
    assert report["languages"]["en"]["total"] == {"texts": total, "translated": total,
                                                  "missing": 0, "stale": 0}
    assert report["languages"][THIRD]["total"] == {
        "texts": total, "translated": len(PORTUGUESE), "missing": total - len(PORTUGUESE),
        "stale": 0}
    sheet = report["languages"][THIRD]["files"]["handbook/sheets/wp1-02.yaml"]
    assert sheet["translated"] == 0 and sheet["missing"] == sheet["texts"] > 20
    assert {item["state"] for item in sheet["todo"]} == {"missing"}
    assert handbook(project, "i18n", "status", "--strict").returncode == 1  # texts are missing


def test_missing_texts_are_warnings_once_per_file(project):
    result = handbook(project, "validate")
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if ": warning: " in line]
    assert any(line.startswith("handbook/sheets/wp1-02.yaml:4:8: title: warning: ") and
               "texts of this file have no Portuguese version, the first one here; the "
               "English text is shown meanwhile" in line and "--lang pt" in line
               for line in warnings), warnings
    files = [line.split(":", 1)[0] for line in warnings]
    assert len(files) == len(set(files))  # one per file, not one per text


# --- the built site -----------------------------------------------------------------------

def test_untranslated_texts_fall_back_to_english_marked_as_english_with_the_notice(site):
    fallback = page(site, THIRD, UNTRANSLATED_SHEET)
    assert '<html lang="pt"' in fallback
    assert re.search(r'<h1 id="title" lang="en">Sheet 02 in English<', fallback)
    assert '<div lang="en"><p>Objective of sheet 02.</p></div>' in fallback
    notice = notice_of(fallback)
    assert "Parte desta página ainda não está traduzida e é apresentada em inglês." in notice
    assert re.search(r'<a href="(\.\./){4}handbook/wp1/wp1-02/" hreflang="fr" lang="fr">'
                     r'Français</a>', notice)


def test_a_partly_translated_page_shows_its_words_and_the_notice(site):
    partly = page(site, THIRD, SHEET)
    assert re.search(r'<h1 id="title">Ficha 01 em português<', partly)
    assert "<p>Objetivo da <em>ficha</em> 01.</p>" in partly
    assert "Reunir a equipa" in partly and "Collect" in partly  # step 2 is not translated
    assert "Etapas" in notice_of(partly)  # the parts concerned, named in Portuguese


def test_french_and_fully_reviewed_english_pages_have_no_notice(site):
    for lang in ("fr", "en"):
        for path in (SHEET, UNTRANSLATED_SHEET, "handbook/wp1/", "handbook/glossary/"):
            assert "hb-translation-notice" not in page(site, lang, path), (lang, path)


def notice_of(html: str) -> str:
    match = re.search(r'<div class="admonition warning hb-translation-notice"[^>]*>.*?</div>',
                      html, re.DOTALL)
    assert match, "no translation notice"
    return match.group(0)


def test_every_page_exists_in_the_three_languages_with_its_lang(site):
    def pages(lang: str) -> set[str]:
        root = site / prefix(lang)
        found = set()
        for path in root.rglob("index.html"):
            relative = path.relative_to(root).as_posix()
            if lang == LANGS[0] and relative.split("/", 1)[0] in LANGS[1:]:
                continue
            found.add(relative)
            html = path.read_text(encoding="utf-8")
            assert re.search(rf'<html lang="{lang}"', html), f"{prefix(lang)}{relative}"
        return found

    french = pages("fr")
    assert len(french) > 20
    assert pages("en") == french == pages(THIRD)


def test_the_sitemap_gives_every_page_its_three_hreflang_alternates(site):
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    expected = {(lang, "/" + prefix(lang) + SHEET) for lang in LANGS}
    blocks = [block for block in re.findall(r"<url>(.*?)</url>", sitemap, re.DOTALL)
              if re.search(rf"<loc>[^<]*/{SHEET}</loc>", block)]
    assert len(blocks) == len(LANGS)
    for block in blocks:
        links = re.findall(r'<xhtml:link rel="alternate" hreflang="(\w+)" href="([^"]+)"', block)
        assert {(lang, urlsplit(url).path) for lang, url in links} == expected, block


def test_the_search_has_a_portuguese_index(site):
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text())
    assert set(entry["languages"]) >= set(LANGS)
    assert entry["languages"][THIRD]["page_count"] > 20


def test_every_internal_link_and_anchor_resolves(project, site):
    report = check_site(site, "https://example.org/handbook/")
    assert report.ok, report.format(LANGS, show_external=False)


# --- in a browser: lang, switcher, search -----------------------------------------------------

@pytest.fixture(scope="module")
def served(site):
    require_tool(AXE_JS, "axe-core", "npm ci")
    with static_server(site, routes={AXE_URL: AXE_JS}) as base:
        yield base


@pytest.fixture(scope="module")
def tab(chromium):
    opened = GatePage(chromium)
    yield opened
    opened.close()


@pytest.mark.parametrize("lang", LANGS)
def test_the_switcher_leads_to_the_same_page_in_each_other_language(tab, served, lang):
    browser_page = tab.page
    for target in [other for other in LANGS if other != lang]:
        tab.open(f"{served}/{prefix(lang)}{SHEET}")
        assert browser_page.evaluate("document.documentElement.lang") == lang
        selector = f'.md-select a[hreflang="{target}"]'
        for _ in range(25):
            browser_page.keyboard.press("Tab")
            if browser_page.evaluate(f"document.activeElement.matches('{selector}')"):
                break
        else:
            raise AssertionError(f"{selector} is not reached with Tab")
        with browser_page.expect_navigation():
            browser_page.keyboard.press("Enter")
        assert urlsplit(browser_page.url).path == f"/{prefix(target)}{SHEET}"
        assert browser_page.evaluate("document.documentElement.lang") == target


@pytest.mark.parametrize("lang, query", [("fr", "fiche"), ("en", "sheet"), (THIRD, "ficha")])
def test_the_search_finds_pages_of_its_own_language(tab, served, lang, query):
    tab.open(f"{served}/{prefix(lang)}search/?q={quote(query)}")
    tab.page.wait_for_function(
        "() => document.querySelectorAll('.pagefind-ui__result-link').length > 0 &&"
        " document.querySelectorAll('.pagefind-ui__loading').length === 0", timeout=15_000)
    found = [urlsplit(href).path.lstrip("/") for href in tab.page.eval_on_selector_all(
        ".pagefind-ui__result-link", "links => links.map(link => link.href)")]
    assert f"{prefix(lang)}{SHEET}" in found, found
    others = tuple(f"{other}/" for other in LANGS[1:] if other != lang)
    assert all(path.startswith(prefix(lang)) and not path.startswith(others)
               for path in found), found


@pytest.mark.parametrize("lang", LANGS)
def test_pages_with_and_without_the_notice_pass_axe(tab, served, lang):
    problems = []
    for path in (SHEET, UNTRANSLATED_SHEET, "handbook/glossary/"):
        tab.open(f"{served}/{prefix(lang)}{path}")
        problems += format_violations(f"{prefix(lang)}{path}", tab.axe(served))
    assert not problems, "\n".join(problems)
