"""Rules on how the Handbook's parts fit together: every sheet in exactly one Work Package,
every WP listed, no prerequisite cycle, a full management matrix, a complete capacity grid."""

from __future__ import annotations

from ..source.references import find_cycle
from .registry import Check, rule


@rule("sheet-listed-twice", "a sheet belongs to one Work Package")
def sheet_listed_twice(check: Check):
    listed_in: dict[str, str] = {}
    for wp in check.content.work_packages.values():
        for position, sheet_id in enumerate(wp.sheets):
            if sheet_id in listed_in:
                yield check.problem("wp", wp.id, ("sheets", position), f"`{sheet_id}` is already "
                                    f"listed by `{listed_in[sheet_id]}`; a sheet belongs to one "
                                    "Work Package: remove it from one of the lists.")
            listed_in.setdefault(sheet_id, wp.id)


@rule("wrong-wp", "a sheet's `wp` is the Work Package that lists it")
def wrong_wp(check: Check):
    seen: set[str] = set()
    for wp in check.content.work_packages.values():
        for position, sheet_id in enumerate(wp.sheets):
            sheet = check.content.sheets.get(sheet_id)
            if sheet is not None and sheet.wp != wp.id and sheet_id not in seen:
                yield check.problem("wp", wp.id, ("sheets", position), f"`{sheet_id}` says it "
                                    f"belongs to `{sheet.wp}`, but `{wp.id}` lists it. Change one "
                                    "of them so that they agree.")
            seen.add(sheet_id)


@rule("orphan-sheet", "every sheet is listed by a Work Package")
def orphan_sheet(check: Check):
    if "wp" in check.incomplete:
        return
    listed = {sheet_id for wp in check.content.work_packages.values() for sheet_id in wp.sheets}
    for sheet_id, sheet in check.content.sheets.items():
        if sheet_id not in listed:
            where = (f" of `handbook/work-packages/{sheet.wp}.yaml`"
                     if sheet.wp in check.content.work_packages else "")
            yield check.problem("sheet", sheet_id, ("id",), "this sheet belongs to no Work "
                                f"Package: add `{sheet_id}` to the `sheets` list{where}.")


@rule("orphan-wp", "every Work Package is listed in handbook.yaml")
def orphan_wp(check: Check):
    if "handbook" in check.incomplete:
        return
    for wp_id in check.content.work_packages:
        if wp_id not in check.content.info.work_packages:
            yield check.problem("handbook", None, ("work_packages",), f"the Work Package "
                                f"`{wp_id}` is not listed in `work_packages`: add it to the list.")


@rule("self-reference", "a sheet does not list itself as prerequisite or related")
def self_reference(check: Check):
    for sheet_id, sheet in check.content.sheets.items():
        for field in ("prerequisite_sheets", "related_sheets"):
            for position, other in enumerate(getattr(sheet, field)):
                if other == sheet_id:
                    yield check.problem("sheet", sheet_id, (field, position),
                                        "a sheet cannot refer to itself.")


@rule("cycle", "prerequisites never go round in a circle")
def cycle(check: Check):
    sheets = check.content.sheets
    graph = {sid: [p for p in s.prerequisite_sheets if p != sid] for sid, s in sheets.items()}
    found = find_cycle(graph)
    if found:
        position = sheets[found[0]].prerequisite_sheets.index(found[1])
        yield check.problem("sheet", found[0], ("prerequisite_sheets", position),
                            "the prerequisites go round in a circle (" + " → ".join(found)
                            + "): no sheet could be carried out first. Remove one of these "
                            "prerequisites.")


@rule("duplicate-cell", "each task × means cell of the matrix is described once")
def duplicate_cell(check: Check):
    seen: dict[tuple[str, str], int] = {}
    for position, cell in enumerate(check.content.matrix.cells):
        key = (cell.task, cell.means)
        if key in seen:
            yield check.problem("matrix", None, ("cells", position), f"the cell {cell.task} × "
                                f"{cell.means} is already described (cells[{seen[key] + 1}]): "
                                "merge the two into one cell.")
        seen.setdefault(key, position)


@rule("missing-cell", "the matrix has a cell for every task and every means")
def missing_cell(check: Check):
    matrix = check.content.matrix
    present = {(cell.task, cell.means) for cell in matrix.cells}
    for task in matrix.tasks:
        for means in matrix.means:
            if (task.id, means.id) not in present:
                yield check.problem("matrix", None, ("cells",), f"no cell describes {task.id} × "
                                    f"{means.id}: every task needs a cell for every means.")


@rule("levels", "each capacity criterion describes every level of the scale")
def levels(check: Check):
    grid = check.content.grid
    for d, dimension in enumerate(grid.dimensions):
        for c, criterion in enumerate(dimension.criteria):
            if len(criterion.levels) != len(grid.scale):
                yield check.problem("capacity-grid", None,
                                    ("dimensions", d, "criteria", c, "levels"),
                                    f"describes {len(criterion.levels)} levels, but the scale "
                                    f"has {len(grid.scale)}: write one description per level.")
