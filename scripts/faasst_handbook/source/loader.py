"""Read the whole `handbook/` folder: every file, checked against its model, ids resolved
across files, assembled into `Content` — or the list of what is wrong.

Every problem is collected (never raised) so that one run tells an editor everything to fix.
The rules that look at the assembled Handbook (structure, consistency, writing) are in
`faasst_handbook.rules`; `faasst_handbook.validation` runs both.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from . import models as m
from .content import Content, build_usage
from .files import HandbookTree, list_tree
from .layout import KIND_BY_NAME, KINDS, SIDE_FILES, FileKind, schema_comment
from .model_errors import problems_from_validation
from .origins import Origins
from .problems import Problem
from .references import Index, LoadedFile, check_file_names, check_references, mentions
from .text import DEFAULT_LANGUAGES
from .kept_files import KeptFiles, ReadFile
from .yaml_reader import YamlDocument, parse_yaml, read_bounded, read_yaml


@dataclass
class Reading:
    """What reading the folder gave: the Handbook, where every entry was written, and the
    problems found. With problems, `content` holds what could be read (None if a required
    file is missing or broken): the rules still look at it, so that one run reports as much
    as possible, but it is never rendered."""

    content: Content | None
    problems: list[Problem]
    origins: Origins
    incomplete: frozenset[str] = frozenset()  # kinds of files that did not validate


def read_handbook(root: Path, shown_root: str | None = None) -> Reading:
    """Read every file under `root`. Paths in problems start with `shown_root` (default: the
    folder name, e.g. `handbook/sheets/wp1-01.yaml`)."""
    root = Path(root)
    shown_root = root.name if shown_root is None else shown_root
    tree = list_tree(root, shown_root)
    problems: list[Problem] = list(tree.problems)
    origins = Origins()

    if "handbook.yaml" not in tree.files:
        if not any(p.file == tree.shown("handbook.yaml") for p in problems):
            problems.append(Problem(tree.shown("handbook.yaml"), 1, 1, "",
                                    "the Handbook's main file is missing.", "missing-file"))
        return Reading(None, problems, origins)

    paths = _files_by_kind(tree, problems)
    languages = configured_languages(tree, "handbook.yaml")
    fallbacks = configured_fallbacks(tree, "handbook.yaml")
    loaded: list[LoadedFile] = []
    present = {kind.name for kind, _ in paths}
    broken_kinds = {kind.entry_kind or kind.id_kind or kind.name
                    for kind in KINDS if kind.name not in present and kind.required}
    kept = KeptFiles(str(tree.root), languages, fallbacks)
    for kind, relative in paths:
        read = _read_file(tree, relative, kind, languages, fallbacks, kept)
        if read.doc is not None:
            origins.add_document(read.doc)
            if read.value is not None:
                loaded.append(LoadedFile(kind.name, tree.root / relative, read.doc, read.value,
                                         read.mentions))
        if read.problems:
            broken_kinds.add(kind.entry_kind or kind.id_kind or kind.name)
        problems += read.problems
    kept.save()

    index = Index(loaded)
    problems += check_references(index, broken_kinds)
    problems += check_file_names(index, {k.name: k.id_kind for k in KINDS if k.id_kind})
    by_kind = _group(loaded)
    origins.add_entries(by_kind)
    single_files_read = all(by_kind[kind.name] for kind in KINDS
                            if kind.required and "*" not in kind.pattern)
    content = _assemble(index, by_kind) if single_files_read else None
    return Reading(content, problems, origins, frozenset(broken_kinds))


def _read_file(tree: HandbookTree, relative: str, kind: FileKind, languages: dict[str, str],
               fallbacks: dict[str, str], kept: KeptFiles) -> ReadFile:
    """One file read, checked against its model — or taken as it was read last time, when
    its bytes did not change."""
    shown = tree.shown(relative)
    raw = read_bounded(tree.files[relative])
    if isinstance(raw, tuple):  # unreadable: nothing to keep
        return ReadFile(None, None, tuple(parse_yaml(raw, shown)[1]))
    digest, read = kept.get(shown, kind.name, raw)
    if read is None:
        doc, problems = parse_yaml(raw, shown)
        value = None
        if doc is not None:
            problems += _check_header(tree, relative, kind, doc)
            value = _validate(doc, kind, languages, fallbacks, problems)
        read = ReadFile(doc, value, tuple(problems),
                        mentions(shown, value) if value is not None else ())
    kept.put(shown, kind.name, digest, read)
    return read


def _files_by_kind(tree: HandbookTree, problems: list[Problem]) -> list[tuple[FileKind, str]]:
    found: list[tuple[FileKind, str]] = []
    claimed: set[str] = set()
    for kind in KINDS:
        matches = tree.glob(kind.pattern)
        if not matches and "*" not in kind.pattern and kind.required:
            problems.append(Problem(tree.shown(kind.pattern), 1, 1, "",
                                    f"this file is missing ({kind.title}): restore it, e.g. "
                                    "from the project's history.", "missing-file"))
        for relative in matches:
            found.append((kind, relative))
            claimed.add(relative)
    for relative in tree.files:
        if (relative in claimed or relative in SIDE_FILES
                or relative.split("/", 1)[0] == "schemas"):
            continue
        name = relative.rsplit("/", 1)[-1]
        if name.startswith(".") or name.lower().endswith((".md", ".txt")):
            continue
        if name.endswith(".yml"):
            message = "use the extension `.yaml`, not `.yml`."
        else:
            places = ", ".join(k.pattern for k in KINDS)
            message = (f"this file is not part of the Handbook's layout (expected: {places}). "
                       "Move it to its place, or delete it.")
        problems.append(Problem(tree.shown(relative), 1, 1, "", message, "unexpected-file"))
    return found


def configured_languages(tree: HandbookTree | Path, relative: str = "handbook.yaml") -> dict[str, str]:
    """The configured languages, read leniently: handbook.yaml's own problems are reported
    by its validation; meanwhile the other files are checked against fr/en.
    `tree` may be the handbook folder's path or an already listed tree."""
    languages = {e["code"]: e["name"] for e in _language_entries(tree, relative)
                 if isinstance(e.get("code"), str) and isinstance(e.get("name"), str)}
    return languages or dict(DEFAULT_LANGUAGES)


def configured_fallbacks(tree: HandbookTree | Path,
                         relative: str = "handbook.yaml") -> dict[str, str]:
    """Language code → its `fallback`, for the languages that may leave texts out, read as
    leniently as `configured_languages` (a wrong fallback is reported by the rules; meanwhile
    the language still may leave texts out, so that the editor gets one message, not one per
    text)."""
    entries = _language_entries(tree, relative)
    return {e["code"]: e["fallback"] for e in entries[1:]
            if isinstance(e.get("code"), str) and isinstance(e.get("fallback"), str)}


def _language_entries(tree: HandbookTree | Path, relative: str) -> list[dict]:
    if not isinstance(tree, HandbookTree):
        path = Path(tree)
        tree = list_tree(path.parent if path.suffix else path, "handbook")
    path = tree.files.get(relative)
    doc = read_yaml(path, relative)[0] if path is not None else None
    data = doc.data if doc else None
    try:
        entries = data["languages"]
        return [entry for entry in entries if isinstance(entry, dict)]
    except (TypeError, KeyError, AttributeError):
        return []


def _check_header(tree: HandbookTree, relative: str, kind: FileKind,
                  doc: YamlDocument) -> list[Problem]:
    expected = schema_comment(kind, relative.count("/"))
    if doc.first_line == expected:
        return []
    return [Problem(doc.file, 1, 1, "", f"the first line must be `{expected}` so that editors "
                    "check the file while typing: add it, or correct it.", "schema-header")]


def _validate(doc: YamlDocument, kind: FileKind, languages: dict[str, str],
              fallbacks: dict[str, str], problems: list[Problem]) -> Any:
    if doc.data is None:
        problems.append(Problem(doc.file, 1, 1, "", "the file has no content.", "empty-file"))
        return None
    try:
        return kind.adapter.validate_python(
            doc.data, context={"languages": languages, "fallbacks": fallbacks})
    except ValidationError as error:
        problems += problems_from_validation(error, doc, kind.model)
        return None


def _group(loaded: list[LoadedFile]) -> dict[str, list[LoadedFile]]:
    groups: dict[str, list[LoadedFile]] = {kind.name: [] for kind in KINDS}
    for item in loaded:
        groups[item.kind_name].append(item)
    return groups


def _assemble(index: Index, by_kind: dict[str, list[LoadedFile]]) -> Content:
    """The Handbook in reading order. Tolerant of structural mistakes (a sheet listed by no
    WP, or by two), which the rules report: nothing is dropped here."""

    def one(name: str) -> Any:
        files = by_kind[name]
        return files[0].value if files else None

    def entries(name: str) -> dict:
        return {entry.id: entry for entry in (one(name) or [])}

    info: m.HandbookInfo = one("handbook")
    wps = {f.value.id: f.value for f in by_kind["work-package"]}
    ordered_wps = {wp_id: wps[wp_id] for wp_id in info.work_packages if wp_id in wps}
    ordered_wps |= wps  # WPs missing from handbook.yaml's list come last
    all_sheets = {f.value.id: f.value for f in by_kind["sheet"]}
    listed = [sid for wp in ordered_wps.values() for sid in wp.sheets if sid in all_sheets]
    ordered_sheets = {sid: all_sheets[sid] for sid in listed} | all_sheets

    owners = {f.doc.file: f for f in index.files.values()}
    owned = []
    for ref in index.references:
        if ref.value not in index.defined[ref.kind]:
            continue  # an unknown id, already reported
        owner = _owner(owners[ref.file], ref)
        if owner is not None:
            owned.append(((ref.kind, ref.value), owner))

    return Content(
        info=info, ui=one("ui"), work_packages=ordered_wps, sheets=ordered_sheets,
        roles=entries("roles"), tools=entries("tools"), mechanisms=entries("mechanisms"),
        indicators=entries("indicators"), bodies=entries("bodies"),
        glossary=entries("glossary"), sources=entries("sources"),
        matrix=one("matrix"), grid=one("capacity-grid"),
        cases={f.value.id: f.value for f in sorted(by_kind["case"], key=lambda f: f.value.id)},
        starter_route=one("starter-route"), redirects=list(one("redirects") or []),
        usage=build_usage(owned, list(ordered_sheets)),
    )


def _owner(loaded: LoadedFile, ref) -> tuple[str, object] | None:
    """Which entry a reference belongs to, for the 'used in' lists."""
    kind = KIND_BY_NAME[loaded.kind_name]
    if kind.id_kind in ("sheet", "wp", "case"):
        return (kind.id_kind, loaded.value.id)
    if kind.entry_kind:
        return (kind.entry_kind, loaded.value[ref.loc[0]].id)
    if kind.name == "matrix" and ref.loc[:1] == ("cells",):
        return ("cell", ref.loc[1])
    if kind.name == "capacity-grid" and len(ref.loc) >= 4:
        return ("criterion", loaded.value.dimensions[ref.loc[1]].criteria[ref.loc[3]].id)
    if kind.name == "starter-route":
        return ("starter-route", "starter-route")
    return None
