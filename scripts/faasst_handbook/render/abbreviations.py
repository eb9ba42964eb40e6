"""Explain acronyms on hover and focus: wrap glossary acronyms (SEM, PCAET, CEE…) found in a
page's text in `<abbr title="…">`.

Done on the final HTML (not in Markdown) because most generated content is raw HTML, which
Markdown's `abbr` extension does not touch. Only text inside the article is changed, never
inside links, headings, code, form controls or existing `<abbr>`; the first occurrence of each
acronym on a page is made focusable so keyboard users can reach the explanation too.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

_TOKENS = re.compile(r"(<!--.*?-->|<[^>]+>)", re.DOTALL)
_TAG_NAME = re.compile(r"^<\s*(/?)\s*([a-zA-Z0-9]+)")
_SKIP = {"a", "abbr", "code", "pre", "script", "style", "h1", "h2", "h3", "h4", "h5", "h6",
         "button", "label", "option", "select", "textarea", "svg", "title", "kbd", "time", "dt"}
_VOID = {"br", "img", "input", "hr", "meta", "link", "source", "wbr", "col", "area", "base",
         "embed", "param", "track"}
_ARTICLE = re.compile(r'(<article class="md-content__inner md-typeset">)(.*?)(</article>)',
                      re.DOTALL)


def acronym_pattern(acronyms: dict[str, str]) -> re.Pattern | None:
    """Longest acronyms first so `EnR&R` wins over `EnR`."""
    return _compile(tuple(acronyms))


@lru_cache(maxsize=8)  # called for every page with the same few acronym lists
def _compile(acronyms: tuple[str, ...]) -> re.Pattern | None:
    if not acronyms:
        return None
    escaped = sorted((re.escape(html.escape(a, quote=False)) for a in acronyms), key=len,
                     reverse=True)
    return re.compile(r"(?<![\w&])(" + "|".join(escaped) + r")(?![\w])")


def add_abbreviations(page_html: str, acronyms: dict[str, str]) -> str:
    """Return the page with acronyms in the article wrapped in <abbr title>."""
    pattern = acronym_pattern(acronyms)
    if pattern is None:
        return page_html
    lookup = {html.escape(a, quote=False): title for a, title in acronyms.items()}

    def process(article: str) -> str:
        seen: set[str] = set()
        out, stack = [], []
        for part in _TOKENS.split(article):
            if not part:
                continue
            if part.startswith("<"):
                match = _TAG_NAME.match(part)
                if match and not part.startswith("<!--"):
                    closing, name = match.group(1) == "/", match.group(2).lower()
                    if name in _VOID or part.endswith("/>"):
                        pass
                    elif closing:
                        if name in stack:
                            while stack and stack.pop() != name:
                                pass
                    else:
                        stack.append(name)
                out.append(part)
            elif any(tag in _SKIP for tag in stack):
                out.append(part)
            else:
                out.append(pattern.sub(lambda m: _abbr(m.group(1), lookup, seen), part))
        return "".join(out)

    return _ARTICLE.sub(lambda m: m.group(1) + process(m.group(2)) + m.group(3), page_html,
                        count=1)


def _abbr(acronym: str, lookup: dict[str, str], seen: set[str]) -> str:
    title = html.escape(lookup[acronym], quote=True)
    focus = "" if acronym in seen else ' tabindex="0"'
    seen.add(acronym)
    return f'<abbr title="{title}"{focus}>{acronym}</abbr>'
