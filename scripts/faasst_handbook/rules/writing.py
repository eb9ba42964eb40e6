"""Rules on the words: real translations, no placeholders, the style guide's terminology,
one wording per notion (from the glossary), the French inclusive-writing convention, the
glossary's terms in use, and figures the research brief flags as uncertain.
See handbook/STYLE.md, which these rules enforce."""

from __future__ import annotations

import bisect
import re

from .registry import Check, rule

# Placeholders and leftovers that must never be published.
PLACEHOLDERS = re.compile(r"\b(TODO|TBD|FIXME|XXX|lorem|ipsum)\b|…|\.\.\.|\bà compléter\b(?! l)"
                          r"|\bto be completed\b", re.IGNORECASE)
PLACEHOLDER_WORDS = ("todo", "tbd", "fixme", "xxx", "lorem", "ipsum", "…", "...", "à compléter",
                     "to be completed")
# Fields that hold proper names, the same in every language by nature.
PROPER_NAME_FIELDS = {"name", "term", "acronym", "unit"}
# A translation identical to the source is accepted up to this many words ("OPTEER", "PCAET").
COPY_THRESHOLD_WORDS = 3


def _languages(check: Check) -> tuple[str, list[str]]:
    languages = check.content.languages
    return languages[0], languages[1:]


# Most patterns match nowhere. Each is first looked for in all the texts of a language joined
# together — as plain words (`needles`) when it has some: finding a word in megabytes of text
# is a hundred times faster than trying a pattern at every position — and only where that
# finds something in the texts one by one. At a thousand sheets, 0.1 s instead of several.
_SEPARATOR = "\n\u0000\n"


def _joined(check: Check, lang: str) -> tuple[str, list[int], str, list[int]]:
    """A language's texts joined, as written and casefolded, each with where each text starts."""
    cache = check.content.__dict__.setdefault("_corpus", {})
    if lang not in cache:
        texts = [at.text[lang] for at in check.content.texts()]
        folded = [text.casefold() for text in texts]
        cache[lang] = (_SEPARATOR.join(texts), _starts(texts), _SEPARATOR.join(folded),
                       _starts(folded))
    return cache[lang]


def _starts(texts: list[str]) -> list[int]:
    starts, at = [], 0
    for text in texts:
        starts.append(at)
        at += len(text) + len(_SEPARATOR)
    return starts


def _matches(check: Check, pattern: re.Pattern, languages=None, needles: tuple[str, ...] = ()):
    """(text, language, match) for every text where `pattern` matches. `needles`: plain
    words (casefolded), one of which is in every text the pattern matches; the pattern is
    then only tried on the texts holding one. Without needles, it is first tried on the
    joined texts."""
    texts = check.content.texts()
    for lang in languages or check.content.languages:
        joined, starts, folded, folded_starts = _joined(check, lang)
        candidates: set[int] = set()
        if needles:
            for needle in needles:
                at = folded.find(needle)
                while at != -1:
                    candidates.add(bisect.bisect_right(folded_starts, at) - 1)
                    at = folded.find(needle, at + 1)
        else:
            # The texts where a match of the joined text begins, up to where it ends (a
            # match across two texts may hide one inside the second).
            for found in pattern.finditer(joined):
                first = bisect.bisect_right(starts, found.start()) - 1
                last = bisect.bisect_right(starts, max(found.end() - 1, found.start())) - 1
                candidates.update(range(first, last + 1))
        for position in sorted(candidates):
            at = texts[position]
            found = pattern.search(at.text[lang])
            if found:
                yield at, lang, found


@rule("no-placeholder", "no TODO, TBD, `…` or lorem ipsum in any text")
def no_placeholder(check: Check):
    for at, lang, found in _matches(check, PLACEHOLDERS, needles=PLACEHOLDER_WORDS):
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
    for lang, patterns in forbidden.items():
        for pattern, needle, authority in patterns:
            for at, _, found in _matches(check, pattern, [lang], (needle,)):
                # The glossary's own names of the notions are where the wordings to avoid
                # may be cited.
                if at.kind == "term" and at.field in ("term", "acronym"):
                    continue
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
# Each with the plain words (casefolded) one of which any match contains.
INCLUSIVE_REFUSED = {
    "fr": [
        (r"\b[Ll]e ou la\b", ("le ou la",), "write “la ou le” (alphabetical order)"),
        (r"\b[Ii]l ou elle\b", ("il ou elle",), "write “elle ou il”"),
        (r"\b[Ii]ls ou elles\b", ("ils ou elles",), "write “elles ou ils”"),
        (r"\b[Cc]elui ou celle\b", ("celui ou celle",), "write “celle ou celui”"),
        (r"\w·\w+·\w", ("·",), "write the short form with one point médian (élu·es, chargé·es)"),
        (r"\w\.(e|es|ne|nes|rice|rices|euse|euses)\b(?!\.\w)", (".e", ".n", ".r"),
         "write the point médian (·), not a full stop"),
        (r"\w\((e|es|ne|rice|euse)\)", ("(e", "(n", "(r"),
         "write the point médian (chargé·e), not brackets"),
        (r"\b([Ll]a|[Uu]ne) (\w+) ou (le|un) \w+\b", (" ou le ", " ou un "),
         "write the short form (la ou le chargé·e) instead of doubling the noun"),
    ],
    "en": [
        (r"\b[Hh]e or she\b|\b[Ss]he or he\b|\b[Hh]is or her\b|\b[Hh]im or her\b|\bhe/she\b|"
         r"\bs/he\b", ("he or she", "she or he", "his or her", "him or her", "he/she", "s/he"),
         "use singular “they” (STYLE.md)"),
    ],
}


@rule("inclusive-writing", "one inclusive-writing convention (STYLE.md)")
def inclusive_writing(check: Check):
    for lang, refused in INCLUSIVE_REFUSED.items():
        if lang not in check.content.languages:
            continue
        for pattern, needles, hint in refused:
            pattern = re.compile(pattern)
            for at, _, _ in _matches(check, pattern, [lang], needles):
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
    folded = {lang: " ".join(at.text[lang] for at in content.texts()
                             if at.kind != "term").casefold()
              for lang in content.languages}
    for term in content.glossary.values():
        for lang in content.languages:
            name = re.sub(r"\s*\([^)]*\)", "", term.term[lang]).strip()
            main = name.casefold()
            if main in folded[lang]:
                continue  # written as the glossary writes it (most terms): no pattern needed
            # Else in singular or plural (`_loose`), or as its acronym; on the casefolded
            # text, each pattern tried only where its first word begins.
            words = re.split(r"\s+", main)
            tries = [(_loose(main), words[0][:-1] if len(words[0]) > 3 else words[0])]
            if term.acronym:
                acronym = term.acronym[lang].casefold()
                tries.append((rf"(?<!\w){re.escape(acronym)}(?!\w)", acronym))
            if not any(_found(pattern, start, folded[lang]) for pattern, start in tries):
                yield check.problem("term", term.id, ("term", lang), f"the term “{name}” appears "
                                    "nowhere else in the Handbook: use it where it belongs, or "
                                    "remove the glossary entry.")


def _found(pattern: str, start: str, text: str) -> bool:
    """Whether `pattern`, whose matches begin with the plain text `start`, matches in `text`."""
    compiled = re.compile(pattern)
    at = text.find(start)
    while at != -1:
        if compiled.match(text, at):  # its look-behind sees the text before `at`
            return True
        at = text.find(start, at + 1)
    return False


# Figures whose sources disagree (the research brief's §6): never in the text, or only with
# their source named beside them.
# Each with the plain words one of which any match contains.
UNCERTAIN_FIGURES = [(r"750\s?M", ("750",)), (r"200\s?M€", ("200",)), (r"€\s?200\s?M", ("200",)),
                     (r"\b4 ?559\b", ("559",)), (r"120\s?%", ("120",)),
                     (r"6[,.]2\s?M", ("6,2", "6.2")), (r"\b24 communes\b", ("24 communes",)),
                     (r"\b23 communes\b", ("23 communes",)), (r"26 juin 2025", ("26 juin 2025",)),
                     (r"26 June 2025", ("26 june 2025",))]
SOURCED_FIGURES = [(r"350\s?GWh", ("350",), r"FAASST|pv magazine")]


@rule("uncertain-figures", "figures the research brief flags as uncertain are left out, or "
      "given with their source")
def uncertain_figures(check: Check):
    for pattern, needles in UNCERTAIN_FIGURES:
        for at, lang, found in _matches(check, re.compile(pattern), needles=needles):
            yield check.problem(at.kind, at.entry_id, (*at.loc, lang), f"“{found.group(0)}” "
                                "is a figure the sources disagree on: leave it out (see "
                                "STYLE.md, “Figures and facts”).")
    for pattern, needles, source in SOURCED_FIGURES:
        for at, lang, found in _matches(check, re.compile(pattern), needles=needles):
            if not re.search(source, at.text[lang]):
                yield check.problem(at.kind, at.entry_id, (*at.loc, lang), f"“{found.group(0)}” "
                                    "needs its source beside it, e.g. (FAASST newsletter no. 4).")
