"""Gates in a real browser, on every page of the built site in every language (issue 6):

- accessibility: axe-core, WCAG 2.0/2.1 A and AA (RGAA 4.1), zero violations, on every page,
  the 404 pages (reached at a missing URL) and the search with results shown, in the light
  and the dark palette (issue 16: the page follows the reader's colour preference);
- privacy: while a page loads, the browser requests nothing from any host but the local server;
- keyboard: skip link, search and language switcher.

Pages are split into shards so that pytest-xdist spreads them over the cores; each worker
reuses one browser and one tab (gates.GatePage).
"""

from __future__ import annotations

import re

import pytest

from support.gates import (LANGUAGES, MISSING, axe_counts, browse, dark_palette,
                           external_requests, format_violations, is_not_found_page,
                           language_prefix, shard, site_pages)

SHARDS = 24  # ~11 pages each with the checklists: enough for the scheduler to balance 2–8 cores


@pytest.mark.parametrize("index", range(SHARDS), ids=lambda n: f"shard{n:02d}")
def test_every_page_passes_axe_and_loads_nothing_from_elsewhere(gate_page, built_site,
                                                                 site_server, record_property,
                                                                 index):
    result = browse(gate_page, site_server, shard(site_pages(built_site), index, SHARDS))
    record_property("gate:browser", result.summary())
    assert not result.external, ("requests to other hosts (privacy gate):\n"
                                 + "\n".join(result.external))
    assert not result.violations, "axe-core violations:\n" + "\n".join(result.violations)


QUERIES = {"fr": "diagnostic", "en": "diagnosis"}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_search_with_results_shown_passes_axe(gate_page, site_server, record_property, lang):
    gate_page.open(f"{site_server}/{language_prefix(lang)}search/?q="
                   + QUERIES.get(lang, "climat"))
    gate_page.page.wait_for_selector(".pagefind-ui__result", timeout=15000)
    gate_page.settle()
    leaked = external_requests(gate_page.log.urls, site_server)  # since the page was opened
    violations = gate_page.axe(site_server)
    assert dark_palette(gate_page)
    violations += gate_page.axe(site_server)
    gate_page.page.emulate_media(color_scheme="light")
    rules, elements = axe_counts(violations)
    record_property("gate:browser", {"pages": [], "states": [f"search ({lang})"],
                                     "axe_rules": rules, "axe_elements": elements,
                                     "external": leaked})
    assert not leaked
    assert not violations, "\n".join(format_violations(f"search results ({lang})", violations))


# --- keyboard -----------------------------------------------------------------------------

ACTIVE_IN_ARTICLE = "!!document.activeElement.closest('article.md-content__inner')"


@pytest.mark.parametrize("path", ["", "en/handbook/wp1/wp1-01/", f"en/{MISSING}"])
def test_skip_link_is_the_first_focusable_element_and_lands_on_the_content(gate_page,
                                                                           site_server, path):
    page = gate_page.page
    gate_page.open(f"{site_server}/{path}")
    page.keyboard.press("Tab")
    first = page.evaluate("""() => {
        const e = document.activeElement;
        return {skip: e.matches('a.md-skip'), text: e.textContent.trim(),
                href: e.getAttribute('href')};
    }""")
    assert first["skip"], f"the first Tab on /{path} reaches {first}, not the skip link"
    # shown once focused (Material fades it in): opaque, inside the viewport
    page.wait_for_function("""() => {
        const e = document.activeElement, r = e.getBoundingClientRect();
        return getComputedStyle(e).opacity === '1' && r.width > 0 && r.top >= 0
               && r.bottom <= innerHeight && r.left >= 0;
    }""", timeout=5_000)
    page.keyboard.press("Enter")
    # focus is on the link's target (skip-link.js), which is in the main content
    page.wait_for_function(ACTIVE_IN_ARTICLE, timeout=5_000)
    assert page.evaluate("'#' + document.activeElement.id") == first["href"]
    page.keyboard.press("Tab")  # and the reader continues from there, not from the top
    assert page.evaluate(ACTIVE_IN_ARTICLE)


# The switcher of every page is checked in the HTML (test_gate_rgaa.py); here, with the keys.
SWITCH_PAGES = ["handbook/wp2/wp2-03/", ""]


@pytest.mark.parametrize("path", SWITCH_PAGES)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_language_switcher_works_with_the_keyboard_and_keeps_the_page(gate_page, site_server,
                                                                      lang, path):
    page = gate_page.page
    for target in [other for other in LANGUAGES if other != lang]:
        gate_page.open(f"{site_server}/{language_prefix(lang)}{path}")
        selector = f'a.md-select__link[hreflang="{target}"]'
        for _ in range(20):
            page.keyboard.press("Tab")
            if page.evaluate(f"document.activeElement.matches('{selector}')"):
                break
        else:
            raise AssertionError(f"{selector} is not reached with Tab")
        assert page.locator(selector).is_visible(), "the focused language link is not shown"
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url == f"{site_server}/{language_prefix(target)}{path}"
        assert page.evaluate("document.documentElement.lang") == target


def test_every_language_has_a_404_page_in_its_language(built_site):
    for lang in LANGUAGES:
        page = f"{language_prefix(lang)}404.html"
        assert is_not_found_page(page) and (built_site / page).is_file()
        html = (built_site / page).read_text(encoding="utf-8")
        assert re.search(rf'<html[^>]* lang="{lang}"', html)


# --- the gates fail when a page is broken -------------------------------------------------

BROKEN = '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>{title}</title>' \
         '{head}</head><body><main><h1>{title}</h1>{body}</main></body></html>'


def test_the_browser_gates_fail_on_broken_pages(tmp_path, gate_page):
    from support.browser import static_server
    from support.gates import AXE_JS, AXE_URL, require_tool

    require_tool(AXE_JS, "axe-core", "npm ci")
    site = tmp_path / "site"
    site.mkdir()
    pages = {
        "clean.html": ("", '<p>Bonjour.</p><img src="pic.png" alt="Un logo">'),
        "no-alt.html": ("", '<p>Image :</p><img src="pic.png">'),
        "third-party.html": ('<script src="https://cdn.example.invalid/lib.js"></script>'
                             '<link rel="stylesheet" href="//fonts.example.invalid/css">',
                             '<img alt="" src="http://pixel.example.invalid/p.gif">'),
    }
    for name, (head, body) in pages.items():
        (site / name).write_text(BROKEN.format(title=name, head=head, body=body), "utf-8")
    (site / "pic.png").write_bytes(bytes.fromhex(
        "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
        "0000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"))
    # Nothing leaves the machine: requests to the test's made-up hosts are answered "failed"
    # (they are still seen, and counted, by the gate).
    invalid = re.compile(r"^(https?:)?//[^/]*\.invalid(/|$)")
    gate_page.context.route(invalid, lambda route: route.abort())
    try:
        with static_server(site, routes={AXE_URL: AXE_JS}) as base:
            clean = browse(gate_page, base, ["clean.html"])
            no_alt = browse(gate_page, base, ["no-alt.html"])
            third_party = browse(gate_page, base, ["third-party.html"])
    finally:
        gate_page.context.unroute(invalid)
    assert (clean.violations, clean.external) == ([], [])
    assert no_alt.external == [] and no_alt.axe_rules == 1
    assert no_alt.violations[0].startswith("no-alt.html: image-alt (critical)")
    assert sorted(third_party.external) == [
        "third-party.html: http://fonts.example.invalid/css",
        "third-party.html: http://pixel.example.invalid/p.gif",
        "third-party.html: https://cdn.example.invalid/lib.js"]
