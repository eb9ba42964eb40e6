"""One build path, one site: plain `mkdocs build` publishes what `handbook build` publishes
(security scan, headers and Content-Security-Policy included), and so does ProperDocs (a
maintained MkDocs 1.x line): the escape route if MkDocs stops being usable is one command,
`handbook build --engine properdocs`."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from support.paths import ROOT

# Where the two engines may differ: their name in the generator tag, and nothing else.
_GENERATOR = re.compile(r'<meta name="generator" content="[^"]*">')


def _build(command: list[str], site) -> None:
    result = subprocess.run([sys.executable, "-m", *command, "--site-dir", str(site)], cwd=ROOT,
                            capture_output=True, text=True, timeout=900,
                            env={"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1",
                                 "HOME": str(site.parent),
                                 "HANDBOOK_CACHE_DIR": str(ROOT / ".cache")})
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def mkdocs_site(tmp_path_factory):
    site = tmp_path_factory.mktemp("mkdocs") / "site"
    _build(["mkdocs", "build"], site)
    return site


@pytest.fixture(scope="module")
def properdocs_site(tmp_path_factory):
    pytest.importorskip("properdocs")
    site = tmp_path_factory.mktemp("properdocs") / "site"
    _build(["faasst_handbook.cli", "build", "--engine", "properdocs"], site)
    return site


# Pagefind names its index files after a hash of their bytes, and its parallel indexing does
# not always number the pages in the same order: the same site gives other names. Its files
# are compared by kind and number instead.
_HASHED = re.compile(r"^(pagefind/.*?)[_.][0-9a-f]{7,}(\.[a-z_]+)$")


def _files(site) -> list[str]:
    names = (p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    return sorted(_HASHED.sub(r"\1\2", name) for name in names)


def test_plain_mkdocs_build_publishes_the_same_site(mkdocs_site, built_site):
    assert _files(mkdocs_site) == _files(built_site)
    for name in ("_headers", ".htaccess", "_headers.nginx.conf"):  # scan ran, CSP written
        assert (mkdocs_site / name).read_text() == (built_site / name).read_text(), name
    assert not list(mkdocs_site.parent.glob(".site-building-*"))  # built aside, swapped in


def test_properdocs_builds_the_same_files(properdocs_site, built_site):
    assert _files(properdocs_site) == _files(built_site)


def test_properdocs_builds_the_same_pages(properdocs_site, built_site):
    differing = []
    for page in sorted(built_site.rglob("*.html")):
        relative = page.relative_to(built_site)
        ours = _GENERATOR.sub("", page.read_text(encoding="utf-8"))
        theirs = _GENERATOR.sub("", (properdocs_site / relative).read_text(encoding="utf-8"))
        if ours != theirs:
            differing.append(relative.as_posix())
    assert differing == []


def test_properdocs_publishes_the_same_headers_and_policy(properdocs_site, built_site):
    for name in ("_headers", ".htaccess", "_headers.nginx.conf"):
        assert (properdocs_site / name).read_text() == (built_site / name).read_text(), name
