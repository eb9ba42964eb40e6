"""Stable URLs (issue 15): a renamed sheet keeps a working address. The mini Handbook's wp1-02
is renamed wp1-03 and handbook/redirects.yaml says so; the built site answers at the old
address, in every language, with a small page that sends the browser on to the new one.
The rules on redirects (no loop, no chain, no target missing, no old id still in use) have
their cases in tests/bad_inputs/redirect-*."""

from __future__ import annotations

import gzip
import json
import re
from html import unescape
from pathlib import Path

import pytest

from faasst_handbook.checks.link_check import check_site
from faasst_handbook.plan.routes import build_routes
from faasst_handbook.validation import load_handbook

from support.browser import static_server
from support.gates import AXE_JS, AXE_TAGS, is_redirect_page, require_tool, run_vnu, site_pages
from support.paths import LANGUAGES
from support.sites import shared_build

OLD, NEW = "wp1-02", "wp1-03"
REDIRECTS = f"""# yaml-language-server: $schema=schemas/redirects.schema.json
- old: {OLD}
  new: {NEW}
  date: 2026-12-01
  reason: {{fr: "Renumérotée pour suivre l'ordre des étapes.", en: "Renumbered to follow the order of the steps."}}
"""


def rename_sheet(handbook) -> None:
    """wp1-02 becomes wp1-03: its file, its id, every reference to it; and a redirect."""
    old_file = handbook.path(f"sheets/{OLD}.yaml")
    handbook.write(f"sheets/{NEW}.yaml", old_file.read_text(encoding="utf-8")
                   .replace(f"id: {OLD}", f"id: {NEW}"))
    old_file.unlink()
    for path in handbook.root.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        if OLD in text:
            path.write_text(text.replace(OLD, NEW), encoding="utf-8")
    handbook.write("redirects.yaml", REDIRECTS)


@pytest.fixture(scope="session")
def renamed(tmp_path_factory) -> Path:
    """The mini project, built with its sheet renamed (shared by the tests: do not modify)."""
    return shared_build(tmp_path_factory, "renamed-sheet", rename_sheet)


def prefix(lang: str) -> str:
    return "" if lang == LANGUAGES[0] else f"{lang}/"


def sheet_title(project: Path, sheet: str, lang: str) -> str:
    content = load_handbook(project / "handbook").content
    return content.sheets[sheet].title[lang]


def redirect_file(site: Path, lang: str) -> Path:
    return site / prefix(lang) / f"handbook/wp1/{OLD}/index.html"


def test_the_old_address_leads_to_the_new_page_in_every_language(renamed, chromium):
    site = renamed / "site"
    with static_server(site) as base:
        page = chromium.new_page()
        try:
            for lang in LANGUAGES:
                new_url = f"{base}/{prefix(lang)}handbook/wp1/{NEW}/"
                page.goto(f"{base}/{prefix(lang)}handbook/wp1/{OLD}/")
                page.wait_for_url(new_url, timeout=10_000)
                page.wait_for_load_state("load")
                assert page.locator("html").get_attribute("lang") == lang
                assert page.locator("h1").first.inner_text().startswith(
                    sheet_title(renamed, NEW, lang))
        finally:
            page.close()


def test_a_redirect_page_is_a_small_accessible_document(renamed):
    site = renamed / "site"
    content = load_handbook(renamed / "handbook").content
    for lang in LANGUAGES:
        html = redirect_file(site, lang).read_text(encoding="utf-8")
        assert re.search(rf'<html lang="{lang}">', html)
        assert f"<title>{content.ui['redirect_title'][lang]} · " in unescape(html)
        assert f'<meta http-equiv="refresh" content="0; url=../{NEW}/">' in html
        canonical = (content.info.site_url + prefix(lang) + f"handbook/wp1/{NEW}/")
        assert f'<link rel="canonical" href="{canonical}">' in html
        link = re.search(r'<a href="([^"]+)">(.*?)</a>', html)
        assert link.group(1) == f"../{NEW}/" and content.sheets[NEW].title[lang] in link.group(2)
        assert content.redirects[0].reason[lang] in unescape(html)
        assert "<script" not in html and "data-pagefind-body" not in html


def test_redirect_pages_pass_axe_and_the_html_checker(renamed, chromium):
    require_tool(AXE_JS, "axe-core", "npm ci")
    site = renamed / "site"
    page = chromium.new_page()
    try:
        for lang in LANGUAGES:
            # The refresh would leave the page before axe runs: check the same markup without
            # it (axe's own meta-refresh rule accepts an immediate one).
            html = redirect_file(site, lang).read_text(encoding="utf-8")
            page.set_content(re.sub(r'<meta http-equiv="refresh"[^>]*>', "", html))
            page.add_script_tag(path=str(AXE_JS))
            result = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', "
                                   "values: tags}, resultTypes: ['violations']})", AXE_TAGS)
            assert result["violations"] == [], (lang, result["violations"])
    finally:
        page.close()
    checked = run_vnu(redirect_file(site, LANGUAGES[0]).parent.parent)  # the folder wp1/
    assert checked.errors == [], checked.format(site)


def indexed_urls(site: Path) -> set[str]:
    """Every URL Pagefind indexed: its fragments are gzipped JSON after a signature."""
    urls = set()
    for fragment in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd")
        urls.add(json.loads(data)["url"])
    return urls


def test_redirect_pages_are_left_out_of_the_search_and_the_gates(renamed):
    site = renamed / "site"
    urls = indexed_urls(site)
    for lang in LANGUAGES:
        assert f"/{prefix(lang)}handbook/wp1/{NEW}/" in urls
        assert f"/{prefix(lang)}handbook/wp1/{OLD}/" not in urls
        assert is_redirect_page(redirect_file(site, lang))
    pages = site_pages(site)
    assert f"handbook/wp1/{NEW}/index.html" in pages
    assert not any(f"/{OLD}/" in page for page in pages)


def test_every_link_of_the_renamed_site_resolves(renamed):
    report = check_site(renamed / "site")
    assert report.ok, report.format()


def test_the_old_address_is_under_the_module_its_id_names(mini):
    """A sheet moved to another module changes id (`wp2-05` → `wp1-02`): its old page was
    under `handbook/wp2/`."""
    mini.write("redirects.yaml", REDIRECTS.replace(f"old: {OLD}", "old: wp2-05")
               .replace(f"new: {NEW}", "new: wp1-02"))
    content = mini.load().content
    routes = build_routes(content)
    assert [(r.path, r.target, r.url) for r in routes.redirects] == [
        ("handbook/wp2/wp2-05", "handbook/wp1/wp1-02", "handbook/wp2/wp2-05/")]


def test_no_redirect_pages_without_redirects(built_site):
    assert not any(is_redirect_page(path) for path in built_site.rglob("*.html"))
