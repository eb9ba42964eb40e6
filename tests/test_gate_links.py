"""Link gate (issue 6): every internal link and #anchor of the built site, both languages,
including links in raw HTML that `mkdocs build --strict` does not see; external links listed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from support.paths import ROOT
from faasst_handbook.checks.link_check import check_site, site_url_from_mkdocs
from support.gates import LANGUAGES


REPORT = ROOT / "test-results" / "links.txt"  # git-ignored; the external links, for review


def test_every_internal_link_and_anchor_of_the_site_resolves(built_site, record_property):
    report = check_site(built_site, site_url_from_mkdocs(ROOT / "mkdocs.yml"))
    counts = report.pages_per_language(LANGUAGES)
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(report.format(LANGUAGES) + "\n", encoding="utf-8")
    record_property("gate:links", {"pages": counts, "internal": report.internal,
                                   "broken": len(report.broken),
                                   "external": len(report.external),
                                   "report": str(REPORT.relative_to(ROOT))})
    assert all(counts[lang] > 0 for lang in LANGUAGES), counts
    assert report.internal > 1000  # the checker did look at the links
    assert report.ok, "broken links:\n" + "\n".join(b.format() for b in report.broken)


def write(folder: Path, relative: str, body: str, lang: str = "fr") -> None:
    path = folder / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
                    f"<title>t</title></head><body>\n{body}\n</body></html>", encoding="utf-8")


def broken_site(folder: Path) -> Path:
    """A tiny site in two languages with one of each kind of broken link."""
    write(folder, "index.html", "\n".join([
        '<h1 id="top-title">Accueil</h1>',
        '<a href="guide/">ok: folder page</a> <a href="guide/#steps">ok: anchor</a>',
        '<a href="#top-title">ok: same page</a> <a href="en/">ok</a> <a href="#">ok</a>',
        '<a href="doc.pdf">ok: file</a> <img src="img/logo.png" alt="">',
        '<a href="https://example.org/x">external</a> <a href="mailto:a@b.fr">ignored</a>',
        '<a href="https://handbook.example.eu/guide/">ok: own address</a>',
        '<a href="missing/">dead: no such page</a>',              # line 8
        '<div><p><a href="guide/#nowhere">dead: anchor</a></p></div>',  # raw HTML, line 9
        '<img src="img/missing.png" alt="dead image">',
        '<a href="https://handbook.example.eu/gone/">dead: own address</a>',
        '<a href="javascript:alert(1)">not allowed</a>',
    ]))
    write(folder, "guide/index.html", '<h2 id="steps">Steps</h2><a href="../">up</a>')
    write(folder, "en/index.html", '<a href="../guide/#steps">ok</a> <a href="../nope.html">dead</a>'
                                   ' <a href="/en/#missing">dead: anchor</a>', lang="en")
    (folder / "doc.pdf").write_bytes(b"%PDF-1.4")
    (folder / "img").mkdir()
    (folder / "img" / "logo.png").write_bytes(b"png")
    return folder


def test_the_link_gate_fails_on_dead_links_and_anchors_even_in_raw_html(tmp_path):
    report = check_site(broken_site(tmp_path / "site"), "https://handbook.example.eu/")
    assert not report.ok
    assert sorted(b.format() for b in report.broken) == sorted([
        "index.html:8: missing/: no such page (the folder has no index.html)",
        "index.html:9: guide/#nowhere: no element with id=\"nowhere\" on guide/index.html",
        "index.html:10: img/missing.png: no such file",
        "index.html:11: https://handbook.example.eu/gone/: no such page (the folder has no "
        "index.html)",
        "index.html:12: javascript:alert(1): `javascript:` links are not allowed",
        "en/index.html:2: ../nope.html: no such file",
        "en/index.html:2: /en/#missing: no element with id=\"missing\" on en/index.html",
    ])
    assert list(report.external) == ["https://example.org/x"]
    assert report.pages_per_language(["fr", "en"]) == {"fr": 2, "en": 1}


def test_check_links_command_exits_1_and_lists_what_is_broken(tmp_path):
    site = broken_site(tmp_path / "site")
    result = subprocess.run([sys.executable, "-m", "faasst_handbook.cli", "check-links",
                             str(site), "--site-url", "https://handbook.example.eu/"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "index.html:9: guide/#nowhere: no element with id=\"nowhere\"" in result.stderr
    assert "https://example.org/x" in result.stderr  # the external links report
    assert "Traceback" not in result.stderr
    (site / "index.html").write_text('<a href="guide/">ok</a>', encoding="utf-8")
    (site / "en" / "index.html").write_text('<a href="../">ok</a>', encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "faasst_handbook.cli", "check-links",
                             str(site)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "broken: 0" in result.stdout
