"""`handbook new` (issue 15, point 1): a skeleton with the next free id, registered where it
belongs, the rest of the file untouched byte for byte, and a list of what is still to write
that is exactly what `handbook validate` then reports. Filled in as an editor would, the new
sheet validates."""

from __future__ import annotations

import difflib
import re
import shutil
from pathlib import Path

import pytest
import yaml

from faasst_handbook.authoring import yaml_insert
from faasst_handbook.authoring.scaffold import ScaffoldError, new_sheet
from support.handbooks import HandbookCopy
from support.paths import LANGUAGES, ROOT, SOURCE_LANGUAGE
from support.sites import handbook

PROBLEM = re.compile(r"^(?P<file>[^:\s]+):(?P<line>\d+):(?P<column>\d+): (?P<field>\S+): ")


def project(tmp_path: Path, real: bool = False) -> HandbookCopy:
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    if real:
        shutil.copytree(ROOT / "handbook", tmp_path / "handbook")
        copy = HandbookCopy.__new__(HandbookCopy)
        copy.root = tmp_path / "handbook"
        return copy
    return HandbookCopy(tmp_path / "handbook")


def names(option: str, words: str) -> list[str]:
    return [arg for lang in LANGUAGES for arg in (f"--{option}-{lang}", f"{words} ({lang})")]


def problem_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if PROBLEM.match(line)]


def validate_lines(project_dir: Path) -> list[str]:
    result = handbook(project_dir, "validate")
    return problem_lines(result.stderr)


def only_insertions(before: str, after: str) -> list[str]:
    """The lines `after` adds to `before`; fails if anything of `before` changed."""
    added = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, before, after,
                                                      autojunk=False).get_opcodes():
        assert op in ("equal", "insert"), f"{op}: {before[a1:a2]!r} → {after[b1:b2]!r}"
        if op == "insert":
            added.append(after[b1:b2])
    return added


# --- an editor fills what `new` listed ------------------------------------------------------

COUNTER = iter(range(1, 10_000))


def sentence(lang: str) -> str:
    return f"Texte {next(COUNTER)} de la nouvelle fiche, version {lang}."


def texts() -> dict[str, str]:
    return {lang: sentence(lang) for lang in LANGUAGES}


# What the editor chooses for each field `new` lists (mini Handbook ids), by field path with
# list positions left out.
CHOICES = {
    "steps[].roles": lambda: ["role.lead"],
    "human_resources": lambda: [{"role": "role.lead", "raci": "accountable", "effort": texts()}],
    "tools": lambda: [{"tool": "tool.observatory", "purpose": texts()}],
    "mechanisms": lambda: [{"mechanism": "mech.grant", "purpose": texts()}],
    "bodies": lambda: [{"body": "body.committee", "purpose": texts()}],
    "indicators": lambda: [{"indicator": "ind.ghg", "purpose": texts()}],
    "effort": lambda: "medium",
    "related_sheets": lambda: ["wp1-01"],
    "sources": lambda: ["src.news"],
    "timing.months": lambda: [2, 4],
    "timing.repeats": lambda: "once",
    "[].kind": lambda: "staff",
}
# Problems the rules report on a whole item: the field of it to write.
INSIDE = {"checklist[]": ("steps", lambda: [1])}


def path_parts(field: str) -> list[str | int]:
    parts: list[str | int] = []
    for name, index in re.findall(r"([A-Za-z_]+)|\[(\d+)\]", field):
        parts.append(name if name else int(index) - 1)
    return parts


def fill(data, field: str) -> None:
    """Write what the problem at `field` asks for (a text in every language, or a choice)."""
    parts = path_parts(field)
    pattern = re.sub(r"\[\d+\]", "[]", field)
    if parts[-1] in LANGUAGES:  # a text: write it in every language
        parts = parts[:-1]
        value = texts()
    elif pattern in INSIDE:
        name, choose = INSIDE[pattern]
        parts, value = [*parts, name], choose()
    else:
        value = CHOICES[pattern]()
    node = data
    for part in parts[:-1]:
        node = node[part]
    node[parts[-1]] = value


def fill_file(path: Path, fields: list[str]) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for field in fields:
        fill(data, field)
    header = path.read_text(encoding="utf-8").split("\n", 1)[0]
    path.write_text(header + "\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")


# --- sheets ---------------------------------------------------------------------------------

def test_new_sheet_lists_what_validate_reports_and_validates_once_written(tmp_path):
    mini = project(tmp_path)
    wp_before = mini.read("work-packages/wp1.yaml")
    result = handbook(tmp_path, "new", "sheet", "--wp", "wp1", *names("title", "Cartographier"))
    assert result.returncode == 0, result.stderr
    assert "Created handbook/sheets/wp1-03.yaml and added `wp1-03` to the sheets of " \
           "handbook/work-packages/wp1.yaml." in result.stdout

    # Registered in its WP, nothing else of the file changed.
    assert only_insertions(wp_before, mini.read("work-packages/wp1.yaml")) == [", wp1-03"]
    # Its title is written; the rest is to write.
    sheet = yaml.safe_load(mini.read("sheets/wp1-03.yaml"))
    assert sheet["id"] == "wp1-03" and sheet["wp"] == "wp1"
    assert sheet["title"] == {lang: f"Cartographier ({lang})" for lang in LANGUAGES}
    assert mini.read("sheets/wp1-03.yaml").startswith(
        "# yaml-language-server: $schema=../schemas/sheet.schema.json\n")

    # What `new` printed is exactly what `validate` reports now (the mini Handbook was valid).
    printed = problem_lines(result.stdout)
    assert printed and printed == validate_lines(tmp_path)
    assert all(line.startswith("handbook/sheets/wp1-03.yaml:") for line in printed)
    assert f"handbook/sheets/wp1-03.yaml:8:7: summary.{SOURCE_LANGUAGE}: the " in printed[0]
    assert printed[0].endswith("text is empty: write it.")
    assert any("effort: `` is not an allowed value. Use one of: low, medium, high." in line
               for line in printed)

    # The editor writes them all; then validate checks how the parts fit, as `new` said.
    fill_file(mini.path("sheets/wp1-03.yaml"), [PROBLEM.match(l)["field"] for l in printed])
    assert "each checklist item names the steps it checks" in result.stdout
    second = validate_lines(tmp_path)
    assert second and all(": checklist[" in line and line.endswith(".") for line in second)
    fill_file(mini.path("sheets/wp1-03.yaml"), [PROBLEM.match(l)["field"] for l in second])
    final = handbook(tmp_path, "validate")
    assert final.returncode == 0, final.stderr
    assert "2 method sheets" not in final.stdout and "3 method sheets" in final.stdout


def test_next_free_number_skips_redirected_and_unlisted_ids(tmp_path):
    mini = project(tmp_path)
    mini.write("redirects.yaml", "# yaml-language-server: $schema=schemas/redirects.schema.json\n"
               "- {old: wp1-05, new: wp1-02, date: 2025-06-30, reason: {"
               + ", ".join(f'{lang}: "Fusion {lang}."' for lang in LANGUAGES) + "}}\n")
    created = new_sheet(mini.root, "wp1", {SOURCE_LANGUAGE: "Nouvelle"})
    assert created.entry_id == "wp1-06"  # wp1-05 is an old address that still redirects


def test_new_sheet_in_the_real_handbook_changes_nothing_else(tmp_path):
    real = project(tmp_path, real=True)
    wp_before = real.read("work-packages/wp4.yaml")
    last = yaml.safe_load(wp_before)["sheets"][-1]
    expected = f"wp4-{int(last[-2:]) + 1:02d}"
    result = handbook(tmp_path, "new", "sheet", "--wp", "wp4", *names("title", "Évaluer"))
    assert result.returncode == 0, result.stderr
    assert only_insertions(wp_before, real.read("work-packages/wp4.yaml")) == [f", {expected}"]
    printed = problem_lines(result.stdout)
    assert printed == validate_lines(tmp_path)
    assert all(line.startswith(f"handbook/sheets/{expected}.yaml:") for line in printed)


def test_an_unknown_work_package_creates_nothing(tmp_path):
    mini = project(tmp_path)
    result = handbook(tmp_path, "new", "sheet", "--wp", "wp7", *names("title", "X"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "there is no Work Package `wp7` (handbook/work-packages/wp7.yaml); the Work " \
           "Packages are: wp1." in result.stderr
    assert sorted(p.name for p in mini.path("sheets").iterdir()) == ["wp1-01.yaml", "wp1-02.yaml"]


def test_a_list_it_cannot_edit_safely_creates_nothing(tmp_path):
    mini = project(tmp_path)
    mini.replace("work-packages/wp1.yaml", "sheets: [wp1-01, wp1-02]", "sheets: wp1-01")
    before = mini.read("work-packages/wp1.yaml")
    with pytest.raises(ScaffoldError, match="could not be changed automatically"):
        new_sheet(mini.root, "wp1", {SOURCE_LANGUAGE: "X"})
    assert not mini.path("sheets/wp1-03.yaml").exists()
    assert mini.read("work-packages/wp1.yaml") == before  # left as the editor wrote it


# --- catalogue entries ----------------------------------------------------------------------

def test_new_role_gets_an_id_from_its_name_and_is_appended(tmp_path):
    mini = project(tmp_path)
    before = mini.read("catalogues/roles.yaml")
    args = ("new", "role", *names("name", "Cheffe de projet énergie-climat"))
    first, second = handbook(tmp_path, *args), handbook(tmp_path, *args)
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    slug = f"role.cheffe-de-projet-energie-climat-{SOURCE_LANGUAGE}"
    assert f"Added `{slug}` at the end of handbook/catalogues/roles.yaml." in first.stdout
    assert f"Added `{slug}-2` at the end" in second.stdout  # ids stay unique
    added = only_insertions(before, mini.read("catalogues/roles.yaml"))
    assert len(added) == 1 and added[0].startswith(f"- id: {slug}\n  name:\n")

    printed = problem_lines(second.stdout)
    assert printed == [line for line in validate_lines(tmp_path) if ": [4]." in line]
    assert any("[4].kind: `` is not an allowed value. Use one of: staff, elected, partner, "
               "external." in line for line in printed)
    fill_file(mini.path("catalogues/roles.yaml"),
              [PROBLEM.match(l)["field"] for l in problem_lines(first.stdout + second.stdout)])
    # Written, the entries still have to be used somewhere, as `new` said.
    assert "until then `handbook validate` reports it as unused" in first.stdout
    remaining = validate_lines(tmp_path)
    assert len(remaining) == 2 and all("catalogues/roles.yaml" in l for l in remaining)


def test_entries_keep_the_files_style_and_bytes(tmp_path):
    real = project(tmp_path, real=True)
    for command, file, option in (("body", "catalogues/bodies.yaml", "name"),
                                  ("term", "glossary.yaml", "term")):
        before = real.read(file)
        result = handbook(tmp_path, "new", command, *names(option, "Comité des financeurs"))
        assert result.returncode == 0, result.stderr
        added = only_insertions(before, real.read(file))
        # Entries there are separated by a blank line: so is the new one.
        assert len(added) == 1 and added[0].startswith("\n- id: "), added


def test_a_given_id_is_checked(tmp_path):
    mini = project(tmp_path)
    before = mini.read("catalogues/mechanisms.yaml")
    taken = handbook(tmp_path, "new", "mechanism", "--id", "mech.grant", *names("name", "F"))
    wrong = handbook(tmp_path, "new", "mechanism", "--id", "grant", *names("name", "F"))
    assert taken.returncode == wrong.returncode == 1
    assert "`mech.grant` already exists in handbook/catalogues/mechanisms.yaml" in taken.stderr
    assert "`grant` is not a valid mechanism id: write it like `mech.fonds-vert`." in wrong.stderr
    assert mini.read("catalogues/mechanisms.yaml") == before


# --- the text insertions themselves ---------------------------------------------------------

@pytest.mark.parametrize("before, after", [
    ("a: 1\nsheets: [x, y]  # kept\nb: 2\n", "a: 1\nsheets: [x, y, z]  # kept\nb: 2\n"),
    ("sheets: [\n  x,  # first\n  y\n]\n", "sheets: [\n  x,  # first\n  y, z\n]\n"),
    ("sheets:\n  - x\n  - 'y'  # quoted\n# after\nb: 2\n",
     "sheets:\n  - x\n  - 'y'  # quoted\n  - z\n# after\nb: 2\n"),
    ("sheets:\r\n- x\r\n- y\r\nb: 2\r\n", "sheets:\r\n- x\r\n- y\r\n- z\r\nb: 2\r\n"),
])
def test_append_to_list_touches_nothing_else(before, after):
    assert yaml_insert.append_to_list(before, "sheets", "z") == after


def test_append_entry_follows_the_files_separation():
    assert yaml_insert.append_entry("# c\n- {id: a}\n- {id: b}", ["- id: c"]) == \
        "# c\n- {id: a}\n- {id: b}\n- id: c\n"
    assert yaml_insert.append_entry("- id: a\n\n- id: b\n", ["- id: c"]) == \
        "- id: a\n\n- id: b\n\n- id: c\n"
    with pytest.raises(yaml_insert.CannotInsert):
        yaml_insert.append_entry("[{id: a}]\n", ["- id: c"])
