"""Rules that keep a sheet consistent with itself and the Handbook with its catalogues: who
acts in the steps is in the human resources with a RACI letter, one role is accountable, each
checklist item checks a step, every sheet names its pitfalls and its timing, every source has
a consultation date, every catalogue entry is used somewhere."""

from __future__ import annotations

from .registry import Check, rule

PITFALLS = (2, 4)  # how many pitfalls a sheet names


@rule("one-accountable", "exactly one accountable role in a sheet's human resources, and at "
      "most one in a matrix cell")
def one_accountable(check: Check):
    for sheet in check.content.sheets.values():
        accountable = [n for n, a in enumerate(sheet.human_resources) if a.raci == "accountable"]
        if len(accountable) != 1:
            loc = ("human_resources", accountable[1]) if accountable else ("human_resources",)
            yield check.problem("sheet", sheet.id, loc, f"{len(accountable)} roles are "
                                "accountable: keep exactly one accountable role, and make the "
                                "others responsible, consulted or informed.")
    for position, cell in enumerate(check.content.matrix.cells):
        accountable = [n for n, entry in enumerate(cell.raci) if entry.raci == "accountable"]
        if len(accountable) > 1:
            yield check.problem("matrix", None, ("cells", position, "raci", accountable[1]),
                                f"{len(accountable)} roles are accountable in this cell: keep at "
                                "most one, and make the others responsible, consulted or "
                                "informed.")


@rule("step-roles-staffed", "every role acting in a step has a human-resources line (with its "
      "RACI letter and effort)")
def step_roles_staffed(check: Check):
    for sheet in check.content.sheets.values():
        staffed = {assignment.role for assignment in sheet.human_resources}
        reported: set[str] = set()
        for s, step in enumerate(sheet.steps):
            for r, role in enumerate(step.roles):
                if role not in staffed and role not in reported:
                    reported.add(role)
                    yield check.problem("sheet", sheet.id, ("steps", s, "roles", r), f"`{role}` "
                                        "acts in this step but has no line in `human_resources`: "
                                        "add one with its RACI letter and effort.")


@rule("checklist-steps", "each checklist item names the steps it checks")
def checklist_steps(check: Check):
    for sheet in check.content.sheets.values():
        for n, item in enumerate(sheet.checklist):
            if not item.steps:
                yield check.problem("sheet", sheet.id, ("checklist", n), "this checklist item "
                                    "names no step: add `steps: [n]` with the number of the "
                                    "step(s) it checks.")
            for k, number in enumerate(item.steps):
                if number > len(sheet.steps):
                    yield check.problem("sheet", sheet.id, ("checklist", n, "steps", k),
                                        f"there is no step {number} (the sheet has "
                                        f"{len(sheet.steps)} steps): correct the number.")


@rule("sheet-pitfalls", f"every sheet names {PITFALLS[0]} to {PITFALLS[1]} pitfalls")
def sheet_pitfalls(check: Check):
    low, high = PITFALLS
    for sheet in check.content.sheets.values():
        if not low <= len(sheet.pitfalls) <= high:
            count = len(sheet.pitfalls)
            found = "no pitfall" if not count else f"only {count} pitfall{'s' if count > 1 else ''}"
            yield check.problem("sheet", sheet.id, ("pitfalls",) if count else ("id",),
                                f"{found}: write {low} to {high} concrete mistakes to avoid "
                                "(each with its consequence) under `pitfalls:`.")


@rule("sheet-timing", "every sheet gives its timing (months, repeats), for the overall calendar")
def sheet_timing(check: Check):
    for sheet in check.content.sheets.values():
        if sheet.timing is None:
            yield check.problem("sheet", sheet.id, ("duration",), "no `timing`: add "
                                "`timing: {months: [min, max], repeats: once}` (see STYLE.md).")
        elif sheet.timing.months[0] > sheet.timing.months[1]:
            yield check.problem("sheet", sheet.id, ("timing", "months"), "the shortest duration "
                                "comes first: write `[min, max]`.")


@rule("source-accessed", "every source says when its address was last read")
def source_accessed(check: Check):
    for source in check.content.sources.values():
        if source.url and source.accessed is None:
            yield check.problem("source", source.id, ("url",), "no `accessed` date: write when "
                                "the address was last read, as YYYY-MM-DD.")


CATALOGUE_KINDS = ("role", "tool", "mechanism", "indicator", "body", "source")


@rule("catalogue-entry-used", "every catalogue entry is used by a sheet, a matrix cell or "
      "another entry")
def catalogue_entry_used(check: Check):
    content = check.content
    for kind in CATALOGUE_KINDS:
        for entry_id in content.catalogue(kind):
            usage = content.used_in(kind, entry_id)
            if not (usage.sheets or usage.cells or usage.entries or usage.criteria):
                yield check.problem(kind, entry_id, ("id",), f"`{entry_id}` is used nowhere: "
                                    "refer to it where it belongs, or remove it.")
