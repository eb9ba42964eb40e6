"""The overall calendar: when each sheet can run within a climate plan's six-year cycle, from
the sheets' own timing (`timing.months`, `timing.repeats`) and prerequisites.

A sheet starts when every prerequisite has finished; a sheet without prerequisites starts at
month 0. Two schedules are computed, one with the shortest durations and one with the
longest: the truth for a real city lies between them. A sheet that repeats (yearly, twice a
year, at each cycle, continuously) is placed at its first run, and its repeats are listed.
The calendar is indicative: it shows which sheets can run in parallel, not a plan.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..source.content import Content

CYCLE_MONTHS = 72  # a PCAET runs six years (with a mid-term review after three)
REPEAT_EVERY = {"yearly": 12, "half-yearly": 6}


@dataclass(frozen=True)
class Slot:
    sheet: str
    wp: str
    start: tuple[int, int]  # month it can start: with the shortest, the longest durations
    months: tuple[int, int]  # its own duration, shortest and longest
    repeats: str  # once, yearly, half-yearly, continuous, each-cycle
    prerequisites: tuple[str, ...]

    @property
    def end(self) -> tuple[int, int]:
        return (self.start[0] + self.months[0], self.start[1] + self.months[1])

    def runs(self) -> list[int]:
        """Start months of its later runs within the cycle (longest schedule)."""
        step = REPEAT_EVERY.get(self.repeats)
        if not step:
            return []
        return list(range(self.end[1], CYCLE_MONTHS, step))[:12]


def schedule(content: Content) -> list[Slot]:
    """Every sheet's slot, in reading order. Prerequisite cycles are refused by the
    validator, so the recursion ends."""
    found: dict[str, Slot] = {}

    def slot(sheet_id: str) -> Slot:
        if sheet_id in found:
            return found[sheet_id]
        sheet = content.sheets[sheet_id]
        months = tuple(sheet.timing.months) if sheet.timing else (0, 0)
        before = [slot(p) for p in sheet.prerequisite_sheets if p in content.sheets]
        start = (max((b.end[0] for b in before), default=0),
                 max((b.end[1] for b in before), default=0))
        found[sheet_id] = Slot(sheet_id, sheet.wp, start, months,
                               sheet.timing.repeats if sheet.timing else "once",
                               tuple(sheet.prerequisite_sheets))
        return found[sheet_id]

    return [slot(sheet_id) for sheet_id in content.sheets]


def span(slots: list[Slot]) -> int:
    """The months the calendar shows: the cycle, or longer if a chain of sheets needs it."""
    return max([CYCLE_MONTHS] + [s.end[1] for s in slots])
