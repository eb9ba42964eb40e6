"""Where each kind of Handbook file lives, which model validates it and which schema it declares."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from pydantic import TypeAdapter

from . import models as m


@dataclass(frozen=True)
class FileKind:
    name: str  # also the schema's file name: schemas/<name>.schema.json
    pattern: str  # glob, relative to the handbook folder
    model: Any  # a model class, or list[...] of one for catalogues
    title: str  # shown in the schema
    id_kind: str | None = None  # single-entry files whose file name must equal their id
    entry_kind: str | None = None  # catalogue files: the kind of id each entry defines
    required: bool = True  # single files only: may the Handbook do without it?

    @cached_property
    def adapter(self) -> TypeAdapter:
        return TypeAdapter(self.model)

    @property
    def schema_file(self) -> str:
        return f"{self.name}.schema.json"

    def file(self, entry_id: str | None = None) -> str:
        """The file's path in the handbook folder; for one-entry-per-file kinds, the file of
        `entry_id` (named after it): `sheets/wp1-01.yaml`."""
        if "*" not in self.pattern:
            return self.pattern
        if entry_id is None:
            raise ValueError(f"{self.name}: which entry's file?")
        return self.pattern.replace("*", entry_id)


KINDS: tuple[FileKind, ...] = (
    FileKind("handbook", "handbook.yaml", m.HandbookInfo, "Handbook metadata"),
    FileKind("ui", "ui.yaml", m.UiStrings, "Interface strings"),
    FileKind("work-package", "work-packages/*.yaml", m.WorkPackage, "Work Package", id_kind="wp"),
    FileKind("sheet", "sheets/*.yaml", m.Sheet, "Method sheet", id_kind="sheet"),
    FileKind("roles", "catalogues/roles.yaml", list[m.Role], "Roles", entry_kind="role"),
    FileKind("tools", "catalogues/tools.yaml", list[m.Tool], "Digital tools", entry_kind="tool"),
    FileKind("mechanisms", "catalogues/mechanisms.yaml", list[m.Mechanism],
             "Legal and financial mechanisms", entry_kind="mechanism"),
    FileKind("indicators", "catalogues/indicators.yaml", list[m.Indicator], "Indicators",
             entry_kind="indicator"),
    FileKind("bodies", "catalogues/bodies.yaml", list[m.Body], "Governance bodies",
             entry_kind="body"),
    FileKind("glossary", "glossary.yaml", list[m.Term], "Glossary", entry_kind="term"),
    FileKind("sources", "sources.yaml", list[m.Source], "Sources", entry_kind="source"),
    FileKind("matrix", "matrix.yaml", m.Matrix, "Management matrix"),
    FileKind("capacity-grid", "capacity-grid.yaml", m.CapacityGrid, "Capacity grid"),
    FileKind("case", "cases/*.yaml", m.Case, "Case study", id_kind="case", required=False),
    FileKind("starter-route", "starter-route.yaml", m.StarterRoute,
             "Starter route for another city", required=False),
    FileKind("redirects", "redirects.yaml", list[m.Redirect],
             "Redirects from sheets that moved or were merged", required=False),
)
KIND_BY_NAME = {kind.name: kind for kind in KINDS}
KIND_BY_ID = {kind.id_kind: kind for kind in KINDS if kind.id_kind}  # sheet → sheets/*.yaml
KIND_BY_ENTRY = {kind.entry_kind: kind for kind in KINDS if kind.entry_kind}  # role → roles.yaml

# Files of handbook/ that are not content: not read by the loader, each managed by a command.
TRANSLATION_LOCK = "translations.lock"  # review state of the translations (`handbook i18n`)
SIDE_FILES = (TRANSLATION_LOCK,)


def schema_comment(kind: FileKind, depth: int) -> str:
    """The first line every YAML file carries so editors validate while typing."""
    return f"# yaml-language-server: $schema={'../' * depth}schemas/{kind.schema_file}"
