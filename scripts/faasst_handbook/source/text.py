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

from .characters import describe, refused_in_text

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
# `[label]: address` on a line of its own: a Markdown reference link's address.
_LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]*<?([^\s>]*)", re.MULTILINE)
_IMAGE = re.compile(r"!\[[^\]\n]*\]\s*[(\[]")
# `{: onclick=... }`, `{#id}`, `{.class}`, `{key=value}`: the site's Markdown (attr_list) would
# turn these into HTML attributes when the text lands at the end of a heading or paragraph.
_ATTRIBUTE_LIST = re.compile(r"\{\s*(?::|#|\.)[^{}\n]*\}|\{[^{}\n]*=[^{}\n]*\}")


def _check_text(value: Any, handler, info: ValidationInfo, markdown: bool) -> dict[str, str]:
    languages = languages_from(info)
    if not isinstance(value, dict):
        example = " and ".join(f"`{code}: ...`" for code in languages)
        raise PydanticCustomError(
            "text_not_map",
            "expected one text per language: write it as {example}, on separate lines.",
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
        _check_string(text, f"the {name} text", {"name": name, "key": code}, markdown)
    return {code: value[code].strip() for code in languages}


def _check_string(text: str, what: str, context: dict, markdown: bool) -> None:
    """Refuse what could change the page's HTML: tags, Markdown images, attribute lists, and
    links other than https://, mailto: and #anchors. `what` is e.g. "the French text"."""
    context = {**context, "what": what}
    invisible = refused_in_text(text, markdown)
    if invisible is not None:  # written as an escape (`"\u202e"`): the file itself is clean
        raise PydanticCustomError(
            "text_character", "{what} contains {character}: remove the escape that writes it.",
            {**context, "character": describe(invisible)[0]})  # e.g. a control character
    tag = _HTML_TAG.search(text)
    if tag:
        hint = (" For emphasis or links, use Markdown: *emphasis*, [link](https://...)."
                if markdown else "")
        raise PydanticCustomError(
            "text_html", "{what} contains an HTML tag (`{tag}`); tags are not allowed in the "
            "Handbook's text: remove it.{hint}",
            {**context, "tag": tag.group(0)[:40], "hint": hint})
    image = _IMAGE.search(text)
    if image:
        raise PydanticCustomError(
            "text_image", "{what} contains a Markdown image (`{image}...`); images are not "
            "allowed in the Handbook's text: remove it.",
            {**context, "image": image.group(0)[:40]})
    attributes = _ATTRIBUTE_LIST.search(text)
    if attributes:
        raise PydanticCustomError(
            "text_attributes", "{what} contains `{found}`, which the site would turn into HTML "
            "attributes: remove the curly brackets and what is between them.",
            {**context, "found": attributes.group(0)[:40]})
    link = _MARKDOWN_LINK.search(text) or _LINK_DEFINITION.search(text)
    if link and not markdown:  # a plain text placed in a heading would become a link
        raise PydanticCustomError(
            "text_link", "{what} contains a Markdown link (`{found}`), but this field is "
            "plain text: remove the link, or write the address as it is (https://...).",
            {**context,
             "found": text[max(0, text.rfind("[", 0, link.start() + 1)):link.end()][:40]})
    inline = [link[:-1] if link.endswith(")") else link  # the link's own closing bracket
              for link in _MARKDOWN_LINK.findall(text)]
    for link in inline + _LINK_DEFINITION.findall(text):
        if not _SAFE_LINK.match(link):
            raise PydanticCustomError(
                "text_link", "{what} links to `{link}`; only web addresses (https://...) and "
                "e-mail addresses (mailto:...) are allowed. Write the full address, starting "
                "with https://, or remove the link.",
                {**context, "link": link[:60]})


def plain_string(value: str) -> str:
    """For single-language strings (a source's title, a publisher): same rules as plain text."""
    _check_string(value, "the text", {}, markdown=False)
    return value


# Plain text: shown escaped, never interpreted.
Text = Annotated[dict[str, str], WrapValidator(partial(_check_text, markdown=False)),
                 WithJsonSchema(PLAIN_PLACEHOLDER)]
# Text where Markdown (emphasis, lists, links) is allowed; rendered, then sanitized.
Markdown = Annotated[dict[str, str], WrapValidator(partial(_check_text, markdown=True)),
                     WithJsonSchema(MARKDOWN_PLACEHOLDER)]
