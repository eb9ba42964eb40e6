"""Rendering helpers: links between pages, Markdown sanitizing, escaping."""

from __future__ import annotations

import pytest

from faasst_handbook.render.environment import (inline_markdown_escape, make_environment,
                                    markdown_to_safe_html, relative_url)


@pytest.mark.parametrize("target, current, expected", [
    ("handbook/wp1/wp1-02/", "handbook/wp1/wp1-01/", "../wp1-02/"),
    ("", "handbook/wp1/", "../../"),
    ("handbook/", "", "handbook/"),
    ("handbook/wp1/#x", "handbook/wp1/", "#x"),
    ("handbook/catalogues/roles/#role-a", "handbook/wp1/wp1-01/", "../../catalogues/roles/#role-a"),
    ("about/", "about/", "./"),
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


def test_inline_escape_disables_markdown_and_html():
    assert inline_markdown_escape("A *b* {: onclick=x} <i>&") == (
        "A \\*b\\* \\{: onclick=x\\} &lt;i&gt;&amp;")


def test_templates_fail_on_missing_values():
    env = make_environment()
    template = env.from_string("{{ value | t }}")
    with pytest.raises(Exception):
        template.render(lang="en", value={"fr": "seulement en français"})


def test_plain_text_is_escaped_in_templates():
    env = make_environment()
    out = env.from_string("<p>{{ value | t }}</p>").render(lang="fr", value={"fr": "<b>x</b> & y"})
    assert out == "<p>&lt;b&gt;x&lt;/b&gt; &amp; y</p>"
