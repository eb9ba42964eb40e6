"""Where every entry of the Handbook was written, so that a rule looking at the assembled
Handbook can say `file:line:column: field: message` like the schema checks do."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .layout import KIND_BY_NAME
from .problems import Loc, Problem, field_path
from .yaml_reader import YamlDocument


@dataclass
class Origins:
    documents: dict[str, YamlDocument] = field(default_factory=dict)  # shown path → document
    # (kind, id) → (shown path, loc of the entry in its file). Kinds: `sheet`, `wp`, `case`,
    # the catalogue kinds (`role`…) and, with id None, single files (`matrix`, `ui`…).
    entries: dict[tuple[str, str | None], tuple[str, Loc]] = field(default_factory=dict)

    def add_document(self, doc: YamlDocument) -> None:
        self.documents[doc.file] = doc

    def add_entries(self, by_kind: dict[str, list[Any]]) -> None:
        for name, files in by_kind.items():
            kind = KIND_BY_NAME[name]
            for loaded in files:
                if kind.id_kind:
                    self.entries[(kind.id_kind, loaded.value.id)] = (loaded.doc.file, ())
                elif kind.entry_kind:
                    for position, entry in enumerate(loaded.value):
                        self.entries[(kind.entry_kind, entry.id)] = (loaded.doc.file, (position,))
                else:
                    self.entries[(name, None)] = (loaded.doc.file, ())

    def file_of(self, kind: str, entry_id: str | None = None) -> str:
        return self.entries[(kind, entry_id)][0]

    def locate(self, kind: str, entry_id: str | None, loc: Loc = ()) -> tuple[str, int, int, str]:
        """(file, line, column, field path) of `loc` inside an entry."""
        file, prefix = self.entries[(kind, entry_id)]
        full = (*prefix, *loc)
        line, column = self.documents[file].position(full)
        return file, line, column, field_path(full)

    def problem(self, kind: str, entry_id: str | None, loc: Loc, message: str, code: str,
                severity: str = "error") -> Problem:
        file, line, column, path = self.locate(kind, entry_id, loc)
        return Problem(file, line, column, path, message, code, severity)
