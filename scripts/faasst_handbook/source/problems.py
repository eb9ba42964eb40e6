"""Problems found in the Handbook's files, and how they are shown to editors.

Every check (YAML syntax, schema, cross-references) reports `Problem`s instead of raising, so
that one run lists everything that needs fixing, each as `file:line:column: field: message`.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

from .characters import shown

# Beyond this many problems the rest are summarised: a broken indentation can cascade.
MAX_PROBLEMS = 200

Loc = tuple[str | int, ...]


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    column: int
    field: str
    message: str
    code: str = "invalid"
    severity: str = "error"  # or "warning": printed, fatal only with --strict

    def __post_init__(self):
        # Messages quote the content: a newline or a control character from it must not
        # split or disguise the line (shown escaped: `\n`, `U+202E`).
        for name in ("file", "field", "message"):
            object.__setattr__(self, name, shown(getattr(self, name)))

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def format(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        message = self.message if self.is_error else f"warning: {self.message}"
        return f"{where}: {self.field}: {message}" if self.field else f"{where}: {message}"


def errors(problems: Sequence[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error]


def strictly(problems: Sequence[Problem]) -> list[Problem]:
    """`--strict`: warnings count as errors."""
    return [Problem(p.file, p.line, p.column, p.field, p.message, p.code) for p in problems]


def field_path(loc: Loc) -> str:
    """`("steps", 1, "title", "en")` → `steps[2].title.en` (list positions count from 1)."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """A ' — did you mean `x`?' suffix when a close choice exists, else ''."""
    match = difflib.get_close_matches(str(value), list(choices), n=1, cutoff=0.6)
    return f" Did you mean `{match[0]}`?" if match else ""


def capped(problems: Sequence[Problem]) -> tuple[list[Problem], int]:
    """Sorted problems without duplicates, at most MAX_PROBLEMS, and how many were left out."""
    unique = sorted(set(problems))
    return unique[:MAX_PROBLEMS], max(0, len(unique) - MAX_PROBLEMS)


def format_text(problems: Sequence[Problem]) -> str:
    shown, hidden = capped(problems)
    lines = [p.format() for p in shown]
    if hidden:
        lines.append(f"... and {hidden} more problems (fix the ones above first).")
    files = len({p.file for p in problems})
    warnings = len(problems) - len(errors(problems))
    counted = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
    if warnings:
        counted += f" ({warnings} warning{'s' if warnings != 1 else ''})"
    lines.append(f"{counted} in {files} file{'s' if files != 1 else ''}.")
    return "\n".join(lines)


def format_json(problems: Sequence[Problem]) -> str:
    shown, hidden = capped(problems)
    return json.dumps(
        {"ok": not errors(problems), "count": len(problems),
         "errors": len(errors(problems)), "omitted": hidden,
         "problems": [asdict(p) for p in shown]},
        ensure_ascii=False,
        indent=2,
    )
