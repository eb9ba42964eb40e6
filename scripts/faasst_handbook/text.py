"""Bilingual (or multilingual) text values: `{fr: ..., en: ...}`.

The languages are not hard-coded: they come from `handbook/handbook.yaml` and reach validation
through pydantic's context, so a third language can be added without touching this code.
"""

from __future__ import annotations

import re
from functools import partial
from typing import Annotated, Any

from pydantic import ValidationInfo, WrapValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

# What a text field looks like in the JSON Schema before the languages are filled in
# (see schemas.py): one placeholder per flavour of text.
PLAIN_PLACEHOLDER = {"x-handbook-text": "plain"}
MARKDOWN_PLACEHOLDER = {"x-handbook-text": "markdown"}

DEFAULT_LANGUAGES = {"fr": "French", "en": "English"}


def languages_from(info: ValidationInfo) -> dict[str, str]:
    """Language code → English name of the language, in order (first is the source)."""
    context = info.context or {}
    return context.get("languages") or DEFAULT_LANGUAGES


# Pasted web or e-mail content: tags are refused rather than silently dropped.
_HTML_TAG = re.compile(r"<\s*/?\s*(?!https?://|mailto:)[a-zA-Z!?][^>]*>|<\s*[a-zA-Z]+[^>]*$",
                       re.MULTILINE)
_MARKDOWN_LINK = re.compile(r"\]\(\s*<?([^\s>]*)")
_SAFE_LINK = re.compile(r"^(https?://|mailto:|#)", re.IGNORECASE)


def _check_text(value: Any, handler, info: ValidationInfo, markdown: bool) -> dict[str, str]:
    languages = languages_from(info)
    if not isinstance(value, dict):
        example = " and ".join(f"`{code}: ...`" for code in languages)
        raise PydanticCustomError(
            "text_not_map",
            "expected one text per language, written on separate lines as {example}.",
            {"example": example},
        )
    for code in value:
        if code not in languages:
            raise PydanticCustomError(
                "text_unknown_language",
                "`{code}` is not one of the Handbook's languages ({known}).",
                {"code": code, "known": ", ".join(languages), "key": code,
                 "choices": list(languages)},
            )
    for code, name in languages.items():
        if code not in value:
            raise PydanticCustomError(
                "text_missing_language",
                "the {name} text is missing: add a line `{code}: ...`.",
                {"name": name, "code": code},
            )
        text = value[code]
        if not isinstance(text, str):
            raise PydanticCustomError("text_not_string", "expected text.", {"key": code})
        if not text.strip():
            raise PydanticCustomError(
                "text_empty", "the {name} text is empty: write it.", {"name": name, "key": code}
            )
        tag = _HTML_TAG.search(text)
        if tag:
            hint = " Use Markdown (*emphasis*, [link](https://...))." if markdown else ""
            raise PydanticCustomError(
                "text_html", "the {name} text contains an HTML tag (`{tag}`); tags are not "
                "allowed in the Handbook's text.{hint}",
                {"name": name, "key": code, "tag": tag.group(0)[:40], "hint": hint})
        for link in _MARKDOWN_LINK.findall(text) if markdown else ():
            link = link[:-1] if link.endswith(")") else link  # the link's own closing bracket
            if not _SAFE_LINK.match(link):
                raise PydanticCustomError(
                    "text_link", "the {name} text links to `{link}`; only web addresses "
                    "(https://...) and e-mail addresses (mailto:...) are allowed.",
                    {"name": name, "key": code, "link": link[:60]})
    return {code: value[code].strip() for code in languages}


# Plain text: shown escaped, never interpreted.
Text = Annotated[dict[str, str], WrapValidator(partial(_check_text, markdown=False)),
                 WithJsonSchema(PLAIN_PLACEHOLDER)]
# Text where Markdown (emphasis, lists, links) is allowed; rendered, then sanitized.
Markdown = Annotated[dict[str, str], WrapValidator(partial(_check_text, markdown=True)),
                     WithJsonSchema(MARKDOWN_PLACEHOLDER)]
