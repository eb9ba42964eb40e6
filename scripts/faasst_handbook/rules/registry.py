"""The registry of content rules: every rule the assembled Handbook must satisfy, beyond what
the schema (models.py) checks in each file.

A rule is a function that yields problems, registered with `@rule`:

    @rule("one-accountable", "exactly one accountable role in a sheet's human resources")
    def one_accountable(check: Check):
        for sheet in check.content.sheets.values():
            ...
            yield check.problem("sheet", sheet.id, ("human_resources",), "…")

`check.problem` locates the field (file, line, column) and stamps the rule's code and
severity. Severity `error` stops the build; `warning` is printed, and `handbook validate
--strict` treats warnings as errors. `handbook rules` lists the registry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from ..source.content import Content
from ..source.origins import Origins
from ..source.problems import Loc, Problem

Severity = str  # "error" | "warning"


@dataclass(frozen=True)
class Rule:
    code: str  # also the problem code, e.g. `one-accountable`
    summary: str  # one line, shown by `handbook rules`
    severity: Severity
    run: Callable[["Check"], Iterable[Problem]]
    area: str  # the module it lives in: structure, consistency, writing, interface…


@dataclass
class Check:
    """What a rule sees: the Handbook, where each entry was written, and its own identity."""

    content: Content
    origins: Origins
    rule: Rule
    # Kinds of files (`wp`, `sheet`, `role`…) some of which did not validate: what they hold
    # is missing from `content`, so a rule must not conclude from its absence.
    incomplete: frozenset[str] = frozenset()

    def problem(self, kind: str, entry_id: str | None, loc: Loc, message: str) -> Problem:
        return self.origins.problem(kind, entry_id, loc, message, self.rule.code,
                                    self.rule.severity)


RULES: list[Rule] = []


def rule(code: str, summary: str, severity: Severity = "error", area: str | None = None):
    """Register a rule (see the module docstring)."""
    if severity not in ("error", "warning"):
        raise ValueError(severity)

    def register(run: Callable[[Check], Iterable[Problem]]):
        if any(existing.code == code for existing in RULES):
            raise ValueError(f"two rules are registered as `{code}`")
        RULES.append(Rule(code, summary, severity, run, area or run.__module__.rsplit(".", 1)[-1]))
        return run

    return register


# The rules that still make sense on an incomplete Handbook (some files did not validate):
# those about how the parts fit. The others wait until every file reads.
RUN_ON_INCOMPLETE = {"structure", "redirects"}


def run_rules(content: Content, origins: Origins, rules: Iterable[Rule] | None = None,
              incomplete: frozenset[str] | None = None) -> list[Problem]:
    """Every problem the rules find. `incomplete`: the kinds of files that did not validate
    (None: all did); then only the structure rules run, and one that trips over what is
    missing is skipped."""
    problems: list[Problem] = []
    for registered in (RULES if rules is None else rules):
        if incomplete is not None and registered.area not in RUN_ON_INCOMPLETE:
            continue
        check = Check(content, origins, registered, incomplete or frozenset())
        try:
            problems.extend(registered.run(check))
        except (KeyError, AttributeError, TypeError, ValueError, IndexError):
            if incomplete is None:
                raise
    return problems


def iter_rules() -> Iterator[Rule]:
    return iter(RULES)
