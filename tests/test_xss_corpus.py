"""Hostile text through every kind of field: what the validator refuses is refused with a clear
message; what it accepts comes out as inert text in the built HTML and in the printable PDFs.

Field kinds: plain text (`Text`), Markdown text, single-language plain strings (a source's
title and publisher), interface strings (ui.yaml), web addresses, ids.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import HandbookCopy
from faasst_handbook.checks.security_scan import scan_site, theme_template_dirs
from mini_site import shared_build
from test_bad_inputs import ACTIONS

# Refused in every text field: tags, Markdown images, attribute lists, links to anything but
# https://, mailto: and #anchors.
REFUSED = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src=https://evil.example/></iframe>",
    "<object data=x></object>",
    "<embed src=x>",
    "</p><script>alert(1)</script>",
    "</ script>",
    "<!-- x --><script>alert(1)</script>",
    '"><svg/onload=alert(1)>',
    "`<script>alert(1)</script>`",
    "<javascript:alert(1)>",
    '<https://example.org/?q="><script>alert(1)</script>>',
    "{: onclick=alert(1)}",
    'Titre {: onclick="alert(1)" }',
    "{#x onclick=alert(1)}",
    "{.x onmouseover=alert(1)}",
    "{onclick=alert(1)}",
    "[x](JaVaScRiPt:alert(1))",
    "[x](javascript:alert(1))",
    "[x]( javascript:alert(1))",
    "[x](<javascript:alert(1)>)",
    "[x](&#106;avascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](vbscript:msgbox(1))",
    "[x][r]\n\n[r]: javascript:alert(1)",
    '![a](x" onerror="y)',
    "![a](https://evil.example/pixel.png)",
]
# Accepted in Markdown fields (links to https:// with quotes in them), refused in plain text
# (a Markdown link there would become a link in a heading).
MARKDOWN_ONLY = [
    '[x](https://example.org/" onmouseover="alert(1))',
    '[x](https://example.org/ "t" onmouseover=alert(1))',
    "[x](https://example.org/#\" onclick=\"alert(1))",
]
# Accepted everywhere text is: they must come out as the same text, doing nothing.
ACCEPTED = [
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;img src=x onerror=alert(1)&#62;",
    '" onmouseover="alert(1)',
    "' onmouseover='alert(1)",
    "javascript:alert(1)",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "{{ 7*7 }} {% raw %}",
    "I <3 climate & 2 > 1",
]
# (label, file, text to replace, replacement with {} for the JSON-quoted payload, field path)
FIELDS = {
    "plain-text": ("sheets/wp1-01.yaml", 'summary: {fr: "Résumé de la fiche 01."',
                   "summary: {{fr: {}", "summary.fr"),
    "markdown-text": ("sheets/wp1-01.yaml", 'objective: {fr: "Objectif de la fiche 01."',
                      "objective: {{fr: {}", "objective.fr"),
    "source-title": ("sources.yaml", 'title: "Lettre n° 4"', "title: {}", "[1].title"),
    "source-publisher": ("sources.yaml", 'publisher: "Dijon métropole"', "publisher: {}",
                         "[1].publisher"),
    "ui-string": ("ui.yaml", 'objective: {fr: "Objectif"', "objective: {{fr: {}", "objective.fr"),
    "url": ("catalogues/tools.yaml", 'url: "https://example.org/"', "url: {}", "[1].url"),
    "id": ("catalogues/roles.yaml", "- {id: role.lead,", "- {{id: {}, ", "[1].id"),
}
URL_PAYLOADS = {  # web address → refused?
    "javascript:alert(1)": True,
    " JaVaScRiPt:alert(1)": True,
    "data:text/html,<script>alert(1)</script>": True,
    "vbscript:msgbox(1)": True,
    "http:javascript:alert(1)": True,
    "//evil.example/x": True,
    "https://example.org/\" onmouseover=\"alert(1)": True,
    "https://example.org/\"onmouseover=\"alert(1)": True,
    "https://example.org/'onmouseover='alert(1)": True,
    "https://example.org/><script>alert(1)</script>": True,
    "https://example.org/?q=%22%3E%3Cscript%3Ealert(1)%3C/script%3E": False,
    "https://example.org/#javascript:alert(1)": False,
}


def expected_refusal(field: str, payload: str) -> bool:
    if field in ("id", "url"):
        return True  # none of these is an id or a web address
    if payload in REFUSED:
        return True
    if payload in MARKDOWN_ONLY:
        return field != "markdown-text"
    assert payload in ACCEPTED
    return False


def inject(mini: HandbookCopy, field: str, payload: str) -> int:
    """Put `payload` into the field; returns the line it is written on."""
    relative, old, new, _ = FIELDS[field]
    text = mini.read(relative)
    mini.replace(relative, old, new.format(json.dumps(payload, ensure_ascii=False)))
    return text[:text.index(old)].count("\n") + 1


@pytest.mark.parametrize("payload", REFUSED + MARKDOWN_ONLY + ACCEPTED)
@pytest.mark.parametrize("field", list(FIELDS))
def test_the_validator_refuses_clearly_or_accepts(mini, field, payload):
    line = inject(mini, field, payload)
    problems = mini.load().problems
    if not expected_refusal(field, payload):
        assert problems == [], f"{payload!r} should be accepted in {field}"
        return
    assert len(problems) == 1, [p.format() for p in problems]
    [problem] = problems
    relative, _, _, field_path = FIELDS[field]
    assert (problem.file, problem.field, problem.line) == (f"handbook/{relative}", field_path, line)
    assert problem.column > 1 and ACTIONS.search(problem.message), problem.format()


@pytest.mark.parametrize("url, refused", URL_PAYLOADS.items())
def test_web_addresses(mini, url, refused):
    inject(mini, "url", url)
    messages = mini.messages()
    if refused:
        assert len(messages) == 1 and "[1].url: `" in messages[0], messages
        assert "is not a web address: write the full address, starting with https://" in messages[0]
    else:
        assert messages == []


# --- rendering, even if the validator let something through -------------------------------

SITE_EXTENSIONS = ["abbr", "attr_list", "md_in_html", "admonition", "tables", "toc"]  # mkdocs.yml


def _attribute_names(html: str) -> set[str]:
    names: set[str] = set()

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            names.update(name for name, _ in attrs)

    Collect().feed(html)
    return names


@pytest.mark.parametrize("text", [
    "Hello {: onclick=alert(1)}",
    "para\n\n{: onclick=alert(1)}",
    "x\n{: onclick=alert(1)}",
    "- item {: onclick=alert(1)}\n- two",
    "> quote\n>\n> {: onclick=alert(1)}",
    "a\n\n    code\n\n    {: onclick=alert(1)}\n\nb {: onclick=alert(1)}",
    "`{: onclick=alert(1)}`",
    '[x](https://example.org/){: onclick="alert(1)"}',
])
def test_markdown_attribute_lists_cannot_add_attributes(text):
    """A Markdown field is rendered and sanitized, then the page goes through the site's own
    Markdown (with attr_list): no attribute list survives either pass."""
    from faasst_handbook.render.environment import markdown_to_safe_html

    page = f"## Objectif {{#objective}}\n\n{markdown_to_safe_html(text)}\n\n## Suite {{#next}}\n"
    import markdown

    html = markdown.markdown(page, extensions=SITE_EXTENSIONS)
    assert not [name for name in _attribute_names(html) if name.startswith("on")], html
    assert 'id="objective"' in html and 'id="next"' in html


def test_plain_text_in_a_heading_cannot_add_attributes():
    import markdown

    from faasst_handbook.render.environment import inline_markdown_escape

    heading = "### 1. " + inline_markdown_escape('Étape {: onclick="alert(1)" }') + " {#step-1}"
    html = markdown.markdown(heading, extensions=SITE_EXTENSIONS)
    assert html == '<h3 id="step-1">1. Étape {: onclick="alert(1)" }</h3>'  # text, not attributes


# --- what is accepted, built: the hostile mini site ---------------------------------------

PLAIN = " ¦ ".join(ACCEPTED)
MARKDOWN = " ¦ ".join(ACCEPTED + MARKDOWN_ONLY)
TOOL_URL, SOURCE_URL = [url for url, refused in URL_PAYLOADS.items() if not refused]
SHEET = "sheets/wp1-01.yaml"


def _hostile(mini: HandbookCopy) -> None:
    plain, markdown = (json.dumps(text, ensure_ascii=False) for text in (PLAIN, MARKDOWN))
    # The English differs from the French by a word: a copy would be refused as untranslated.
    plain_en, markdown_en = (json.dumps(text + " (en)", ensure_ascii=False)
                             for text in (PLAIN, MARKDOWN))
    both = f"{{fr: {plain}, en: {plain_en}}}"
    mini.replace(SHEET, 'title: {fr: "Fiche 01 en français", en: "Sheet 01 in English"}',
                 f"title: {both}")
    mini.replace(SHEET, 'summary: {fr: "Résumé de la fiche 01.", en: "Summary of sheet 01."}',
                 f"summary: {both}")
    mini.replace(SHEET, 'objective: {fr: "Objectif de la fiche 01.", en: "Objective of sheet 01."}',
                 f"objective: {{fr: {markdown}, en: {markdown_en}}}")
    mini.replace(SHEET, '{text: {fr: "Point un 01.", en: "Item one 01."}', f"{{text: {both}")
    mini.replace("catalogues/roles.yaml", 'name: {fr: "Cheffe de projet", en: "Project lead"}',
                 f"name: {both}")
    mini.replace("sources.yaml", 'title: "Lettre n° 4", publisher: "Dijon métropole",',
                 f"title: {plain}, publisher: {plain}, url: {json.dumps(SOURCE_URL)},")
    mini.replace("catalogues/tools.yaml", 'url: "https://example.org/"',
                 f"url: {json.dumps(TOOL_URL)}")
    mini.replace("ui.yaml", 'objective: {fr: "Objectif", en: "Objective"}', f"objective: {both}")
    text = mini.read("ui.yaml")
    footer = re.search(r"^footer_copyright: .*$", text, re.MULTILINE).group(0)
    mini.write("ui.yaml", text.replace(footer, f"footer_copyright: {both}"))


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    return shared_build(tmp_path_factory, "hostile-mini-site", _hostile) / "site"


class Page(HTMLParser):
    """The parts of a built page the payloads reach, as a reader's browser would see them."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict]] = []
        self.texts: dict[str, str] = {}  # key → text content
        self.headings: list[list[str]] = []  # [tag, text] of each h1/h2/h3
        self.attributes: list[tuple[str, str, str]] = []  # (tag, name, value)
        self.scripts = 0
        self.feed(html)

    def key(self, tag: str, attrs: dict) -> str | None:
        classes = (attrs.get("class") or "").split()
        if tag == "h1":
            return "h1"
        for name in ("hb-lead", "md-copyright__highlight", "hb-sources"):
            if name in classes:
                return name
        if tag in ("h2", "dd") and self.stack and "hb-entry" not in classes:
            return tag
        return None

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        self.attributes += [(tag, name, value or "") for name, value in attrs]
        self.scripts += tag == "script"
        if tag in ("h1", "h2", "h3"):
            self.headings.append([tag, ""])
        if tag in ("br", "img", "meta", "link", "input", "hr", "source"):
            return
        self.stack.append((tag, values))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if any(tag in ("h1", "h2", "h3") for tag, _ in self.stack) and self.headings:
            self.headings[-1][1] += data
        for tag, attrs in self.stack:
            key = self.key(tag, attrs)
            if key:
                self.texts[key] = self.texts.get(key, "") + data

    def text(self, key: str) -> str:
        return " ".join(self.texts.get(key, "").replace("¶", "").split())


def read_page(site: Path, path: str) -> Page:
    return Page((site / path / "index.html").read_text(encoding="utf-8"))


def test_the_hostile_site_passes_the_security_scan(hostile_site):
    result = scan_site(hostile_site, theme_template_dirs(hostile_site.parent))
    assert result.ok, result.report()
    assert result.files > 40 and result.script_hashes


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_accepted_payloads_are_shown_as_text_on_the_sheet(hostile_site, prefix):
    page = read_page(hostile_site, f"{prefix}handbook/wp1/wp1-01")
    clean = read_page(hostile_site, f"{prefix}handbook/wp1/wp1-02")
    assert page.text("h1").endswith(PLAIN)  # the title (the heading)
    assert page.text("hb-lead") == PLAIN  # the summary
    h2 = [" ".join(text.replace("¶", "").split()) for tag, text in page.headings if tag == "h2"]
    # An interface string in a heading (objective). `startswith`: braces in it (`{{ 7*7 }}`)
    # keep Markdown from reading the heading's `{#objective}`, which then shows as text.
    assert h2[0].startswith(PLAIN)
    assert page.text("md-copyright__highlight") == PLAIN  # an interface string in the theme
    descriptions = [v for t, n, v in page.attributes if t == "meta" and n == "content"
                    and PLAIN in v]
    assert descriptions == [PLAIN]  # the summary, whole, in one attribute
    assert page.scripts == clean.scripts  # no <script> element came in
    assert not [a for a in page.attributes if a[1].startswith("on")]
    for tag, name, value in page.attributes:
        if name in ("href", "src"):
            assert not re.match(r"\s*(javascript|vbscript|data):", value, re.I), (tag, value)


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_accepted_payloads_are_shown_as_text_in_the_catalogues(hostile_site, prefix):
    roles = read_page(hostile_site, f"{prefix}handbook/catalogues/roles")
    assert PLAIN in roles.text("h2")
    sources = read_page(hostile_site, f"{prefix}handbook/catalogues/sources")
    assert PLAIN in sources.text("h2") and PLAIN in sources.text("dd")
    tools = read_page(hostile_site, f"{prefix}handbook/catalogues/tools")
    links = [v for t, n, v in tools.attributes if t == "a" and n == "href" and "example.org" in v]
    assert links == [TOOL_URL]


def _pdf_problems(reader) -> list[str]:
    """Actions a PDF reader could run: JavaScript, launching programs, non-https links."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    found, seen, todo = [], set(), [reader.trailer]
    while todo:
        item = todo.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            for key in ("/JS", "/JavaScript", "/Launch", "/SubmitForm", "/ImportData"):
                if key in item:
                    found.append(key)
            if item.get("/S") in ("/JavaScript", "/Launch", "/SubmitForm", "/ImportData"):
                found.append(str(item.get("/S")))
            uri = item.get("/URI")
            if uri is not None and not str(uri).startswith("https://"):
                found.append(f"URI {uri}")
            todo += [value for key, value in item.items() if key != "/Parent"]
        elif isinstance(item, ArrayObject):
            todo += list(item)
    return found


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_accepted_payloads_are_plain_text_in_the_pdfs(hostile_site, prefix):
    from pypdf import PdfReader

    pdfs = sorted((hostile_site / prefix / "checklists").glob("*.pdf"))
    assert pdfs, "no printable checklists in the site"
    for pdf in pdfs:
        assert _pdf_problems(PdfReader(pdf)) == [], pdf.name
    reader = PdfReader(hostile_site / prefix / "checklists" / "wp1-01.pdf")
    text = "".join("".join(page.extract_text() for page in reader.pages).split())
    for payload in ACCEPTED:  # the title and the first checklist item, word for word
        assert "".join(payload.split()) in text, payload
