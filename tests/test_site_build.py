"""The MkDocs build: pages generated from YAML in both languages, strict, and refusing an
invalid Handbook with the validator's messages."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

from support.paths import ROOT
from support.sites import run_mkdocs


def test_mini_site_builds_strictly_in_both_languages(mini_project):
    result = run_mkdocs(mini_project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    site = mini_project / "site"
    for prefix in ("", "en/"):
        for page in ("handbook/wp1/", "handbook/wp1/wp1-01/", "handbook/wp1/wp1-02/", ""):
            assert (site / prefix / page / "index.html").is_file(), prefix + page
    french = (site / "handbook/wp1/wp1-01/index.html").read_text()
    english = (site / "en/handbook/wp1/wp1-01/index.html").read_text()
    assert '<html lang="fr"' in french and "Fiche 01 en français" in french
    assert '<html lang="en"' in english and "Sheet 01 in English" in english
    assert "Fiche 01 en français" not in english


def test_language_switcher_leads_to_the_same_sheet(mini_project):
    assert run_mkdocs(mini_project, "build", "--strict").returncode == 0
    french = (mini_project / "site/handbook/wp1/wp1-01/index.html").read_text()
    english = (mini_project / "site/en/handbook/wp1/wp1-01/index.html").read_text()
    assert re.search(r'href="[./]*en/handbook/wp1/wp1-01/"[^>]*hreflang="en"', french)
    assert re.search(r'href="[./]*handbook/wp1/wp1-01/"[^>]*hreflang="fr"', english)


def test_invalid_handbook_stops_the_build_with_the_validators_messages(mini_project):
    sheet = mini_project / "handbook/sheets/wp1-01.yaml"
    sheet.write_text(sheet.read_text().replace("effort: medium", "effort: hihg"))
    result = run_mkdocs(mini_project, "build", "--strict")
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert "handbook/sheets/wp1-01.yaml:37:9: effort: `hihg` is not an allowed value." in output
    assert "Traceback" not in output
    assert not (mini_project / "site").exists()


def test_generated_pages_are_written_only_when_changed(mini_project):
    assert run_mkdocs(mini_project, "build").returncode == 0
    page = mini_project / "docs/handbook/wp1/wp1-01.fr.md"
    first = page.stat().st_mtime_ns
    assert run_mkdocs(mini_project, "build").returncode == 0
    assert page.stat().st_mtime_ns == first
    stale = mini_project / "docs/handbook/wp1/old.fr.md"
    stale.write_text("# old\n")
    assert run_mkdocs(mini_project, "build").returncode == 0
    assert not stale.exists()


def test_serve_rebuilds_on_a_yaml_change_and_settles(mini_project, tmp_path):
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr",
                                   "127.0.0.1:0"], cwd=mini_project, stdout=out, stderr=out)
    try:
        def builds() -> int:
            return log.read_text().count("Documentation built in")

        def watching() -> bool:
            # Logged once the watcher has its first picture of the files. "Documentation
            # built in" comes before it: an edit made in between is never seen (under load,
            # with the first build's PDFs rendering in the background, that took seconds).
            return "Watching paths for changes" in log.read_text()

        deadline = time.monotonic() + 120
        while not (builds() >= 1 and watching()) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert builds() >= 1 and watching(), log.read_text()
        sheet = mini_project / "handbook/sheets/wp1-01.yaml"
        sheet.write_text(sheet.read_text().replace("Sheet 01 in English", "Sheet 01, edited"))
        while builds() < 2 and time.monotonic() < deadline:
            time.sleep(0.5)
        time.sleep(8)  # long enough for a rebuild loop to show itself
        settled = builds()
        assert 2 <= settled <= 3, log.read_text()
        time.sleep(5)
        assert builds() == settled, "mkdocs serve keeps rebuilding"
        generated = mini_project / "docs/handbook/wp1/wp1-01.en.md"
        assert "Sheet 01, edited" in generated.read_text()
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_real_site_has_every_wp_and_sheet_page_in_both_languages(built_site):
    from faasst_handbook.validation import load_handbook
    content = load_handbook(ROOT / "handbook").content
    for prefix in ("", "en/"):
        for wp in content.work_packages.values():
            assert (built_site / prefix / f"handbook/{wp.id}/index.html").is_file()
            for sheet_id in wp.sheets:
                assert (built_site / prefix / f"handbook/{wp.id}/{sheet_id}/index.html").is_file()


def test_both_languages_have_the_same_pages(built_site):
    def pages(root: Path, skip_en: bool) -> set[str]:
        found = set()
        for path in root.rglob("index.html"):
            relative = path.relative_to(root).as_posix()
            if skip_en and relative.startswith("en/"):
                continue
            found.add(relative)
        return found

    french = pages(built_site, skip_en=True)
    english = pages(built_site / "en", skip_en=False)
    assert french == english
    assert len(french) > 50
