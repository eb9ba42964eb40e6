"""The print documents' stylesheet (templates/print/checklists.css), scoped to one element of a
site page: the pack builder prints its chosen checklists with the very rules of the PDFs.

checklists.css styles a whole document (`html`, `body`, `p`, `a`…); on a site page those
rules would restyle the theme, and the theme's (`.md-typeset h3`, `.md-typeset ul li`…) would
win over the document's classes. So the scoped copy:

- starts by resetting everything inside the scope (`all: revert`, by the scope's id: it beats
  the theme's class selectors) except SVG, whose presentation attributes draw the QR codes,
  and keeps `hidden` elements hidden;
- prefixes every selector with the scope's id (`html`, `body` and `main` become the scope);
- keeps the `@page` rules (A4, margins) and the print-only rules, drops the screen-only ones.

It is generated at build time rather than written by hand, so that the pack builder cannot
drift from the PDFs: printing/documents.py writes it beside checklists.css (plan/routes.py,
PACK_PRINT_CSS).
"""

from __future__ import annotations

import re

import tinycss2

PACK_SCOPE = "#hb-pack"  # the pack builder's container (templates/pack-builder.html.j2)
_DOCUMENT_ROOT = re.compile(r"^(html|body|main)(?![\w-])")


def scoped(css: str, scope: str = PACK_SCOPE) -> str:
    out = [f"/* Generated from checklists.css, scoped to {scope} (printing/stylesheets.py). */",
           f"{scope}, {scope} *:not(svg, svg *) {{ all: revert; }}",
           # Chromium maps `hidden` to display:none as the author's style: `revert` undoes it
           f"{scope} [hidden] {{ display: none; }}"]
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        out.extend(_scoped_rule(rule, scope))
    return "\n".join(out) + "\n"


def _scoped_rule(rule, scope: str) -> list[str]:
    if rule.type == "qualified-rule":
        selectors = ", ".join(_scope_selector(s, scope) for s in _selectors(rule.prelude))
        return [f"{selectors} {{{tinycss2.serialize(rule.content)}}}"]
    if rule.type != "at-rule":
        return []
    if rule.lower_at_keyword == "page":
        return [tinycss2.serialize([rule])]
    if rule.lower_at_keyword == "media":
        media = tinycss2.serialize(rule.prelude).strip().lower()
        if media != "print":  # the stylesheet is linked for print only
            return []
        inner = tinycss2.parse_rule_list(rule.content, skip_comments=True,
                                         skip_whitespace=True)
        return [line for child in inner for line in _scoped_rule(child, scope)]
    return []


def _selectors(prelude) -> list[str]:
    """The comma-separated selectors of a rule (commas inside functions stay inside)."""
    parts, current = [], []
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            parts.append(current)
            current = []
        else:
            current.append(token)
    parts.append(current)
    return [tinycss2.serialize(part).strip() for part in parts if part]


def _scope_selector(selector: str, scope: str) -> str:
    if _DOCUMENT_ROOT.match(selector):
        return _DOCUMENT_ROOT.sub(scope, selector, count=1)
    return f"{scope} {selector}"
