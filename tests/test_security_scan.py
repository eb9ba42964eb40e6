"""The post-build scan (security_scan.py) and the server headers (hosting.py), on small
hand-made sites: what must be refused is, and the theme's own scripts are not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from faasst_handbook.publish import hosting
from faasst_handbook.checks.security_scan import (csp_hash, scan_site, theme_script_patterns,
                                           theme_template_dirs)
from support.paths import ROOT

TEMPLATES = theme_template_dirs(ROOT)
# Material's own inline script, as its template writes it for a page two levels deep.
MATERIAL_SCOPE = ('__md_scope=new URL("../..",location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)'
                  '-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.'
                  'getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.'
                  'setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}')


def scan(tmp_path: Path, html: str, name: str = "index.html"):
    (tmp_path / name).write_text(html, encoding="utf-8")
    return scan_site(tmp_path, TEMPLATES)


def page(body: str, head: str = "") -> str:
    return f"<!doctype html><html lang=fr><head>{head}</head><body>{body}</body></html>"


def test_a_clean_page_with_the_themes_script_passes_and_gives_its_hash(tmp_path):
    result = scan(tmp_path, page('<p>Texte &lt;script&gt; et <a href="https://example.org/">'
                                 'lien</a></p><script id="__config" type="application/json">'
                                 '{"a": "<b>"}</script><script src="assets/bundle.js"></script>',
                                 head=f"<script>{MATERIAL_SCOPE}</script>"))
    assert result.findings == []
    assert result.script_hashes == {csp_hash(MATERIAL_SCOPE)}


@pytest.mark.parametrize("html, expected", [
    ('<p onclick="alert(1)">x</p>', "<p> has an event-handler attribute `onclick`"),
    ('<img src=x OnError=alert(1)>', "<img> has an event-handler attribute `onerror`"),
    ('<svg><circle onload="x"/></svg>', "<circle> has an event-handler attribute `onload`"),
    ('<a href="javascript:alert(1)">x</a>', "<a> has a script URL in `href`"),
    ('<a href=" JaVa&#x09;ScRiPt:alert(1)">x</a>', "<a> has a script URL in `href`"),
    ('<a href="&#106;avascript:alert(1)">x</a>', "<a> has a script URL in `href`"),
    ('<form action="javascript:x"></form>', "<form> has a script URL in `action`"),
    ('<svg><a xlink:href="javascript:x">y</a></svg>', "<a> has a script URL in `xlink:href`"),
    ('<svg><animate attributeName="href" to="javascript:x"/></svg>',
     "<animate> has a script URL in `to`"),
    ('<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', "<a> has a `data:` URL in `href`"),
    ('<p style="background:url(javascript:x)">x</p>', "<p> has a `style` attribute with script"),
    ('<iframe src="https://example.org/"></iframe>', "<iframe> element: embedded content"),
    ('<object data="x.swf"></object>', "<object> element: embedded content"),
    ('<embed src="x.swf">', "<embed> element: embedded content"),
    ('<base href="https://evil.example/">', "<base> element"),
    ('<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
     "<meta http-equiv=refresh>"),
    ("<script>alert(1)</script>", "inline <script> not produced by the theme: `alert(1)`"),
    ('<script type="module">alert(1)</script>', "inline <script> not produced by the theme"),
    ('<script src="https://evil.example/x.js"></script>', "<script> loaded from another site"),
    ('<script src="//evil.example/x.js"></script>', "<script> loaded from another site"),
    # The theme's script with something appended, or with code where the URL goes:
    (f"<script>{MATERIAL_SCOPE};alert(1)</script>", "inline <script> not produced by the theme"),
    ("<script>" + MATERIAL_SCOPE.replace("../..", '..",alert(1),"') + "</script>",
     "inline <script> not produced by the theme"),
])
def test_what_could_run_script_is_found(tmp_path, html, expected):
    result = scan(tmp_path, page(html))
    assert len(result.findings) == 1, result.report()
    assert expected in result.findings[0].message
    assert result.findings[0].format().startswith("index.html:1:")
    assert result.script_hashes == set()


def test_svg_files_and_search_indexes_are_scanned(tmp_path):
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "search_index.json").write_text(json.dumps({"docs": [
        {"location": "a/", "title": "ok &lt;b&gt;", "text": "<p>fine</p>"},
        {"location": "b/", "title": "x", "text": "<img src=x onerror=alert(1)>"}]}))
    (tmp_path / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>'
                                       "alert(1)</script></svg>")
    messages = sorted(f.format() for f in scan_site(tmp_path, TEMPLATES).findings)
    assert messages == [
        "logo.svg:1:41: inline <script> not produced by the theme: `alert(1)`",
        "search/search_index.json (docs[2].text, b/):1:1: <img> has an event-handler attribute "
        "`onerror` (it runs script)."]


def test_theme_patterns_come_from_materials_templates_and_the_overrides():
    patterns = theme_script_patterns(TEMPLATES)
    assert any(p.fullmatch(MATERIAL_SCOPE) for p in patterns)
    # Only URL-like characters may stand where the template has `{{ ... }}`.
    assert not any(p.fullmatch(MATERIAL_SCOPE.replace("../..", '"+alert(1)+"')) for p in patterns)


def test_csp_hash_is_the_one_browsers_compute():
    # sha256 of "alert(1)", base64: the value Chrome prints in its CSP error messages.
    assert csp_hash("alert(1)") == "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"
    assert csp_hash("a\r\nb") == csp_hash("a\nb")


def test_headers_files_carry_the_policy_with_the_builds_hashes(tmp_path):
    hashes = {csp_hash("a()"), csp_hash("b()")}
    written = hosting.write_server_config(tmp_path, hashes)
    assert sorted(p.name for p in written) == [".htaccess", "_headers", "_headers.nginx.conf"]
    headers = hosting.headers_for(hosting.read_headers_file(tmp_path / "_headers"), "/x/")
    policy = headers["Content-Security-Policy"]
    assert f"script-src 'self' 'wasm-unsafe-eval' {' '.join(sorted(hashes))};" in policy
    for directive in ("default-src 'self'", "object-src 'none'", "base-uri 'self'",
                      "frame-ancestors 'none'", "style-src 'self';"):
        assert directive in policy
    # WebAssembly only (Pagefind): never JavaScript eval or inline code
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Frame-Options"] == "DENY"
    apache = (tmp_path / ".htaccess").read_text()
    nginx = (tmp_path / "_headers.nginx.conf").read_text()
    assert f'Header always set Content-Security-Policy "{policy}"' in apache
    assert f'add_header Content-Security-Policy "{policy}" always;' in nginx
