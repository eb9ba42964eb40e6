"""Sites the tests build: the real site once per run (`built_site`), and small ones from the
mini Handbook with `handbook build`, as the security, atomic-build and CSP tests do.
Registered by conftest.py (`pytest_plugins`)."""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from .handbooks import HandbookCopy
from .paths import ROOT

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUNBUFFERED": "1"}
# A link from a hand-written page (docs/*.md) into the generated pages of the real Handbook.
_HANDBOOK_LINK = re.compile(r"\[([^\]\n]+)\]\((?:\./|\.\./)*handbook/[^)\s]*\)")


def new_mini_project(project: Path) -> Path:
    """Like conftest's `mini_project` fixture (mkdocs.yml, docs, overrides, and the
    mini Handbook), at a path of our choosing, and buildable strictly (see make_buildable)."""
    project.mkdir(parents=True)
    for name in ("mkdocs.yml", "overrides", "docs"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, project / name, ignore=shutil.ignore_patterns("handbook"))
        else:
            shutil.copy(source, project / name)
    # watched by mkdocs.yml (the plugin itself is the installed package's)
    (project / "scripts" / "faasst_handbook" / "templates").mkdir(parents=True)
    HandbookCopy(project / "handbook")
    return make_buildable(project)


def shared_build(factory: pytest.TempPathFactory, name: str,
                 prepare: Callable[[HandbookCopy], None] = lambda handbook: None) -> Path:
    """A mini project, changed by `prepare`, built once per test run with `handbook build`
    (pytest-xdist workers share it through a lock). Tests must not modify it: copy it."""
    base = factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    project = shared / name
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (project / "site" / "index.html").is_file():
            if project.exists():
                shutil.rmtree(project)
            new_mini_project(project)
            copy = HandbookCopy.__new__(HandbookCopy)
            copy.root = project / "handbook"
            prepare(copy)
            result = handbook(project, "build")
            if result.returncode != 0:
                pytest.fail(f"the mini site `{name}` does not build:\n{result.stdout}\n"
                            f"{result.stderr}")
    return project


def make_buildable(project: Path) -> Path:
    """The hand-written pages of docs/ link to sheets and sources of the real Handbook, which
    the mini one does not have: keep those links' words only, so that the strict build of the
    mini project passes whatever the real content is."""
    for page in (project / "docs").glob("*.md"):
        text = page.read_text(encoding="utf-8")
        page.write_text(_HANDBOOK_LINK.sub(r"\1", text), encoding="utf-8")
    return project


def handbook(project: Path, *args: str, timeout: float = 300,
             env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run the `handbook` command in `project` (as `make build` would)."""
    return subprocess.run([sys.executable, "-m", "faasst_handbook.cli", *args], cwd=project,
                          env={**ENV, **(env or {})}, capture_output=True, text=True,
                          timeout=timeout)


def start_handbook(project: Path, *args: str, log: Path) -> subprocess.Popen:
    """Start `handbook ...` in the background, in its own process group, output into `log`."""
    with log.open("w") as out:
        return subprocess.Popen([sys.executable, "-m", "faasst_handbook.cli", *args],
                                cwd=project, env=ENV, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)


def tree_digest(folder: Path) -> str:
    """One hash of a folder: every path (files, folders, links), file bytes and modes."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_symlink():
            digest.update(f"L {relative} {os.readlink(path)}\n".encode())
        elif path.is_dir():
            digest.update(f"D {relative}\n".encode())
        else:
            digest.update(f"F {relative} {path.stat().st_mode:o}\n".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def leftovers(project: Path, site_name: str = "site") -> list[str]:
    """Temporary folders or files a build could leave next to the site or inside it."""
    found = [p.name for p in project.iterdir() if p.name.startswith(f".{site_name}-")]
    site = project / site_name
    if site.is_dir():
        found += [p.relative_to(project).as_posix() for p in site.rglob("*")
                  if p.name.startswith((".tmp-", f".{site_name}-"))
                  or p.suffix in (".part", ".tmp")]
    return sorted(found)


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
