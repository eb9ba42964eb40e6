"""A corpus of hostile text (script tags, event handlers, Markdown tricks, URL schemes…) and
a mini Handbook filled with what the validator accepts of it: used by the XSS tests and the
Content-Security-Policy tests on the same built site."""

from __future__ import annotations

import json

from .handbooks import HandbookCopy

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


PLAIN = " ¦ ".join(ACCEPTED)
MARKDOWN = " ¦ ".join(ACCEPTED + MARKDOWN_ONLY)
TOOL_URL, SOURCE_URL = [url for url, refused in URL_PAYLOADS.items() if not refused]
SHEET = "sheets/wp1-01.yaml"


def make_hostile(mini: HandbookCopy) -> None:
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
                 f"title: {plain}, publisher: {plain}, url: {json.dumps(SOURCE_URL)}, "
                 "accessed: 2026-12-01,")
    mini.replace("catalogues/tools.yaml", 'url: "https://example.org/"',
                 f"url: {json.dumps(TOOL_URL)}")
    mini.replace("ui.yaml", 'objective: {fr: "Objectif", en: "Objective"}', f"objective: {both}")
    # The footer of every page (a theme template, rendered without autoescape): the licence
    # statement and the contact come from handbook.yaml.
    mini.replace("handbook.yaml", 'licence: {fr: "© Dijon métropole", en: "© Dijon métropole (France)"}',
                 f"licence: {both}")
    mini.replace("handbook.yaml", 'contact: {name: {fr: "Dijon métropole", en: "Dijon métropole (France)"}',
                 f"contact: {{name: {both}")
