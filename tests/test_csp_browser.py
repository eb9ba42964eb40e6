"""The site works in a browser under the Content-Security-Policy `handbook build` writes next to
it (site/_headers): zero violations, the theme's and the site's scripts run, search works —
on the mini site carrying the hostile text of test_xss_corpus.py, so nothing of it runs either.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from support.browser import static_server
from faasst_handbook.publish import hosting
from support.sites import shared_build
from support.hostile import make_hostile

PAGES = ["/", "/handbook/", "/handbook/wp1/", "/handbook/wp1/wp1-01/", "/en/handbook/wp1/wp1-01/",
         "/handbook/sheets/", "/handbook/pack-builder/", "/handbook/checklists/",
         "/handbook/catalogues/roles/", "/en/handbook/catalogues/sources/", "/site-map/",
         "/en/about/", "/no-such-page/"]
# Recorded in every page before its own scripts run.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
                           + ` in ${event.sourceFile}:${event.lineNumber} ${event.sample}`);
});
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return shared_build(tmp_path_factory, "hostile-mini-site", make_hostile) / "site"


class Watch:
    """A browser page that records CSP violations, console errors and dialogs (alert())."""

    def __init__(self, context):
        context.add_init_script(RECORD_VIOLATIONS)
        self.page = context.new_page()
        self.console: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda message: self.console.append(
            f"{message.type}: {message.text}"))
        self.page.on("pageerror", lambda error: self.console.append(f"pageerror: {error}"))
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message),
                                               dialog.dismiss()))

    def visit(self, url: str) -> list[str]:
        """Open `url`; returns the page's CSP violations."""
        response = self.page.goto(url, wait_until="networkidle")
        assert response is not None
        self.headers = response.headers
        return self.page.evaluate("window.__violations")

    def csp_console(self) -> list[str]:
        return [m for m in self.console if re.search(r"Content[- ]Security[- ]Policy|Refused to",
                                                     m, re.I)]


def test_the_site_works_under_its_policy_and_search_still_works(chromium, site):
    rules = hosting.read_headers_file(site / "_headers")

    def not_found(path: str) -> Path:  # as the host serves it (HOSTING.md)
        return site / ("en/404.html" if path.startswith("/en/") else "404.html")

    with static_server(site, lambda path: hosting.headers_for(rules, path),
                       not_found=not_found) as base:
        context = chromium.new_context()
        watch = Watch(context)
        violations = {}
        for path in PAGES:
            found = watch.visit(base + path)
            if found:
                violations[path] = found
        assert "script-src 'self' 'wasm-unsafe-eval' 'sha256-" in watch.headers["content-security-policy"]
        assert watch.headers["x-content-type-options"] == "nosniff"
        assert watch.page.locator(".md-header").count() == 1  # the site's own 404 page

        watch.visit(base + "/handbook/wp1/wp1-01/")
        # The theme's inline script ran (allowed by its hash), and so did its bundle.
        assert watch.page.evaluate("typeof window.__md_scope") == "object"
        # Search (Pagefind: WebAssembly, allowed by 'wasm-unsafe-eval'): results appear...
        watch.visit(base + "/search/?q=collecter")
        watch.page.wait_for_selector(".pagefind-ui__result", timeout=15000)
        assert watch.page.locator(".pagefind-ui__result").count() >= 1
        # ... and a query matching the hostile text shows it as text, running nothing.
        watch.visit(base + "/search/?q=onmouseover")
        watch.page.wait_for_selector(".pagefind-ui__result", timeout=15000)
        violations.update({"search": v for v in [watch.page.evaluate("window.__violations")] if v})
        context.close()
    assert violations == {}
    assert watch.csp_console() == []
    assert watch.dialogs == []


def test_without_the_hashes_the_policy_blocks_the_themes_scripts(chromium, site):
    """The control: the same check sees violations when the policy lacks the build's hashes,
    so zero violations above means something."""
    rules = hosting.read_headers_file(site / "_headers")

    def headers(path: str) -> dict[str, str]:
        found = hosting.headers_for(rules, path)
        found["Content-Security-Policy"] = hosting.content_security_policy([])
        return found

    with static_server(site, headers) as base:
        context = chromium.new_context()
        watch = Watch(context)
        violations = watch.visit(base + "/handbook/wp1/wp1-01/")
        context.close()
    assert violations and all(v.startswith("script-src") for v in violations), violations
