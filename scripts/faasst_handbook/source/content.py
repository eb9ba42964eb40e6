"""The validated Handbook as one object: every entry by id, in order, with "used in" indexes.

Renderers only read from here; nothing in this module touches files.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from . import models as m


@dataclass(frozen=True)
class Usage:
    """Where a catalogue entry is used: a sheet (and in which part of it) or a matrix cell."""

    sheets: tuple[str, ...] = ()  # sheet ids, in Handbook order
    cells: tuple[int, ...] = ()  # positions in matrix.cells
    criteria: tuple[str, ...] = ()  # capacity criteria ids
    entries: tuple[tuple[str, str], ...] = ()  # other entries, e.g. ("indicator", id)


@dataclass
class Content:
    info: m.HandbookInfo
    ui: dict[str, dict[str, str]]
    work_packages: dict[str, m.WorkPackage]  # in the order of handbook.yaml
    sheets: dict[str, m.Sheet]  # in reading order: WP by WP, as each WP lists them
    roles: dict[str, m.Role]
    tools: dict[str, m.Tool]
    mechanisms: dict[str, m.Mechanism]
    indicators: dict[str, m.Indicator]
    bodies: dict[str, m.Body]
    glossary: dict[str, m.Term]
    sources: dict[str, m.Source]
    matrix: m.Matrix
    grid: m.CapacityGrid
    usage: dict[tuple[str, str], Usage] = field(default_factory=dict)  # (kind, id) → usage

    @property
    def languages(self) -> list[str]:
        return [language.code for language in self.info.languages]

    @property
    def default_language(self) -> str:
        return self.info.languages[0].code

    def language_root(self, lang: str) -> str:
        """`` for the default language, `en/` for English: where i18n puts each language."""
        return "" if lang == self.default_language else f"{lang}/"

    def catalogue(self, kind: str) -> dict:
        return {"role": self.roles, "tool": self.tools, "mechanism": self.mechanisms,
                "indicator": self.indicators, "body": self.bodies, "term": self.glossary,
                "source": self.sources}[kind]

    def used_in(self, kind: str, entry_id: str) -> Usage:
        return self.usage.get((kind, entry_id), Usage())

    def wp_of(self, sheet_id: str) -> m.WorkPackage:
        return self.work_packages[self.sheets[sheet_id].wp]

    def neighbours(self, sheet_id: str) -> tuple[str | None, str | None]:
        """Previous and next sheet in reading order (across WPs)."""
        order = list(self.sheets)
        at = order.index(sheet_id)
        return (order[at - 1] if at > 0 else None,
                order[at + 1] if at + 1 < len(order) else None)


def build_usage(owned_references: list[tuple[tuple[str, str], tuple[str, object]]],
                sheet_order: list[str]) -> dict[tuple[str, str], Usage]:
    """Group (target, owner) pairs by target. Owners are ("sheet", id), ("cell", position),
    ("criterion", id) or a catalogue entry such as ("indicator", id)."""
    found: dict[tuple[str, str], dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for target, (owner_kind, owner_id) in owned_references:
        if target == (owner_kind, owner_id):
            continue
        found[target][owner_kind].add(owner_id)
    rank = {sheet_id: n for n, sheet_id in enumerate(sheet_order)}
    usage = {}
    for target, owners in found.items():
        entries = tuple(sorted((kind, entry) for kind, ids in owners.items()
                               if kind not in ("sheet", "cell", "criterion", "wp")
                               for entry in ids))
        usage[target] = Usage(
            sheets=tuple(sorted(owners.get("sheet", ()), key=lambda s: rank.get(s, 1 << 30))),
            cells=tuple(sorted(owners.get("cell", ()))),
            criteria=tuple(sorted(owners.get("criterion", ()))),
            entries=entries)
    return usage
