"""Render the page plan into `docs/handbook/<page>.<lang>.md` files.

Files are written only when their content changes and stale ones are removed: rewriting every
file on each build would make `mkdocs serve` rebuild forever (it watches `docs/`).
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment

from ..atomic_files import write_atomically
from ..source.content import Content
from ..plan.routes import (CATALOGUES, GENERATED_DIR, PageSpec, catalogue_path, cell_anchor, page_url,
                    target)
from .environment import make_environment, relative_url
from ..printing import documents as checklists
from ..plan import views


def render_pages(content: Content, pages: list[PageSpec],
                 env: Environment | None = None,
                 pdf_sizes: dict[tuple[str, str], int] | None = None) -> dict[str, str]:
    """Relative path under docs/ (e.g. `handbook/wp1/index.fr.md`) → Markdown text.
    `pdf_sizes`: (language, slug) → bytes of the printable checklists, shown beside links."""
    env = env or make_environment()
    out = {}
    for page in pages:
        template = env.get_template(page.template)
        for lang in content.languages:
            out[f"{page.path}.{lang}.md"] = template.render(
                page_context(content, page, lang, pdf_sizes))
    return out


def page_context(content: Content, page: PageSpec, lang: str,
                 pdf_sizes: dict[tuple[str, str], int] | None = None) -> dict:
    def href(kind: str, entry_id: str | int) -> str:
        return relative_url(target(content, kind, entry_id), page.url)

    def link(path: str) -> str:
        """Link to another page of the site by its path, e.g. `about` or `handbook/matrix`."""
        return relative_url(page_url(path), page.url)

    return {
        "lang": lang,
        "c": content,
        "ui": {key: text[lang] for key, text in content.ui.items()},
        "page": page,
        "href": href,
        "link": link,
        "catalogue_pages": [{"kind": kind, "path": catalogue_path(kind), "title_key": key}
                            for kind, (_, key) in CATALOGUES.items()],
        "cell_anchor": cell_anchor,
        "key_entries": lambda ids, kind: views.key_entries([content.sheets[i] for i in ids], kind),
        "sheet_entries": views.sheet_entries,
        "matrix_cells_for": lambda wp: views.matrix_cells_for(content, wp),
        "role_view": lambda: views.role_view(content),
        "cells_by_task": lambda: views.cells_by_task(content),
        "facets": lambda sheet: views.facets(content, sheet),
        "glossary_sorted": lambda: views.glossary_sorted(content, lang),
        "finder_facets": lambda: views.finder_facets(content, lang),
        # printable checklists: links to each document, QR codes (checklists.py)
        **checklists.template_helpers(content, lang, page.url, pdf_sizes),
        **page.data,
    }


def write_tree(root: Path, files: dict[str, str], owned_dir: str = GENERATED_DIR) -> tuple[int, int]:
    """Make `root/owned_dir` hold exactly `files`. Returns (written, removed)."""
    written = removed = 0
    for relative, text in files.items():
        path = root / relative
        data = text.encode("utf-8")
        if path.is_file() and path.read_bytes() == data:
            continue
        write_atomically(path, data)
        written += 1
    wanted = {root / relative for relative in files}
    owned = root / owned_dir
    if owned.is_dir():
        for path in sorted(owned.rglob("*"), reverse=True):
            if path.is_file() and path not in wanted:
                path.unlink()
                removed += 1
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return written, removed
