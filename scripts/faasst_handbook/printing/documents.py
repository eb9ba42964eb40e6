"""Printable checklists: which documents exist, where they go, and their HTML.

For every language of the Handbook: a checklist per method sheet, a pack per WP (cover page,
then its sheets' checklists), the whole training pack, the management-matrix overview and the
capacity-grid form. Each is a standalone, print-ready HTML page (A4 `@page` rules) and a PDF
made by WeasyPrint from that same HTML (see pdf.py). The checklist of a sheet is rendered by
templates/_checklist.html.j2, the fragment the sheet web page and the pack builder use too, so
the site and the printouts cannot disagree.

Layout: `checklists/<slug>.html|.pdf` under each language's root (`/` for the default
language, `/en/` for English), with the stylesheet `checklists/checklists.css` beside them.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

import segno
from jinja2 import Environment
from markupsafe import Markup, escape

from . import pdf
from ..atomic_files import copy_atomically, write_atomically
from ..source.content import Content
from ..plan.routes import GENERATED_DIR, page_url, target
from ..plan import views
from ..render.environment import make_environment

OUTPUT_DIR = "checklists"
TRAINING_PACK = "training-pack"
MATRIX = "management-matrix"
GRID = "capacity-grid"
CHECKLISTS_PAGE = f"{GENERATED_DIR}/checklists"  # the site page listing every document
TEMPLATES = {"sheet": "print/sheet.html.j2", "wp": "print/wp-pack.html.j2",
             "pack": "print/training-pack.html.j2", "matrix": "print/matrix.html.j2",
             "grid": "print/capacity-grid.html.j2"}


@dataclass(frozen=True)
class PrintDocument:
    kind: str  # sheet | wp | pack | matrix | grid
    slug: str  # file name without extension, stable: wp1-01, wp1-pack, training-pack…
    sheets: tuple[str, ...] = ()  # the sheets whose checklists it holds, in order
    wp: str | None = None


def wp_pack_slug(wp_id: str) -> str:
    return f"{wp_id}-pack"


def documents(content: Content) -> list[PrintDocument]:
    """Every printable document (the same list in every language)."""
    docs = [PrintDocument("sheet", sheet_id, (sheet_id,), sheet.wp)
            for sheet_id, sheet in content.sheets.items()]
    docs += [PrintDocument("wp", wp_pack_slug(wp.id), tuple(wp.sheets), wp.id)
             for wp in content.work_packages.values()]
    docs.append(PrintDocument("pack", TRAINING_PACK, tuple(content.sheets)))
    docs.append(PrintDocument("matrix", MATRIX))
    docs.append(PrintDocument("grid", GRID))
    return docs


def online_url(content: Content, lang: str, kind: str, entry_id: str | int = "") -> str:
    """Absolute URL of a page of the site in `lang` (what QR codes point to)."""
    base = content.info.site_url.rstrip("/") + "/"
    if kind == "page":  # a page by its path, e.g. `handbook/matrix`
        path = page_url(str(entry_id))
    else:
        path = target(content, kind, entry_id)
    return base + content.language_root(lang) + path


def short_url(url: str) -> str:
    """The URL as printed under a QR code: without `https://`."""
    return url.split("://", 1)[-1]


@lru_cache(maxsize=1024)
def qr_svg(url: str, label: str) -> Markup:
    """A QR code as inline SVG (scalable, nothing to fetch), named for assistive technology.

    Drawn as one filled path of module runs rather than segno's stroked lines: stroked rows
    leave hairline gaps when rasterised, which can make a printed code hard to scan."""
    code = segno.make(url, error="m")
    border = 4  # the quiet zone the QR standard asks for
    runs = []
    for y, row in enumerate(code.matrix):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                runs.append(f"M{start + border} {y + border}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    size = len(code.matrix) + 2 * border
    return Markup(f'<svg class="hb-qr__code" xmlns="http://www.w3.org/2000/svg" '
                  f'viewBox="0 0 {size} {size}" role="img" aria-label="{escape(label)}">'
                  f'<title>{escape(label)}</title><rect width="{size}" height="{size}" '
                  f'fill="#fff"/><path fill="#000" d="{"".join(runs)}"/></svg>')


def template_helpers(content: Content, lang: str, current_url: str | None = None,
                     pdf_sizes: dict[tuple[str, str], int] | None = None) -> dict:
    """What templates need to show printables: links (relative to the page at `current_url`,
    a directory URL like `handbook/wp1/`; None inside a print document, which sits in the same
    folder as the others), sizes, online URLs and QR codes."""
    ui = {key: text[lang] for key, text in content.ui.items()}

    def file_link(slug: str, extension: str) -> str:
        name = f"{slug}.{extension}"
        if current_url is None:
            return name
        # Relative to the page: the same link works under `/` and under `/en/`.
        return posixpath.relpath(f"{OUTPUT_DIR}/{name}", current_url.rstrip("/") or ".")

    def printable(slug: str) -> dict:
        size = (pdf_sizes or {}).get((lang, slug))
        label = (ui["print_pdf_with_size"].replace("{size}", human_size(size, ui))
                 if size is not None else ui["print_pdf"])
        return {"html": file_link(slug, "html"), "pdf": file_link(slug, "pdf"),
                "pdf_label": label}

    def url(kind: str, entry_id: str | int = "") -> str:
        return online_url(content, lang, kind, entry_id)

    return {
        "printable": printable,
        "wp_pack_slug": wp_pack_slug,
        "print_slugs": {"pack": TRAINING_PACK, "matrix": MATRIX, "grid": GRID},
        "online_url": url,
        "short_url": short_url,
        "qr_svg": lambda link: qr_svg(link, ui["print_qr"].replace("{url}", short_url(link))),
    }


def human_size(size: int, ui: dict[str, str]) -> str:
    if size < 1024 * 1024:
        return ui["size_kb"].replace("{size}", str(max(1, round(size / 1024))))
    megabytes = f"{size / (1024 * 1024):.1f}".replace(".", ui["decimal_mark"])
    return ui["size_mb"].replace("{size}", megabytes)


def document_title(content: Content, doc: PrintDocument, lang: str) -> str:
    ui = content.ui
    if doc.kind == "sheet":
        sheet = content.sheets[doc.slug]
        return f"{doc.slug.upper()} {sheet.title[lang]} · {ui['checklist'][lang]}"
    if doc.kind == "wp":
        wp = content.work_packages[doc.wp]
        return f"WP{wp.number} · {wp.title[lang]} · {ui['print_wp_pack'][lang]}"
    return {"pack": ui["print_training_pack"], "matrix": ui["print_matrix"],
            "grid": ui["print_grid"]}[doc.kind][lang]


def online_page(content: Content, doc: PrintDocument, lang: str) -> str:
    """The page of the site a document stands for (its QR code on covers, its toolbar link)."""
    if doc.kind == "sheet":
        return online_url(content, lang, "sheet", doc.slug)
    if doc.kind == "wp":
        return online_url(content, lang, "wp", doc.wp)
    page = {"pack": CHECKLISTS_PAGE, "matrix": f"{GENERATED_DIR}/matrix",
            "grid": f"{GENERATED_DIR}/capacity-grid"}[doc.kind]
    return online_url(content, lang, "page", page)


def render_html(content: Content, doc: PrintDocument, lang: str,
                env: Environment | None = None) -> str:
    env = env or make_environment()
    context = {
        "lang": lang,
        "c": content,
        "ui": {key: text[lang] for key, text in content.ui.items()},
        "doc": doc,
        "title": document_title(content, doc, lang),
        "online_page": online_page(content, doc, lang),
        "matrix_rows": views.cells_by_task(content),
        **template_helpers(content, lang),
    }
    return env.get_template(TEMPLATES[doc.kind]).render(context)


@dataclass(frozen=True)
class Printed:
    lang: str
    doc: PrintDocument
    title: str
    html: str
    pdf: Path  # in the cache

    @property
    def name(self) -> str:
        return f"{self.lang}/{self.doc.slug}"


@dataclass
class PrintSet:
    items: list[Printed]
    report: pdf.Report

    def sizes(self) -> dict[tuple[str, str], int]:
        return {(item.lang, item.doc.slug): item.pdf.stat().st_size for item in self.items
                if item.pdf.is_file()}

    def for_language(self, lang: str) -> list[Printed]:
        return [item for item in self.items if item.lang == lang]


def build(content: Content, cache_dir: Path, env: Environment | None = None,
          workers: int | None = None,
          progress: Callable[[int, int], None] | None = None) -> PrintSet:
    """Render every document's HTML, and its PDF unless the cache already holds it."""
    env = env or make_environment()
    items = []
    for lang in content.languages:
        for doc in documents(content):
            items.append(Printed(lang, doc, document_title(content, doc, lang),
                                 render_html(content, doc, lang, env), Path()))
    jobs = [pdf.Job(item.name, item.html, item.lang) for item in items]
    report = pdf.render_all(jobs, cache_dir, workers=workers, progress=progress)
    items = [Printed(i.lang, i.doc, i.title, i.html, report.paths[i.name]) for i in items]
    return PrintSet(items, report)


def write(print_set: PrintSet, lang: str, folder: Path) -> int:
    """Write one language's documents (HTML, PDF, stylesheet) into `folder`; returns how
    many files were written. A PDF missing from the cache (cache cleared meanwhile) is
    rendered again."""
    items = print_set.for_language(lang)
    lost = [item for item in items if not item.pdf.is_file()]
    if lost:
        for item in lost:
            item.pdf.parent.mkdir(parents=True, exist_ok=True)
            pdf.render_one(item.html, str(item.pdf))
    folder.mkdir(parents=True, exist_ok=True)
    copy_atomically(pdf.STYLESHEET, folder / pdf.STYLESHEET.name)
    for item in items:
        write_atomically(folder / f"{item.doc.slug}.html", item.html.encode("utf-8"))
        copy_atomically(item.pdf, folder / f"{item.doc.slug}.pdf")
    return 1 + 2 * len(items)
