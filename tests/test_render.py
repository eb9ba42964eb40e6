"""Rendering helpers: links between pages, Markdown sanitizing, escaping, headings."""

from __future__ import annotations

import pytest
from jinja2 import UndefinedError

from faasst_handbook.render.environment import (TableOfContents, make_environment,
                                                markdown_to_safe_html, relative_url)


@pytest.mark.parametrize("target, current, expected", [
    ("handbook/wp1/wp1-02/", "handbook/wp1/wp1-01/", "../wp1-02/"),
    ("", "handbook/wp1/", "../../"),
    ("handbook/", "", "handbook/"),
    ("handbook/wp1/#x", "handbook/wp1/", "#x"),
    ("handbook/catalogues/roles/#role-a", "handbook/wp1/wp1-01/", "../../catalogues/roles/#role-a"),
    ("about/", "about/", "./"),
    ("checklists/wp1-01.pdf", "handbook/wp1/", "../../checklists/wp1-01.pdf"),
    ("checklists/wp1-01.html", "", "checklists/wp1-01.html"),
])
def test_relative_url(target, current, expected):
    assert relative_url(target, current) == expected


@pytest.mark.parametrize("payload", [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[x](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src='https://evil.example'></iframe>",
    '<svg onload="alert(1)">',
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
    '<p style="background:url(javascript:alert(1))">x</p>',
])
def test_markdown_output_is_sanitized(payload):
    html = markdown_to_safe_html(payload)
    lowered = html.lower()
    for forbidden in ("<script", "onerror", "onload", "javascript:", "<iframe", "<svg",
                      "data:", "style="):
        assert forbidden not in lowered, html


def test_markdown_keeps_what_editors_may_use():
    html = markdown_to_safe_html("Un *mot*, **deux**, [lien](https://example.org)\n\n- a\n- b")
    assert "<em>mot</em>" in html and "<strong>deux</strong>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer">lien</a>' in html
    assert "<ul>" in html


def test_an_undefined_value_fails_the_render():
    """StrictUndefined: a template asking for data the context lacks stops the build
    instead of rendering an empty string."""
    with pytest.raises(UndefinedError, match="'summary' is undefined"):
        make_environment().from_string("<p>{{ summary }}</p>").render(lang="en")


def test_a_text_without_the_page_language_fails_the_render():
    """The validator refuses a missing translation before rendering; should one reach a
    template anyway, the `t` filter fails on it rather than showing another language."""
    with pytest.raises(KeyError, match="'en'"):
        make_environment().from_string("{{ value | t }}").render(
            lang="en", value={"fr": "seulement en français"})


def test_plain_text_is_escaped_in_templates():
    env = make_environment()
    out = env.from_string("<p>{{ value | t }}</p>").render(lang="fr", value={"fr": "<b>x</b> & y"})
    assert out == "<p>&lt;b&gt;x&lt;/b&gt; &amp; y</p>"


def test_a_heading_has_its_permalink_in_the_page_language_and_enters_the_toc():
    env = make_environment()
    toc = TableOfContents()
    out = env.from_string('{{ heading(2, title, "steps") }}{{ heading(3, "1. A", "step-1") }}'
                          '{{ heading(2, "B", "b") }}').render(
        lang="en", title="Steps <&>", toc=toc, ui={"permalink": "Link to this section"})
    assert out.startswith('<h2 id="steps">Steps &lt;&amp;&gt;<a class="headerlink" '
                          'href="#steps" title="Link to this section">¶</a></h2>')
    assert [(t["id"], [c["id"] for c in t["children"]]) for t in toc.tokens] == [
        ("steps", ["step-1"]), ("b", [])]
    assert toc.ids == ["steps", "step-1", "b"]
