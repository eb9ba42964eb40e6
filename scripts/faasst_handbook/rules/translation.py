"""Rules on the Handbook's languages: a language's `fallback`, and the texts a language with
a fallback still lacks (a warning: the fallback's words are shown, with a notice on the
page; `handbook i18n status` lists them one by one)."""

from __future__ import annotations

from collections import defaultdict

from .registry import Check, rule


@rule("language-fallback", "a language's fallback is a language listed before it",
      area="translation")
def language_fallback(check: Check):
    languages = check.content.info.languages
    for position, language in enumerate(languages):
        if language.fallback is None:
            continue
        earlier = [other.code for other in languages[:position]]
        if position == 0:
            message = (f"`{language.code}` is the source language (the first one): it cannot "
                       "fall back on another; remove `fallback`.")
        elif language.fallback not in earlier:
            message = (f"`{language.fallback}` is not a language listed before "
                       f"`{language.code}`: write one of {', '.join(earlier)}.")
        else:
            continue
        yield check.problem("handbook", None, ("languages", position, "fallback"), message)


@rule("translation-missing", "every text is written in every language (a language with a "
      "fallback may lack some)", severity="warning", area="translation")
def translation_missing(check: Check):
    languages = {language.code: language for language in check.content.info.languages}
    first: dict[tuple[str, str], tuple] = {}
    count: dict[tuple[str, str], int] = defaultdict(int)
    for text in check.content.texts():
        for lang, shown in getattr(text.text, "borrowed", {}).items():
            file = check.origins.locate(text.kind, text.entry_id, text.loc)[0]
            first.setdefault((file, lang), (text, shown))
            count[(file, lang)] += 1
    for (file, lang), (text, shown) in first.items():
        name, fallback = languages[lang].name, languages[shown].name
        texts = count[(file, lang)]
        these = "this text has" if texts == 1 else f"{texts} texts of this file have"
        where, them = ("", "it") if texts == 1 else (", the first one here", "them")
        yield check.problem(
            text.kind, text.entry_id, text.loc,
            f"{these} no {name} version{where}; the {fallback} text is shown meanwhile, with "
            f"a notice. Translate {them}: add `{lang}: \"...\"` lines, or use `handbook i18n "
            f"export --lang {lang}` to get a PO file for translators.")
