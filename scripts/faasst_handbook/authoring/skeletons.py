"""What a new sheet or catalogue entry looks like before an editor writes it: every field the
schema needs, each text an empty `""` and each choice left open, so that `handbook validate`
names every one of them ("the French text is empty: write it", "`` is not an allowed value…").

Skeletons are written as YAML text in the Handbook's own style (block style, one language per
line, ids as `[a, b]` lists), with a comment where a list needs an example.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from ..source import models as m


@dataclass(frozen=True)
class Comment:
    """A comment line in a skeleton, written above the next field."""

    text: str


class Texts(dict):
    """One text per language: `{fr: "", en: ""}`, written one language per line."""


def texts(languages: list[str], given: dict[str, str] | None = None) -> Texts:
    return Texts({code: (given or {}).get(code, "") for code in languages})


# Values YAML would read as something else than text if written without quotes.
_PLAIN = re.compile(r"^[a-z][a-z0-9.-]*$")
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def _scalar(value) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and _PLAIN.match(value) and value not in _YAML_WORDS:
        return value
    # A JSON string is a valid YAML double-quoted string.
    return json.dumps(value, ensure_ascii=False)


def to_yaml(value: dict, indent: int = 0) -> list[str]:
    """Lines of a block mapping (Comment keys become comment lines)."""
    pad = " " * indent
    lines: list[str] = []
    for key, item in value.items():
        if isinstance(key, Comment):
            lines.append(f"{pad}# {key.text}")
        elif isinstance(item, dict):  # a text or a block of fields
            lines.append(f"{pad}{key}:")
            lines += to_yaml(item, indent + 2)
        elif isinstance(item, list) and any(isinstance(x, dict) for x in item):
            lines.append(f"{pad}{key}:")
            for entry in item:
                lines += list_item(entry, indent + 2)
        elif isinstance(item, list):
            lines.append(f"{pad}{key}: [{', '.join(_scalar(x) for x in item)}]")
        else:
            lines.append(f"{pad}{key}: {_scalar(item)}")
    return lines


def list_item(entry: dict, indent: int) -> list[str]:
    """`- first: …` then the other fields under it."""
    body = to_yaml(entry, indent + 2)
    first = next(n for n, line in enumerate(body) if not line.lstrip().startswith("#"))
    body[first] = " " * indent + "- " + body[first][indent + 2:]
    return body


# --- the skeletons -----------------------------------------------------------------------------

def sheet(sheet_id: str, wp: str, title: dict[str, str], languages: list[str],
          today: dt.date) -> dict:
    def t(given=None):
        return texts(languages, given)

    def step():
        return {"title": t(), "description": t(), "roles": [],
                Comment("optional: tools, mechanisms, bodies (ids) and outputs (texts)"): None}

    return {
        "id": sheet_id,
        "wp": wp,
        "title": t(title),
        "summary": t(),
        "objective": t(),
        "when_to_use": t(),
        "prerequisites": [t()],
        Comment("prerequisite_sheets: [wp1-01] (optional): sheets to carry out before this one"): None,
        Comment("at least 4 steps; `roles`: ids from catalogues/roles.yaml, e.g. [role.transition-lead]"): None,
        "steps": [step() for _ in range(4)],
        Comment('each line: {role: role.…, raci: responsible, effort: {' + ", ".join(
            f'{code}: "…"' for code in languages) + '}}, one of them `accountable`'): None,
        "human_resources": [],
        Comment('each line: {tool: tool.…, purpose: {…}}; then the same for mechanisms '
                '(mechanism: mech.…), bodies (body: body.…) and indicators (indicator: ind.…)'): None,
        "tools": [],
        "mechanisms": [],
        "bodies": [],
        "deliverables": [{"title": t(), "description": t()}],
        "indicators": [],
        "duration": t(),
        "effort": "",
        "related_sheets": [],
        "sources": [],
        Comment("6 to 12 items; `steps`: the numbers of the steps each item checks, e.g. [1, 2]"): None,
        "checklist": [{"text": t(), "steps": []} for _ in range(6)],
        Comment("2 to 4 concrete mistakes to avoid"): None,
        "pitfalls": [t(), t()],
        Comment("months: shortest and longest duration, e.g. [3, 6]; repeats: once, yearly, "
                "half-yearly, continuous or each-cycle"): None,
        "timing": {"months": [], "repeats": ""},
        "last_reviewed": today,
    }


def _strip_comment_values(value):
    if isinstance(value, dict):
        return {k: _strip_comment_values(v) for k, v in value.items()
                if not isinstance(k, Comment)}
    if isinstance(value, list):
        return [_strip_comment_values(v) for v in value]
    return value


def data_of(skeleton: dict):
    """The skeleton as the YAML reader will read it back (comments dropped)."""
    return _strip_comment_values(skeleton)


@dataclass(frozen=True)
class EntryKind:
    """A catalogue entry `handbook new <command>` can create."""

    command: str  # role, tool, …
    id_kind: str  # the id kind in models.ID_PATTERNS
    file_kind: str  # the catalogue's FileKind name (layout.py)
    name_field: str  # the field holding its name: `name`, or `term` for the glossary


ENTRY_KINDS = {
    "role": EntryKind("role", "role", "roles", "name"),
    "tool": EntryKind("tool", "tool", "tools", "name"),
    "mechanism": EntryKind("mechanism", "mechanism", "mechanisms", "name"),
    "indicator": EntryKind("indicator", "indicator", "indicators", "name"),
    "body": EntryKind("body", "body", "bodies", "name"),
    "term": EntryKind("term", "term", "glossary", "term"),
}
ID_PREFIX = {kind: m.ID_PATTERNS[kind][1:].split("\\.", 1)[0] for kind in
             ("role", "tool", "mechanism", "indicator", "body", "term")}


def entry(kind: EntryKind, entry_id: str, name: dict[str, str], languages: list[str]) -> dict:
    def t(given=None):
        return texts(languages, given)

    fields = {
        "role": {"kind": "", "description": t()},
        "tool": {"category": "", "description": t(), "provider": "", "access": "",
                 Comment("url: https://… (optional)"): None},
        "mechanism": {"category": "", "level": "", "description": t(),
                      Comment("url: https://… and acronym (optional); sources: ids from "
                              "sources.yaml; last_verified: the date its terms were checked"): None,
                      "sources": [], "last_verified": "",
                      Comment("elsewhere: {…} (optional): what to look for outside France"): None},
        "indicator": {"description": t(), "unit": t(), "family": "", "type": "",
                      "frequency": "",
                      Comment("data_sources: [tool.…] (optional)"): None},
        "body": {"kind": "", "description": t(), "members": t(), "frequency": ""},
        "term": {"definition": t(),
                 Comment("acronym: {…}, see_also: [term.…], avoid: {en: [\"…\"]} (optional)"): None},
    }[kind.command]
    return {"id": entry_id, kind.name_field: t(name), **fields}
