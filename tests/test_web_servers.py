"""The hosting recipes, proven on real servers (issue 15, point 6): the built site served by
Debian's nginx with the server block of HOSTING.md and the build's `_headers.nginx.conf`, and
by Apache with the build's `.htaccess` files. For each: every page of the site loads in
Chromium with zero Content-Security-Policy violations and nothing from another host, the
headers are those HOSTING.md documents, text is sent compressed, a missing address gets the
404 page of its language, the configuration files are not served, and search (Pagefind,
WebAssembly) works under the policy."""

from __future__ import annotations

import gzip
import http.client
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from faasst_handbook.publish import hosting
from support.gates import external_requests, is_not_found_page, site_pages, url_path
from support.paths import LANGUAGES, ROOT
from support.servers import LANGUAGE_ROOTS, apache_server, nginx_server

SERVERS = {"nginx": nginx_server, "apache": apache_server}
# Recorded in every page before its own scripts run (as tests/test_csp_browser.py does).
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
                           + ` in ${event.sourceFile}:${event.lineNumber}`);
});
"""


@pytest.fixture(scope="module", params=list(SERVERS))
def server(request, built_site, tmp_path_factory):
    """(name, base URL) of a server serving the built site, for this module's tests."""
    start = SERVERS[request.param]
    with start(built_site, tmp_path_factory.mktemp(request.param)) as base:
        yield request.param, base


def fetch(base: str, path: str, gzip_ok: bool = False) -> tuple[int, dict[str, str], bytes]:
    """GET `path`: status, headers (lower-case names) and body, uncompressed."""
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request("GET", path, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
        response = connection.getresponse()
        body = response.read()
        headers = {name.lower(): value for name, value in response.getheaders()}
    finally:
        connection.close()
    if headers.get("content-encoding") == "gzip":
        body = gzip.decompress(body)
    return response.status, headers, body


def test_every_page_loads_with_zero_csp_violations(server, built_site, chromium):
    """Every page, as a reader opens it: the page's own scripts run at load (Pagefind, which
    loads later and on the search page only, is checked below)."""
    name, base = server
    pages = site_pages(built_site)
    assert len(pages) > 200
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(RECORD_VIOLATIONS)
    requested: list[str] = []
    failed: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    # A request cut short by the next navigation (the favicon, often) is not a failure.
    context.on("requestfailed", lambda request: failed.append(request.url)
               if "ERR_ABORTED" not in (request.failure or "") else None)
    page = context.new_page()
    page.on("response", lambda response: failed.append(response.url)
            if response.status >= 400 and response.request.resource_type != "document" else None)
    violations, statuses = {}, {}
    try:
        for file in pages:
            response = page.goto(base + url_path(file), wait_until="load")
            statuses[file] = response.status if response else None
            # Violation events are queued tasks: read them once those have run.
            found = page.evaluate(
                "() => new Promise(done => setTimeout(() => done(window.__violations), 20))")
            if found:
                violations[file] = found
    finally:
        context.close()
    assert violations == {}, f"{name}: {violations}"
    assert {file: status for file, status in statuses.items()
            if status != (404 if is_not_found_page(file) else 200)} == {}
    assert failed == []
    assert external_requests(requested, base) == []


def test_the_headers_are_those_documented(server, built_site):
    name, base = server
    documented = hosting.headers_for(hosting.read_headers_file(built_site / "_headers"), "/")
    assert set(documented) == set(hosting.security_headers([]))
    csp = documented["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "'wasm-unsafe-eval'" in csp
    assert "'unsafe-inline'" not in csp
    for path in ("/", "/en/handbook/wp1/wp1-01/", "/assets/stylesheets/handbook.css",
                 "/checklists/wp1-01.pdf", "/pagefind/pagefind-ui.js", "/en/no-such-page/"):
        status, headers, _ = fetch(base, path)
        assert status in (200, 404), (path, status)
        for header, value in documented.items():
            assert headers.get(header.lower()) == value, f"{name} {path}: {header}"
    _, headers, _ = fetch(base, "/")
    assert headers["content-type"].lower().replace(" ", "") == "text/html;charset=utf-8"


@pytest.mark.parametrize("path", ["/", "/en/handbook/wp1/wp1-01/",
                                  "/assets/stylesheets/handbook.css",
                                  "/assets/javascripts/search.js", "/pagefind/pagefind-ui.js",
                                  "/sitemap.xml"])
def test_text_is_sent_compressed(server, built_site, path):
    name, base = server
    status, headers, body = fetch(base, path, gzip_ok=True)
    assert status == 200
    assert headers.get("content-encoding") == "gzip", f"{name} {path}: {headers}"
    assert "accept-encoding" in headers.get("vary", "").lower()
    file = built_site / (path.lstrip("/") + ("index.html" if path.endswith("/") else ""))
    assert body == file.read_bytes()


def test_a_pdf_is_sent_as_it_is(server):
    _, base = server
    status, headers, body = fetch(base, "/checklists/wp1-01.pdf", gzip_ok=True)
    assert status == 200 and headers["content-type"] == "application/pdf"
    assert "content-encoding" not in headers and body[:5] == b"%PDF-"


@pytest.mark.parametrize("lang_root", LANGUAGE_ROOTS)
@pytest.mark.parametrize("missing", ["no-such-page/", "handbook/wp9/wp9-99/", "checklists/x.pdf"])
def test_a_missing_address_gets_the_404_page_of_its_language(server, built_site, lang_root,
                                                             missing):
    name, base = server
    status, headers, body = fetch(base, f"/{lang_root}{missing}")
    assert status == 404
    assert body == (built_site / lang_root / "404.html").read_bytes(), name
    lang = LANGUAGES[LANGUAGE_ROOTS.index(lang_root)]
    assert re.search(rb'<html[^>]* lang="' + lang.encode() + b'"', body)


@pytest.mark.parametrize("path", ["/_headers", "/_headers.nginx.conf", "/.htaccess",
                                  *[f"/{root}.htaccess" for root in LANGUAGE_ROOTS if root]])
def test_the_server_configuration_is_not_published(server, built_site, path):
    name, base = server
    assert (built_site / path.lstrip("/")).is_file()
    status, _, body = fetch(base, path)
    assert status in (403, 404), f"{name} serves {path}"
    assert b"Header always set" not in body and b"add_header" not in body


def test_search_works_under_the_policy(server, chromium):
    name, base = server
    context = chromium.new_context()
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    try:
        for root, query in zip(LANGUAGE_ROOTS, ("matrice", "matrix")):
            page.goto(f"{base}/{root}search/?q={query}")
            page.wait_for_selector(".pagefind-ui__result-link", timeout=20000)
            assert page.locator(".pagefind-ui__result-link").count() >= 1
            assert page.evaluate("window.__violations") == [], name
    finally:
        context.close()


def test_hosting_md_shows_the_server_block_these_tests_run():
    block = hosting.nginx_server_block("/srv/handbook/site", LANGUAGE_ROOTS)
    assert block in (ROOT / "HOSTING.md").read_text(encoding="utf-8")


def test_the_generated_server_files_for_each_language(tmp_path):
    written = hosting.write_server_config(tmp_path, ["'sha256-x'"], LANGUAGE_ROOTS, "/")
    names = sorted(p.relative_to(tmp_path).as_posix() for p in written)
    expected = {"_headers", ".htaccess", "_headers.nginx.conf",
                *[f"{root}.htaccess" for root in LANGUAGE_ROOTS if root]}
    assert set(names) == expected
    root_rules = (tmp_path / ".htaccess").read_text(encoding="utf-8")
    assert "ErrorDocument 404 /404.html" in root_rules
    for root in LANGUAGE_ROOTS[1:]:
        assert (tmp_path / root / ".htaccess").read_text(encoding="utf-8").strip().endswith(
            f"ErrorDocument 404 /{root}404.html")
    assert Path(tmp_path / "_headers.nginx.conf").read_text().count("always;") == 7


def test_the_ci_examples_build_with_make_and_publish_the_site():
    """The two pipeline examples of HOSTING.md: valid YAML, not active workflows, building
    with `make build` (and `make offline`) and publishing site/."""
    import yaml

    gitlab = yaml.safe_load((ROOT / "ci-examples" / "gitlab-pages.gitlab-ci.yml").read_text())
    script = " ".join(gitlab["pages"]["script"])
    assert "make build" in script and "make offline" in script and "mv site public" in script
    assert "public" in gitlab["pages"]["artifacts"]["paths"]
    github = yaml.safe_load((ROOT / "ci-examples" / "github-pages.yml").read_text())
    steps = github["jobs"]["build"]["steps"]
    runs = " ".join(step.get("run", "") for step in steps)
    assert "make build" in runs and "make offline" in runs
    assert any(step.get("uses", "").startswith("actions/upload-pages-artifact")
               and step["with"]["path"] == "site" for step in steps)
    assert not (ROOT / ".gitlab-ci.yml").exists() and not (ROOT / ".github").exists()
    hosting_md = (ROOT / "HOSTING.md").read_text(encoding="utf-8")
    assert "ci-examples/gitlab-pages.gitlab-ci.yml" in hosting_md
    assert "ci-examples/github-pages.yml" in hosting_md
