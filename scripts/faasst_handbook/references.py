"""Ids and references across files: what each file defines, what it points to, and the checks.

Fields are marked in models.py with `Defines(kind)` or `Ref(kind)`; this module finds them by
walking the validated objects, so a new reference field needs no code here.
"""

from __future__ import annotations

import typing
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .models import Defines, Ref
from .problems import Loc, Problem, did_you_mean, field_path
from .yaml_source import YamlDocument

KIND_WORDS = {
    "wp": "Work Package", "sheet": "method sheet", "role": "role", "tool": "digital tool",
    "mechanism": "legal or financial mechanism", "indicator": "indicator",
    "body": "governance body", "term": "glossary term", "source": "source",
    "task": "matrix task", "means": "matrix means", "dimension": "capacity dimension",
    "criterion": "capacity criterion",
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


def mentions(loaded: LoadedFile) -> Iterator[Mention]:
    yield from _walk(loaded.doc.file, loaded.value, None, ())


def _walk(file: str, value: Any, annotation: Any, loc: Loc) -> Iterator[Mention]:
    if value is None:
        return
    marker = _marker(annotation)
    if marker is not None:
        yield Mention(file, loc, marker.kind, value, isinstance(marker, Defines))
        return
    if isinstance(value, BaseModel):
        for name, field in type(value).model_fields.items():
            marker = next((m for m in field.metadata if isinstance(m, (Ref, Defines))), None)
            child = getattr(value, name)
            if marker is not None and child is not None:
                yield Mention(file, (*loc, name), marker.kind, child, isinstance(marker, Defines))
            else:
                yield from _walk(file, child, field.annotation, (*loc, name))
    elif isinstance(value, list):
        item_type = _item_type(annotation)
        for index, item in enumerate(value):
            yield from _walk(file, item, item_type, (*loc, index))


def _marker(annotation: Any) -> Ref | Defines | None:
    if typing.get_origin(annotation) is typing.Annotated:
        return next((m for m in typing.get_args(annotation)[1:] if isinstance(m, (Ref, Defines))), None)
    return None


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
            for mention in mentions(loaded):
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
            f"{KIND_WORDS[again.kind]} ({first.file}, line {line}). Ids must be unique.",
            "duplicate-id"))
    for ref in index.references:
        if ref.kind in unchecked_kinds or ref.value in index.defined[ref.kind]:
            continue
        known = index.defined[ref.kind]
        hint = did_you_mean(ref.value, known) or (
            f" Known ids start with `{next(iter(known))[:5]}`…" if known else "")
        problems.append(index.problem(
            ref, f"unknown {KIND_WORDS[ref.kind]} `{ref.value}`.{hint}", "unknown-id"))
    return problems


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
