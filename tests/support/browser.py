"""Shared helpers for browser tests: Debian's Chromium driven by Playwright, and a small static
server for a built site.

Without /usr/bin/chromium (or without Playwright) browser tests are skipped with the reason, on
a developer's machine; in CI (`CI=true`) that is a failure: the browser checks must run there.
Nothing is downloaded: Playwright drives the system browser.

Use (`chromium` is a session fixture, registered by conftest.py):
    from support.browser import static_server

    def test_x(chromium, tmp_path):
        with static_server(site_dir) as base_url:
            page = chromium.new_page()
            page.goto(base_url + "/")
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def require_browser() -> None:
    """Skip (developer machine) or fail (CI) when the browser or Playwright is missing."""
    problem = None
    if not CHROMIUM.is_file():
        problem = (f"{CHROMIUM} is missing (install Debian's `chromium` package: "
                   "`apt-get install chromium`)")
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "Playwright is not installed (pip install the `test` extra)"
    if problem:
        if in_ci():
            pytest.fail(f"browser tests cannot run in CI: {problem}", pytrace=False)
        pytest.skip(f"browser test skipped: {problem}")


# Each test module that imports `chromium` gets its own copy of the fixture, but Playwright's
# sync API cannot run twice at once in a process ("Sync API inside the asyncio loop"): all
# copies share one Playwright and one browser, stopped when the last copy is torn down.
_shared: dict = {}


@pytest.fixture(scope="session")
def chromium():
    """A headless Chromium (Playwright Browser), shared by the tests of one worker."""
    require_browser()
    if not _shared:
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        try:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                                 args=CHROMIUM_ARGS)
        except BaseException:
            playwright.stop()
            raise
        _shared.update(playwright=playwright, browser=browser, users=0)
    _shared["users"] += 1
    try:
        yield _shared["browser"]
    finally:
        _shared["users"] -= 1
        if _shared["users"] == 0:
            try:
                _shared["browser"].close()
            finally:
                _shared["playwright"].stop()
                _shared.clear()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    headers_for: Callable[[str], dict[str, str]] | None = None
    routes: dict[str, Path] = {}  # URL path → a file served from outside the root
    not_found: Callable[[str], Path | None] | None = None  # URL path → the 404 page to send

    def translate_path(self, path: str) -> str:
        routed = self.routes.get(path.split("?", 1)[0].split("#", 1)[0])
        return str(routed) if routed is not None else super().translate_path(path)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = self.not_found(self.path.split("?", 1)[0]) if code == 404 and self.not_found else None
        if page is None or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()  # like a real host: the site's 404 page, with status 404
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def end_headers(self) -> None:
        if self.headers_for is not None:
            for name, value in self.headers_for(self.path.split("?", 1)[0]).items():
                self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args) -> None:  # keep test output readable
        pass


@contextlib.contextmanager
def static_server(root: Path,
                  headers_for: Callable[[str], dict[str, str]] | None = None,
                  routes: dict[str, Path] | None = None,
                  not_found: Callable[[str], Path | None] | None = None) -> Iterator[str]:
    """Serve `root` on a free port of 127.0.0.1; yields the base URL (no trailing slash).
    `headers_for(url_path)` gives extra response headers (e.g. the site's security headers);
    `routes` serves files from outside `root` at fixed URL paths (e.g. a test tool's script);
    `not_found(url_path)` names the page sent, with status 404, for a missing file."""
    handler = type("Handler", (_QuietHandler,), {
        "headers_for": staticmethod(headers_for) if headers_for else None,
        "routes": dict(routes or {}),
        "not_found": staticmethod(not_found) if not_found else None})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
