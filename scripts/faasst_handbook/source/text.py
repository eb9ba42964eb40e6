"""Bilingual (or multilingual) text values: `{fr: ..., en: ...}`.

The languages are not hard-coded: they come from `handbook/handbook.yaml` and reach validation
through pydantic's context, so a third language can be added without touching this code.

A language declared with a `fallback` (e.g. Portuguese, falling back to English) may leave a
text out: the text then holds the fallback language's words for it, and says so
(`TextValue.borrowed`). Every reader of `text[lang]` (templates, titles, search records) gets
the fallback without knowing about it; the `t` and `md` filters mark it with its language, and
`handbook i18n status`, the validator (a warning) and the page notice report it.
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


def fallbacks_from(info: ValidationInfo) -> dict[str, str]:
    """Language code → the language shown where its text is missing (optional languages)."""
    context = info.context or {}
    return context.get("fallbacks") or {}


class TextValue(dict):
    """A validated text: language → words, for every language of the Handbook. `borrowed`
    names the languages whose text was missing, and the language whose words stand in for it
    (`{"pt": "en"}`); `markdown`: whether the field allows Markdown (PO files say so)."""

    __slots__ = ("borrowed", "markdown")

    def __init__(self, texts: dict[str, str], borrowed: dict[str, str] | None = None,
                 markdown: bool = False):
        super().__init__(texts)
        self.borrowed = borrowed or {}
        self.markdown = markdown

    def __reduce__(self):  # copies and pickles keep what was borrowed
        return (type(self), (dict(self), dict(self.borrowed), self.markdown))

    def written(self, lang: str) -> bool:
        return lang not in self.borrowed


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


def _check_text(value: Any, handler, info: ValidationInfo, markdown: bool) -> TextValue:
    languages = languages_from(info)
    fallbacks = fallbacks_from(info)
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
    texts: dict[str, str] = {}
    borrowed: dict[str, str] = {}
    for code, name in languages.items():
        if code not in value:
            if code in fallbacks:  # shown in the fallback language; reported as a warning
                source = fallbacks[code] if fallbacks[code] in texts else next(iter(languages))
                texts[code] = texts[source]
                borrowed[code] = borrowed.get(source, source)
                continue
            raise PydanticCustomError(
                "text_missing_language",
                "the {name} text is missing: add a line `{code}: ...`.",
                {"name": name, "code": code},
            )
        text = value[code]
        if not isinstance(text, str):
            raise PydanticCustomError("text_not_string", "expected text.", {"key": code})
        if not text.strip():
            hint = (" (or remove the line: the text of the fallback language is then shown)"
                    if code in fallbacks else "")
            raise PydanticCustomError(
                "text_empty", "the {name} text is empty: write it{hint}.",
                {"name": name, "key": code, "hint": hint})
        _check_string(text, f"the {name} text", {"name": name, "key": code}, markdown)
        texts[code] = text.strip()
    return TextValue(texts, borrowed, markdown)


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


def text_problem(text: str, language_name: str, markdown: bool) -> str | None:
    """What the validator would refuse in `text` (a translation about to be written into a
    file), or None."""
    try:
        _check_string(text, f"the {language_name} text", {"name": language_name}, markdown)
    except PydanticCustomError as error:
        return error.message()
    return None


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
