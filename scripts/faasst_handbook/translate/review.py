"""`handbook i18n reviewed`: record that translations were checked against today's source
texts, for the whole Handbook, some files, some fields, some languages."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..source.content import Content
from ..source.origins import Origins
from .fields import Field, fields, matches
from .lock import ReviewLock


@dataclass
class Reviewed:
    marked: Counter = field(default_factory=Counter)  # lang → translations now recorded
    changed: int = 0  # how many of them the lock did not have yet
    missing: Counter = field(default_factory=Counter)  # lang → texts with nothing to review
    unknown_fields: list[str] = field(default_factory=list)  # --field values matching nothing


def select(content: Content, origins: Origins, files: list[str] | None = None,
           wanted: list[str] | None = None) -> tuple[list[Field], list[str]]:
    """The texts in `files` (shown paths, e.g. `handbook/sheets/wp1-01.yaml`) and matching
    one of `wanted` (field ids or prefixes), and the `wanted` values that match nothing."""
    chosen = [item for item in fields(content, origins)
              if files is None or item.file in files]
    if not wanted:
        return chosen, []
    unknown = [value for value in wanted if not any(matches(item.id, value) for item in chosen)]
    return [item for item in chosen if any(matches(item.id, value) for value in wanted)], unknown


def mark_reviewed(content: Content, origins: Origins, lock: ReviewLock, langs: list[str],
                  files: list[str] | None = None, wanted: list[str] | None = None) -> Reviewed:
    report = Reviewed()
    chosen, report.unknown_fields = select(content, origins, files, wanted)
    if report.unknown_fields:
        return report
    before = {lang: dict(lock.reviewed.get(lang, {})) for lang in langs}
    if files is None and not wanted:  # the whole Handbook: ids that no longer exist go
        for lang in langs:
            lock.reviewed[lang] = {}
    source = content.default_language
    for item in chosen:
        borrowed = getattr(item.text.text, "borrowed", {})
        for lang in langs:
            if lang in borrowed:
                report.missing[lang] += 1
                continue
            lock.mark(lang, item.id, item.text.text[source])
            report.marked[lang] += 1
    report.changed = sum(before[lang].get(text_id) != value for lang in langs
                         for text_id, value in lock.reviewed.get(lang, {}).items())
    return report
