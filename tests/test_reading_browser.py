"""What readers hit in a real browser (issue 16, and issue 12 point 6), on the built site:

- keyboard and screen reader: the Tab order from the header's search field into the navigation;
  every tab stop named, visible and with a focus ring of 3:1 at least against what surrounds it,
  in the light and the dark palette; the current language marked in the switcher;
- information architecture: a module's sheets within the first screen; one previous/next;
- long reference pages: an index at the top, a way back from each entry, entries reached and
  shared by their anchor — which the language switcher keeps, as it keeps the pack builder's
  selection and the sheet finder's filters;
- small things: ticks kept after a reload, print buttons, a favicon and no /favicon.ico 404,
  the dark palette following the reader's preference and its toggle.

The pages of every kind pass axe in both palettes in tests/test_gate_browser.py; printing the
pack builder is in tests/test_print_browser.py.
"""

from __future__ import annotations

import re

import pytest

from support.browser import static_server
from support.gates import LANGUAGES, language_prefix
from support.keyboard import tab_stops
from support.paths import ROOT
from faasst_handbook.plan.views import glossary_sorted
from faasst_handbook.validation import load_handbook

CONTENT = load_handbook(ROOT / "handbook").content
OTHER = {lang: next(other for other in LANGUAGES if other != lang) for lang in LANGUAGES}
SCHEMES = ["light", "dark"]


@pytest.fixture(scope="module")
def site_url(built_site):
    with static_server(built_site) as url:
        yield url


@pytest.fixture
def open_page(chromium):
    """open_page(url, scheme="light", width=1366, height=768) → a page in a new context."""
    contexts = []

    def opener(url: str, scheme: str = "light", width: int = 1366, height: int = 768,
               **options):
        context = chromium.new_context(viewport={"width": width, "height": height},
                                       color_scheme=scheme, **options)
        contexts.append(context)
        page = context.new_page()
        page.goto(url)
        return page

    yield opener
    for context in contexts:
        context.close()


def prefix(lang: str) -> str:
    return "/" + language_prefix(lang)


# --- keyboard and screen reader -----------------------------------------------------------

@pytest.mark.parametrize("lang", LANGUAGES)
def test_tab_goes_from_the_search_field_to_its_button_then_into_the_navigation(open_page,
                                                                              site_url, lang):
    page = open_page(f"{site_url}{prefix(lang)}handbook/wp2/wp2-03/")
    stops = tab_stops(page, limit=60)
    names = [stop.name for stop in stops]
    assert stops[0].element.startswith("a.md-skip"), names[:3]
    search = next(n for n, stop in enumerate(stops) if stop.id == "hb-search-query")
    assert stops[search].name == CONTENT.ui["search_label"][lang]
    assert stops[search + 1].name == CONTENT.ui["search_submit"][lang]
    assert stops[search + 2].in_navigation, stops[search + 2]
    # the header comes before, nothing else of the page in between
    assert all(stop.in_header for stop in stops[1:search])
    assert not any(stop.in_navigation for stop in stops[:search])
    # Material's search is gone: no invisible "Type to start searching" stop
    assert not [stop for stop in stops if re.search(r"taper pour|type to start", stop.name, re.I)]
    # and back: Shift+Tab from the first navigation link returns to the search form
    page.locator(".md-sidebar--primary a.md-nav__link").first.focus()
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.matches('.hb-search-form__button')")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.id") == "hb-search-query"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_navigation_has_no_nameless_or_invisible_tab_stop_and_its_arrows_work(open_page,
                                                                                  site_url,
                                                                                  lang):
    page = open_page(f"{site_url}{prefix(lang)}handbook/wp1/wp1-01/")
    stops = [stop for stop in tab_stops(page, limit=80) if stop.in_navigation]
    assert len(stops) > 10
    problems = [problem for stop in stops for problem in stop.problems()]
    assert problems == []
    arrows = [stop for stop in stops if stop.element.startswith("label")]
    wp1 = CONTENT.work_packages["wp1"]
    expected = CONTENT.ui["nav_toggle"][lang].replace("{title}", f"WP1 · {wp1.title[lang]}")
    assert expected in [stop.name for stop in arrows]
    # The arrow opens and closes its section (Enter, as Material handles it).
    label = page.locator(".md-sidebar--primary label.md-nav__link[tabindex='0']",
                         has_text=expected)
    label.focus()
    section = page.locator(f"#{label.get_attribute('for')}")
    assert section.is_checked()
    page.keyboard.press("Enter")
    assert not section.is_checked()
    page.keyboard.press("Enter")
    assert section.is_checked()


PAGES_FOR_FOCUS = ["", "handbook/wp1/wp1-01/", "handbook/glossary/", "handbook/pack-builder/",
                   "handbook/sheets/"]


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", PAGES_FOR_FOCUS)
def test_every_tab_stop_is_named_visible_and_shows_a_focus_ring_of_3_to_1(open_page, site_url,
                                                                          path, scheme):
    """Every stop of the page, header to footer: a name, seen when focused, and a focus ring of
    our own whose colour differs by 3:1 at least from what surrounds it (WCAG 1.4.11), on the
    navy header and footer, the light or dark page, the language menu."""
    page = open_page(f"{site_url}/{path}", scheme=scheme)
    if path == "handbook/pack-builder/":  # a selection: the pack is shown, with its boxes
        page.goto(f"{site_url}/{path}#pack=wp1-01")
        page.reload()
    stops = tab_stops(page)
    assert len(stops) > 15
    assert any(stop.in_article for stop in stops) and any(stop.in_header for stop in stops)
    problems = [problem for stop in stops for problem in stop.problems()]
    assert problems == [], "\n".join(problems[:20])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_switcher_marks_the_current_language(open_page, site_url, lang):
    page = open_page(f"{site_url}{prefix(lang)}handbook/wp1/")
    current = page.locator("a.md-select__link[aria-current='true']")
    assert current.count() == 1
    assert current.get_attribute("hreflang") == lang
    assert page.locator("a.md-select__link:not([aria-current])").count() == len(LANGUAGES) - 1


# --- information architecture -------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_module_page_shows_its_sheets_in_the_first_screen(open_page, site_url, lang):
    """At 1366×768, each module's first sheet link, with its summary, duration and effort, is
    within the first 768 px: a reader sees the sheets without scrolling."""
    for wp in CONTENT.work_packages.values():
        page = open_page(f"{site_url}{prefix(lang)}handbook/{wp.id}/")
        first = page.locator(".hb-sheet-list__item").first
        link = first.locator("a")
        assert wp.sheets[0].upper() in link.inner_text()
        box = link.bounding_box()
        assert box["y"] + box["height"] <= 768, (wp.id, box)
        facts = first.locator(".hb-sheet-list__facts").inner_text()
        sheet = CONTENT.sheets[wp.sheets[0]]
        assert sheet.duration[lang] in facts and CONTENT.ui["effort_" + sheet.effort][lang] in facts
        assert sheet.summary[lang] in first.inner_text()
        page.context.close()


def test_a_sheet_page_has_one_previous_next(open_page, site_url):
    page = open_page(f"{site_url}/handbook/wp1/wp1-02/")
    assert page.locator("nav.hb-pager a").count() == 2
    assert page.locator(".md-footer__link").count() == 0  # Material's footer pager is off


# --- long reference pages ------------------------------------------------------------------

PHONE = {"width": 390, "height": 844, "is_mobile": True, "has_touch": True}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_catalogue_entry_is_reached_from_the_index_and_leads_back_to_it(open_page, site_url,
                                                                          lang):
    page = open_page(f"{site_url}{prefix(lang)}handbook/catalogues/roles/", **PHONE)
    index = page.locator("nav.hb-index")
    assert index.bounding_box()["y"] < 844  # at the top, in the first screen of a phone
    links = index.locator(".hb-index__entries a[href^='#']")
    assert links.count() == len(CONTENT.roles)
    role_id = list(CONTENT.roles)[-1]  # the last entry, at the bottom of a 20,000 px page
    index.locator(f"a[href='#{role_id.replace('.', '-')}']").tap()
    page.wait_for_function(f"location.hash === '#{role_id.replace('.', '-')}'")
    heading = page.locator(f"#{role_id.replace('.', '-')}")
    assert heading.is_visible() and in_viewport(page, heading)
    back = heading.locator("xpath=ancestor::section").locator(".hb-back a")
    back.tap()
    page.wait_for_function("location.hash === '#index'")
    assert in_viewport(page, page.locator("#index"))


def in_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and 0 <= box["y"] < page.viewport_size["height"]


def test_the_glossary_has_a_to_z_letters_that_lead_to_their_terms(open_page, site_url):
    page = open_page(f"{site_url}/handbook/glossary/", **PHONE)
    terms = glossary_sorted(CONTENT, "fr")
    last = terms[-1]
    letter = page.locator(".hb-index__letters a").last
    letter.tap()
    anchor = letter.get_attribute("href")
    page.wait_for_function(f"location.hash === '{anchor}'")
    group = page.locator(anchor)
    assert in_viewport(page, group)
    # the letter's terms follow its heading; the last term of the glossary is under the last
    term = page.locator(f"#{last.id.replace('.', '-')}")
    assert page.evaluate("([a, b]) => !!(a.compareDocumentPosition(b) & 4)",
                         [group.element_handle(), term.element_handle()])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_switching_language_on_an_entry_keeps_the_entry(open_page, site_url, lang):
    """Issue 12 point 6: the switcher lands on the same anchor in the other language."""
    role_id = list(CONTENT.roles)[-2].replace(".", "-")
    page = open_page(f"{site_url}{prefix(lang)}handbook/catalogues/roles/#{role_id}")
    target = OTHER[lang]
    switch_language(page, target)
    assert page.url == f"{site_url}{prefix(target)}handbook/catalogues/roles/#{role_id}"
    assert page.evaluate("document.documentElement.lang") == target
    assert in_viewport(page, page.locator(f"#{role_id}"))
    # an anchor reached inside the page (hashchange) is kept as well
    term = list(CONTENT.glossary)[3].replace(".", "-")
    page.goto(f"{site_url}{prefix(target)}handbook/glossary/")
    page.locator(f".hb-index__letters a").first.click()
    page.evaluate(f"location.hash = '#{term}'")
    switch_language(page, lang)
    assert page.url.endswith(f"{prefix(lang)}handbook/glossary/#{term}")


def switch_language(page, lang: str) -> None:
    """Through the header's menu, with the keyboard, as a reader does."""
    link = page.locator(f"a.md-select__link[hreflang='{lang}']")
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_switching_language_keeps_the_pack_and_the_finder_filters(open_page, site_url):
    lang, target = LANGUAGES[0], OTHER[LANGUAGES[0]]
    page = open_page(f"{site_url}{prefix(lang)}handbook/pack-builder/")
    page.locator("#pick-wp1-02").check()  # the selection goes into the address, silently
    page.locator("#pick-wp3-01").check()
    switch_language(page, target)
    assert page.url.endswith(f"{prefix(target)}handbook/pack-builder/#pack=wp1-02,wp3-01")
    assert page.locator("#pick-wp1-02").is_checked() and page.locator("#pick-wp3-01").is_checked()
    assert page.locator("[data-sheet='wp3-01']").is_visible()

    page.goto(f"{site_url}{prefix(target)}handbook/sheets/")
    page.select_option("#finder-wp", "wp4")
    switch_language(page, lang)
    assert page.url.endswith(f"{prefix(lang)}handbook/sheets/?wp=wp4")
    assert page.locator("#finder-wp").input_value() == "wp4"


# --- small things ------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGUAGES)
def test_ticks_are_kept_after_a_reload_and_cleared_on_request(open_page, site_url, lang):
    sheet = CONTENT.sheets["wp2-01"]
    page = open_page(f"{site_url}{prefix(lang)}handbook/wp2/wp2-01/")
    boxes = page.locator(".hb-checklist-block input[type=checkbox]")
    assert boxes.count() == len(sheet.checklist)
    tools = page.locator(".hb-ticks")
    assert tools.is_visible()
    assert CONTENT.ui["checklist_kept"][lang] in tools.inner_text()
    boxes.nth(0).check()
    boxes.nth(2).check()
    page.reload()
    ticked = [n for n in range(boxes.count()) if boxes.nth(n).is_checked()]
    assert ticked == [0, 2]
    # the same sheet in the other language: the same ticks (the same items, in the same order)
    page.goto(f"{site_url}{prefix(OTHER[lang])}handbook/wp2/wp2-01/")
    assert [n for n in range(boxes.count()) if boxes.nth(n).is_checked()] == [0, 2]
    # another sheet has its own
    page.goto(f"{site_url}{prefix(lang)}handbook/wp2/wp2-02/")
    assert not any(boxes.nth(n).is_checked() for n in range(boxes.count()))
    page.goto(f"{site_url}{prefix(lang)}handbook/wp2/wp2-01/")
    page.locator(".hb-ticks__clear").click()
    assert page.locator(".hb-ticks__status").inner_text() == CONTENT.ui["checklist_cleared"][lang]
    page.reload()
    assert not any(boxes.nth(n).is_checked() for n in range(boxes.count()))


def test_without_javascript_no_tick_tools_and_no_print_buttons(chromium, site_url):
    context = chromium.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{site_url}/handbook/wp2/wp2-01/")
        assert not page.locator(".hb-ticks").is_visible()
        assert not page.locator("[data-hb-print]").is_visible()
        page.goto(f"{site_url}/checklists/wp2-01.html")
        assert not page.locator("[data-hb-print]").is_visible()
        assert page.locator(".hb-print-toolbar").is_visible()  # it still says Ctrl+P
    finally:
        context.close()


@pytest.mark.parametrize("path", ["handbook/wp1/wp1-03/", "checklists/wp1-03.html",
                                  "checklists/training-pack.html"])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_print_buttons_print(open_page, site_url, lang, path):
    page = open_page(f"{site_url}{prefix(lang)}{path}")
    page.evaluate("() => { window.print = () => { window.hbPrinted = (window.hbPrinted || 0) + 1; }; }")
    button = page.locator("[data-hb-print]")
    assert button.count() == 1 and button.is_visible()
    expected = CONTENT.ui["print_button" if path.startswith("checklists") else "print_this_page"]
    assert button.inner_text().strip() == expected[lang]
    button.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("window.hbPrinted") == 1


@pytest.mark.parametrize("path", ["checklists/wp1-01.html", "en/checklists/wp1-pack.html",
                                  "", "en/handbook/glossary/"])
def test_every_request_of_a_page_succeeds_the_favicon_included(chromium, site_url, path):
    """Print views asked for /favicon.ico, which did not exist (a 404 on every open)."""
    context = chromium.new_context()
    failed, icons = [], []
    context.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    try:
        page = context.new_page()
        page.goto(f"{site_url}/{path}")
        page.wait_for_load_state("networkidle")
        icons = page.eval_on_selector_all("link[rel~='icon']", "links => links.map(l => l.href)")
        for icon in icons:
            response = page.request.get(icon)
            assert response.ok and "<svg" in response.text(), icon
    finally:
        context.close()
    assert failed == []
    assert len(icons) == 1


def test_the_dark_palette_follows_the_preference_and_the_toggle_cycles(open_page, site_url):
    page = open_page(f"{site_url}/handbook/wp1/", scheme="dark")
    scheme = "document.body.getAttribute('data-md-color-scheme')"
    assert page.evaluate(scheme) == "slate"
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background != "rgb(255, 255, 255)"
    # the preference changes while the page is open: the palette follows
    page.emulate_media(color_scheme="light")
    page.wait_for_function(f"{scheme} === 'default'")
    # the toggle: automatic → light → dark → automatic, each named in the page's language
    shown = "form[data-md-component=palette] label:not([hidden])"
    # its words: a title, which Material turns into a tooltip once hovered (content.tooltips)
    words = ("label => label.title || document.getElementById("
             "label.getAttribute('aria-describedby')).textContent.trim()")
    assert page.locator(shown).evaluate(words) == CONTENT.ui["palette_to_light"]["fr"]
    page.locator(shown).click()
    page.wait_for_function("document.querySelector('#__palette_1').checked")
    assert page.locator(shown).evaluate(words) == CONTENT.ui["palette_to_dark"]["fr"]
    page.locator(shown).click()
    page.wait_for_function(f"{scheme} === 'slate'")
    assert page.locator(shown).evaluate(words) == CONTENT.ui["palette_to_auto"]["fr"]
    page.reload()  # the choice is kept
    assert page.evaluate(scheme) == "slate"
    page.emulate_media(color_scheme="light")  # a chosen palette no longer follows
    assert page.evaluate(scheme) == "slate"
