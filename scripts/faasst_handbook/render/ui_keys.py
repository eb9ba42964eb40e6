"""Which interface strings (handbook/ui.yaml) the site needs, found in the templates and the
code that uses them — so that a missing one is reported by `handbook validate`, at the line
that needs it, before anything is rendered.

Keys are found statically:
- in Jinja templates (`templates/`, the theme's `overrides/`): `ui.key`, `ui["key"]`, and for
  labels of a fixed list of values, `ui["prefix_" ~ value]`, whose values come from the
  content model (ENUM_LABELS);
- in the Python code of the package: `ui["key"]` / `ui['key']`, and the keys named in
  `NAMED_IN_CODE` (titles chosen by data, e.g. a catalogue page's title key).
"""

from __future__ import annotations

import re
import typing
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, nodes

from ..publish.open_data import TABLE_NAMES, TITLE_PREFIX
from ..rules.registry import Check, rule
from ..source import models as m
from .environment import TEMPLATES

PACKAGE = Path(__file__).resolve().parents[1]
PROJECT = PACKAGE.parents[1]
OVERRIDES = PROJECT / "overrides"


def _values(annotation) -> list[str]:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return [str(v) for v in typing.get_args(annotation)]


def _field(model, name: str) -> list[str]:
    return _values(model.model_fields[name].annotation)


# `ui["prefix_" ~ value]`: the values each prefix is followed by (hyphens become `_`).
ENUM_LABELS: dict[str, list[str]] = {
    "raci_": _values(m.Raci),
    "effort_": _values(m.Effort),
    "frequency_": _values(m.Frequency),
    "role_kind_": _field(m.Role, "kind"),
    "tool_category_": _field(m.Tool, "category"),
    "access_": _field(m.Tool, "access"),
    "mechanism_category_": _field(m.Mechanism, "category"),
    "mechanism_level_": _field(m.Mechanism, "level"),
    "indicator_type_": _field(m.Indicator, "type"),
    "body_kind_": _field(m.Body, "kind"),
    "repeats_": _values(m.Repeats),
    "forge_": _values(m.ForgeKind),  # the forge's name (the contributor guide's links)
    # the working files' names and what they are for (issue 13)
    "workfile_": _values(m.WorkTemplate),
    "workfile_about_": _values(m.WorkTemplate),
    TITLE_PREFIX: list(TABLE_NAMES),  # the open-data tables (publish/open_data.py)
}
# Keys chosen by data in Python code (page titles of the catalogues and their introductions).
NAMED_IN_CODE = ("roles", "tools", "mechanisms", "indicators", "bodies", "sources",
                 "roles_intro", "tools_intro", "mechanisms_intro", "indicators_intro",
                 "bodies_intro", "sources_intro",
                 # the sheet finder's filter labels (plan/views.py, finder_facets)
                 "finder_wp", "finder_role", "finder_tool", "finder_mechanism", "finder_effort",
                 # titles of the print documents (plan/routes.py, `title_key` in _prints)
                 "print_training_pack", "print_matrix", "print_matrix_a4", "print_grid")
# Prefixes whose values are not in the model: any key starting so is accepted as used.
OPEN_PREFIXES = ("language_",)


@dataclass(frozen=True)
class Use:
    key: str
    file: str  # relative to the project, e.g. `scripts/faasst_handbook/templates/sheet.md.j2`
    line: int
    column: int


def _label(prefix: str, value: str) -> str:
    return prefix + value.replace("-", "_")


def _shown(path: Path) -> str:
    try:
        return path.relative_to(PROJECT).as_posix()
    except ValueError:
        return path.as_posix()


def _column(source_lines: list[str], line: int, needle: str) -> int:
    text = source_lines[line - 1] if 0 < line <= len(source_lines) else ""
    found = text.find(needle)
    return found + 1 if found >= 0 else 1


def _template_uses(path: Path, env: Environment) -> list[Use]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    try:
        tree = env.parse(source)
    except Exception:  # a template that does not parse fails the build with Jinja's message
        return []
    uses: list[Use] = []

    def is_ui(node) -> bool:
        return (isinstance(node, nodes.Name) and node.name == "ui") or (
            isinstance(node, nodes.Getattr) and node.attr == "ui")

    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        if not is_ui(node.node):
            continue
        if isinstance(node, nodes.Getattr):
            uses.append(Use(node.attr, _shown(path), node.lineno,
                            _column(lines, node.lineno, f"ui.{node.attr}")))
        elif isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            key = node.arg.value
            uses.append(Use(key, _shown(path), node.lineno, _column(lines, node.lineno, key)))
        else:
            prefix = _constant_prefix(node.arg)
            for value in ENUM_LABELS.get(prefix or "", ()):
                uses.append(Use(_label(prefix, value), _shown(path), node.lineno,
                                _column(lines, node.lineno, prefix)))
    return uses


def _constant_prefix(node) -> str | None:
    """`"raci_" ~ x` → `raci_`."""
    if isinstance(node, nodes.Concat) and node.nodes and isinstance(node.nodes[0], nodes.Const):
        return str(node.nodes[0].value)
    return None


_PY_KEY = re.compile(r"""\bui(?:["']\])?\[\s*(["'])([a-z][a-z0-9_]*)\1\s*\]"""
                     r"""|\b(?:Section|NavLink)\(\s*(["'])([a-z][a-z0-9_]*)\3""")  # navigation


def _python_uses(path: Path) -> list[Use]:
    uses = []
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        for match in _PY_KEY.finditer(text):
            group = 2 if match.group(2) else 4
            uses.append(Use(match.group(group), _shown(path), number, match.start(group) + 1))
    return uses


@lru_cache(maxsize=4)
def _all_uses(template_dirs: tuple[Path, ...]) -> tuple[Use, ...]:
    env = Environment(comment_start_string="{#-", comment_end_string="-#}")
    theme_env = Environment()  # the theme's templates use Jinja's default comments
    uses: list[Use] = []
    for folder in template_dirs:
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".j2", ".html", ".xml") and path.is_file():
                uses += _template_uses(path, env if folder == TEMPLATES else theme_env)
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "ui_keys.py":  # its docstring shows examples
            continue
        uses += _python_uses(path)
    for key in NAMED_IN_CODE:
        uses.append(Use(key, _shown(PACKAGE / "plan" / "routes.py"), 1, 1))
    # Labels of every value of the model's lists of choices (used through `ui[prefix ~ v]`).
    return tuple(uses)


def needed_keys(template_dirs: tuple[Path, ...] = (TEMPLATES, OVERRIDES)) -> dict[str, Use]:
    """Every key the site needs → where it is first needed."""
    found: dict[str, Use] = {}
    for use in _all_uses(tuple(d for d in template_dirs if d.is_dir())):
        found.setdefault(use.key, use)
    return found


@rule("ui-key-missing", "every interface string the templates and code need is in ui.yaml",
      area="interface")
def ui_key_missing(check: Check):
    present = check.content.ui
    for key, use in needed_keys().items():
        if key not in present:
            yield _problem_at(check, use, f"the interface text `{key}` is used here but "
                              "missing from handbook/ui.yaml: add it there, in every language.")


@rule("ui-key-unused", "every interface string of ui.yaml is used", severity="warning",
      area="interface")
def ui_key_unused(check: Check):
    needed = needed_keys()
    for key in check.content.ui:
        if key not in needed and not key.startswith(OPEN_PREFIXES):
            yield check.problem("ui", None, (key,), f"the interface text `{key}` is used by no "
                                "template: remove it, or use it.")


def _problem_at(check: Check, use: Use, message: str):
    from ..source.problems import Problem

    return Problem(use.file, use.line, use.column, f"ui.{use.key}", message, check.rule.code,
                   check.rule.severity)
