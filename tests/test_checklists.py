"""Printable checklists (issue 5): what the PDFs and print views hold, where they are linked,
and that unchanged documents are never rendered twice."""

from __future__ import annotations

import os
import re
from html import unescape
import subprocess
import sys
from pathlib import Path

import pytest

from faasst_handbook.plan.contexts import Plan
from faasst_handbook.plan.routes import OUTPUT_DIR, build_routes, page_url, wp_pack_slug
from faasst_handbook.printing import documents as checklists
from faasst_handbook.printing import pdf
from faasst_handbook.publish.finish import fill_pdf_sizes
from faasst_handbook.render import qr
from faasst_handbook.validation import load_handbook

from support.handbooks import HandbookCopy
from support.paths import ROOT

pypdf = pytest.importorskip("pypdf")

A4 = (595.28, 841.89)  # points
PAPERS = {"A4": A4, "A3": (841.89, 1190.55)}


def paper_size(paper: str) -> tuple[float, float]:
    """(width, height) in points of a print route's `paper`: "A4", "A3 landscape"…"""
    name, _, orientation = paper.partition(" ")
    width, height = PAPERS[name]
    return (height, width) if orientation == "landscape" else (width, height)


def plan_of(content) -> Plan:
    return Plan(content, build_routes(content), ROOT / "docs")


@pytest.fixture(scope="module")
def plan():
    result = load_handbook(ROOT / "handbook")
    assert result.ok, result.problems
    return plan_of(result.content)


@pytest.fixture(scope="module")
def content(plan):
    return plan.content


def online(plan: Plan, lang: str, kind: str, entry_id: str) -> str:
    return plan.online_url(lang, plan.routes.url(kind, entry_id))


def language_folder(site: Path, content, lang: str) -> Path:
    return site / content.language_root(lang) / OUTPUT_DIR


def words(text: str) -> str:
    """Text compared word by word: line breaks (after a hyphen too) do not count."""
    return re.sub(r"-\s+", "-", re.sub(r"\s+", " ", text)).strip()


def pdf_text(path: Path) -> str:
    return words(" ".join(page.extract_text() for page in pypdf.PdfReader(path).pages))


# --- the documents of the real site ----------------------------------------------------------

def test_every_document_is_in_the_site_in_every_language(built_site, content, plan):
    for lang in content.languages:
        folder = language_folder(built_site, content, lang)
        assert (folder / "checklists.css").is_file()
        for doc in plan.routes.prints:
            for extension in ("html", "pdf"):
                assert (folder / f"{doc.slug}.{extension}").is_file(), (lang, doc.slug, extension)
    assert (built_site / "checklists" / "wp1-01.pdf").is_file()  # French at /
    assert (built_site / "en" / "checklists" / "wp1-01.pdf").is_file()  # English at /en/


def test_sheet_pdfs_hold_every_checklist_item_in_their_language(built_site, content):
    for lang in content.languages:
        others = [other for other in content.languages if other != lang]
        for sheet_id, sheet in content.sheets.items():
            text = pdf_text(language_folder(built_site, content, lang) / f"{sheet_id}.pdf")
            assert words(sheet.title[lang]) in text, (lang, sheet_id)
            for item in sheet.checklist:
                item = item.text
                assert words(item[lang]) in text, (lang, sheet_id, item[lang])
                for other in others:
                    if item[other] != item[lang]:
                        assert words(item[other]) not in text, (lang, sheet_id, item[other])


def test_packs_hold_the_checklists_of_their_sheets(built_site, content):
    for lang in content.languages:
        folder = language_folder(built_site, content, lang)
        for wp in list(content.work_packages.values())[:2]:
            text = pdf_text(folder / f"{wp_pack_slug(wp.id)}.pdf")
            assert words(wp.title[lang]) in text
            for sheet_id in wp.sheets:
                assert words(content.sheets[sheet_id].checklist[-1].text[lang]) in text, sheet_id


def test_pdfs_have_their_paper_size_are_tagged_and_in_their_language(built_site, content, plan):
    for lang in content.languages:
        for doc in plan.routes.prints:
            path = language_folder(built_site, content, lang) / f"{doc.slug}.pdf"
            reader = pypdf.PdfReader(path)
            catalog = reader.trailer["/Root"]
            assert catalog["/Lang"] == lang, path
            assert catalog["/MarkInfo"]["/Marked"], path  # tagged PDF
            assert "/StructTreeRoot" in catalog, path
            assert reader.metadata.title, path
            for page in reader.pages:  # A4 portrait unless the route says otherwise
                size = (float(page.mediabox.width), float(page.mediabox.height))
                assert size == pytest.approx(paper_size(doc.paper), abs=0.5), (path, size)


def test_sheet_checkboxes_are_fillable_pdf_fields(built_site, content):
    for lang in content.languages:
        for sheet_id, sheet in list(content.sheets.items())[:6]:
            path = language_folder(built_site, content, lang) / f"{sheet_id}.pdf"
            fields = pypdf.PdfReader(path).get_fields() or {}
            boxes = [name for name in fields if name.startswith(f"check-{sheet_id}-")]
            assert len(boxes) == len(sheet.checklist), (path, sorted(fields))


def decode_qr_codes(path: Path, page: int = 0) -> list[str]:
    pdfium = pytest.importorskip("pypdfium2")
    zxingcpp = pytest.importorskip("zxingcpp")
    document = pdfium.PdfDocument(str(path))
    try:
        image = document[page].render(scale=150 / 72).to_pil()
    finally:
        document.close()
    return [result.text for result in zxingcpp.read_barcodes(image)]


def site_page_for(built_site: Path, url: str, content) -> Path:
    base = content.info.site_url.rstrip("/") + "/"
    assert url.startswith(base), url
    return built_site / url[len(base):] / "index.html"


def test_qr_codes_lead_to_the_online_sheet_in_the_same_language(built_site, content, plan):
    """Decoded from the rendered page: one sheet per WP, and each WP pack's cover."""
    for lang in content.languages:
        folder = language_folder(built_site, content, lang)
        for wp in content.work_packages.values():
            sheet_id = wp.sheets[-1]
            expected = online(plan, lang, "sheet", sheet_id)
            assert decode_qr_codes(folder / f"{sheet_id}.pdf") == [expected], (lang, sheet_id)
            assert site_page_for(built_site, expected, content).is_file(), expected
            cover = folder / f"{wp_pack_slug(wp.id)}.pdf"
            wp_url = online(plan, lang, "wp", wp.id)
            assert decode_qr_codes(cover) == [wp_url], (lang, wp.id)
            assert site_page_for(built_site, wp_url, content).is_file(), wp_url
        prefix = "" if lang == content.default_language else f"{lang}/"
        assert expected.startswith(f"{content.info.site_url}{prefix}handbook/")


def test_print_views_are_the_pdfs_source(built_site, content):
    """The HTML beside each PDF is the document it was made from (the PDF is the cache entry
    keyed on those very bytes): same title, labelled boxes, the document's language, nothing
    executable."""
    fixed = pdf.fixed_inputs_digest()
    for lang in content.languages:
        folder = language_folder(built_site, content, lang)
        for sheet_id, sheet in list(content.sheets.items())[:6]:
            html = (folder / f"{sheet_id}.html").read_text(encoding="utf-8")
            key = pdf.cache_key(pdf.Job(sheet_id, html, lang), fixed)
            cached = pdf.cache_dir(ROOT) / f"{key}.pdf"
            assert cached.read_bytes() == (folder / f"{sheet_id}.pdf").read_bytes(), sheet_id
            title = re.search(r"<title>(.*?)</title>", html).group(1)
            assert pypdf.PdfReader(folder / f"{sheet_id}.pdf").metadata.title == unescape(title)
            assert f'<html lang="{lang}">' in html
            ids = re.findall(r'<input type="checkbox" id="([^"]+)"', html)
            assert len(ids) == len(sheet.checklist) and len(set(ids)) == len(ids)
            for box in ids:
                assert f'<label for="{box}">' in html
            # one script, beside it: the print button's (WeasyPrint runs none)
            assert re.findall(r"<script[^>]*>", html) == ['<script src="checklists.js" defer>']
            assert not re.search(r"\son[a-z]+=", html)
            assert '<link rel="stylesheet" href="checklists.css">' in html


def links(html: str) -> list[str]:
    return re.findall(r'<a [^>]*href="([^"]+)"', html)


def test_sheet_and_wp_pages_offer_their_checklists(built_site, content):
    for lang in content.languages:
        root = built_site / content.language_root(lang)
        for wp in content.work_packages.values():
            pages = {wp_pack_slug(wp.id): root / page_url(f"handbook/{wp.id}/index")}
            pages.update({sheet_id: root / f"handbook/{wp.id}/{sheet_id}"
                          for sheet_id in wp.sheets})
            for slug, folder in pages.items():
                html = (folder / "index.html").read_text(encoding="utf-8")
                block = re.search(r'<p class="hb-print-links"[^>]*>.*?</p>', html, re.S)
                assert block, folder
                hrefs = links(block.group(0))
                assert [Path(h).name for h in hrefs] == [f"{slug}.html", f"{slug}.pdf"]
                for href in hrefs:
                    assert not href.startswith(("/", "http")), href  # works under / and /en/
                    assert (folder / href).resolve().is_file(), (folder, href)


def test_every_pdf_link_has_its_html_equivalent(built_site):
    """RGAA: a downloadable PDF comes with an accessible alternative, here the print view."""
    checked = 0
    for page in built_site.rglob("index.html"):
        html = page.read_text(encoding="utf-8")
        hrefs = links(html)
        for href in hrefs:
            if href.endswith(".pdf"):
                assert href[:-len("pdf")] + "html" in hrefs, (page, href)
                assert (page.parent / href).resolve().is_file(), (page, href)
                checked += 1
    assert checked > 200


def test_the_checklists_page_lists_every_document_with_its_size(built_site, content, plan):
    for lang in content.languages:
        root = built_site / content.language_root(lang)
        page = root / "handbook/checklists/index.html"
        html = page.read_text(encoding="utf-8")
        targets = {Path(href).name for href in links(html)}
        for doc in plan.routes.prints:
            assert {f"{doc.slug}.html", f"{doc.slug}.pdf"} <= targets, (lang, doc.slug)
        units = {"fr": "Ko|Mo", "en": "KB|MB"}[lang]
        sizes = re.findall(rf'PDF<span class="hb-pdf-size" data-pdf="[a-z0-9-]+">, '
                           rf"[0-9][0-9,.]* (?:{units})</span>", html)
        assert len(sizes) == len(plan.routes.prints), lang


# --- the cache -----------------------------------------------------------------------------

def add_second_wp(mini: HandbookCopy) -> None:
    """A second WP with one sheet, so that some pack does not contain wp1-01."""
    mini.write("work-packages/wp2.yaml", mini.read("work-packages/wp1.yaml")
               .replace("id: wp1", "id: wp2").replace("number: 1", "number: 2")
               .replace("sheets: [wp1-01, wp1-02]", "sheets: [wp2-01]"))
    mini.write("sheets/wp2-01.yaml", mini.read("sheets/wp1-01.yaml")
               .replace("id: wp1-01", "id: wp2-01").replace("wp: wp1", "wp: wp2"))
    mini.replace("handbook.yaml", "work_packages: [wp1]", "work_packages: [wp1, wp2]")


def test_unchanged_documents_are_not_rendered_again(mini, tmp_path):
    add_second_wp(mini)
    cache = tmp_path / "cache"

    def build():
        result = mini.load()
        assert result.ok, result.problems
        return checklists.build(plan_of(result.content), cache, workers=2)

    first = build()
    # 3 sheets, 2 WP packs, pack, matrix poster and its A4 version, grid
    assert len(first.report.rendered) == 2 * 9
    assert build().report.rendered == []  # nothing changed: nothing rendered

    mini.replace("sheets/wp1-01.yaml", '{fr: "Point trois 01.", en: "Item three 01."}',
                 '{fr: "Point trois 01, revu.", en: "Item three 01."}')
    assert sorted(build().report.rendered) == ["fr/training-pack", "fr/wp1-01", "fr/wp1-pack"]

    mini.replace("sheets/wp1-01.yaml", "Item three 01.", "Item three 01, revised.")
    again = build()
    assert sorted(again.report.rendered) == ["en/training-pack", "en/wp1-01", "en/wp1-pack"]
    assert len(again.report.reused) == 2 * 9 - 3
    text = pdf_text(next(i.pdf for i in again.items if i.name == "en/wp1-01"))
    assert "Item three 01, revised." in text


def test_an_interrupted_render_leaves_no_partial_pdf(tmp_path, monkeypatch):
    import weasyprint

    def crash(self, target=None, **options):
        target.write(b"%PDF-1.7 half a document")
        raise KeyboardInterrupt

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", crash)
    target = tmp_path / "doc.pdf"
    with pytest.raises(KeyboardInterrupt):
        pdf.render_one('<html lang="en"><title>x</title><p>x</p></html>', str(target))
    assert list(tmp_path.iterdir()) == []


def test_print_documents_cannot_load_anything_but_their_stylesheet(tmp_path):
    secret = tmp_path / "secret.css"
    secret.write_text("p { color: red }")
    html = f'<html lang="en"><link rel="stylesheet" href="{secret.as_uri()}"><p>x</p></html>'
    with pytest.raises(BaseException, match="secret.css"):  # WeasyPrint's fatal fetch error
        pdf.render_one(html, str(tmp_path / "doc.pdf"))
    assert not (tmp_path / "doc.pdf").exists()


def test_qr_codes_and_links_are_language_specific(mini):
    plan = plan_of(mini.load().content)
    assert online(plan, "fr", "sheet", "wp1-01") == "https://example.org/handbook/handbook/wp1/wp1-01/"
    assert online(plan, "en", "sheet", "wp1-01") == \
        "https://example.org/handbook/en/handbook/wp1/wp1-01/"
    svg = qr.svg("https://example.org/a", 'QR "code" <x>')
    assert 'role="img"' in svg and 'aria-label="QR &#34;code&#34; &lt;x&gt;"' in svg


def test_pdf_sizes_are_written_beside_their_links_in_the_page_language(mini, tmp_path, plan):
    plan = plan_of(mini.load().content)
    site = tmp_path / "site"
    span = '<a href="x.pdf">PDF<span class="hb-pdf-size" data-pdf="{slug}"></span></a>'
    (site / "handbook").mkdir(parents=True)
    (site / "en" / "handbook").mkdir(parents=True)
    (site / "handbook" / "index.html").write_text(span.format(slug="wp1-pack"))
    (site / "en" / "handbook" / "index.html").write_text(span.format(slug="wp1-01"))

    class Printed:
        @staticmethod
        def sizes():
            return {("fr", "wp1-pack"): 2_500_000, ("en", "wp1-01"): 150_000}

    class Generation:
        content, printed, workfiles = plan.content, Printed, None

    assert fill_pdf_sizes(site, Generation) == 2
    assert (site / "handbook" / "index.html").read_text() == span.format(
        slug="wp1-pack").replace("></span>", ">, 2,4 Mo</span>")
    assert (site / "en" / "handbook" / "index.html").read_text() == span.format(
        slug="wp1-01").replace("></span>", ">, 146 KB</span>")


# --- the site build and the command --------------------------------------------------------

def run(command: list[str], cwd: Path, cache: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "HANDBOOK_CACHE_DIR": str(cache)}
    return subprocess.run([sys.executable, *command], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


def test_site_build_puts_the_documents_in_each_language_and_reuses_the_cache(mini_project,
                                                                             tmp_path):
    cache = tmp_path / "cache"
    first = run(["-m", "mkdocs", "build", "--strict"], mini_project, cache)
    assert first.returncode == 0, first.stderr
    assert "Printable checklists: 14 PDFs rendered, 0 reused" in first.stderr
    site = mini_project / "site"
    for prefix in ("", "en/"):
        for name in ("wp1-01.html", "wp1-01.pdf", "wp1-pack.pdf", "training-pack.pdf",
                     "management-matrix.pdf", "management-matrix-a4.pdf", "capacity-grid.pdf",
                     "checklists.css"):
            assert (site / prefix / "checklists" / name).is_file(), prefix + name
    english = pypdf.PdfReader(site / "en/checklists/wp1-01.pdf")
    assert english.trailer["/Root"]["/Lang"] == "en"
    assert "Sheet 01 in English" in pdf_text(site / "en/checklists/wp1-01.pdf")
    assert "Fiche 01 en français" in pdf_text(site / "checklists/wp1-01.pdf")

    second = run(["-m", "mkdocs", "build", "--strict"], mini_project, cache)
    assert second.returncode == 0, second.stderr
    assert "Printable checklists: 0 PDFs rendered, 14 reused" in second.stderr
    published = (site / "en/checklists/wp1-01.pdf").read_bytes()
    assert any(cached.read_bytes() == published
               for cached in (cache / "checklists").glob("*.pdf"))


def test_handbook_checklists_command_renders_into_a_folder(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    (project / "mkdocs.yml").write_text("site_name: x\n")
    HandbookCopy(project / "handbook")
    result = run(["-m", "faasst_handbook.cli", "checklists", "--out", "printed"], project,
                 tmp_path / "cache")
    assert result.returncode == 0, result.stderr
    assert "14 documents (fr, en) in printed/: 14 PDFs rendered, 0 reused" in result.stdout
    assert "\r" not in result.stderr  # no progress counter when not on a terminal
    for lang in ("fr", "en"):
        assert (project / "printed" / lang / "wp1-01.pdf").is_file()
        assert (project / "printed" / lang / "checklists.css").is_file()
    again = run(["-m", "faasst_handbook.cli", "checklists", "--out", "printed"], project,
                tmp_path / "cache")
    assert "0 PDFs rendered, 14 reused" in again.stdout


def test_handbook_checklists_refuses_an_invalid_handbook(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    (project / "mkdocs.yml").write_text("site_name: x\n")
    mini = HandbookCopy(project / "handbook")
    mini.replace("sheets/wp1-01.yaml", "effort: medium", "effort: hihg")
    result = run(["-m", "faasst_handbook.cli", "checklists"], project, tmp_path / "cache")
    assert result.returncode == 1
    assert "wp1-01.yaml" in result.stderr and "Traceback" not in result.stderr
    assert not (project / "build").exists()
