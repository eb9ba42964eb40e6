"""Printing from a browser (issue 5): a sheet page, the Checklists page and a print view keep
only the content when printed; the pack builder prints the chosen sheets, works from the
keyboard, and without JavaScript is a list of links."""

from __future__ import annotations

import re

import pytest

from support.browser import static_server
from support.paths import ROOT
from faasst_handbook.plan.routes import build_routes
from faasst_handbook.validation import load_handbook


@pytest.fixture(scope="module")
def content():
    return load_handbook(ROOT / "handbook").content


@pytest.fixture(scope="module")
def site_url(built_site):
    with static_server(built_site) as base_url:
        yield base_url


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    try:
        yield context.new_page()
    finally:
        context.close()


CHROME = {  # what printing must leave out, by the theme's own classes
    "header": ".md-header",
    "navigation": ".md-sidebar--primary",
    "table of contents": ".md-sidebar--secondary",
    "search": ".hb-search-form",
    "footer": ".md-footer",
}


def assert_chrome_hidden(page) -> None:
    for name, selector in CHROME.items():
        found = page.locator(selector)
        assert found.count() > 0, f"{name} ({selector}) not on the page: the test is stale"
        assert not found.first.is_visible(), f"{name} is printed"


def assert_checklist_printed(page, items: list[str], scope: str = ".md-content") -> None:
    boxes = page.locator(f"{scope} .hb-checklist input[type=checkbox]")
    assert boxes.count() == len(items)
    for n in range(boxes.count()):
        assert boxes.nth(n).is_visible()
    for text in items:
        assert page.locator(f"{scope} .hb-checklist label", has_text=text).first.is_visible(), text


def test_a_printed_sheet_page_keeps_the_checklist_and_drops_the_navigation(page, site_url, content):
    sheet = content.sheets["wp1-01"]
    page.goto(f"{site_url}/en/handbook/wp1/wp1-01/")
    assert page.locator(".md-sidebar--primary").first.is_visible()  # on screen: navigation
    page.emulate_media(media="print")
    assert_chrome_hidden(page)
    assert_checklist_printed(page, [item.text["en"] for item in sheet.checklist])
    assert not page.locator(".hb-print-links").first.is_visible()


def test_the_printed_checklists_page_keeps_its_links(page, site_url, content):
    page.goto(f"{site_url}/handbook/checklists/")
    page.emulate_media(media="print")
    assert_chrome_hidden(page)
    links = page.locator(".md-content a[href$='.pdf']")
    assert links.count() == len(build_routes(content).prints)  # every print document
    assert links.first.is_visible()


def test_a_print_view_prints_as_the_pdf_does(page, site_url, content):
    sheet = content.sheets["wp1-01"]
    page.goto(f"{site_url}/checklists/wp1-01.html")
    assert page.locator(".hb-print-toolbar").is_visible()  # on screen: links and how to print
    page.emulate_media(media="print")
    assert not page.locator(".hb-print-toolbar").is_visible()
    assert_checklist_printed(page, [item.text["fr"] for item in sheet.checklist], scope="main")
    assert page.locator("html").get_attribute("lang") == "fr"


def test_the_pack_builder_prints_the_chosen_sheets_only(page, site_url, content):
    wp = content.work_packages["wp2"]
    other = content.sheets["wp1-01"]
    page.goto(f"{site_url}/en/handbook/pack-builder/")
    assert page.locator("#hb-pack-form").is_visible()
    assert not page.locator("#hb-pack-fallback").is_visible()
    assert not page.locator("#hb-pack").is_visible()

    # Keyboard only: reach the module's box with Tab and tick it with Space.
    target = page.locator(f"#pick-{wp.id}")
    page.locator("#pick-wp1").focus()
    for _ in range(30):
        if target.evaluate("box => box === document.activeElement"):
            break
        page.keyboard.press("Tab")
    assert target.evaluate("box => box === document.activeElement"), "not reachable with Tab"
    page.keyboard.press("Space")
    assert page.locator("#hb-pack-status").inner_text() == f"{len(wp.sheets)} sheet(s) selected"
    assert re.search(r"#pack=" + ",".join(wp.sheets) + "$", page.url)
    for sheet_id in wp.sheets:
        assert page.locator(f"[data-sheet='{sheet_id}']").is_visible()
    assert not page.locator(f"[data-sheet='{other.id}']").is_visible()

    page.emulate_media(media="print")
    assert_chrome_hidden(page)
    assert not page.locator("#hb-pack-form").is_visible()
    assert not page.locator(".md-content h1").first.is_visible()
    for sheet_id in wp.sheets:
        items = [item.text["en"] for item in content.sheets[sheet_id].checklist]
        assert_checklist_printed(page, items, scope=f"[data-sheet='{sheet_id}']")
    assert not page.locator(f"[data-sheet='{other.id}']").is_visible()


def test_the_pack_builder_remembers_a_selection_in_its_address(page, site_url):
    page.goto(f"{site_url}/handbook/pack-builder/#pack=wp1-01,wp3-02")
    assert page.locator("#hb-pack-status").inner_text() == "2 fiche(s) sélectionnée(s)"
    assert page.locator("#pick-wp1-01").is_checked() and page.locator("#pick-wp3-02").is_checked()
    assert page.locator("#pick-wp1").evaluate("box => box.indeterminate")
    page.locator("#hb-pack-form button[type=reset]").click()
    assert page.locator("#hb-pack-status").inner_text() == "0 fiche(s) sélectionnée(s)"
    assert not page.locator("#hb-pack").is_visible()
    # Nothing chosen: printing gives a message instead of a print dialog.
    page.locator("#hb-pack-form button[type=submit]").last.click()
    assert "au moins une fiche" in page.locator("#hb-pack-status").inner_text()


def test_without_javascript_the_pack_builder_is_a_list_of_links(chromium, site_url, content):
    context = chromium.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{site_url}/en/handbook/pack-builder/")
        assert not page.locator("#hb-pack-form").is_visible()
        assert not page.locator("#hb-pack").is_visible()
        links = page.locator("#hb-pack-fallback a[href$='.html']")
        assert links.count() == len(content.sheets) + len(content.work_packages)
        first = links.first.get_attribute("href")
        response = page.request.get(f"{site_url}/en/handbook/pack-builder/{first}")
        assert response.ok and "<html lang=\"en\">" in response.text()
    finally:
        context.close()


# --- printing the pack builder (issue 16): N sheets, N A4 pages, nothing cut ---------------

A4_POINTS = (595.3, 841.9)
# The print documents' page box (checklists.css: A4, margins 15 15 17 15 mm), in CSS pixels.
PAGE_BOX = {"width": 180 / 25.4 * 96, "height": 265 / 25.4 * 96}

# Every element of each chosen sheet, against the sheet's own box and the page box.
_OVERFLOW = """(box) => {
  const found = [];
  for (const sheet of document.querySelectorAll('#hb-pack .hb-pack__sheet:not([hidden])')) {
    const frame = sheet.getBoundingClientRect();
    if (frame.width > box.width + 1) found.push(`${sheet.dataset.sheet}: ${frame.width} px wide`);
    if (frame.height > box.height + 1) found.push(`${sheet.dataset.sheet}: ${frame.height} px tall`);
    for (const e of sheet.querySelectorAll('*')) {
      const r = e.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (r.right > frame.right + 1 || r.left < frame.left - 1 || r.bottom > frame.bottom + 1) {
        found.push(`${sheet.dataset.sheet}: <${e.tagName.toLowerCase()} class="${e.className}">`
                   + ` ${Math.round(r.left)}–${Math.round(r.right)} × ${Math.round(r.bottom)}`);
      }
    }
  }
  return found;
}"""


def printed_pages(page) -> list[str]:
    """The text of each page of Chromium's PDF of the page's print media (as Ctrl+P prints)."""
    from io import BytesIO

    from pypdf import PdfReader

    reader = PdfReader(BytesIO(page.pdf(prefer_css_page_size=True)))
    for pdf_page in reader.pages:
        size = (float(pdf_page.mediabox.width), float(pdf_page.mediabox.height))
        assert all(abs(a - b) < 1 for a, b in zip(size, A4_POINTS)), f"not A4: {size}"
    return [pdf_page.extract_text() for pdf_page in reader.pages]


def assert_one_page_per_sheet(page, chosen: list[str]) -> None:
    texts = printed_pages(page)
    assert len(texts) == len(chosen), f"{len(chosen)} sheets print as {len(texts)} pages"
    for sheet_id, text in zip(chosen, texts):
        assert sheet_id.upper() in text, (sheet_id, text[:200])


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_whole_pack_prints_one_a4_page_per_sheet_with_nothing_cut(chromium, site_url,
                                                                      content, lang):
    """Every sheet of the Handbook chosen: 45 sheets, 45 pages — none spills onto a second
    page, none is wider than the page (the Session, Participants and Notes boxes were cut at
    the right margin, and each sheet printed as two pages)."""
    chosen = list(content.sheets)
    context = chromium.new_context(viewport={"width": 1366, "height": 768})
    try:
        page = context.new_page()
        prefix = "" if lang == "fr" else "en/"
        page.goto(f"{site_url}/{prefix}handbook/pack-builder/#pack=" + ",".join(chosen))
        assert page.locator("#hb-pack .hb-pack__sheet:not([hidden])").count() == len(chosen)
        assert_one_page_per_sheet(page, chosen)
        # The layout of print, on a viewport as wide as the page box: every element inside its
        # sheet, every sheet inside the page box.
        page.set_viewport_size({"width": round(PAGE_BOX["width"]), "height": 1000})
        page.emulate_media(media="print")
        assert page.evaluate(_OVERFLOW, PAGE_BOX) == []
    finally:
        context.close()


@pytest.mark.parametrize("width", [680, 1024, 1366, 1920])
def test_the_pack_builder_prints_the_same_at_every_window_width(chromium, site_url, width):
    chosen = ["wp1-01", "wp2-03", "wp3-02", "wp4-05", "wp6-01"]
    context = chromium.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.goto(f"{site_url}/handbook/pack-builder/")
        for sheet_id in chosen:
            page.locator(f"#pick-{sheet_id}").check()
        assert page.locator("#hb-pack-status").inner_text() == f"{len(chosen)} fiche(s) sélectionnée(s)"
        assert_one_page_per_sheet(page, chosen)
        # the print action is at the top of the list (and at its bottom)
        buttons = page.locator("#hb-pack-form button[type=submit]")
        assert buttons.count() == 2
        assert buttons.first.bounding_box()["y"] < page.locator("#pick-wp1").bounding_box()["y"]
    finally:
        context.close()
