"""Shared fixtures: a small valid Handbook to break on purpose, and the real site built once."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from faasst_handbook.validation import LoadResult, load_handbook

ROOT = Path(__file__).resolve().parents[1]
MINI = Path(__file__).parent / "fixtures" / "mini"


@pytest.fixture(scope="session", autouse=True)
def shared_checklist_cache():
    """Every site the tests build (in temporary projects too) reuses the project's cache of
    printable-checklist PDFs (issue 5): PDFs are keyed on content, so sharing is safe, and each
    small site would otherwise render its dozen PDFs again. Tests of the cache itself set
    HANDBOOK_CACHE_DIR to a folder of their own."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HANDBOOK_CACHE_DIR", os.environ.get("HANDBOOK_CACHE_DIR",
                                                          str(ROOT / ".cache")))
        yield


class HandbookCopy:
    """A copy of the mini Handbook in a temporary folder, with helpers to edit it."""

    def __init__(self, folder: Path):
        self.root = folder
        shutil.copytree(MINI, folder)
        # The interface strings are the real ones: templates need every key.
        shutil.copy(ROOT / "handbook" / "ui.yaml", folder / "ui.yaml")

    def path(self, relative: str) -> Path:
        return self.root / relative

    def read(self, relative: str) -> str:
        return self.path(relative).read_text(encoding="utf-8")

    def write(self, relative: str, text: str | bytes) -> None:
        path = self.path(relative)
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")

    def replace(self, relative: str, old: str, new: str, count: int = 1) -> None:
        text = self.read(relative)
        assert old in text, f"{old!r} not in {relative}"
        self.write(relative, text.replace(old, new, count))

    def load(self) -> LoadResult:
        return load_handbook(self.root, "handbook")

    def messages(self) -> list[str]:
        return [p.format() for p in self.load().problems]


@pytest.fixture
def mini(tmp_path: Path) -> HandbookCopy:
    return HandbookCopy(tmp_path / "handbook")


@pytest.fixture
def mini_project(tmp_path: Path) -> Path:
    """A whole project (mkdocs.yml, docs, overrides) whose handbook/ is the mini Handbook,
    buildable strictly (links from hand-written pages into the real Handbook are unlinked)."""
    from mini_site import new_mini_project  # mini_site imports this module

    return new_mini_project(tmp_path / "project")


def run_mkdocs(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "mkdocs", *args], cwd=project, env=env,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built once per test run (shared by pytest-xdist workers via a lock)."""
    # Workers of one xdist run share a folder named after the run; a plain run uses its own.
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    shared = tmp_path_factory.getbasetemp().parent / f"run-{run}" if run else tmp_path_factory.getbasetemp()
    shared.mkdir(exist_ok=True)
    site = shared / "real-site"
    with open(shared / "real-site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (site / "index.html").is_file():
            result = subprocess.run(
                [sys.executable, "-m", "faasst_handbook.cli", "build", "--site-dir", str(site)],
                cwd=ROOT, capture_output=True, text=True, timeout=900,
                env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
            if result.returncode != 0:
                pytest.fail(f"the site does not build:\n{result.stdout}\n{result.stderr}")
    return site


def pytest_terminal_summary(terminalreporter):
    """After the run: pages checked per language and what the quality gates found (issue 6)."""
    from gates import terminal_summary

    terminal_summary(terminalreporter)
