"""`handbook i18n export`: one gettext PO file per target language, for translators' tools
(Poedit, Weblate, Lokalize…), written with polib.

Each text is one entry: its stable id as `msgctxt` (what the import finds it by), the source
(French) text as `msgid`, the current translation as `msgstr` (empty when missing), the
`fuzzy` flag when it is out of date, where it is written as a reference (`#:`), and a comment
for the translator (`#.`) saying what it is: which sheet or entry, which field, whether
Markdown is allowed, which placeholders to keep.
"""

from __future__ import annotations

import re
from pathlib import Path

import polib
from babel.core import UnknownLocaleError
from babel.messages.plurals import get_plural

from ..source.content import Content
from ..source.origins import Origins
from .fields import Field, fields
from .status import TranslationStatus

# `{label}`, `{count}`: filled in by the templates; translators' tools check them when the
# entry says `python-brace-format` (the same `{name}` syntax).
_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
_OTHER_BRACE = re.compile(r"[{}]")

_KIND_NAMES = {
    "handbook": "Handbook metadata", "ui": "Interface text", "wp": "Work Package",
    "sheet": "Method sheet", "case": "Case study", "role": "Role", "tool": "Digital tool",
    "mechanism": "Legal or financial mechanism", "indicator": "Indicator",
    "body": "Governance body", "term": "Glossary term", "source": "Source",
    "matrix": "Management matrix", "capacity-grid": "Capacity grid",
    "starter-route": "Starter route", "redirects": "Redirect",
}


def plural_forms(lang: str) -> str:
    """The Plural-Forms header of `lang`, from CLDR (Babel); English's rule if unknown."""
    try:
        return get_plural(lang).plural_forms
    except (UnknownLocaleError, ValueError):
        return "nplurals=2; plural=(n != 1);"


def _entry_label(content: Content, item: Field, source: str) -> str:
    text = item.text
    kind = _KIND_NAMES.get(text.kind, text.kind)
    if text.entry_id is None:
        return kind
    entry = {"wp": content.work_packages, "sheet": content.sheets,
             "case": content.cases}.get(text.kind) or content.catalogue(text.kind)
    value = entry.get(text.entry_id)
    title = next((getattr(value, name) for name in ("title", "name", "term")
                  if value is not None and getattr(value, name, None)), None)
    title = title if isinstance(title, str) or title is None else title[source]
    shown_id = text.entry_id.upper() if text.kind in ("wp", "sheet") else text.entry_id
    return f"{kind} {shown_id}" + (f" “{title}”" if title else "")


def _comment(content: Content, item: Field, source: str) -> str:
    path = item.id.split(":", 1)[1]
    lines = [f"{_entry_label(content, item, source)} — field {path}."]
    if getattr(item.text.text, "markdown", False):
        lines.append("Markdown allowed: keep *emphasis*, **strong**, lists and "
                     "[links](https://…).")
    else:
        lines.append("Plain text: no Markdown, no HTML.")
    placeholders = _PLACEHOLDER.findall(item.text.text[source])
    if placeholders:
        lines.append("Keep " + ", ".join(dict.fromkeys(placeholders)) + " as they are.")
    return "\n".join(lines)


def build_po(content: Content, origins: Origins, status: TranslationStatus,
             lang: str) -> polib.POFile:
    source = content.default_language
    names = {language.code: language.name for language in content.info.languages}
    states = {state.id: state for state in status.states if state.lang == lang}
    po = polib.POFile(wrapwidth=78, check_for_duplicates=False)
    po.header = (f"Translation of the {content.info.short_title[source]} from {names[source]} "
                 f"into {names[lang]}.\n"
                 f"Made by `handbook i18n export --lang {lang}`. Translate the empty entries "
                 f"and check the fuzzy ones (their {names[source]} text changed), then clear "
                 f"their fuzzy mark; bring the file back with `handbook i18n import`.\n"
                 f"msgctxt is the text's id in the Handbook: do not change it.")
    po.metadata = {
        "Project-Id-Version": f"{content.info.short_title[source]} {content.info.edition}",
        "POT-Creation-Date": f"{content.info.content_date.isoformat()} 00:00+0000",
        "PO-Revision-Date": f"{content.info.content_date.isoformat()} 00:00+0000",
        "Last-Translator": "",
        "Language-Team": names[lang],
        "Language": lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": plural_forms(lang),
        "X-Source-Language": source,
        "X-Generator": "faasst-handbook (handbook i18n export)",
    }
    for item in fields(content, origins):
        state = states[item.id]
        msgid = item.text.text[source]
        flags = ["fuzzy"] if state.state == "stale" else []
        if _PLACEHOLDER.search(msgid) and not _OTHER_BRACE.search(_PLACEHOLDER.sub("", msgid)):
            flags.append("python-brace-format")
        po.append(polib.POEntry(
            msgctxt=item.id, msgid=msgid,
            msgstr="" if state.state == "missing" else item.text.text[lang],
            occurrences=[(item.file, str(item.line))],
            comment=_comment(content, item, source), flags=flags))
    return po


def export(content: Content, origins: Origins, status: TranslationStatus, lang: str,
           out_dir: Path) -> Path:
    """Write `<out_dir>/<lang>.po`; returns its path."""
    from ..atomic_files import write_atomically

    po = build_po(content, origins, status, lang)
    target = Path(out_dir) / f"{lang}.po"
    write_atomically(target, str(po).encode("utf-8") + b"\n")
    return target
