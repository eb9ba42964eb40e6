"""The Handbook's change notes (each sheet's `changes:`), gathered for readers: a sheet's
history and its last change, and what changed in each edition (the "What's new" page and its
Atom feed). Pure functions of `Content`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..source import models as m
from ..source.content import Content


@dataclass(frozen=True)
class Change:
    """One change note, with the sheet it belongs to."""

    sheet: str  # the sheet's id
    date: dt.date
    edition: str
    note: dict[str, str]  # language → text
    number: int  # 1 for the sheet's oldest note: with the sheet and date, a stable identity


@dataclass(frozen=True)
class Day:
    date: dt.date
    changes: tuple[Change, ...]  # in the Handbook's reading order


@dataclass(frozen=True)
class EditionChanges:
    edition: str
    current: bool  # the edition of handbook.yaml
    days: tuple[Day, ...]  # newest first

    @property
    def anchor(self) -> str:
        return "edition-" + self.edition.replace(".", "-")


def edition_key(edition: str) -> tuple[int, ...]:
    """`"2.10"` comes after `"2.9"`: editions compare as numbers."""
    return tuple(int(part) for part in edition.split("."))


def history(sheet: m.Sheet) -> list[Change]:
    """A sheet's change notes, newest first (whatever order they were written in)."""
    oldest_first = sorted(sheet.changes, key=lambda change: change.date)
    notes = [Change(sheet.id, change.date, change.edition, change.note, number)
             for number, change in enumerate(oldest_first, start=1)]
    return sorted(notes, key=lambda change: (change.date, change.number), reverse=True)


def last_changed(sheet: m.Sheet) -> dt.date:
    """The date of a sheet's newest change note; without any, its last review."""
    return max((change.date for change in sheet.changes), default=sheet.last_reviewed)


def all_changes(content: Content) -> list[Change]:
    """Every change note of the Handbook: newest first, then in reading order."""
    order = {sheet_id: n for n, sheet_id in enumerate(content.sheets)}
    notes = [change for sheet in content.sheets.values() for change in history(sheet)]
    return sorted(notes, key=lambda change: (-change.date.toordinal(), order[change.sheet],
                                             -change.number))


def by_edition(content: Content) -> list[EditionChanges]:
    """The change notes grouped by edition (newest edition first), then by date."""
    editions: dict[str, dict[dt.date, list[Change]]] = {}
    for change in all_changes(content):
        editions.setdefault(change.edition, {}).setdefault(change.date, []).append(change)
    return [EditionChanges(edition, edition == content.info.edition,
                           tuple(Day(date, tuple(notes)) for date, notes in days.items()))
            for edition, days in sorted(editions.items(), key=lambda item: edition_key(item[0]),
                                        reverse=True)]
