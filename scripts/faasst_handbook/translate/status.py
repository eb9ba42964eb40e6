"""What is translated, missing and out of date, per language, file and text.

For each text and each target language (every language but the first, the source):
- `missing`: the language has no text there (allowed for a language with a `fallback`, whose
  words are shown instead);
- `stale`: the translation was reviewed against another source text than today's (`changed`),
  or never reviewed while the Handbook tracks reviews (`unreviewed`);
- `translated`: written, and reviewed against today's source text (or reviews are not
  tracked: there is no handbook/translations.lock).

A field whose id moved (a step inserted before it) keeps its review if its entry has a review
of the same source text under another id: the source text, not its position, was reviewed.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..source.content import Content
from ..source.origins import Origins
from .fields import Field, entry_key, fields
from .lock import ReviewLock, fingerprint

STATES = ("translated", "missing", "stale")


@dataclass(slots=True)
class FieldState:
    field: Field
    lang: str
    state: str  # translated | missing | stale
    reason: str = ""  # stale: `changed` or `unreviewed`; missing: the language shown instead

    @property
    def id(self) -> str:
        return self.field.id


@dataclass
class TranslationStatus:
    source: str
    targets: list[str]
    names: dict[str, str]  # code → English name of the language
    tracked: bool  # a lock file exists
    states: list[FieldState] = field(default_factory=list)  # every text × target language
    _by_entry: dict = field(default_factory=dict, repr=False)

    def __post_init__(self):
        by_entry: dict[tuple, list[FieldState]] = defaultdict(list)
        for state in self.states:
            if state.state != "translated":
                text = state.field.text
                by_entry[(text.kind, text.entry_id, state.lang)].append(state)
        self._by_entry = dict(by_entry)

    def problems_of(self, kind: str, entry_id: str | None, lang: str) -> list[FieldState]:
        """The texts of an entry that are missing or out of date in `lang`."""
        return self._by_entry.get((kind, entry_id, lang), [])

    def counts(self) -> dict[str, dict[str, Counter]]:
        """lang → file → Counter(texts, translated, missing, stale); file `""` is the total."""
        found: dict[str, dict[str, Counter]] = {lang: defaultdict(Counter) for lang in self.targets}
        for state in self.states:
            for file in (state.field.file, ""):
                found[state.lang][file]["texts"] += 1
                found[state.lang][file][state.state] += 1
        return {lang: dict(files) for lang, files in found.items()}

    @property
    def complete(self) -> bool:
        return all(state.state == "translated" for state in self.states)


def compute(content: Content, origins: Origins, lock: ReviewLock) -> TranslationStatus:
    source = content.default_language
    targets = [lang for lang in content.languages if lang != source]
    all_fields = list(fields(content, origins))
    # Per entry and language, every source fingerprint reviewed under any id (moved fields).
    reviewed_in_entry: dict[tuple[str, str], set[str]] = defaultdict(set)
    for lang, prints in lock.reviewed.items():
        for text_id, value in prints.items():
            reviewed_in_entry[(lang, entry_key(text_id))].add(value)
    states = []
    for item in all_fields:
        text = item.text.text
        current = fingerprint(text[source])
        borrowed = getattr(text, "borrowed", {})
        for lang in targets:
            if lang in borrowed:
                states.append(FieldState(item, lang, "missing", borrowed[lang]))
                continue
            if not lock.exists:
                states.append(FieldState(item, lang, "translated"))
                continue
            recorded = lock.fingerprint_of(lang, item.id)
            if recorded == current or current in reviewed_in_entry[(lang, entry_key(item.id))]:
                states.append(FieldState(item, lang, "translated"))
            else:
                states.append(FieldState(item, lang, "stale",
                                         "unreviewed" if recorded is None else "changed"))
    names = {language.code: language.name for language in content.info.languages}
    return TranslationStatus(source, targets, names, lock.exists, states)


# --- reports ------------------------------------------------------------------------------

_REASONS = {
    "changed": "out of date: the {source} text changed after this translation was reviewed",
    "unreviewed": "out of date: never reviewed against the {source} text",
}
DETAILS_PER_FILE = 10  # in the text report; the JSON report lists every text


def _summary(counter: Counter) -> str:
    return (f"{counter['texts']} texts: {counter['translated']} translated, "
            f"{counter['missing']} missing, {counter['stale']} out of date")


def format_text(status: TranslationStatus) -> str:
    source_name = status.names[status.source]
    lines = [f"Translations from {source_name} ({status.source})."]
    if not status.tracked:
        lines.append("Reviews are not tracked (no handbook/translations.lock): run `handbook "
                     "i18n reviewed` to record the current translations as reviewed.")
    counts = status.counts()
    by_file: dict[tuple[str, str], list[FieldState]] = defaultdict(list)
    for state in status.states:
        if state.state != "translated":
            by_file[(state.lang, state.field.file)].append(state)
    for lang in status.targets:
        files = counts[lang]
        lines.append(f"{status.names[lang]} ({lang}): {_summary(files.get('', Counter()))}.")
        complete = 0
        for file in sorted(name for name in files if name):
            todo = by_file.get((lang, file), [])
            if not todo:
                complete += 1
                continue
            lines.append(f"  {file}: {_summary(files[file])}.")
            for state in todo[:DETAILS_PER_FILE]:
                where = f"{state.field.file}:{state.field.line}:{state.field.column}"
                if state.state == "missing":
                    what = f"missing ({status.names.get(state.reason, state.reason)} shown)"
                else:
                    what = _REASONS[state.reason].format(source=source_name)
                lines.append(f"    {where}: {state.id}: {what}")
            if len(todo) > DETAILS_PER_FILE:
                lines.append(f"    … and {len(todo) - DETAILS_PER_FILE} more (`--format json` "
                             "lists them all).")
        if complete:
            other = " other" if complete < len(files) - 1 else ""
            lines.append(f"  {complete}{other} file{'s' if complete != 1 else ''}: every text "
                         "translated and up to date.")
    return "\n".join(lines)


def format_json(status: TranslationStatus) -> str:
    counts = status.counts()
    report: dict = {"source": status.source, "tracked": status.tracked,
                    "complete": status.complete, "languages": {}}
    for lang in status.targets:
        files = counts[lang]
        total = files.get("", Counter())
        report["languages"][lang] = {
            "name": status.names[lang],
            "total": {key: total[key] for key in ("texts", *STATES)},
            "files": {file: {key: files[file][key] for key in ("texts", *STATES)} | {"todo": []}
                      for file in sorted(name for name in files if name)},
        }
    for state in status.states:
        if state.state == "translated":
            continue
        report["languages"][state.lang]["files"][state.field.file]["todo"].append(
            {"id": state.id, "state": state.state, "reason": state.reason,
             "line": state.field.line, "column": state.field.column})
    return json.dumps(report, ensure_ascii=False, indent=2)
