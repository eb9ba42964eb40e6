"""Rules on the words: real translations, no placeholders, the style guide's terminology,
one wording per notion (from the glossary), the French inclusive-writing convention, the
glossary's terms in use, and figures the research brief flags as uncertain.
See handbook/STYLE.md, which these rules enforce."""

from __future__ import annotations

import re

from .registry import Check, rule

# Placeholders and leftovers that must never be published.
PLACEHOLDERS = re.compile(r"\b(TODO|TBD|FIXME|XXX|lorem|ipsum)\b|…|\.\.\.|\bà compléter\b(?! l)"
                          r"|\bto be completed\b", re.IGNORECASE)
# Fields that hold proper names, the same in every language by nature.
PROPER_NAME_FIELDS = {"name", "term", "acronym", "unit"}
# A translation identical to the source is accepted up to this many words ("OPTEER", "PCAET").
COPY_THRESHOLD_WORDS = 3


def _languages(check: Check) -> tuple[str, list[str]]:
    languages = check.content.languages
    return languages[0], languages[1:]


# Most patterns match nowhere: each is first tried once on all the texts of a language joined
# together, and only where that finds something on the texts one by one (a few milliseconds
# instead of one search per text; at a thousand sheets, the difference between 0.1 s and 5 s).
_SEPARATOR = "\n\u0000\n"


def _corpus(check: Check, lang: str) -> str:
    cache = check.content.__dict__.setdefault("_corpus", {})
    if lang not in cache:
        cache[lang] = _SEPARATOR.join(at.text[lang] for at in check.content.texts())
    return cache[lang]


def _matches(check: Check, pattern: re.Pattern, languages=None):
    """(text, language, match) for every text where `pattern` matches."""
    for lang in languages or check.content.languages:
        if pattern.search(_corpus(check, lang)) is None:
            continue
        for at in check.content.texts():
            found = pattern.search(at.text[lang])
            if found:
                yield at, lang, found


@rule("no-placeholder", "no TODO, TBD, `…` or lorem ipsum in any text")
def no_placeholder(check: Check):
    for at, lang, found in _matches(check, PLACEHOLDERS):
        yield check.problem(at.kind, at.entry_id, (*at.loc, lang), f"`{found.group(0)}` "
                            "is a placeholder: write the text, or remove the field.")


@rule("translation-not-a-copy", "a translation is not a copy of the source text (more than "
      f"{COPY_THRESHOLD_WORDS} words), except in proper-name fields")
def translation_not_a_copy(check: Check):
    source, targets = _languages(check)
    names = {language.code: language.name for language in check.content.info.languages}
    for at in check.content.texts():
        if at.field in PROPER_NAME_FIELDS:
            continue
        for lang in targets:
            text = at.text[lang]
            if text == at.text[source] and len(text.split()) > COPY_THRESHOLD_WORDS:
                yield check.problem(at.kind, at.entry_id, (*at.loc, lang),
                                    f"the {names[lang]} text is a copy of the {names[source]} "
                                    "text: translate it.")


# STYLE.md's terminology table: wordings that must not be used (the glossary's `avoid` lists
# add one per institution).
STYLE_FORBIDDEN = {
    "en": [r"massification operator", r"animation", r"sheet-method", r"management grid",
           r"capacities grid", r"contrat climat de ville"],
    "fr": [r"fiche méthode", r"contrat climat de ville(?!\))", r"grille de capacités"],
}


def _wording(phrase: str) -> re.Pattern:
    return re.compile(r"(?<![\w-])" + phrase + r"(?![\w-])", re.IGNORECASE)


@rule("terminology", "the style guide's words for the Handbook's notions, and each glossary "
      "term's wording (its `avoid` list) used everywhere")
def terminology(check: Check):
    content = check.content
    # (pattern, the words it needs — a cheap first test —, who says so), per language
    forbidden: dict[str, list[tuple[re.Pattern, str, str]]] = {lang: [] for lang in content.languages}
    for lang, phrases in STYLE_FORBIDDEN.items():
        if lang in forbidden:
            forbidden[lang] += [(_wording(p), _needle(p), "the style guide (handbook/STYLE.md)")
                                for p in phrases]
    for term in content.glossary.values():
        for lang, variants in term.avoid.items():
            if lang in forbidden:
                forbidden[lang] += [(_wording(re.escape(v)), v.casefold(), f"the glossary "
                                     f"(`{term.id}`: “{term.term[lang]}”)") for v in variants]
    # The glossary's own names of the notions are where the wordings to avoid may be cited.
    texts = [at for at in content.texts()
             if not (at.kind == "term" and at.field in ("term", "acronym"))]
    for lang, patterns in forbidden.items():
        folded = _SEPARATOR.join(at.text[lang] for at in texts).casefold()
        for pattern, needle, authority in patterns:
            if needle not in folded:
                continue  # the usual case: the words are nowhere
            for at in texts:
                found = pattern.search(at.text[lang])
                if found:
                    yield check.problem(at.kind, at.entry_id, (*at.loc, lang),
                                        f"“{found.group(0)}” is not the Handbook's wording: "
                                        f"use the one {authority} gives.")


def _needle(pattern: str) -> str:
    """The literal start of a style-guide pattern (`contrat climat de ville(?!\\))` →
    `contrat climat de ville`), casefolded."""
    return re.split(r"[(\\[?*+]", pattern, maxsplit=1)[0].casefold()


@rule("avoid-languages", "a glossary term's `avoid` lists name the Handbook's languages")
def avoid_languages(check: Check):
    for term in check.content.glossary.values():
        for lang in term.avoid:
            if lang not in check.content.languages:
                yield check.problem("term", term.id, ("avoid", lang), f"`{lang}` is not one of "
                                    f"the Handbook's languages ({', '.join(check.content.languages)}).")


# The French inclusive-writing convention (STYLE.md): the point médian in its short form
# (chargé·e, élu·es), doubled articles and pronouns in alphabetical order (la ou le, elle ou il),
# nothing else. English uses singular "they".
INCLUSIVE_REFUSED = {
    "fr": [
        (r"\b[Ll]e ou la\b", "write “la ou le” (alphabetical order)"),
        (r"\b[Ii]l ou elle\b", "write “elle ou il”"),
        (r"\b[Ii]ls ou elles\b", "write “elles ou ils”"),
        (r"\b[Cc]elui ou celle\b", "write “celle ou celui”"),
        (r"\w·\w+·\w", "write the short form with one point médian (élu·es, chargé·es)"),
        (r"\w\.(e|es|ne|nes|rice|rices|euse|euses)\b(?!\.\w)", "write the point médian "
         "(·), not a full stop"),
        (r"\w\((e|es|ne|rice|euse)\)", "write the point médian (chargé·e), not brackets"),
        (r"\b([Ll]a|[Uu]ne) (\w+) ou (le|un) \w+\b", "write the short form (la ou le "
         "chargé·e) instead of doubling the noun"),
    ],
    "en": [
        (r"\b[Hh]e or she\b|\b[Ss]he or he\b|\b[Hh]is or her\b|\b[Hh]im or her\b|\bhe/she\b|"
         r"\bs/he\b", "use singular “they” (STYLE.md)"),
    ],
}


@rule("inclusive-writing", "one inclusive-writing convention (STYLE.md)")
def inclusive_writing(check: Check):
    for lang, refused in INCLUSIVE_REFUSED.items():
        if lang not in check.content.languages:
            continue
        for pattern, hint in refused:
            pattern = re.compile(pattern)
            for at, _, _ in _matches(check, pattern, [lang]):
                if at.kind == "ui":
                    continue
                found = next((match for match in pattern.finditer(at.text[lang])
                              if not _is_not_a_doubled_noun(match)), None)
                if found:
                    yield check.problem(at.kind, at.entry_id, (*at.loc, lang),
                                        f"“{found.group(0)}”: {hint}.")


def _is_not_a_doubled_noun(found: re.Match) -> bool:
    """"la ville ou le territoire" is not a doubled noun: only "la chargée ou le chargé" is."""
    if found.re.pattern.startswith(r"\b([Ll]a|"):
        words = found.group(0).split()
        feminine, masculine = words[1], words[-1]
        return not (feminine.startswith(masculine[:4]) and len(masculine) >= 4)
    return False


def _loose(phrase: str) -> str:
    """A pattern for a phrase in singular or plural: "ville jumelle" finds "villes jumelles"."""
    words = [re.escape(w[:-1]) + r"\w{0,3}" if len(w) > 3 else re.escape(w)
             for w in re.split(r"\s+", phrase)]
    return r"(?<!\w)" + r"\W+".join(words) + r"(?!\w)"


@rule("glossary-term-used", "every glossary term appears in the content it explains")
def glossary_term_used(check: Check):
    content = check.content
    corpus = {lang: " ".join(at.text[lang] for at in content.texts() if at.kind != "term")
              for lang in content.languages}
    folded = {lang: text.casefold() for lang, text in corpus.items()}
    for term in content.glossary.values():
        for lang in content.languages:
            main = re.sub(r"\s*\([^)]*\)", "", term.term[lang]).strip()
            if main.casefold() in folded[lang]:
                continue  # written as the glossary writes it (most terms): no regex needed
            patterns = [_loose(main)] + ([rf"(?<!\w){re.escape(term.acronym[lang])}(?!\w)"]
                                         if term.acronym else [])
            if not any(re.search(p, corpus[lang], re.IGNORECASE) for p in patterns):
                yield check.problem("term", term.id, ("term", lang), f"the term “{main}” appears "
                                    "nowhere else in the Handbook: use it where it belongs, or "
                                    "remove the glossary entry.")


# Figures whose sources disagree (the research brief's §6): never in the text, or only with
# their source named beside them.
UNCERTAIN_FIGURES = [r"750\s?M", r"200\s?M€", r"€\s?200\s?M", r"\b4 ?559\b", r"120\s?%",
                     r"6[,.]2\s?M", r"\b24 communes\b", r"\b23 communes\b", r"26 juin 2025",
                     r"26 June 2025"]
SOURCED_FIGURES = [(r"350\s?GWh", r"FAASST|pv magazine")]


@rule("uncertain-figures", "figures the research brief flags as uncertain are left out, or "
      "given with their source")
def uncertain_figures(check: Check):
    for pattern in UNCERTAIN_FIGURES:
        for at, lang, found in _matches(check, re.compile(pattern)):
            yield check.problem(at.kind, at.entry_id, (*at.loc, lang), f"“{found.group(0)}” "
                                "is a figure the sources disagree on: leave it out (see "
                                "STYLE.md, “Figures and facts”).")
    for pattern, source in SOURCED_FIGURES:
        for at, lang, found in _matches(check, re.compile(pattern)):
            if not re.search(source, at.text[lang]):
                yield check.problem(at.kind, at.entry_id, (*at.loc, lang), f"“{found.group(0)}” "
                                    "needs its source beside it, e.g. (FAASST newsletter no. 4).")
