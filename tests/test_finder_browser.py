"""The sheet finder in a real browser, by keyboard only."""

from __future__ import annotations

import pytest

from support.browser import static_server
from support.gates import LANGUAGES, language_prefix


@pytest.fixture(scope="module")
def site_url(built_site):
    with static_server(built_site) as url:
        yield url


@pytest.mark.parametrize("lang", LANGUAGES)
def test_sheet_finder_filters_with_the_keyboard(chromium, site_url, lang):
    """The finder's form appears with JavaScript; choosing a module then an effort, by keyboard
    only, narrows the list to exactly the matching sheets, and clearing shows them all."""
    from faasst_handbook.validation import load_handbook
    from support.paths import ROOT

    content = load_handbook(ROOT / "handbook").content
    prefix = "/" + language_prefix(lang)
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


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_finder_filters_live_in_the_address_and_are_restored_from_it(chromium, site_url,
                                                                         lang):
    """Issue 16: "all WP4 sheets for the portfolio manager" can be bookmarked and shared."""
    from faasst_handbook.validation import load_handbook
    from support.paths import ROOT

    content = load_handbook(ROOT / "handbook").content
    wp4 = content.work_packages["wp4"]
    role = content.sheets[wp4.sheets[0]].human_resources[0].role
    prefix = "/" + language_prefix(lang)
    visible = ("() => [...document.querySelectorAll('#hb-finder-results > li')]"
               ".filter(li => !li.hidden).map(li => li.querySelector('a').textContent)")
    matching = (f"() => [...document.querySelectorAll('#hb-finder-results > li')].filter(li => "
                f"li.dataset.wp.split(' ').includes('wp4') && "
                f"li.dataset.role.split(' ').includes('{role}')).length")
    page = chromium.new_page()
    try:
        page.goto(f"{site_url}{prefix}handbook/sheets/")
        page.select_option("#finder-wp", "wp4")
        page.select_option("#finder-role", role)
        assert page.url.endswith(f"{prefix}handbook/sheets/?wp=wp4&role={role}")
        shown = page.evaluate(visible)
        assert 0 < len(shown) == page.evaluate(matching) < len(wp4.sheets) + 1
        # the address, opened afresh (a bookmark, a shared link): the same filters, the same list
        page.goto("about:blank")
        page.goto(f"{site_url}{prefix}handbook/sheets/?wp=wp4&role={role}")
        assert page.input_value("#finder-wp") == "wp4" and page.input_value("#finder-role") == role
        assert page.evaluate(visible) == shown
        # a value the list does not offer (an older edition's) is ignored, not an empty list
        page.goto(f"{site_url}{prefix}handbook/sheets/?wp=wp9")
        assert page.input_value("#finder-wp") == ""
        assert len(page.evaluate(visible)) == len(content.sheets)
        # clearing the filters clears the address
        page.goto(f"{site_url}{prefix}handbook/sheets/?wp=wp4")
        page.click("#hb-finder button[type=reset]")
        page.wait_for_function("() => location.search === ''")
    finally:
        page.close()
