"""The validated Handbook as one object: every entry by id, in order, with "used in" indexes.

Renderers only read from here; nothing in this module touches files.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from pydantic import BaseModel

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
    cases: dict[str, m.Case] = field(default_factory=dict)
    starter_route: m.StarterRoute | None = None
    redirects: list[m.Redirect] = field(default_factory=list)
    usage: dict[tuple[str, str], Usage] = field(default_factory=dict)  # (kind, id) → usage
    _texts: list[TextAt] | None = field(default=None, repr=False, compare=False)

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

    def entries(self) -> Iterator[tuple[str, str | None, object]]:
        """Every entry as (kind, id, value), single files with id None (kinds as in
        source/origins.py)."""
        yield "handbook", None, self.info
        yield "ui", None, self.ui
        for kind, values in (("wp", self.work_packages), ("sheet", self.sheets),
                             ("case", self.cases)):
            for entry_id, value in values.items():
                yield kind, entry_id, value
        for kind in ("role", "tool", "mechanism", "indicator", "body", "term", "source"):
            for entry_id, value in self.catalogue(kind).items():
                yield kind, entry_id, value
        yield "matrix", None, self.matrix
        yield "capacity-grid", None, self.grid
        if self.starter_route is not None:
            yield "starter-route", None, self.starter_route
        if self.redirects:
            yield "redirects", None, self.redirects

    def texts(self) -> list[TextAt]:
        """Every multilingual text of the Handbook, with the entry and field it belongs to
        (walked once: the rules, the search and the translation tools all ask for it)."""
        if self._texts is None:
            languages = frozenset(self.languages)
            self._texts = [text for kind, entry_id, value in self.entries()
                           for text in _texts_in(value, kind, entry_id, (), languages)]
        return self._texts

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


# --- every text of the Handbook, with where it is -------------------------------------------

@dataclass(frozen=True)
class TextAt:
    """One multilingual text: the entry it belongs to, its place in the entry, and its field."""

    kind: str  # as in Origins: `sheet`, `role`…, or a single file's name (`matrix`, `ui`)
    entry_id: str | None
    loc: tuple[str | int, ...]  # inside the entry, e.g. ("steps", 2, "description")
    text: dict[str, str]  # language → text

    @property
    def field(self) -> str:
        """The field's own name: `description`, `name`… (list positions skipped)."""
        return next((str(part) for part in reversed(self.loc) if isinstance(part, str)), "")


def _texts_in(value, kind: str, entry_id: str | None, loc: tuple,
              languages: frozenset[str]) -> list[TextAt]:
    found: list[TextAt] = []
    _collect_texts(value, kind, entry_id, loc, languages, found)
    return found


def _collect_texts(value, kind: str, entry_id: str | None, loc: tuple,
                   languages: frozenset[str], found: list[TextAt]) -> None:
    # Plain recursion into one list (no chain of generators): at a thousand sheets the walk
    # visits a million values.
    if isinstance(value, BaseModel):
        values = value.__dict__
        for name in type(value).model_fields:
            item = values[name]
            if isinstance(item, (dict, list, BaseModel)):
                _collect_texts(item, kind, entry_id, (*loc, name), languages, found)
    elif isinstance(value, list):
        for position, item in enumerate(value):
            if isinstance(item, (dict, list, BaseModel)):
                _collect_texts(item, kind, entry_id, (*loc, position), languages, found)
    elif isinstance(value, dict) and value:
        if value.keys() == languages and all(isinstance(v, str) for v in value.values()):
            found.append(TextAt(kind, entry_id, loc, value))
        else:
            for key, item in value.items():
                if isinstance(item, (dict, list, BaseModel)):
                    _collect_texts(item, kind, entry_id, (*loc, key), languages, found)
