"""Ids and references across files: what each file defines, what it points to, and the checks.

Fields are marked in models.py with `Defines(kind)` or `Ref(kind)`; this module finds them by
walking the validated objects, so a new reference field needs no code here.
"""

from __future__ import annotations

import difflib
import functools
import typing
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .models import Defines, Ref
from .problems import Loc, Problem, field_path
from .yaml_reader import YamlDocument

KIND_WORDS = {
    "wp": "Work Package", "sheet": "method sheet", "role": "role", "tool": "digital tool",
    "mechanism": "legal or financial mechanism", "indicator": "indicator",
    "body": "governance body", "term": "glossary term", "source": "source",
    "task": "matrix task", "means": "matrix means", "dimension": "capacity dimension",
    "criterion": "capacity criterion", "case": "case study",
}
# Where each kind of entry is written, to tell editors where to add a missing one.
DEFINED_IN = {
    "wp": "handbook/work-packages/{id}.yaml", "sheet": "handbook/sheets/{id}.yaml",
    "role": "handbook/catalogues/roles.yaml", "tool": "handbook/catalogues/tools.yaml",
    "mechanism": "handbook/catalogues/mechanisms.yaml",
    "indicator": "handbook/catalogues/indicators.yaml", "body": "handbook/catalogues/bodies.yaml",
    "term": "handbook/glossary.yaml", "source": "handbook/sources.yaml",
    "task": "handbook/matrix.yaml", "means": "handbook/matrix.yaml",
    "dimension": "handbook/capacity-grid.yaml", "criterion": "handbook/capacity-grid.yaml",
    "case": "handbook/cases/{id}.yaml",
}


@dataclass(frozen=True)
class Mention:
    """One id written in a file: either defining an entry or referring to one."""

    file: str
    loc: Loc
    kind: str
    value: str
    defines: bool


@dataclass
class LoadedFile:
    kind_name: str
    path: Path
    doc: YamlDocument
    value: Any  # the validated model (or list of models)
    mentions: tuple[Mention, ...] = ()  # see mentions()


def mentions(file: str, value: Any) -> tuple[Mention, ...]:
    """The ids a file defines and refers to (`file` as shown, `value` its validated model)."""
    return tuple(_walk(file, value, None, ()))


def _walk(file: str, value: Any, annotation: Any, loc: Loc) -> Iterator[Mention]:
    if value is None:
        return
    marker = _marker(annotation)
    if marker is not None:
        yield Mention(file, loc, marker.kind, value, isinstance(marker, Defines))
        return
    if isinstance(value, BaseModel):
        for name, marker, annotation in _fields(type(value)):
            child = getattr(value, name)
            if marker is not None and child is not None:
                yield Mention(file, (*loc, name), marker.kind, child, isinstance(marker, Defines))
            elif isinstance(child, (BaseModel, list)):
                yield from _walk(file, child, annotation, (*loc, name))
    elif isinstance(value, list):
        item_type = _item_type(annotation)
        for index, item in enumerate(value):
            if isinstance(item, (BaseModel, list)) or _marker(item_type) is not None:
                yield from _walk(file, item, item_type, (*loc, index))


@functools.cache
def _fields(model: type[BaseModel]) -> tuple[tuple[str, Ref | Defines | None, Any], ...]:
    """Each field of a model with its marker (a model's fields never change: worked out once)."""
    return tuple((name, next((m for m in field.metadata if isinstance(m, (Ref, Defines))), None),
                  field.annotation) for name, field in model.model_fields.items())


@functools.lru_cache(maxsize=None)
def _marker(annotation: Any) -> Ref | Defines | None:
    if typing.get_origin(annotation) is typing.Annotated:
        return next((m for m in typing.get_args(annotation)[1:] if isinstance(m, (Ref, Defines))), None)
    return None


@functools.lru_cache(maxsize=None)
def _item_type(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    args = typing.get_args(annotation)
    return args[0] if typing.get_origin(annotation) is list and args else None


class Index:
    """Every id defined in the Handbook, where, and every reference made to it."""

    def __init__(self, files: list[LoadedFile]):
        self.files = {f.doc.file: f for f in files}
        self.defined: dict[str, dict[str, Mention]] = defaultdict(dict)
        self.duplicates: list[tuple[Mention, Mention]] = []
        self.references: list[Mention] = []
        for loaded in files:
            for mention in loaded.mentions:
                if not mention.defines:
                    self.references.append(mention)
                elif mention.value in self.defined[mention.kind]:
                    self.duplicates.append((self.defined[mention.kind][mention.value], mention))
                else:
                    self.defined[mention.kind][mention.value] = mention

    def position(self, mention: Mention) -> tuple[int, int]:
        return self.files[mention.file].doc.position(mention.loc)

    def problem(self, mention: Mention, message: str, code: str) -> Problem:
        line, column = self.position(mention)
        return Problem(mention.file, line, column, field_path(mention.loc), message, code)


def check_references(index: Index, unchecked_kinds: set[str]) -> list[Problem]:
    """Unknown and duplicate ids. Kinds whose defining file is broken are not checked, to
    avoid a cascade of 'unknown id' messages that would hide the real mistake."""
    problems = []
    for first, again in index.duplicates:
        line, _ = index.position(first)
        problems.append(index.problem(
            again, f"the id `{again.value}` is already used by another "
            f"{KIND_WORDS[again.kind]} ({first.file}, line {line}). Ids must be unique: give "
            "one of them another id.", "duplicate-id"))
    for ref in index.references:
        if ref.kind in unchecked_kinds or ref.value in index.defined[ref.kind]:
            continue
        problems.append(index.problem(ref, unknown_id_message(ref, index.defined[ref.kind]),
                                      "unknown-id"))
    return problems


def unknown_id_message(ref: Mention, known: dict[str, Mention]) -> str:
    """`unknown role `role.analist`. Did you mean `role.analyst`?`, or where to add it."""
    what = f"unknown {KIND_WORDS[ref.kind]} `{ref.value}`"
    # Compare what follows the kind's prefix: `role.mayor` is not close to `role.analyst`
    # just because both start with `role.`.
    prefix = ref.value.split(".", 1)[0] + "." if "." in ref.value else ""
    by_suffix = {k[len(prefix):] if k.startswith(prefix) else k: k for k in known}
    close = difflib.get_close_matches(ref.value[len(prefix):], list(by_suffix), n=1, cutoff=0.6)
    suggestion = f" Did you mean `{by_suffix[close[0]]}`?" if close else ""
    where = DEFINED_IN[ref.kind].format(id=ref.value)
    if "{id}" in DEFINED_IN[ref.kind]:
        return (f"{what}: there is no file `{where}`. Create it, or correct the id."
                f"{suggestion}")
    if suggestion:
        return f"{what}.{suggestion}"
    return (f"{what}: no {KIND_WORDS[ref.kind]} has this id in `{where}`. Correct the id, or "
            f"add the {KIND_WORDS[ref.kind]} to that file.")


def check_file_names(index: Index, id_kinds: dict[str, str]) -> list[Problem]:
    """Single-entry files (sheets, WPs) are named after their id: `wp1-01.yaml` holds `wp1-01`."""
    problems = []
    for loaded in index.files.values():
        kind = id_kinds.get(loaded.kind_name)
        if kind is None:
            continue
        entry_id = loaded.value.id
        if loaded.path.stem != entry_id:
            mention = Mention(loaded.doc.file, ("id",), kind, entry_id, True)
            problems.append(index.problem(
                mention, f"the id `{entry_id}` differs from the file name "
                f"`{loaded.path.name}`. Rename the file to `{entry_id}.yaml` or fix the id.",
                "file-name"))
    return problems


def find_cycle(graph: dict[str, list[str]]) -> list[str] | None:
    """A cycle in `graph` as [a, b, ..., a], or None. Iterative DFS, stable order."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    for start in graph:
        if state.get(start):
            continue
        path, stack = [start], [iter(graph.get(start, ()))]
        state[start] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            elif not state.get(nxt) and nxt in graph:
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(graph.get(nxt, ())))
    return None
