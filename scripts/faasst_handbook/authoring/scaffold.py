"""`handbook new`: a new method sheet or catalogue entry, with the next free id, registered
where it belongs, and the list of what is still to write.

A sheet gets the next number of its Work Package (never one a sheet, the WP's list or a
redirect already uses) and is added to the WP's `sheets` list; a catalogue entry gets an id
made from its name (`Cheffe de projet` → `role.cheffe-de-projet`, made unique) and is appended
to its catalogue. What is still to write is what `handbook validate` reports on the new entry:
the problems that were not there before, in the validator's own words.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml
from slugify import slugify

from ..source import models as m
from ..source.layout import KIND_BY_NAME, schema_comment
from ..source.loader import configured_languages
from ..source.problems import Problem
from ..validation import load_handbook
from . import skeletons, yaml_insert

MAX_ID_WORDS = 6  # a slug of a long name keeps its first words


class ScaffoldError(Exception):
    """Nothing was created; the message says why and what to do."""


@dataclass
class Created:
    entry_id: str
    created: str  # the new file, or the catalogue the entry was appended to
    registered_in: str | None  # the file listing it (a sheet's Work Package)
    still_to_write: list[Problem]  # what `handbook validate` now reports that it did not


def _read(path: Path):
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml_insert._Loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None


def _problem_lines(handbook_dir: Path) -> Counter:
    return Counter(p.format() for p in load_handbook(handbook_dir).problems)


def _new_problems(handbook_dir: Path, before: Counter) -> list[Problem]:
    fresh, seen = [], Counter()
    for problem in load_handbook(handbook_dir).problems:
        line = problem.format()
        seen[line] += 1
        if seen[line] > before[line]:
            fresh.append(problem)
    return fresh


# --- sheets ---------------------------------------------------------------------------------

def next_sheet_id(handbook_dir: Path, wp_id: str) -> str:
    """One more than the highest number the WP's sheets, its list or a redirect ever used."""
    used = {path.stem for path in (handbook_dir / "sheets").glob(f"{wp_id}-*.yaml")}
    wp = _read(handbook_dir / "work-packages" / f"{wp_id}.yaml")
    if isinstance(wp, dict) and isinstance(wp.get("sheets"), list):
        used |= {str(s) for s in wp["sheets"]}
    redirects = _read(handbook_dir / "redirects.yaml")
    if isinstance(redirects, list):
        used |= {str(r.get("old")) for r in redirects if isinstance(r, dict)}
    numbers = [int(found.group(1)) for sheet_id in used
               if (found := re.fullmatch(rf"{re.escape(wp_id)}-([0-9]{{2}})", sheet_id))]
    number = max(numbers, default=0) + 1
    if number > 99:
        raise ScaffoldError(f"{wp_id} already has 99 sheets: sheet ids have two digits.")
    return f"{wp_id}-{number:02d}"


def new_sheet(handbook_dir: Path, wp_id: str, titles: dict[str, str],
              today: dt.date | None = None) -> Created:
    handbook_dir = Path(handbook_dir)
    wp_file = handbook_dir / "work-packages" / f"{wp_id}.yaml"
    if not re.fullmatch(m.ID_PATTERNS["wp"], wp_id) or not wp_file.is_file():
        known = sorted(p.stem for p in (handbook_dir / "work-packages").glob("*.yaml"))
        raise ScaffoldError(f"there is no Work Package `{wp_id}` (handbook/work-packages/"
                            f"{wp_id}.yaml); the Work Packages are: {', '.join(known)}.")
    languages = list(configured_languages(handbook_dir / "handbook.yaml"))
    sheet_id = next_sheet_id(handbook_dir, wp_id)
    sheet_file = handbook_dir / "sheets" / f"{sheet_id}.yaml"
    skeleton = skeletons.sheet(sheet_id, wp_id, titles, languages, today or dt.date.today())
    header = schema_comment(KIND_BY_NAME["sheet"], 1)
    text = "\n".join([header, *skeletons.to_yaml(skeleton)]) + "\n"

    before = _problem_lines(handbook_dir)
    try:
        new_wp_text = yaml_insert.append_to_list(wp_file.read_text(encoding="utf-8"),
                                                 "sheets", sheet_id)
    except yaml_insert.CannotInsert as error:
        raise ScaffoldError(f"handbook/work-packages/{wp_id}.yaml could not be changed "
                            f"automatically ({error}): nothing was created. Add `{sheet_id}` "
                            "to its `sheets` list by hand, then run this command again.") from None
    sheet_file.parent.mkdir(parents=True, exist_ok=True)
    with open(sheet_file, "x", encoding="utf-8") as out:  # never overwrite a sheet
        out.write(text)
    yaml_insert.update_file(wp_file, lambda _: new_wp_text)
    return Created(sheet_id, f"handbook/sheets/{sheet_id}.yaml",
                   f"handbook/work-packages/{wp_id}.yaml", _new_problems(handbook_dir, before))


# --- catalogue entries ----------------------------------------------------------------------

def entry_id_from(kind: skeletons.EntryKind, name: str, taken: set[str]) -> str:
    """`role.` + the name's first words, slugified (ASCII, lowercase, hyphens), made unique."""
    prefix = skeletons.ID_PREFIX[kind.id_kind]
    words = slugify(name, separator="-").split("-")[:MAX_ID_WORDS]
    slug = "-".join(word for word in words if word)
    if not slug:
        raise ScaffoldError(f"no id can be made from the name `{name}`: give one with --id, "
                            f"e.g. --id {m.ID_EXAMPLES[kind.id_kind]}.")
    candidate, n = f"{prefix}.{slug}", 2
    while candidate in taken:
        candidate, n = f"{prefix}.{slug}-{n}", n + 1
    return candidate


def new_entry(handbook_dir: Path, command: str, names: dict[str, str],
              entry_id: str | None = None) -> Created:
    handbook_dir = Path(handbook_dir)
    kind = skeletons.ENTRY_KINDS[command]
    file_kind = KIND_BY_NAME[kind.file_kind]
    catalogue = handbook_dir / file_kind.pattern
    shown = f"handbook/{file_kind.pattern}"
    if not catalogue.is_file():
        raise ScaffoldError(f"{shown} does not exist: restore it, e.g. from the project's history.")
    languages = list(configured_languages(handbook_dir / "handbook.yaml"))
    existing = _read(catalogue)
    taken = {str(e.get("id")) for e in existing if isinstance(e, dict)} \
        if isinstance(existing, list) else set()
    source_name = names.get(languages[0]) or next((n for n in names.values() if n), "")
    if entry_id is None:
        entry_id = entry_id_from(kind, source_name, taken)
    elif not re.fullmatch(m.ID_PATTERNS[kind.id_kind], entry_id):
        raise ScaffoldError(f"`{entry_id}` is not a valid {kind.command} id: write it like "
                            f"`{m.ID_EXAMPLES[kind.id_kind]}`.")
    elif entry_id in taken:
        raise ScaffoldError(f"`{entry_id}` already exists in {shown}: choose another id.")
    lines = skeletons.list_item(skeletons.entry(kind, entry_id, names, languages), 0)

    before = _problem_lines(handbook_dir)
    try:
        yaml_insert.update_file(catalogue, lambda text: yaml_insert.append_entry(text, lines))
    except yaml_insert.CannotInsert as error:
        raise ScaffoldError(f"{shown} could not be changed automatically ({error}): add these "
                            "lines at its end by hand:\n" + "\n".join(lines)) from None
    return Created(entry_id, shown, None, _new_problems(handbook_dir, before))
