"""Printable documents: their HTML (from the route table's print routes), their PDFs (pdf.py),
and copying them into a folder.

For every language: a checklist per method sheet, a pack per WP (cover page, then its
sheets' checklists), the whole training pack, the management-matrix overview and the
capacity-grid form. Each is a standalone, print-ready HTML page (A4 `@page` rules) and a PDF
made by WeasyPrint from that same HTML. The checklist of a sheet is rendered by
templates/_checklist.html.j2, the fragment the sheet web page and the pack builder use too,
so the site and the printouts cannot disagree.

Layout: `checklists/<slug>.html|.pdf` under each language's root (`/` for the default
language, `/en/` for English), with the stylesheet `checklists/checklists.css` beside them
(and `pack-print.css`, its copy scoped to the pack builder's pack), the print button's
`checklists.js` and the icon `favicon.svg`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment

from ..atomic_files import copy_atomically, write_atomically
from ..plan.contexts import Plan, print_context
from ..plan.routes import PACK_PRINT_CSS, PrintRoute
from ..render.environment import make_environment
from . import pdf, stylesheets


# Beside the documents, in the same folder, so that a print view works wherever the folder is
# (the site, `handbook checklists` output, a USB stick): its stylesheet, the script of its print
# button (WeasyPrint runs no script: the PDFs do not change) and its icon.
SUPPORT_FILES = (pdf.STYLESHEET.name, "checklists.js", "favicon.svg")


@dataclass(frozen=True)
class Printed:
    lang: str
    doc: PrintRoute
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
        """(language, slug) → bytes of each PDF that exists."""
        return {(item.lang, item.doc.slug): item.pdf.stat().st_size for item in self.items
                if item.pdf.is_file()}

    def for_language(self, lang: str) -> list[Printed]:
        return [item for item in self.items if item.lang == lang]


def render_html(plan: Plan, doc: PrintRoute, lang: str, env: Environment | None = None) -> str:
    env = env or make_environment()
    return env.get_template(doc.template).render(print_context(plan, doc, lang))


def render_documents(plan: Plan, env: Environment | None = None) -> list[tuple[str, PrintRoute, str]]:
    """(language, document, HTML) for every print document."""
    env = env or make_environment()
    return [(lang, doc, render_html(plan, doc, lang, env))
            for lang in plan.content.languages for doc in plan.routes.prints]


def build(plan: Plan, cache_dir: Path, env: Environment | None = None,
          workers: int | None = None,
          progress: Callable[[int, int], None] | None = None,
          render_pdfs: bool = True, low_priority: bool = False) -> PrintSet:
    """Render every document's HTML, and its PDF unless the cache already holds it (or
    `render_pdfs` is false: the PDFs the cache lacks are then listed in report.missing).
    `low_priority`: the PDFs render at a low CPU priority (behind a preview's rebuilds)."""
    documents = render_documents(plan, env)
    jobs = [pdf.Job(f"{lang}/{doc.slug}", html, lang) for lang, doc, html in documents]
    report = pdf.render_all(jobs, cache_dir, workers=workers, progress=progress,
                            render=render_pdfs, low_priority=low_priority)
    items = [Printed(lang, doc, html, report.paths[f"{lang}/{doc.slug}"])
             for lang, doc, html in documents]
    return PrintSet(items, report)


def write(print_set: PrintSet, lang: str, folder: Path, render_missing: bool = True) -> int:
    """Write one language's documents (HTML, PDF, stylesheet) into `folder`; returns how
    many files were written. A PDF missing from the cache (cache cleared meanwhile) is
    rendered again — or left out with `render_missing=False` (a preview: it comes later)."""
    items = print_set.for_language(lang)
    for item in items:
        if not item.pdf.is_file() and render_missing:
            item.pdf.parent.mkdir(parents=True, exist_ok=True)
            pdf.render_one(item.html, str(item.pdf))
    folder.mkdir(parents=True, exist_ok=True)
    for name in SUPPORT_FILES:  # the stylesheet, the print button's script, the icon
        copy_atomically(pdf.PRINT_TEMPLATES / name, folder / name)
    # The pack builder prints with the same rules, scoped to its pack (stylesheets.py).
    write_atomically(folder / Path(PACK_PRINT_CSS).name,
                     stylesheets.scoped(pdf.STYLESHEET.read_text(encoding="utf-8")).encode())
    written = len(SUPPORT_FILES) + 1
    for item in items:
        write_atomically(folder / f"{item.doc.slug}.html", item.html.encode("utf-8"))
        written += 1
        if item.pdf.is_file():
            copy_atomically(item.pdf, folder / f"{item.doc.slug}.pdf")
            written += 1
    return written


def human_size(size: int, ui: dict[str, str]) -> str:
    """`120 Ko` / `1,2 Mo` in the interface's words and decimal mark."""
    if size < 1024 * 1024:
        return ui["size_kb"].replace("{size}", str(max(1, round(size / 1024))))
    megabytes = f"{size / (1024 * 1024):.1f}".replace(".", ui["decimal_mark"])
    return ui["size_mb"].replace("{size}", megabytes)
