"""Aggregates prepared for templates, that would be clumsy in Jinja.

Pure functions of `Content`; contexts.py puts their results in each page's context.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass

from ..source import models as m
from ..source.content import Content


def sheet_entries(sheet: m.Sheet, kind: str) -> list[str]:
    """Ids of roles/tools/mechanisms/bodies/indicators a sheet uses, steps included, in order
    of first appearance."""
    found: list[str] = []
    if kind == "role":
        found += [a.role for a in sheet.human_resources]
    elif kind == "tool":
        found += [u.tool for u in sheet.tools]
    elif kind == "mechanism":
        found += [u.mechanism for u in sheet.mechanisms]
    elif kind == "body":
        found += [u.body for u in sheet.bodies]
    elif kind == "indicator":
        found += [u.indicator for u in sheet.indicators]
    step_field = {"role": "roles", "tool": "tools", "mechanism": "mechanisms",
                  "body": "bodies"}.get(kind)
    if step_field:
        for step in sheet.steps:
            found += getattr(step, step_field)
    return list(dict.fromkeys(found))


def key_entries(sheets: list[m.Sheet], kind: str, limit: int = 12) -> list[str]:
    """The entries most used across `sheets` (a WP's key roles, tools, mechanisms)."""
    counts = Counter(entry for sheet in sheets for entry in sheet_entries(sheet, kind))
    return [entry for entry, _ in counts.most_common(limit)]


def matrix_cells_for(content: Content, wp: m.WorkPackage) -> list[int]:
    """Positions of the matrix cells that point to at least one sheet of `wp`."""
    sheets = set(wp.sheets)
    return [n for n, cell in enumerate(content.matrix.cells) if sheets & set(cell.sheets)]


def role_view(content: Content) -> dict[str, list[tuple[int, str]]]:
    """Role id → [(cell position, RACI)] across the management matrix, in matrix order."""
    view: dict[str, list[tuple[int, str]]] = {}
    for n, cell in enumerate(content.matrix.cells):
        for entry in cell.raci:
            view.setdefault(entry.role, []).append((n, entry.raci))
    return {role: view[role] for role in content.roles if role in view}


@dataclass(frozen=True)
class MatrixRow:
    task: m.MatrixTask
    cells: list[tuple[int, m.MatrixCell, m.MatrixMeans]]  # (position, cell, its means)


def matrix_rows(content: Content) -> list[MatrixRow]:
    """Matrix tasks in order, each with its cells in the order of the means."""
    means = {item.id: item for item in content.matrix.means}
    rank = {item.id: n for n, item in enumerate(content.matrix.means)}
    rows = []
    for task in content.matrix.tasks:
        cells = [(n, cell, means[cell.means]) for n, cell in enumerate(content.matrix.cells)
                 if cell.task == task.id]
        rows.append(MatrixRow(task, sorted(cells, key=lambda item: rank[item[1].means])))
    return rows


RACI_ORDER = ("responsible", "accountable", "consulted", "informed")


def matrix_raci(content: Content) -> dict[int, list[tuple[str, list[str]]]]:
    """Cell position → [(RACI, [role ids])] in R, A, C, I order: how a cell reads at a glance
    ("R: facilitator, communication officer · A: transition lead")."""
    grouped = {}
    for n, cell in enumerate(content.matrix.cells):
        groups = [(raci, [entry.role for entry in cell.raci if entry.raci == raci])
                  for raci in RACI_ORDER]
        grouped[n] = [(raci, roles) for raci, roles in groups if roles]
    return grouped


def matrix_roles(content: Content, lang: str) -> list[tuple[str, str]]:
    """(role id, name) of the roles the matrix involves, sorted by name: the role filter."""
    present = {entry.role for cell in content.matrix.cells for entry in cell.raci}
    roles = [(role_id, content.roles[role_id].name[lang]) for role_id in present]
    return sorted(roles, key=lambda role: sort_key(role[1]))


def split_evenly(items: list, parts: int) -> list[list]:
    """`items` in at most `parts` consecutive groups of nearly equal size (4 rows on 2 pages:
    2 and 2; 3 rows: 2 and 1)."""
    parts = max(1, min(parts, len(items)))
    size = -(-len(items) // parts)  # ceiling
    return [items[start:start + size] for start in range(0, len(items), size)]


def facets(content: Content, sheet: m.Sheet) -> dict[str, list[str]]:
    """What the sheet finder filters on, for one sheet."""
    return {
        "wp": [sheet.wp],
        "role": sheet_entries(sheet, "role"),
        "tool": sheet_entries(sheet, "tool"),
        "mechanism": sheet_entries(sheet, "mechanism"),
        "effort": [sheet.effort],
    }


def sort_key(text: str) -> str:
    """Alphabetical order that ignores accents and case (É sorts with E)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def glossary_sorted(content: Content, lang: str) -> list[m.Term]:
    return sorted(content.glossary.values(), key=lambda term: sort_key(term.term[lang]))


def finder_facets(content: Content, lang: str) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """The sheet finder's filters: (facet, ui label key, [(value, label)]) with only the values
    that at least one sheet has, labels sorted alphabetically."""
    used = {facet: set() for facet in ("wp", "role", "tool", "mechanism", "effort")}
    for sheet in content.sheets.values():
        for facet, values in facets(content, sheet).items():
            used[facet].update(values)

    def named(kind: str) -> list[tuple[str, str]]:
        entries = content.catalogue(kind)
        options = [(entry_id, entries[entry_id].name[lang]) for entry_id in used[kind]]
        return sorted(options, key=lambda option: sort_key(option[1]))

    wps = [(wp.id, f"WP{wp.number} · {wp.title[lang]}") for wp in content.work_packages.values()
           if wp.id in used["wp"]]
    efforts = [(e, content.ui[f"effort_{e}"][lang]) for e in ("low", "medium", "high")
               if e in used["effort"]]
    return [("wp", "finder_wp", wps), ("role", "finder_role", named("role")),
            ("tool", "finder_tool", named("tool")),
            ("mechanism", "finder_mechanism", named("mechanism")),
            ("effort", "finder_effort", efforts)]
