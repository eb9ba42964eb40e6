"""The Jinja2 environment of the site pages and the print documents.

Safety rules (see CONTRIBUTING.md): autoescape is on for every template; plain text fields
are escaped; Markdown fields go through `md`, which renders then sanitizes with an allow-list.
Generated pages are HTML: no Markdown syntax in a plain text can ever become markup.

Filters: `t` (the text in the page's language — or, for a language with a `fallback` that
lacks it, the fallback's text, which source/text.py put there; `t` then returns it as a
`ForeignText` naming its language, which `heading()` marks with `lang`), `md` (Markdown
field → safe HTML; a fallback text is wrapped in `<div lang>`), `rel` (a
site-relative URL made relative to the current page, so links work under `/` and `/en/`),
`anchor`, `colon` (label typography of the language), `qr` and `short_url` (print documents).
`heading(level, text, id)` writes a heading with its permalink and records it for the page's
table of contents.
"""

from __future__ import annotations

import posixpath
from functools import lru_cache
from pathlib import Path

import markdown as markdown_lib
import nh3
from jinja2 import (Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined,
                    pass_context)
from markupsafe import Markup, escape

from ..plan.routes import anchor
from . import qr

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"

_ALLOWED_TAGS = {"p", "em", "strong", "ul", "ol", "li", "a", "code", "br", "blockquote",
                 "abbr"}
_ALLOWED_ATTRIBUTES = {"a": {"href", "title", "hreflang"}, "abbr": {"title"}}


@lru_cache(maxsize=8192)
def markdown_to_safe_html(text: str) -> str:
    """Markdown → HTML limited to an allow-list of tags, attributes and URL schemes."""
    html = markdown_lib.markdown(text, extensions=[], output_format="html")
    return nh3.clean(html, tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRIBUTES,
                     url_schemes={"https", "http", "mailto"}, link_rel="noopener noreferrer")


@lru_cache(maxsize=65536)  # every page links to the same few hundred targets
def relative_url(target: str, current: str) -> str:
    """Relative link from the page at URL `current` to `target`, both site-relative: folder
    URLs like `handbook/wp1/` (`` is the home page) or files like `checklists/x.pdf`,
    optionally with #anchor. Relative links keep working under `/` and `/en/`."""
    target_path, _, fragment = target.partition("#")
    if target_path == current and fragment:
        return f"#{fragment}"
    folder = current.rstrip("/") or "."
    if target_path and not target_path.endswith("/"):  # a file
        link = posixpath.relpath(target_path, folder)
    else:
        link = posixpath.relpath(target_path.rstrip("/") or ".", folder)
        link = "./" if link == "." else link + "/"
    return link + (f"#{fragment}" if fragment else "")


class TableOfContents:
    """Headings written by `heading()` while a page renders, nested by level."""

    def __init__(self):
        self.tokens: list[dict] = []
        self.ids: list[str] = []
        self._open: list[dict] = []

    def add(self, level: int, html_title: str, anchor_id: str) -> None:
        token = {"level": level, "id": anchor_id, "name": html_title, "children": []}
        self.ids.append(anchor_id)
        while self._open and self._open[-1]["level"] >= level:
            self._open.pop()
        (self._open[-1]["children"] if self._open else self.tokens).append(token)
        self._open.append(token)


def make_environment(extra_paths: list[Path] | None = None,
                     bytecode_dir: Path | None = None) -> Environment:
    """`bytecode_dir`: where compiled templates are kept between runs (compiling them all
    takes about a second; loading them from there, a few milliseconds)."""
    env = Environment(
        bytecode_cache=FileSystemBytecodeCache(str(bytecode_dir)) if bytecode_dir else None,
        loader=FileSystemLoader([str(p) for p in (extra_paths or [])] + [str(TEMPLATES)]),
        autoescape=True,  # select_autoescape would miss `*.html.j2`
        undefined=StrictUndefined,  # a missing translation must fail, not render empty
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        comment_start_string="{#-",
        comment_end_string="-#}",
    )
    env.filters["t"] = _translate
    env.filters["md"] = _markdown
    env.filters["rel"] = _relative
    env.filters["anchor"] = anchor
    env.filters["colon"] = _colon
    env.filters["qr"] = _qr
    env.filters["short_url"] = qr.short_url
    env.globals["heading"] = _heading
    return env


class ForeignText(str):
    """A text shown on a page of another language (a fallback): `lang` is its language."""

    __slots__ = ("lang",)

    def __new__(cls, text: str, lang: str):
        made = super().__new__(cls, text)
        made.lang = lang
        return made


def _borrowed_from(value: dict[str, str], lang: str) -> str | None:
    """The language whose text stands in for `lang`'s (source/text.py), or None."""
    borrowed = getattr(value, "borrowed", None)
    return borrowed.get(lang) if borrowed else None


@pass_context
def _translate(context, value: dict[str, str]) -> str:
    lang = context["lang"]
    shown = _borrowed_from(value, lang)
    return value[lang] if shown is None else ForeignText(value[lang], shown)


@pass_context
def _markdown(context, value: dict[str, str]) -> Markup:
    lang = context["lang"]
    html = markdown_to_safe_html(value[lang])
    shown = _borrowed_from(value, lang)
    return Markup(html if shown is None else f'<div lang="{escape(shown)}">{html}</div>')


@pass_context
def _relative(context, target: str) -> str:
    return relative_url(target, context["page_url"])


@pass_context
def _colon(context, label: str) -> str:
    """`Effort` → `Effort:` in English, `Charge :` in French (typography from ui.yaml)."""
    return context["ui"]["label_colon"].replace("{label}", str(label))


@pass_context
def _qr(context, url: str) -> Markup:
    label = context["ui"]["print_qr"].replace("{url}", qr.short_url(url))
    return qr.svg(url, label)


@pass_context
def _heading(context, level: int, text, anchor_id: str, css: str = "",
             lang: str | None = None) -> Markup:
    """`<hN id>` with its permalink (titled in the page's language), recorded for the table
    of contents. `text` is escaped unless it is already Markup; `lang`: the language of the
    text, when it is not the page's (a source's title)."""
    lang = lang or getattr(text, "lang", None)  # a fallback text (ForeignText)
    title = escape(text)
    toc = context.get("toc")
    if toc is not None:
        toc.add(level, str(title), anchor_id)
    attributes = f' id="{escape(anchor_id)}"' + (f' class="{escape(css)}"' if css else "") \
        + (f' lang="{escape(lang)}"' if lang else "")
    permalink = (f'<a class="headerlink" href="#{escape(anchor_id)}" '
                 f'title="{escape(context["ui"]["permalink"])}">¶</a>')
    return Markup(f"<h{level}{attributes}>{title}{permalink}</h{level}>")
