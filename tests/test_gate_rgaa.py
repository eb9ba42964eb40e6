"""RGAA checks (checks/rgaa.py) on every built page of every language, and on broken pages
to prove each check fails when it should."""

from __future__ import annotations

from pathlib import Path

from faasst_handbook.checks.rgaa import CHECKS, check_site, parsed_site
from support.gates import LANGUAGES, language_of, language_prefix


# --- on the real site ---------------------------------------------------------------------

def test_every_page_meets_the_rgaa_checks(built_site, record_property):
    """All checks in one test: the pages are parsed once (one worker), ~7 s for 250 pages."""
    found = check_site(built_site, LANGUAGES)
    pages = parsed_site(built_site)
    counts = {lang: sum(language_of(p) == lang for p in pages) for lang in LANGUAGES}
    record_property("gate:rgaa", {"pages": counts,
                                  "problems": sum(len(v) for v in found.values())})
    assert all(counts.values()), counts
    report = [f"{name}:\n  " + "\n  ".join(problems) for name, problems in found.items()
              if problems]
    assert not report, "\n".join(report)


def test_site_has_its_accessibility_statement_and_site_map_in_every_language(built_site):
    for lang in LANGUAGES:
        for name in ("accessibility", "site-map"):
            html = (built_site / language_prefix(lang) / name / "index.html").read_text("utf-8")
            assert "<h1" in html and f'lang="{lang}"' in html


# --- the checks fail when the pages are wrong ---------------------------------------------

THEME_PAGE = """<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>t</title>
</head><body><a href="#{skip}" class="md-skip">Skip</a>
<a href="{switch_fr}" hreflang="fr" lang="fr" class="md-select__link">Français</a>
<a href="{switch_en}" hreflang="en" {en_lang} class="md-select__link">English</a>
<article class="md-content__inner"><h1 id="title">T</h1>{body}</article>
<footer class="md-footer"><ul><li><a href="{statement}">Accessibility</a></li>
<li><a href="{prefix}site-map/">Site map</a></li></ul></footer></body></html>"""


def theme_page(folder: Path, page: str, body: str = "", lang: str | None = None, **changes):
    lang = lang or language_of(page)
    depth = page.count("/")
    up = "../" * depth
    mine = page[len(language_prefix(language_of(page))):].removesuffix("index.html")
    values = {"lang": lang, "skip": "title", "switch_fr": up + mine, "switch_en": up + "en/" + mine,
              "en_lang": 'lang="en"', "body": body, "prefix": up + language_prefix(language_of(page)),
              "statement": up + language_prefix(language_of(page)) + "accessibility/"}
    values.update(changes)
    path = folder / page
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(THEME_PAGE.format(**values), encoding="utf-8")


def test_the_rgaa_checks_fail_on_broken_pages(tmp_path):
    site = tmp_path / "site"
    for prefix in ("", "en/"):
        theme_page(site, f"{prefix}accessibility/index.html")
        theme_page(site, f"{prefix}site-map/index.html", body='<a href="../">home</a>'
                   '<a href="../accessibility/">a</a><a href="../guide/">g</a>'
                   '<a href="../site-map/">s</a>')
        theme_page(site, f"{prefix}index.html")
        theme_page(site, f"{prefix}guide/index.html")
    for name, check in CHECKS.items():
        assert check(site, LANGUAGES) == [], name  # the well-formed pages pass every check
    parsed_site.cache_clear()

    theme_page(site, "guide/index.html", lang="en", en_lang="",  # wrong lang, switcher w/o lang
               body='<p><a href="../doc.pdf">PDF</a></p><p><a href="../doc.html">HTML</a></p>',
               skip="nowhere", statement="../about/")
    theme_page(site, "en/index.html", body='<a href="../guide/">French guide</a>')
    (site / "doc.pdf").write_bytes(b"%PDF")
    found = check_site(site, LANGUAGES)
    assert found["lang"] == ["guide/index.html: <html lang='en'>, expected 'fr'"]
    assert found["other-language links"] == [
        "en/index.html: link to guide/index.html (language fr) has hreflang=None lang=None; "
        "both must be 'fr'",
        "guide/index.html: link to en/guide/index.html (language en) has hreflang='en' "
        "lang=None; both must be 'en'"]
    assert found["statement and site map"] == [
        "guide/index.html: the footer does not link to the accessibility statement "
        "(accessibility/)"]
    assert found["pdf"] == ["guide/index.html: the link to doc.pdf has no link to its HTML "
                            "version (doc.html) in the same paragraph or list item"]
    assert found["skip link"] == [
        "guide/index.html: the skip link's target #nowhere is not in the main content"]
