"""The catalogue of bad inputs (tests/bad_inputs/): each mistake an editor can make gives a
plain-language message with file:line:column, the field, and what to do, exit code 1 and no
traceback. See tests/bad_inputs/README.md for the layout of a case."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support.handbooks import HandbookCopy
from support.messages import ACTIONS, PROBLEM_LINE
from support.paths import ROOT

CASES_DIR = Path(__file__).parent / "bad_inputs"
CASES = sorted(path for path in CASES_DIR.iterdir() if path.is_dir())
def read_case(case: Path) -> tuple[str, list[str]]:
    lines = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    description = " ".join(line[2:] for line in lines if line.startswith("# "))
    return description, [line for line in lines if not line.startswith("#")]


def project_for(case: Path, tmp_path: Path) -> Path:
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    handbook = HandbookCopy(tmp_path / "handbook").root
    for source in sorted(case.rglob("*")):
        relative = source.relative_to(case).as_posix()
        if source.is_dir() or relative == "expected.txt":
            continue
        suffix = relative.rsplit(".", 1)[-1]
        target = handbook / relative.removesuffix(f".{suffix}")
        if suffix == "removed":
            target.unlink()
        elif suffix == "gz":
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(gzip.decompress(source.read_bytes()))
        elif suffix == "replace":  # [[old, new], ...]: a small change to the mini file
            text = target.read_text(encoding="utf-8")
            for old, new in json.loads(source.read_text(encoding="utf-8")):
                assert old in text, f"{case.name}: {old!r} not in {target.name}"
                text = text.replace(old, new, 1)
            target.write_bytes(text.encode("utf-8"))
        elif suffix == "symlink":  # a link to the path written in the file
            target.parent.mkdir(parents=True, exist_ok=True)
            link = source.read_text(encoding="utf-8").strip()
            if not link.startswith("/"):  # a file outside handbook/, next to it
                (tmp_path / link).write_text("secret: a file that is not the Handbook's\n")
            target.symlink_to(link if link.startswith("/") else tmp_path / link)
        elif suffix == "fifo":
            target.parent.mkdir(parents=True, exist_ok=True)
            os.mkfifo(target)
        else:
            target = handbook / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    return tmp_path


def test_the_catalogue_covers_at_least_30_cases():
    assert len(CASES) >= 30
    for case in CASES:
        description, expected = read_case(case)
        assert description, f"{case.name}: expected.txt needs a `# ` description"
        assert len(expected) >= 2, f"{case.name}: expected.txt needs the validator's output"


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_input_gets_a_clear_message(case: Path, tmp_path: Path, monkeypatch, capsys):
    """In-process (`handbook validate` is `cli.main`), to keep 60 cases fast; the command
    itself runs as a separate process in the next test."""
    from faasst_handbook import cli

    _, expected = read_case(case)
    monkeypatch.chdir(project_for(case, tmp_path))
    assert cli.main(["validate"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and "Traceback" not in err
    assert err.splitlines() == expected
    *problems, summary = expected
    assert re.fullmatch(r"\d+ problems? in \d+ files?\.", summary)
    for line in problems:
        match = PROBLEM_LINE.match(line)
        assert match, f"not `file:line:column: field: message`: {line}"
        assert ACTIONS.search(match["message"]), f"the message does not say what to do: {line}"


@pytest.mark.parametrize("name", ["syntax-unclosed-single-quote", "encoding-binary",
                                  "alias-bomb", "file-too-large", "wrong-type-yes-no",
                                  "unknown-reference-did-you-mean"])
def test_the_command_exits_with_1_and_no_traceback(name: str, tmp_path: Path):
    case = CASES_DIR / name
    _, expected = read_case(case)
    result = subprocess.run([sys.executable, "-m", "faasst_handbook.cli", "validate"],
                            cwd=project_for(case, tmp_path), capture_output=True, text=True,
                            timeout=120, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stderr.splitlines() == expected


def test_the_readmes_troubleshooting_examples_are_real_messages():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Troubleshooting"):]
    examples = re.findall(r"```text\n(.*?)\n```", section, re.DOTALL)
    assert len(examples) >= 3
    produced = {line for case in CASES for line in read_case(case)[1]}
    for example in examples:
        assert example in produced, f"not a message of tests/bad_inputs/: {example}"


# Cases where a careless reader would hang (a pipe), exhaust memory (/dev/zero) or leak a
# file from outside handbook/: the command must finish fast, within a memory bound, and quote
# nothing it was not meant to read.
HOSTILE_FILES = ["fifo-named-like-a-sheet", "symlink-to-dev-zero", "symlink-to-a-system-file",
                 "symlink-outside-the-handbook"]
MEMORY_LIMIT = 1024 ** 3  # address space of the `handbook validate` process, in bytes


@pytest.mark.parametrize("name", HOSTILE_FILES)
def test_special_files_are_refused_without_reading_them(name: str, tmp_path: Path):
    """Reading a FIFO would block forever and /dev/zero would fill the memory: the timeout
    (generous: the machine may be busy) and the memory limit catch either."""
    import resource

    def bounded():
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    case = CASES_DIR / name
    _, expected = read_case(case)
    project = project_for(case, tmp_path)
    result = subprocess.run([sys.executable, "-m", "faasst_handbook.cli", "validate",
                             "--format", "text"], cwd=project, capture_output=True, text=True,
                            timeout=120, preexec_fn=bounded,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 1 and result.stderr.splitlines() == expected
    output = result.stdout + result.stderr
    assert "root:" not in output and "secret" not in output  # nothing read from outside
