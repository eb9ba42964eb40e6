"""Rules on the redirects of handbook/redirects.yaml: each old address of a sheet leads, in one
step, to a sheet that exists. That `new` names an existing sheet is checked with every other
reference (it is a sheet id); here: no loop, no chain, no old address that is still a sheet's,
no old address redirected twice.

They run even when other files have problems (registry.RUN_ON_INCOMPLETE): a chain usually
shows up as a redirect to a sheet that was renamed again, whose "unknown sheet" message is best
read with the hint to point straight at the sheet's current id.
"""

from __future__ import annotations

from ..source import models as m
from .registry import Check, rule

FILE = "redirects"  # the single file's kind, as in source/layout.py


def _first_by_old(redirects: list[m.Redirect]) -> dict[str, int]:
    found: dict[str, int] = {}
    for position, redirect in enumerate(redirects):
        found.setdefault(redirect.old, position)
    return found


def _loops(redirects: list[m.Redirect]) -> list[list[int]]:
    """Each circle of redirects (old → new → … → the same old), as positions, once each."""
    by_old = _first_by_old(redirects)
    loops, seen = [], set()
    for start in range(len(redirects)):
        path, at = [], start
        while at is not None and at not in path:
            path.append(at)
            at = by_old.get(redirects[at].new)
        if at == start and not seen.intersection(path):
            loops.append(path)
            seen.update(path)
    return loops


def _in_loops(redirects: list[m.Redirect]) -> set[int]:
    return {position for loop in _loops(redirects) for position in loop}


@rule("redirect-loop", "redirects never go round in a circle")
def redirect_loop(check: Check):
    redirects = check.content.redirects
    for loop in _loops(redirects):
        first = min(loop)
        if len(loop) == 1:
            yield check.problem(FILE, None, (first, "new"), f"this redirect leads "
                                f"`{redirects[first].old}` to itself: remove it.")
            continue
        at = loop.index(first)
        ordered = loop[at:] + loop[:at]
        circle = " → ".join([redirects[p].old for p in ordered] + [redirects[first].old])
        yield check.problem(FILE, None, (first, "old"), f"these redirects go round in a circle "
                            f"({circle}): readers would never reach a page. A redirect leaves "
                            "from an id no sheet has any more: remove the redirects of the "
                            "sheets that still exist.")


@rule("redirect-chain", "a redirect leads straight to the sheet's current address")
def redirect_chain(check: Check):
    redirects = check.content.redirects
    by_old = _first_by_old(redirects)
    looping = _in_loops(redirects)
    for position, redirect in enumerate(redirects):
        following = by_old.get(redirect.new)
        if following is None or position in looping or following == position:
            continue
        final, hops = redirect.new, {position}
        while final in by_old and by_old[final] not in hops and by_old[final] not in looping:
            hops.add(by_old[final])
            final = redirects[by_old[final]].new
        yield check.problem(FILE, None, (position, "new"), f"`{redirect.new}` is itself "
                            f"redirected, to `{redirects[following].new}` (redirects"
                            f"[{following + 1}]): readers would be sent on twice. Change it to "
                            f"`{final}`, the sheet's current id.")


@rule("redirect-old-id-in-use", "a redirect leaves from an id no sheet has any more")
def redirect_from_current_sheet(check: Check):
    redirects = check.content.redirects
    looping = _in_loops(redirects)
    for position, redirect in enumerate(redirects):
        if redirect.old in check.content.sheets and position not in looping:
            yield check.problem(FILE, None, (position, "old"), f"`{redirect.old}` is still a "
                                f"sheet (handbook/sheets/{redirect.old}.yaml), whose page would "
                                "hide this redirect. Remove the redirect, or, if the sheet was "
                                "renamed, delete its old file.")


@rule("redirect-twice", "an old address is redirected once")
def redirect_twice(check: Check):
    redirects = check.content.redirects
    by_old = _first_by_old(redirects)
    for position, redirect in enumerate(redirects):
        first = by_old[redirect.old]
        if first != position:
            yield check.problem(FILE, None, (position, "old"), f"`{redirect.old}` is already "
                                f"redirected by redirects[{first + 1}]: keep one of the two.")
