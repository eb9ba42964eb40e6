"""Aggregates prepared for templates, that would be clumsy in Jinja.

Pure functions of `Content`; contexts.py puts their results in each page's context.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass

from ..source import models as m
from ..source.content import Content
from .routes import anchor


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


@dataclass(frozen=True)
class IndexGroup:
    """One group of a long page's index (issue 16): a category or a letter, and its entries
    as (anchor, name), alphabetically."""

    label: str
    anchor: str  # id of the group (letters: where the page's own letter heading is)
    entries: list[tuple[str, str]]


# Catalogue kind → the field its index groups by, and the ui.yaml prefix of its labels.
GROUPED_BY = {"role": ("kind", "role_kind_"), "tool": ("category", "tool_category_"),
               "mechanism": ("category", "mechanism_category_"),
               "indicator": ("type", "indicator_type_"), "body": ("kind", "body_kind_")}


def entry_name(kind: str, entry, lang: str) -> str:
    if kind == "source":
        return entry.title
    name = entry.name[lang]
    acronym = getattr(entry, "acronym", None)
    return f"{name} ({acronym})" if acronym and acronym not in name else name


def initial(text: str) -> str:
    """The index letter of a name: its first letter without accent (`É` → `E`); `#` for a
    name that starts with a digit or a sign."""
    first = sort_key(text.lstrip("«“\"'( "))[:1].upper()
    return first if first.isalpha() else "#"


def catalogue_index(content: Content, kind: str, lang: str) -> list[IndexGroup]:
    """A catalogue's index: by category (roles by kind, tools by category…), categories in
    the order of their labels; sources, which have none worth grouping by, from A to Z."""
    entries = content.catalogue(kind)
    named = sorted(((anchor(entry_id), entry_name(kind, entry, lang), entry)
                    for entry_id, entry in entries.items()), key=lambda e: sort_key(e[1]))
    groups: dict[str, list[tuple[str, str]]] = {}
    if kind in GROUPED_BY:
        field, prefix = GROUPED_BY[kind]
        labels = {}
        for entry_anchor, name, entry in named:
            value = str(getattr(entry, field))
            label = content.ui[prefix + value.replace("-", "_")][lang]
            labels[label] = f"index-{value}"
            groups.setdefault(label, []).append((entry_anchor, name))
        return [IndexGroup(label, labels[label], groups[label])
                for label in sorted(groups, key=sort_key)]
    for entry_anchor, name, _ in named:
        groups.setdefault(initial(name), []).append((entry_anchor, name))
    return [IndexGroup(letter, f"index-{letter.lower()}" if letter != "#" else "index-other",
                       items) for letter, items in groups.items()]


def glossary_letters(terms: list[m.Term], lang: str) -> list[tuple[str, str, list[m.Term]]]:
    """Glossary terms (sorted) grouped by initial: [(letter, anchor, terms)]."""
    groups: dict[str, list[m.Term]] = {}
    for term in terms:
        groups.setdefault(initial(term.term[lang]), []).append(term)
    return [(letter, f"letter-{letter.lower()}" if letter != "#" else "letter-other", items)
            for letter, items in groups.items()]


# --- the printed checklist of a sheet fits one A4 page ----------------------------------------
# A layout model of templates/print/checklists.css (10 pt text, 180 mm wide), in mm, measured in
# Chromium and WeasyPrint. It errs on the tall side: a long checklist gets a smaller notes box
# rather than a second page holding only the bottom of the box (issue 16). Every sheet of the
# real Handbook is checked to print on one page, in both (test_checklists, test_print_browser).
_PAGE_HEIGHT = 265.0  # A4, less the @page margins
_FIXED = 52.3  # session and participants boxes, the checklist's heading, margins
_NOTES = {"large": 39.5, "medium": 25.5, "small": 16.0}  # label, box and margins
_SAFETY = 4.0


def _wrapped_lines(text: str, per_line: int) -> int:
    lines, used = 1, 0
    for word in text.split():
        if used and used + 1 + len(word) > per_line:
            lines, used = lines + 1, len(word)
        else:
            used += len(word) + (1 if used else 0)
    return lines


def printed_sheet_height(content: Content, sheet: m.Sheet, lang: str) -> float:
    """Estimated height of a sheet's printed checklist without its notes box, in mm."""
    ui = content.ui
    text = 14.9 + 6.77 * _wrapped_lines(sheet.title[lang], 36) \
        + 5.19 * _wrapped_lines(sheet.summary[lang], 66)
    head = max(36.0, text) + 3.5  # beside the QR code
    roles = ui["print_roles"][lang] + " : " + " · ".join(
        f"{content.roles[a.role].name[lang]} ({ui['raci_' + a.raci][lang]})"
        for a in sheet.human_resources)
    items = sum(4.2 + 4.94 * _wrapped_lines(item.text[lang], 92) for item in sheet.checklist)
    # the editorial notice under the notes box (8 pt)
    notice = 2.5 + 3.95 * _wrapped_lines(ui["editorial_notice"][lang], 120)
    return _FIXED + head + 4.44 * _wrapped_lines(roles, 104) + items + notice


def print_notes_sizes(content: Content, lang: str) -> dict[str, str]:
    """Sheet id → the notes box its printed checklist has room for: large, medium or small."""
    sizes = {}
    for sheet_id, sheet in content.sheets.items():
        height = printed_sheet_height(content, sheet, lang)
        sizes[sheet_id] = next((size for size, room in _NOTES.items()
                                if height + room + _SAFETY <= _PAGE_HEIGHT), "small")
    return sizes
