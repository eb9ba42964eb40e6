"""Load the whole `handbook/` folder: read, validate, cross-check, and assemble `Content`.

Every problem is collected (never raised) so that one run tells an editor everything to fix.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from . import models as m
from .content import Content, build_usage
from .layout import KIND_BY_NAME, KINDS, FileKind, schema_comment
from .model_errors import problems_from_validation
from .problems import Problem
from .references import (KIND_WORDS, Index, LoadedFile, Mention, check_file_names,
                         check_references, find_cycle)
from .text import DEFAULT_LANGUAGES
from .yaml_reader import YamlDocument, read_yaml


@dataclass
class LoadResult:
    content: Content | None  # None when there is any problem
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems


def load_handbook(root: Path, shown_root: str | None = None) -> LoadResult:
    """Read every file under `root`. Paths in problems start with `shown_root` (default: the
    folder name, e.g. `handbook/sheets/wp1-01.yaml`)."""
    root = Path(root)
    shown_root = root.name if shown_root is None else shown_root
    problems: list[Problem] = []

    def shown(path: Path) -> str:
        return str(Path(shown_root) / path.relative_to(root))

    if not (root / "handbook.yaml").is_file():
        return LoadResult(None, [Problem(shown(root / "handbook.yaml"), 1, 1, "",
                                         "the Handbook's main file is missing.", "missing-file")])

    paths = _files_by_kind(root, problems, shown)
    languages = configured_languages(root / "handbook.yaml")
    loaded: list[LoadedFile] = []
    present = {kind.name for kind, _ in paths}
    broken_kinds = {kind.entry_kind or kind.id_kind or kind.name
                    for kind in KINDS if kind.name not in present}
    for kind, path in paths:
        doc, file_problems = read_yaml(path, shown(path))
        if doc is not None:
            file_problems += _check_header(path, root, kind, doc)
            value = _validate(doc, kind, languages, file_problems)
            if value is not None:
                loaded.append(LoadedFile(kind.name, path, doc, value))
        if file_problems:
            broken_kinds.add(kind.entry_kind or kind.id_kind or kind.name)
        problems += file_problems

    index = Index(loaded)
    problems += check_references(index, broken_kinds)
    problems += check_file_names(index, {k.name: k.id_kind for k in KINDS if k.id_kind})
    by_kind = _group(loaded)
    problems += _check_structure(index, by_kind, broken_kinds)
    if problems:
        return LoadResult(None, problems)
    return LoadResult(_assemble(index, by_kind), [])


def _files_by_kind(root: Path, problems: list[Problem], shown) -> list[tuple[FileKind, Path]]:
    found: list[tuple[FileKind, Path]] = []
    claimed: set[Path] = set()
    for kind in KINDS:
        matches = sorted(root.glob(kind.pattern))
        if not matches and "*" not in kind.pattern:
            problems.append(Problem(shown(root / kind.pattern), 1, 1, "",
                                    f"this file is missing ({kind.title}): restore it, e.g. "
                                    "from the project's history.", "missing-file"))
        for path in matches:
            found.append((kind, path))
            claimed.add(path)
    for path in sorted(root.rglob("*")):
        if path.is_dir() or path in claimed or path.parts[len(root.parts)] == "schemas":
            continue
        if path.name.startswith(".") or path.suffix.lower() in (".md", ".txt"):
            continue
        if path.suffix == ".yml":
            message = "use the extension `.yaml`, not `.yml`."
        else:
            places = ", ".join(k.pattern for k in KINDS)
            message = (f"this file is not part of the Handbook's layout (expected: {places}). "
                       "Move it to its place, or delete it.")
        problems.append(Problem(shown(path), 1, 1, "", message, "unexpected-file"))
    return found


def configured_languages(path: Path) -> dict[str, str]:
    """The configured languages, read leniently: handbook.yaml's own problems are reported
    by its validation; meanwhile the other files are checked against fr/en."""
    doc, _ = read_yaml(path, str(path))
    data = doc.data if doc else None
    try:
        entries = data["languages"]
        languages = {e["code"]: e["name"] for e in entries
                     if isinstance(e.get("code"), str) and isinstance(e.get("name"), str)}
        return languages or dict(DEFAULT_LANGUAGES)
    except (TypeError, KeyError, AttributeError):
        return dict(DEFAULT_LANGUAGES)


def _check_header(path: Path, root: Path, kind: FileKind, doc: YamlDocument) -> list[Problem]:
    expected = schema_comment(kind, len(path.relative_to(root).parts) - 1)
    with path.open(encoding="utf-8") as handle:
        first = handle.readline().rstrip("\r\n")
    if first == expected:
        return []
    return [Problem(doc.file, 1, 1, "", f"the first line must be `{expected}` so that editors "
                    "check the file while typing: add it, or correct it.", "schema-header")]


def _validate(doc: YamlDocument, kind: FileKind, languages: dict[str, str],
              problems: list[Problem]) -> Any:
    if doc.data is None:
        problems.append(Problem(doc.file, 1, 1, "", "the file has no content.", "empty-file"))
        return None
    try:
        return kind.adapter.validate_python(doc.data, context={"languages": languages})
    except ValidationError as error:
        problems += problems_from_validation(error, doc, kind.model)
        return None


def _group(loaded: list[LoadedFile]) -> dict[str, list[LoadedFile]]:
    groups: dict[str, list[LoadedFile]] = {kind.name: [] for kind in KINDS}
    for item in loaded:
        groups[item.kind_name].append(item)
    return groups


def _check_structure(index: Index, by_kind: dict[str, list[LoadedFile]],
                     broken: set[str]) -> list[Problem]:
    """Rules that span files: sheets belong to one WP, WPs are listed, no prerequisite
    cycles, the matrix fills every cell, the grid describes every level."""
    problems: list[Problem] = []
    sheets = {f.value.id: f for f in by_kind["sheet"]}
    wps = {f.value.id: f for f in by_kind["work-package"]}

    listed_in: dict[str, str] = {}
    for wp_id, wp_file in wps.items():
        for position, sheet_id in enumerate(wp_file.value.sheets):
            mention = Mention(wp_file.doc.file, ("sheets", position), "sheet", sheet_id, False)
            if sheet_id in listed_in:
                problems.append(index.problem(mention, f"`{sheet_id}` is already listed by "
                                f"`{listed_in[sheet_id]}`; a sheet belongs to one Work Package: remove it "
                                "from one of the lists.",
                                "sheet-listed-twice"))
                continue
            listed_in[sheet_id] = wp_id
            sheet = sheets.get(sheet_id)
            if sheet is not None and sheet.value.wp != wp_id:
                problems.append(index.problem(mention, f"`{sheet_id}` says it belongs to "
                                f"`{sheet.value.wp}`, but `{wp_id}` lists it. Change one of them so that they "
                                "agree.", "wrong-wp"))
    if "wp" not in broken:
        for sheet_id, sheet in sheets.items():
            if sheet_id not in listed_in:
                wp = sheet.value.wp
                where = f" of `handbook/work-packages/{wp}.yaml`" if wp in wps else ""
                problems.append(index.problem(
                    Mention(sheet.doc.file, ("id",), "sheet", sheet_id, True),
                    f"this sheet belongs to no Work Package: add `{sheet_id}` to the "
                    f"`sheets` list{where}.", "orphan-sheet"))

    for info in by_kind["handbook"]:
        for wp_id in wps:
            if wp_id not in info.value.work_packages:
                problems.append(index.problem(
                    Mention(info.doc.file, ("work_packages",), "wp", wp_id, False),
                    f"the Work Package `{wp_id}` is not listed in `work_packages`: add it "
                    "to the list.",
                    "orphan-wp"))

    for sheet_id, sheet in sheets.items():
        for field in ("prerequisite_sheets", "related_sheets"):
            for position, other in enumerate(getattr(sheet.value, field)):
                if other == sheet_id:
                    problems.append(index.problem(
                        Mention(sheet.doc.file, (field, position), "sheet", other, False),
                        "a sheet cannot refer to itself.", "self-reference"))
    graph = {sid: [p for p in f.value.prerequisite_sheets if p != sid] for sid, f in sheets.items()}
    cycle = find_cycle(graph)
    if cycle:
        first = sheets[cycle[0]]
        position = first.value.prerequisite_sheets.index(cycle[1])
        problems.append(index.problem(
            Mention(first.doc.file, ("prerequisite_sheets", position), "sheet", cycle[1], False),
            "the prerequisites go round in a circle (" + " → ".join(cycle) + "): no sheet "
            "could be carried out first. Remove one of these prerequisites.", "cycle"))

    for matrix in by_kind["matrix"]:
        problems += _check_matrix(index, matrix)
    for grid in by_kind["capacity-grid"]:
        problems += _check_grid(index, grid)
    return problems


def _check_matrix(index: Index, loaded: LoadedFile) -> list[Problem]:
    matrix: m.Matrix = loaded.value
    problems = []
    seen: dict[tuple[str, str], int] = {}
    for position, cell in enumerate(matrix.cells):
        key = (cell.task, cell.means)
        if key in seen:
            problems.append(index.problem(
                Mention(loaded.doc.file, ("cells", position), "task", cell.task, False),
                f"the cell {cell.task} × {cell.means} is already described (cells[{seen[key] + 1}]): "
                "merge the two into one cell.",
                "duplicate-cell"))
        seen.setdefault(key, position)
    for task in matrix.tasks:
        for means in matrix.means:
            if (task.id, means.id) not in seen:
                problems.append(index.problem(
                    Mention(loaded.doc.file, ("cells",), "task", task.id, False),
                    f"no cell describes {task.id} × {means.id}: every task needs a cell for "
                    "every means.", "missing-cell"))
    return problems


def _check_grid(index: Index, loaded: LoadedFile) -> list[Problem]:
    grid: m.CapacityGrid = loaded.value
    problems = []
    for d, dimension in enumerate(grid.dimensions):
        for c, criterion in enumerate(dimension.criteria):
            if len(criterion.levels) != len(grid.scale):
                problems.append(index.problem(
                    Mention(loaded.doc.file, ("dimensions", d, "criteria", c, "levels"),
                            "criterion", criterion.id, False),
                    f"describes {len(criterion.levels)} levels, but the scale has "
                    f"{len(grid.scale)}: write one description per level.", "levels"))
    return problems


def _assemble(index: Index, by_kind: dict[str, list[LoadedFile]]) -> Content:
    def one(name: str) -> Any:
        return by_kind[name][0].value

    def entries(name: str) -> dict:
        return {entry.id: entry for entry in one(name)}

    info: m.HandbookInfo = one("handbook")
    wps = {f.value.id: f.value for f in by_kind["work-package"]}
    ordered_wps = {wp_id: wps[wp_id] for wp_id in info.work_packages}
    all_sheets = {f.value.id: f.value for f in by_kind["sheet"]}
    ordered_sheets = {sid: all_sheets[sid] for wp in ordered_wps.values() for sid in wp.sheets}

    owners = {f.doc.file: f for f in index.files.values()}
    owned = []
    for ref in index.references:
        owner = _owner(owners[ref.file], ref)
        if owner is not None:
            owned.append(((ref.kind, ref.value), owner))

    return Content(
        info=info, ui=one("ui"), work_packages=ordered_wps, sheets=ordered_sheets,
        roles=entries("roles"), tools=entries("tools"), mechanisms=entries("mechanisms"),
        indicators=entries("indicators"), bodies=entries("bodies"),
        glossary=entries("glossary"), sources=entries("sources"),
        matrix=one("matrix"), grid=one("capacity-grid"),
        usage=build_usage(owned, list(ordered_sheets)),
    )


def _owner(loaded: LoadedFile, ref: Mention) -> tuple[str, object] | None:
    """Which entry a reference belongs to, for the 'used in' lists."""
    kind = KIND_BY_NAME[loaded.kind_name]
    if kind.id_kind == "sheet":
        return ("sheet", loaded.value.id)
    if kind.id_kind == "wp":
        return ("wp", loaded.value.id)
    if kind.entry_kind:
        return (kind.entry_kind, loaded.value[ref.loc[0]].id)
    if kind.name == "matrix" and ref.loc[:1] == ("cells",):
        return ("cell", ref.loc[1])
    if kind.name == "capacity-grid" and len(ref.loc) >= 4:
        return ("criterion", loaded.value.dimensions[ref.loc[1]].criteria[ref.loc[3]].id)
    return None


__all__ = ["LoadResult", "load_handbook", "KIND_WORDS"]
