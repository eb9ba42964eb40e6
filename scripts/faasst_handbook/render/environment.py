"""Jinja2 environment shared by the site pages and the printable checklists.

Safety rules (see CONTRIBUTING.md): autoescape is on for every template; plain text fields are
escaped; Markdown fields go through `md`, which renders then sanitizes with an allow-list; text
placed in a Markdown heading goes through `md_inline`, which also neutralises Markdown syntax
(so `{: onclick=...}` cannot become an attribute).
"""

from __future__ import annotations

import html
import posixpath
import re
from functools import lru_cache
from pathlib import Path

import markdown as markdown_lib
import nh3
from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from markupsafe import Markup

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"

_ALLOWED_TAGS = {"p", "em", "strong", "ul", "ol", "li", "a", "code", "br", "blockquote",
                 "abbr"}
_ALLOWED_ATTRIBUTES = {"a": {"href", "title", "hreflang"}, "abbr": {"title"}}
_MD_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


@lru_cache(maxsize=4096)
def markdown_to_safe_html(text: str) -> str:
    """Markdown → HTML limited to an allow-list of tags, attributes and URL schemes."""
    html = markdown_lib.markdown(text, extensions=[], output_format="html")
    return nh3.clean(html, tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRIBUTES,
                     url_schemes={"https", "http", "mailto"}, link_rel="noopener noreferrer")


def inline_markdown_escape(text: str) -> Markup:
    """Plain text made safe inside a Markdown line: HTML-escaped, Markdown syntax disabled."""
    # Quotes stay as they are: this is text, not an attribute, and `&#39;` would be escaped
    # a second time in the table of contents.
    return Markup(_MD_SPECIALS.sub(r"\\\1", html.escape(text, quote=False)))


def relative_url(target: str, current: str) -> str:
    """Relative link from the page at URL `current` to `target` (both directory URLs relative
    to the site root, like `handbook/wp1/` or `` for the home page, optionally with #anchor).
    Relative links keep working under `/` and `/en/`, which have the same shape."""
    target_path, _, fragment = target.partition("#")
    if target_path == current and fragment:
        return f"#{fragment}"
    link = posixpath.relpath(target_path.rstrip("/") or ".", current.rstrip("/") or ".")
    link = "./" if link == "." else link + "/"
    return link + (f"#{fragment}" if fragment else "")


def make_environment(extra_paths: list[Path] | None = None) -> Environment:
    env = Environment(
        loader=FileSystemLoader([str(p) for p in (extra_paths or [])] + [str(TEMPLATES)]),
        autoescape=True,  # select_autoescape would miss `*.md.j2`
        undefined=StrictUndefined,  # a missing translation must fail, not render empty
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # `{#id}` is Markdown's heading-anchor syntax: Jinja comments are `{#- ... -#}` here.
        comment_start_string="{#-",
        comment_end_string="-#}",
    )
    env.filters["t"] = _translate
    env.filters["md"] = _markdown
    env.filters["md_inline"] = lambda value: inline_markdown_escape(str(value))
    env.filters["anchor"] = anchor
    env.filters["colon"] = _colon
    return env


def anchor(entry_id: str) -> str:
    """HTML id for a catalogue entry: `role.transition-lead` → `role-transition-lead`."""
    return entry_id.replace(".", "-")


@pass_context
def _translate(context, value: dict[str, str]) -> str:
    return value[context["lang"]]


@pass_context
def _markdown(context, value: dict[str, str]) -> Markup:
    return Markup(markdown_to_safe_html(value[context["lang"]]))


@pass_context
def _colon(context, label: str) -> str:
    """`Effort` → `Effort:` in English, `Charge :` in French (typography from ui.yaml)."""
    return context["ui"]["label_colon"].replace("{label}", str(label))
