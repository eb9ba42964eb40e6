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

from support.handbooks import HandbookCopy
from faasst_handbook.checks.security_scan import scan_site, theme_template_dirs
from support.sites import shared_build
from support.hostile import (ACCEPTED, FIELDS, MARKDOWN, MARKDOWN_ONLY, PLAIN, REFUSED, SHEET,
                             TOOL_URL, URL_PAYLOADS, make_hostile)
from support.messages import ACTIONS

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
    """A Markdown field is rendered without attr_list and sanitized; the page it lands in is
    HTML, never run through the site's Markdown again."""
    from faasst_handbook.render.environment import markdown_to_safe_html

    html = markdown_to_safe_html(text)
    assert not [name for name in _attribute_names(html) if name.startswith("on")], html


def test_plain_text_in_a_heading_cannot_add_attributes():
    from faasst_handbook.render.environment import make_environment

    html = make_environment().from_string('{{ heading(3, title, "step-1") }}').render(
        title='1. Étape {: onclick="alert(1)" } <b onclick=x>', ui={"permalink": "Lien"})
    assert html.startswith('<h3 id="step-1">1. Étape {: onclick=&#34;alert(1)&#34; } '
                           '&lt;b onclick=x&gt;<a class="headerlink"'), html
    assert _attribute_names(html) == {"id", "class", "href", "title"}


# --- what is accepted, built: the hostile mini site ---------------------------------------

@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    return shared_build(tmp_path_factory, "hostile-mini-site", make_hostile) / "site"


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
    shown = PLAIN if not prefix else PLAIN + " (en)"  # the English differs by a word
    assert page.text("h1").endswith(shown)  # the title (the heading)
    assert page.text("hb-lead") == shown  # the summary
    h2 = [" ".join(text.replace("¶", "").split()) for tag, text in page.headings if tag == "h2"]
    assert h2[0] == shown  # an interface string in a heading (objective)
    assert page.text("md-copyright__highlight") == shown  # an interface string in the theme
    descriptions = [v for t, n, v in page.attributes if t == "meta" and n == "content"
                    and PLAIN in v]
    assert descriptions == [shown]  # the summary, whole, in one attribute
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
    # the tool's link (the footer's contact address is on example.org too)
    links = [v for t, n, v in tools.attributes
             if t == "a" and n == "href" and "example.org" in v and not v.startswith("mailto:")]
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
