"""Search in a real browser: results stay in the page's language, and French queries forgive
missing accents, elisions and plurals (English plurals too)."""

from __future__ import annotations

import pytest

from support.browser import static_server


@pytest.fixture(scope="module")
def site_url(built_site):
    with static_server(built_site) as url:
        yield url


def search(chromium, url: str, query: str) -> list[str]:
    """Type `query` into the search box of the page at `url`; return the result links."""
    page = chromium.new_page()
    try:
        page.goto(url)
        page.keyboard.press("/")  # Material's shortcut: focus the search box
        page.keyboard.type(query)
        page.wait_for_function(
            "() => document.querySelector('.md-search-result__meta') && "
            "!/^\\s*$/.test(document.querySelector('.md-search-result__meta').textContent) && "
            "(document.querySelectorAll('.md-search-result__link').length > 0 || "
            " /\\d|aucun|no matching/i.test(document.querySelector('.md-search-result__meta').textContent))",
            timeout=15000)
        page.wait_for_timeout(300)  # let the worker's last answer land
        return page.eval_on_selector_all(".md-search-result__link", "els => els.map(e => e.href)")
    finally:
        page.close()


def paths(links: list[str], base: str) -> list[str]:
    return [link[len(base):].split("?")[0] for link in links]


@pytest.mark.parametrize("query, expected", [
    ("strategie", "/handbook/wp2/wp2-07/"),        # no accent → "stratégie"
    ("engagement", "/handbook/wp2/wp2-06/"),       # "engagement" → "cadre d'engagement"
    ("indicateur", "/handbook/wp5/wp5-02/"),       # singular → "Choisir les indicateurs"
])
def test_french_queries_forgive_accents_elisions_and_plurals(chromium, site_url, query, expected):
    found = paths(search(chromium, site_url + "/", query), site_url)
    assert found, f"no result for {query!r}"
    assert expected in found, found[:10]
    assert not any(p.startswith("/en/") for p in found)


def test_english_plural(chromium, site_url):
    found = paths(search(chromium, site_url + "/en/", "indicator"), site_url)
    assert "/en/handbook/wp5/wp5-02/" in found, found[:10]
    assert all(p.startswith("/en/") for p in found)


@pytest.mark.parametrize("start, query", [("/", "indicators"), ("/", "strategy"),
                                          ("/en/", "indicateurs"), ("/en/", "diagnostic")])
def test_results_stay_in_the_page_language(chromium, site_url, start, query):
    found = paths(search(chromium, site_url + start, query), site_url)
    if start == "/en/":
        assert all(p.startswith("/en/") for p in found), found
    else:
        assert not any(p.startswith("/en/") for p in found), found


@pytest.mark.parametrize("lang, prefix", [("fr", "/"), ("en", "/en/")])
def test_sheet_finder_filters_with_the_keyboard(chromium, site_url, lang, prefix):
    """The finder's form appears with JavaScript; choosing a module then an effort, by keyboard
    only, narrows the list to exactly the matching sheets, and clearing shows them all."""
    from faasst_handbook.validation import load_handbook
    from support.paths import ROOT

    content = load_handbook(ROOT / "handbook").content
    page = chromium.new_page()
    try:
        page.goto(f"{site_url}{prefix}handbook/sheets/")
        assert page.is_visible("#hb-finder")
        visible = "() => [...document.querySelectorAll('#hb-finder-results > li')].filter(li => !li.hidden).length"
        assert page.evaluate(visible) == len(content.sheets)

        page.focus("#finder-wp")
        page.keyboard.press("ArrowDown")  # first module
        page.keyboard.press("ArrowDown")  # second module: WP2
        wp2 = content.work_packages["wp2"]
        assert page.evaluate(visible) == len(wp2.sheets)
        page.keyboard.press("Tab")  # to the role filter…
        page.focus("#finder-effort")
        page.select_option("#finder-effort", "high")
        expected = [s for s in wp2.sheets if content.sheets[s].effort == "high"]
        assert page.evaluate(visible) == len(expected)
        count = page.inner_text("#hb-finder-count")
        assert str(len(expected)) in count and str(len(content.sheets)) in count

        page.focus("#hb-finder button[type=reset]")
        page.keyboard.press("Enter")
        page.wait_for_function(f"() => ({visible})() === {len(content.sheets)}")
    finally:
        page.close()
