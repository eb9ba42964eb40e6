"""The quality gates on the built site (issue 6): which pages there are, how the browser visits
them, axe-core, the W3C Nu HTML Checker, and what each gate reports to the end-of-run summary.

Its fixtures (`site_server`, `gate_page`) are registered by conftest.py. Results reach the summary (conftest.py, `pytest_terminal_summary`)
through `record_property("gate:<name>", ...)`: pytest-xdist sends those back from the workers.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .browser import in_ci, static_server
from faasst_handbook.checks.link_check import language_of as _language_of

from .paths import LANGUAGES, ROOT  # languages: the default first
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# axe-core is served by the test server at this path (it is not part of the site). Injecting it
# by URL rather than as inline text lets Chromium reuse its compiled code from one page to the
# next: 0.1–0.3 s instead of ~1 s per page, measured on 2 cores.
AXE_URL = "/__tests__/axe.min.js"
# A URL that exists nowhere: the server answers with the language's 404 page, as a host would.
MISSING = "this-page-does-not-exist/"

# WCAG 2.0 and 2.1, levels A and AA: what RGAA 4.1 maps to.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Rules switched off, each with the reason. None so far: add `"rule-id": False` here only with
# a comment saying why the rule does not apply and what checks the criterion instead.
AXE_DISABLED_RULES: dict[str, bool] = {}


def require_tool(path: Path, what: str, install: str) -> None:
    """Skip (developer machine) or fail (CI) when a tool the gates need is missing."""
    if path.is_file():
        return
    message = f"{what} is missing ({path.relative_to(ROOT)}): run `{install}`"
    if in_ci():
        pytest.fail(f"gate cannot run in CI: {message}", pytrace=False)
    pytest.skip(f"gate skipped: {message}")


def require_java() -> str:
    java = shutil.which("java")
    if java is None:
        message = "no Java runtime (`apt-get install default-jre-headless`)"
        if in_ci():
            pytest.fail(f"HTML validity gate cannot run in CI: {message}", pytrace=False)
        pytest.skip(f"HTML validity gate skipped: {message}")
    return java


# --- pages --------------------------------------------------------------------------------

def site_pages(site: Path) -> list[str]:
    """Every HTML page of a built site, as site-relative paths (`en/handbook/index.html`).
    Redirect pages at old sheet addresses are left out: a browser leaves them at once, so
    tests/test_redirects.py checks them on their own."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                  if not is_redirect_page(p))


def is_redirect_page(path: Path) -> bool:
    """A page left at an old address (publish/redirects.py): it refreshes at once."""
    with path.open("rb") as page:
        return b'<meta http-equiv="refresh"' in page.read(1024)


def language_of(page: str) -> str:
    return _language_of(page, LANGUAGES)


def language_prefix(lang: str) -> str:
    return "" if lang == LANGUAGES[0] else f"{lang}/"


def is_not_found_page(page: str) -> bool:
    return page.rsplit("/", 1)[-1] == "404.html"


def url_path(page: str) -> str:
    """The URL path the browser opens for a page file. 404 pages are reached as a real reader
    reaches them: at a URL that does not exist, under the language's folder."""
    if is_not_found_page(page):
        return "/" + language_prefix(language_of(page)) + MISSING
    if page == "index.html":
        return "/"
    if page.endswith("/index.html"):
        return "/" + page[: -len("index.html")]
    return "/" + page


def shard(pages: list[str], index: int, count: int) -> list[str]:
    """Pages `index`, `index + count`, …: each shard mixes long pages and short ones."""
    return pages[index::count]


# --- the browser side ---------------------------------------------------------------------

def not_found_for(site: Path):
    def page_for(path: str) -> Path:
        first = path.lstrip("/").split("/", 1)[0]
        lang = first if first in LANGUAGES[1:] else LANGUAGES[0]
        return site / language_prefix(lang) / "404.html"
    return page_for


@pytest.fixture(scope="session")
def site_server(built_site: Path) -> Iterator[str]:
    """The built site on 127.0.0.1 (one server per xdist worker), as a host serves it (the
    language's 404 page for a missing address); yields the base URL."""
    require_tool(AXE_JS, "axe-core", "npm ci")
    with static_server(built_site, routes={AXE_URL: AXE_JS},
                       not_found=not_found_for(built_site)) as base:
        yield base


@dataclass
class RequestLog:
    """Every request the browser context makes (pages, workers, favicons), with the number of
    requests still in flight, so that a visit can wait until the page has gone quiet."""
    urls: list[str] = field(default_factory=list)
    in_flight: int = 0
    last_event: float = 0.0

    def attach(self, context) -> None:
        context.on("request", self._started)
        context.on("requestfinished", self._ended)
        context.on("requestfailed", self._ended)

    def _started(self, request) -> None:
        self.urls.append(request.url)
        self.in_flight += 1
        self.last_event = time.monotonic()

    def _ended(self, request) -> None:
        self.in_flight = max(0, self.in_flight - 1)
        self.last_event = time.monotonic()

    def reset(self) -> None:
        self.urls.clear()
        self.in_flight = 0
        self.last_event = time.monotonic()


def external_requests(urls: list[str], base: str) -> list[str]:
    """Requests to any host but the local server (data: and blob: URLs stay in the page)."""
    local = urlsplit(base).netloc
    return [url for url in urls
            if not url.startswith(("data:", "blob:", "about:"))
            and urlsplit(url).netloc != local]


class GatePage:
    """One browser tab per worker, reused for every page that worker checks."""

    def __init__(self, browser):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.context.set_default_timeout(30_000)
        self.log = RequestLog()
        self.log.attach(self.context)
        self.page = self.context.new_page()

    def open(self, url: str, quiet: float = 0.25, limit: float = 5.0) -> list[str]:
        """Load `url`, wait until no request has started or ended for `quiet` seconds (the
        search worker loads its scripts after the `load` event), and return every URL requested
        meanwhile. axe is not in the page yet: its own fetches are not counted."""
        # Leave the previous page first: a test that ended on a navigation leaves a search
        # worker still loading its scripts, whose requests would be counted here.
        self.page.goto("about:blank")
        self.log.reset()
        self.page.goto(url, wait_until="load")
        self.settle(quiet, limit)
        return list(self.log.urls)

    def settle(self, quiet: float = 0.25, limit: float = 5.0) -> None:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if self.log.in_flight == 0 and time.monotonic() - self.log.last_event >= quiet:
                return
            self.page.wait_for_timeout(50)

    def axe(self, base: str, context: str = "document") -> list[dict]:
        """axe-core violations (WCAG 2.0/2.1 A and AA) of the page as it is now."""
        if not self.page.evaluate("typeof window.axe === 'object'"):
            self.page.add_script_tag(url=base + AXE_URL)
        options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"],
                   "rules": {rule: {"enabled": on} for rule, on in AXE_DISABLED_RULES.items()}}
        result = self.page.evaluate(f"(options) => axe.run({context}, options)", options)
        return result["violations"]

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="session")
def gate_page(chromium) -> Iterator[GatePage]:
    page = GatePage(chromium)
    yield page
    page.close()


def format_violations(page: str, violations: list[dict]) -> list[str]:
    lines = []
    for violation in violations:
        nodes = violation["nodes"]
        lines.append(f"{page}: {violation['id']} ({violation['impact']}): {violation['help']} "
                     f"— {len(nodes)} element(s), e.g.:")
        for node in nodes[:3]:
            lines.append(f"    {node['target']}  {node['html'][:160]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary[:300]}")
    return lines


def axe_counts(violations: list[dict]) -> tuple[int, int]:
    """(rules violated, elements concerned)."""
    return len(violations), sum(len(v["nodes"]) for v in violations)


@dataclass
class BrowseResult:
    """What the browser gates found on a list of pages."""
    pages: list[list[str]] = field(default_factory=list)  # [language, page]
    violations: list[str] = field(default_factory=list)  # formatted, for the failure message
    axe_rules: int = 0
    axe_elements: int = 0
    external: list[str] = field(default_factory=list)  # "page: url"

    def summary(self) -> dict:
        return {"pages": self.pages, "axe_rules": self.axe_rules,
                "axe_elements": self.axe_elements, "external": self.external}


# A site page follows the reader's colour preference (Material's palette, issue 16): with no
# choice made in the toggle, emulating the preference switches the page to the dark scheme.
_SCHEME = "document.body && document.body.getAttribute('data-md-color-scheme')"


def dark_palette(gate_page: GatePage) -> bool:
    """Switch the open page to the dark palette; False for a page without one (print views)."""
    page = gate_page.page
    if not page.evaluate(f"!!({_SCHEME})"):
        return False
    page.emulate_media(color_scheme="dark")
    page.wait_for_function(f"{_SCHEME} === 'slate'", timeout=5_000)
    # colours settle (no transition half-way when axe reads them)
    page.evaluate("() => Promise.all(document.getAnimations().map(a => a.finished.catch(() => 0)))")
    return True


def browse(gate_page: GatePage, base: str, pages: list[str]) -> BrowseResult:
    """Open each page (site-relative path) like a reader, record every request it makes, then
    run axe-core on it, in the light palette, then (site pages) in the dark one."""
    result = BrowseResult()
    for page in pages:
        gate_page.page.emulate_media(color_scheme="light")
        urls = gate_page.open(base + url_path(page))
        result.external.extend(f"{page}: {url}" for url in external_requests(urls, base))
        violations = gate_page.axe(base)
        result.violations.extend(format_violations(page, violations))
        if dark_palette(gate_page):
            dark = gate_page.axe(base)
            result.violations.extend(format_violations(f"{page} (dark palette)", dark))
            violations = violations + dark
        rules, elements = axe_counts(violations)
        result.axe_rules += rules
        result.axe_elements += elements
        result.pages.append([language_of(page), page])
    gate_page.page.emulate_media(color_scheme="light")
    return result


# --- the W3C Nu HTML Checker --------------------------------------------------------------

@dataclass(frozen=True)
class VnuFilter:
    """A known error outside our control: dropped from the gate, with the reason."""
    message: re.Pattern
    extract: re.Pattern
    reason: str

    def matches(self, message: dict) -> bool:
        return bool(self.message.search(message.get("message", ""))
                    and self.extract.search(message.get("extract", "")))


VNU_FILTERS = [
    # Material's base.html puts autocomplete="off" on its two hidden state checkboxes
    # (drawer, search) so that Firefox does not restore them checked after "back"; the HTML
    # spec allows `autocomplete` on text-like inputs only. Harmless (browsers ignore it on a
    # checkbox, nothing is announced), and fixing it means forking Material's whole base.html.
    VnuFilter(re.compile(r"^Attribute “autocomplete” is only allowed when the input type is"),
              re.compile(r'<input class="md-toggle" data-md-toggle="(drawer|search)" '
                         r'type="checkbox" id="__\1" autocomplete="off">'),
              "Material: autocomplete=off on its hidden drawer/search checkboxes"),
    # Material's partials/toc.html always labels the table of contents `for="__toc"`, but on a
    # section's index page (navigation.indexes) nav-item.html does not render that checkbox.
    # The label only opens the mobile table of contents; on these pages it does nothing.
    VnuFilter(re.compile(r"^The value of the “for” attribute of the “label” element must be the ID "
                         r"of a non-hidden form control\.$"),
              re.compile(r'<label class="md-nav__title" for="__toc">'),
              "Material: table-of-contents label without its checkbox on section index pages"),
]


@dataclass
class VnuResult:
    errors: list[dict]  # what the gate fails on
    filtered: list[tuple[dict, str]]  # known errors with the reason they are accepted
    warnings: int
    seconds: float

    def format(self, root: Path) -> list[str]:
        lines = []
        for message in self.errors:
            where = message.get("url", "").removeprefix("file:")
            try:
                where = str(Path(where).relative_to(root))
            except ValueError:
                pass
            extract = (message.get("extract") or "").strip().replace("\n", " ")[:160]
            lines.append(f"{where}:{message.get('lastLine', '?')}:{message.get('firstColumn', '?')}:"
                         f" {message['message']}  [{extract}]")
        return lines


def run_vnu(target: Path) -> VnuResult:
    """One run of the checker over a folder (every HTML file in it) or a single file."""
    require_tool(VNU_JAR, "the W3C Nu HTML Checker (vnu-jar)", "npm ci")
    java = require_java()
    start = time.monotonic()
    # `-Xss` as vnu's own documentation advises for big pages; no network is used.
    completed = subprocess.run([java, "-Xss8m", "-jar", str(VNU_JAR), "--format", "json",
                                "--skip-non-html", "--exit-zero-always", str(target)],
                               capture_output=True, text=True, timeout=600)
    seconds = time.monotonic() - start
    try:
        messages = json.loads(completed.stderr or completed.stdout)["messages"]
    except (json.JSONDecodeError, KeyError):
        pytest.fail(f"vnu.jar gave no JSON report (exit {completed.returncode}):\n"
                    f"{completed.stdout[-2000:]}\n{completed.stderr[-2000:]}", pytrace=False)
    errors, filtered, warnings = [], [], 0
    for message in messages:
        if message.get("type") == "info":
            warnings += message.get("subType") == "warning"
            continue
        known = next((f for f in VNU_FILTERS if f.matches(message)), None)
        if known:
            filtered.append((message, known.reason))
        else:
            errors.append(message)  # errors, and "non-document-error" (I/O, unreadable file)
    return VnuResult(errors, filtered, warnings, seconds)


# --- the end-of-run summary ---------------------------------------------------------------

def _gate_properties(terminalreporter) -> tuple[dict[str, list], dict[str, float]]:
    """The `gate:*` properties the tests recorded, and the test time spent per gate."""
    found: dict[str, list] = {}
    seconds: dict[str, float] = {}
    for reports in terminalreporter.stats.values():
        for report in reports:
            if getattr(report, "when", None) != "call":
                continue
            for name, value in getattr(report, "user_properties", ()):
                if isinstance(name, str) and name.startswith("gate:"):
                    found.setdefault(name, []).append(value)
                    seconds[name] = seconds.get(name, 0.0) + report.duration
    return found, seconds


def _per_language(counts: dict[str, int]) -> str:
    return ", ".join(f"{lang} {counts.get(lang, 0)}" for lang in LANGUAGES)


def terminal_summary(terminalreporter) -> None:
    """Pages checked per language and what each gate found (called by conftest.py)."""
    found, seconds = _gate_properties(terminalreporter)
    if not found:
        return
    write = terminalreporter.write_line
    terminalreporter.section("quality gates on the built site (issue 6)")
    write("test time per gate, all workers together: " + ", ".join(
        f"{name.removeprefix('gate:')} {value:.0f} s" for name, value in sorted(seconds.items())))
    browser = found.get("gate:browser", [])
    if browser:
        pages = {page for entry in browser for _, page in entry["pages"]}
        counts: dict[str, int] = {}
        for page in pages:
            counts[language_of(page)] = counts.get(language_of(page), 0) + 1
        states = [state for entry in browser for state in entry.get("states", [])]
        rules = sum(entry["axe_rules"] for entry in browser)
        elements = sum(entry["axe_elements"] for entry in browser)
        external = [url for entry in browser for url in entry["external"]]
        write(f"browser: {len(pages)} pages ({_per_language(counts)})"
              + (f" + {', '.join(states)}" if states else ""))
        write(f"  accessibility (axe-core, WCAG 2.0/2.1 A+AA): {rules} violation(s) "
              f"on {elements} element(s)")
        write(f"  privacy: {len(external)} request(s) to other hosts")
        for url in external[:10]:
            write(f"    {url}")
    for entry in found.get("gate:links", []):
        write(f"links: {sum(entry['pages'].values())} pages ({_per_language(entry['pages'])}), "
              f"{entry['internal']} internal links and anchors, {entry['broken']} broken; "
              f"{entry['external']} external links listed, not fetched "
              f"({entry.get('report', 'handbook check-links')})")
    for entry in found.get("gate:html", []):
        write(f"HTML validity (W3C Nu HTML Checker): {entry['pages']} pages, "
              f"{entry['errors']} error(s); {entry['filtered']} known Material error(s) "
              f"filtered (tests/gates.py: VNU_FILTERS); {entry['warnings']} warning(s); "
              f"{entry['seconds']:.0f} s")
    for entry in found.get("gate:rgaa", []):
        write(f"RGAA page checks: {sum(entry['pages'].values())} pages "
              f"({_per_language(entry['pages'])}), {entry['problems']} problem(s)")
