"""`handbook build` publishes all or nothing: a failure at any stage, or an interruption, leaves
the previous site/ byte for byte as it was, and nothing half-built next to it or inside it.
`mkdocs serve` keeps serving the last good site while the YAML is invalid, and recovers."""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from faasst_handbook.publish import staging
from support.sites import ENV, handbook, leftovers, shared_build, start_handbook, tree_digest

SHEET = "handbook/sheets/wp1-01.yaml"


@pytest.fixture
def project(tmp_path_factory, tmp_path) -> Path:
    """A copy of a mini project whose site/ was built by `handbook build`."""
    built = shared_build(tmp_path_factory, "clean-mini-site")
    copy = tmp_path / "project"
    shutil.copytree(built, copy, symlinks=True)
    return copy


def edit(project: Path, relative: str, old: str, new: str) -> None:
    path = project / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, (relative, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_successful_build_replaces_the_site_and_leaves_nothing_behind(project):
    before = tree_digest(project / "site")
    edit(project, SHEET, "Objective of sheet 01.", "Objective of sheet 01, revised.")  # no PDF
    result = handbook(project, "build")
    assert result.returncode == 0, result.stderr
    assert tree_digest(project / "site") != before
    page = project / "site/en/handbook/wp1/wp1-01/index.html"
    assert "Objective of sheet 01, revised." in page.read_text(encoding="utf-8")
    assert (project / "site/_headers").is_file()
    assert leftovers(project) == []


def test_a_validation_failure_leaves_the_site_intact(project):
    before = tree_digest(project / "site")
    edit(project, SHEET, "effort: medium", "effort: hihg")
    result = handbook(project, "build")
    assert result.returncode == 1
    assert "previous one is unchanged" in result.stderr
    assert ("handbook/sheets/wp1-01.yaml:37:9: effort: `hihg` is not an allowed value."
            in result.stderr)
    assert "Traceback" not in result.stderr
    assert tree_digest(project / "site") == before
    assert leftovers(project) == []


def test_a_mkdocs_strict_warning_leaves_the_site_intact(project):
    before = tree_digest(project / "site")
    with (project / "docs/about.fr.md").open("a", encoding="utf-8") as page:
        page.write("\n[Une page qui n'existe pas](missing-page.md)\n")
    result = handbook(project, "build")
    assert result.returncode == 1
    assert "missing-page.md" in result.stderr and "site/ is unchanged" in result.stderr
    assert tree_digest(project / "site") == before
    assert leftovers(project) == []


def test_a_security_scan_failure_leaves_the_site_intact(project):
    """Raw HTML in a hand-written page reaches the site (Markdown lets it through): the scan
    stops it before it is published."""
    before = tree_digest(project / "site")
    with (project / "docs/about.en.md").open("a", encoding="utf-8") as page:
        page.write('\n<p><a href="#top" onclick="alert(1)">Top</a></p>\n'
                   '\n<iframe src="https://example.org/"></iframe>\n')
    result = handbook(project, "build")
    assert result.returncode == 1
    assert "it was not published" in result.stderr and "site/ is unchanged" in result.stderr
    assert "en/about/index.html:" in result.stderr
    assert "<a> has an event-handler attribute `onclick` (it runs script)." in result.stderr
    assert "<iframe> element: embedded content is not allowed." in result.stderr
    assert tree_digest(project / "site") == before
    assert leftovers(project) == []


def test_a_pdf_failure_leaves_the_site_intact(project, tmp_path):
    """The printable checklists cannot be rendered (their cache folder is unusable)."""
    before = tree_digest(project / "site")
    edit(project, SHEET, "Item one 01.", "Item one 01, revised.")  # a PDF must be rendered
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    result = handbook(project, "build", env={"HANDBOOK_CACHE_DIR": str(blocked)})
    assert result.returncode == 1
    assert "site/ is unchanged" in result.stderr
    assert tree_digest(project / "site") == before
    assert leftovers(project) == []


def _wait_for_pages(project: Path, process: subprocess.Popen, log: Path,
                    pattern: str = "**/index.html") -> None:
    """Until MkDocs has written pages into the temporary folder (the build is half-way), or,
    with pattern "", until that folder exists (MkDocs is starting)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        for staging in project.glob(".site-building-*"):
            if not pattern or any(staging.glob(pattern)):
                return
        assert process.poll() is None, log.read_text()
        time.sleep(0.02)
    pytest.fail("the build never started writing pages:\n" + log.read_text())


def _group_is_gone(pgid: int, timeout: float = 30) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


@pytest.mark.parametrize("how, when", [
    ("SIGTERM to the command", "half-way"),
    ("Ctrl-C (SIGINT to the group)", "half-way"),
    ("SIGTERM to the command", "as MkDocs starts"),
])
def test_an_interrupted_build_leaves_the_site_intact_and_nothing_behind(project, tmp_path, how,
                                                                        when):
    before = tree_digest(project / "site")
    edit(project, SHEET, "Objective of sheet 01.", "Objective, interrupted.")
    log = tmp_path / "build.log"
    process = start_handbook(project, "build", log=log)
    _wait_for_pages(project, process, log, "**/index.html" if when == "half-way" else "")
    if how.startswith("SIGTERM"):
        os.kill(process.pid, signal.SIGTERM)  # the command only, as `kill PID` does
    else:
        os.killpg(process.pid, signal.SIGINT)  # the whole group, as a terminal does
    assert process.wait(timeout=60) == 130, log.read_text()
    assert _group_is_gone(process.pid), "MkDocs was left running"
    output = log.read_text()
    assert "Interrupted: site/ is unchanged." in output
    if how.startswith("SIGTERM"):  # (a Python starting up when Ctrl-C hits prints its own)
        assert "Traceback" not in output
    assert tree_digest(project / "site") == before
    assert leftovers(project) == [], output


def test_a_hard_kill_leaves_a_temporary_folder_that_the_next_run_removes(project, tmp_path):
    before = tree_digest(project / "site")
    log = tmp_path / "build.log"
    process = start_handbook(project, "build", log=log)
    _wait_for_pages(project, process, log)
    os.killpg(process.pid, signal.SIGKILL)  # no clean-up possible
    process.wait(timeout=60)
    assert _group_is_gone(process.pid)
    assert [name for name in leftovers(project) if name.startswith(".site-building-")]
    assert tree_digest(project / "site") == before
    # The next run, even one that stops at validation, removes what the killed one left.
    edit(project, SHEET, "effort: medium", "effort: hihg")
    assert handbook(project, "build").returncode == 1
    assert leftovers(project) == []
    assert tree_digest(project / "site") == before


def test_a_kill_between_the_two_renames_of_the_swap_is_repaired(tmp_path):
    site = tmp_path / "site"
    old = tmp_path / ".site-old-x1y2z3"
    (old / "site").mkdir(parents=True)
    (old / "site" / "index.html").write_text("the previous site")
    (tmp_path / ".site-building-a1b2c3" / "en").mkdir(parents=True)
    staging.remove_leftovers(site)
    assert (site / "index.html").read_text() == "the previous site"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_second_build_waits_for_the_first(project, tmp_path):
    before = tree_digest(project / "site")
    edit(project, SHEET, "effort: medium", "effort: hihg")  # it stops quickly once it runs
    log = tmp_path / "build.log"
    descriptor = os.open(project, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)  # as a running build holds it
        process = start_handbook(project, "build", log=log)
        time.sleep(2)
        assert process.poll() is None, log.read_text()  # waiting, not building or failing
        assert "Waiting for another build (`handbook build` or `mkdocs build`)" in log.read_text()
    finally:
        os.close(descriptor)
    assert process.wait(timeout=60) == 1
    assert "effort: `hihg` is not an allowed value" in log.read_text()
    assert tree_digest(project / "site") == before


# --- mkdocs serve ------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except OSError as error:
        return getattr(error, "code", 0) or 0, ""


def _wait(condition, timeout: float, what: str, log: Path):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.25)
    pytest.fail(f"timed out waiting for {what}:\n{log.read_text()}")


def test_serve_keeps_the_last_good_site_while_the_yaml_is_invalid_and_recovers(project, tmp_path):
    port = _free_port()
    page = f"http://127.0.0.1:{port}/en/handbook/wp1/wp1-01/"
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr",
                                   f"127.0.0.1:{port}"], cwd=project, env=ENV, stdout=out,
                                  stderr=subprocess.STDOUT)
    try:
        _wait(lambda: "Objective of sheet 01." in _fetch(page)[1], 120, "the first build", log)
        sheet = project / SHEET
        good = sheet.read_text(encoding="utf-8")
        sheet.write_text(good.replace("effort: medium", "effort: hihg").replace(
            "Objective of sheet 01.", "Objective, broken."), encoding="utf-8")
        _wait(lambda: "effort: `hihg` is not an allowed value" in log.read_text(), 60,
              "the validator's message", log)
        assert "handbook/sheets/wp1-01.yaml:37:9: effort:" in log.read_text()
        status, html = _fetch(page)
        assert status == 200 and "Objective of sheet 01." in html  # the last good site
        assert "Objective, broken." not in html
        assert server.poll() is None
        sheet.write_text(good.replace("Objective of sheet 01.", "Objective, fixed."),
                         encoding="utf-8")
        _wait(lambda: "Objective, fixed." in _fetch(page)[1], 120, "the recovery", log)
        assert server.poll() is None
        assert "Traceback" not in log.read_text()
    finally:
        server.terminate()
        server.wait(timeout=30)
