"""The site's search (Pagefind) in a real browser: a set of real queries finds the page a
reader wants in the first three results, in each language; results stay in the page's
language; nothing of the search is fetched before the reader searches; the keyboard alone
goes from the header's form to a result."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from support.browser import static_server
from support.gates import LANGUAGES, language_prefix

FR, EN = LANGUAGES[0], (LANGUAGES[1] if len(LANGUAGES) > 1 else LANGUAGES[0])
# (language, query, the page expected among the first three results). Typed as a reader
# types: without accents, without articles, singular or plural.
QUERIES = [
    (FR, "appel a initiatives", "handbook/wp4/wp4-01/"),
    (FR, "portefeuille projets", "handbook/wp4/"),
    (FR, "structurer le portefeuille", "handbook/wp4/wp4-02/"),
    (FR, "SEM energies", "handbook/cases/case-sem-energies/"),
    (FR, "strategie", "handbook/wp2/wp2-07/"),
    (FR, "indicateurs", "handbook/wp5/wp5-02/"),
    (FR, "vulnerabilite", "handbook/wp1/wp1-03/"),
    (FR, "matrice", "handbook/matrix/"),
    (FR, "precarite energetique", "handbook/catalogues/indicators/#ind-energy-poverty"),
    (FR, "revue par les pairs", "handbook/wp6/wp6-06/"),
    (FR, "operateur de massification", "handbook/wp4/wp4-08/"),
    (EN, "call for initiatives", "handbook/wp4/wp4-01/"),
    (EN, "project portfolio", "handbook/wp4/"),
    (EN, "mixed-economy company", "handbook/glossary/#term-sem"),
    (EN, "indicators", "handbook/wp5/wp5-02/"),
    (EN, "vulnerability", "handbook/wp1/wp1-03/"),
    (EN, "peer review", "handbook/wp6/wp6-06/"),
    (EN, "energy poverty", "handbook/catalogues/indicators/#ind-energy-poverty"),
    (EN, "scale-up operator", "handbook/wp4/wp4-08/"),
]
RESULT_LINKS = ".pagefind-ui__result-inner > .pagefind-ui__result-title > .pagefind-ui__result-link"


@pytest.fixture(scope="module")
def site_url(built_site):
    with static_server(built_site) as url:
        yield url


def search(chromium, base: str, lang: str, query: str) -> list[str]:
    """The results of `query` on the search page of `lang`, as site paths, in order."""
    page = chromium.new_page()
    try:
        page.goto(f"{base}/{language_prefix(lang)}search/?q={quote(query)}")
        # Done when results are shown and filled in (Pagefind shows placeholders first), or
        # when its message says there is none.
        page.wait_for_function(
            "() => { const m = document.querySelector('.pagefind-ui__message');"
            " const shown = document.querySelectorAll('.pagefind-ui__result-link').length;"
            " const loading = document.querySelectorAll('.pagefind-ui__loading').length;"
            " return m && ((shown > 0 && loading === 0) || /^(0 |aucun|no result)/i.test("
            "m.textContent.trim())); }", timeout=15000)
        links = page.eval_on_selector_all(RESULT_LINKS, "els => els.map(e => e.href)")
        return [link[len(base) + 1:] for link in links]
    finally:
        page.close()


@pytest.mark.parametrize("lang, query, expected", QUERIES,
                         ids=[f"{lang}-{query}" for lang, query, _ in QUERIES])
def test_the_query_finds_its_page_in_the_first_three(chromium, site_url, lang, query, expected):
    found = search(chromium, site_url, lang, query)
    assert language_prefix(lang) + expected in found[:3], found[:5]


@pytest.mark.parametrize("lang, query", [(FR, "indicators"), (FR, "strategy"),
                                         (EN, "indicateurs"), (EN, "diagnostic")])
def test_results_stay_in_the_page_language(chromium, site_url, lang, query):
    others = [f"{other}/" for other in LANGUAGES[1:] if other != lang]
    found = search(chromium, site_url, lang, query)
    assert all(path.startswith(language_prefix(lang)) for path in found), found
    assert not any(path.startswith(tuple(others)) for path in found), found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_search_data_is_fetched_until_the_reader_searches(chromium, site_url, lang):
    page = chromium.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    try:
        page.goto(f"{site_url}/{language_prefix(lang)}handbook/wp1/wp1-01/")
        page.wait_for_load_state("networkidle")
        assert not [url for url in requested if "/pagefind/" in url]
    finally:
        page.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_only_the_pages_language_index_is_fetched(chromium, site_url, lang):
    page = chromium.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    try:
        page.goto(f"{site_url}/{language_prefix(lang)}search/?q=climat")
        page.wait_for_selector(".pagefind-ui__result", timeout=15000)
        metas = [url.rsplit("/", 1)[-1] for url in requested if url.endswith(".pf_meta")]
        assert metas and all(name.startswith(f"pagefind.{lang}_") for name in metas), metas
    finally:
        page.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_from_the_header_to_a_result_with_the_keyboard(chromium, site_url, lang):
    """Tab to the header's search field, type, Enter: the search page shows the results; Tab
    from its search field reaches the first result (the results stay shown), Enter opens it."""
    page = chromium.new_page()
    try:
        page.goto(f"{site_url}/{language_prefix(lang)}handbook/")
        for _ in range(40):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.id === 'hb-search-query'"):
                break
        else:
            raise AssertionError("the header's search field is not reached with Tab")
        page.keyboard.type("indicateurs" if lang == FR else "indicators")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        page.wait_for_selector(RESULT_LINKS, timeout=15000)
        page.focus(".pagefind-ui__search-input")
        for _ in range(60):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.matches('.pagefind-ui__result-link')"):
                break
        else:
            raise AssertionError("Tab from the search field never reaches a result")
        assert page.is_visible(RESULT_LINKS)
        target = page.evaluate("document.activeElement.href")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url == target
        assert page.evaluate("document.documentElement.lang") == lang
    finally:
        page.close()
