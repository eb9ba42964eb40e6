"""The small valid Handbook (tests/fixtures/mini) copied into a temporary folder, to break on
purpose; fixtures `mini` and `mini_project`. Registered by conftest.py (`pytest_plugins`)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from faasst_handbook.validation import LoadResult, load_handbook

from .paths import MINI, ROOT


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
    from .sites import new_mini_project

    return new_mini_project(tmp_path / "project")
