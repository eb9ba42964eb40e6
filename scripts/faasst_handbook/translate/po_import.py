"""`handbook i18n import`: translations from PO files written back into the YAML.

Only what a translator changed is written: an entry whose translation equals the file's is
left alone (and, if it was out of date, recorded as reviewed: the translator cleared its fuzzy
mark), fuzzy and empty entries are skipped, and an entry whose source text changed since the
export is refused — its translation is of a text that no longer exists. Files are written by
yaml_writer.py (comments, order, quoting and layout kept); an import that changes nothing
leaves every file as it was, byte for byte.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import polib

from ..atomic_files import write_atomically
from ..source.content import Content
from ..source.origins import Origins
from ..source.problems import Problem
from ..source.text import text_problem
from .fields import Field, fields
from .lock import ReviewLock
from .yaml_writer import LayoutNotKept, YamlFile


@dataclass
class Imported:
    lang: str | None = None
    changed: Counter = field(default_factory=Counter)  # YAML file → texts written
    confirmed: int = 0  # unchanged translations now recorded as reviewed
    unchanged: int = 0
    fuzzy: int = 0
    empty: int = 0
    refused: list[Problem] = field(default_factory=list)

    @property
    def written(self) -> int:
        return sum(self.changed.values())


def language_of(po: polib.POFile, languages: list[str]) -> str | None:
    """`Language: pt`, `pt_PT` or `pt-PT` → `pt`, if it is one of the Handbook's."""
    declared = (po.metadata.get("Language") or "").strip().lower().replace("-", "_")
    if declared in languages:
        return declared
    base = declared.split("_", 1)[0]
    return base if base in languages else None


def import_po(po_path: Path, shown_po: str, content: Content, origins: Origins,
              lock: ReviewLock, handbook_dir: Path) -> Imported:
    report = Imported()

    def refuse(line: int, where: str, message: str) -> None:
        report.refused.append(Problem(shown_po, line, 1, where, message, "po-import"))

    try:
        po = polib.pofile(str(po_path), encoding="utf-8")
    except (OSError, UnicodeDecodeError, ValueError) as error:
        refuse(1, "", f"this is not a PO file that can be read ({error}): export it again "
               "with `handbook i18n export`.")
        return report
    source = content.default_language
    names = {language.code: language.name for language in content.info.languages}
    lang = language_of(po, content.languages)
    if lang is None or lang == source:
        declared = po.metadata.get("Language", "")
        refuse(1, "Language", f"the file's `Language` header is `{declared}`; it must be one "
               f"of the languages to translate into ({', '.join(content.languages[1:])}): "
               "correct the header.")
        return report
    report.lang = lang
    by_id: dict[str, Field] = {item.id: item for item in fields(content, origins)}
    changes: dict[str, list[tuple[Field, str]]] = defaultdict(list)
    for entry in po:
        if entry.obsolete:
            continue
        if not entry.msgctxt:
            refuse(entry.linenum, "", "this entry has no msgctxt (the id of its text), so it "
                   "cannot be placed: translate it in a file made by `handbook i18n export`.")
            continue
        item = by_id.get(entry.msgctxt)
        if item is None:
            refuse(entry.linenum, entry.msgctxt, "no text of the Handbook has this id any more "
                   f"(moved or removed since the export): export again (`handbook i18n "
                   f"export --lang {lang}`) and translate it there.")
            continue
        texts = item.text.text
        if entry.msgid != texts[source]:
            refuse(entry.linenum, entry.msgctxt, f"the {names[source]} text changed after "
                   "this file was exported, so this translation was not imported: export "
                   f"again (`handbook i18n export --lang {lang}`) and translate the new text.")
            continue
        if entry.fuzzy:
            report.fuzzy += 1
            continue
        new = entry.msgstr.replace("\r\n", "\n").strip()
        if not new:
            report.empty += 1
            continue
        written = lang not in getattr(texts, "borrowed", {})
        if written and texts[lang] == new:
            report.unchanged += 1
            if lock.mark(lang, item.id, texts[source]) and lock.exists:
                report.confirmed += 1
            continue
        problem = text_problem(new, names[lang], getattr(texts, "markdown", False))
        if problem is not None:
            refuse(entry.linenum, entry.msgctxt, f"{problem} This translation was not "
                   "imported: correct it in the PO file.")
            continue
        changes[item.file].append((item, new))
    for file, items in changes.items():
        path = Path(handbook_dir) / file.split("/", 1)[1]
        try:
            target = YamlFile(path)
        except (LayoutNotKept, OSError) as error:
            for item, _ in items:
                refuse(1, item.id, f"{file} cannot be written back without reformatting it "
                       f"({error}); this translation was not imported: copy it in by hand.")
            continue
        for item, new in items:
            _, prefix = origins.entries[(item.text.kind, item.text.entry_id)]
            target.set_text((*prefix, *item.text.loc), lang, new, content.languages)
            lock.mark(lang, item.id, item.text.text[source])
        text = target.render()
        if text != target.original:
            write_atomically(path, text.encode("utf-8"))
        report.changed[file] += len(items)
    return report


def summary(shown_po: str, report: Imported, names: dict[str, str]) -> str:
    if report.lang is None:
        return f"{shown_po}: nothing imported."
    parts = [f"{report.written} translation{'s' if report.written != 1 else ''} written into "
             f"{len(report.changed)} file{'s' if len(report.changed) != 1 else ''}",
             f"{report.unchanged} unchanged" + (f" ({report.confirmed} now recorded as "
                                                "reviewed)" if report.confirmed else "")]
    if report.fuzzy:
        parts.append(f"{report.fuzzy} fuzzy left out (check them, then clear their fuzzy "
                     "mark)")
    if report.empty:
        parts.append(f"{report.empty} untranslated")
    if report.refused:
        parts.append(f"{len(report.refused)} refused (below)")
    return f"{shown_po} ({names[report.lang]}): " + ", ".join(parts) + "."
