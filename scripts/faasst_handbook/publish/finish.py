"""The last steps of every build, after the engine has written the pages, whatever the engine:
the print documents, the PDF sizes on the pages, each language's 404 page, the per-language
search data, the security scan, and the server configuration with its Content-Security-Policy.

A site that fails the scan is refused (SiteRefused): the build stops and, since the site was
built in a temporary folder (staging.py), the published site stays as it was.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

from ..atomic_files import write_atomically
from ..checks import security_scan
from ..pipeline import Generation
from ..plan.routes import OPEN_DATA, OUTPUT_DIR, page_url
from ..printing import documents
from . import hosting, open_data, search


class SiteRefused(Exception):
    """The built site must not be published; the message says why and what to do."""


@dataclass
class Finished:
    scanned: int
    script_hashes: int
    search: dict[str, int]
    open_data_files: int = 0
    open_data_seconds: float = 0.0


_PDF_SIZE = re.compile(r'(<span class="hb-pdf-size" data-pdf="([a-z0-9-]+)">)(</span>)')


def finish_site(site_dir: Path, generation: Generation, not_found_pages: dict[str, str],
                theme_dirs: list[Path]) -> Finished:
    site_dir = Path(site_dir)
    content = generation.content
    printed = generation.printed
    for lang in content.languages:
        root = site_dir / content.language_root(lang)
        if printed is not None:
            documents.write(printed, lang, root / OUTPUT_DIR)
        if lang in not_found_pages:
            write_atomically(root / "404.html", not_found_pages[lang].encode("utf-8"))
    fill_pdf_sizes(site_dir, generation)
    started = time.perf_counter()
    data = open_data.build(generation.plan)
    open_data.write(site_dir, data)
    fill_data_sizes(site_dir, generation, data.sizes())
    data_seconds = time.perf_counter() - started
    scan = security_scan.scan_site(site_dir, theme_dirs)
    if not scan.ok:
        raise SiteRefused(
            "The built site contains code that could run in readers' browsers (listed below); "
            "it was not published. Content is escaped and checked before this point, so this "
            "is a bug in a template, a theme override or a hand-written page: fix it there.\n"
            + scan.report())
    counts = search.build_search(site_dir, generation)  # after the scan: it reads the pages
    hosting.write_server_config(site_dir, scan.script_hashes)
    return Finished(scan.files, len(scan.script_hashes), counts, len(data.files), data_seconds)


_DATA_SIZE = re.compile(r'(<span class="hb-data-size" data-file="([a-z0-9.-]+)">)(</span>)')


def fill_data_sizes(site_dir: Path, generation: Generation, sizes: dict[str, int]) -> None:
    """Each data file's size on the open-data page of each language (written after the
    pages, like the PDFs)."""
    content = generation.content
    for lang in content.languages:
        page = site_dir / content.language_root(lang) / page_url(OPEN_DATA) / "index.html"
        if not page.is_file():
            continue
        ui = {key: value[lang] for key, value in content.ui.items()}
        text = page.read_text(encoding="utf-8")

        def size(match: re.Match) -> str:
            found = sizes.get(match.group(2))
            shown = documents.human_size(found, ui) if found is not None else ""
            return match.group(1) + shown + match.group(3)

        write_atomically(page, _DATA_SIZE.sub(size, text).encode("utf-8"))


def fill_pdf_sizes(site_dir: Path, generation: Generation) -> int:
    """Write each PDF's size beside its links (", 120 Ko"): the pages are rendered before the
    PDFs are. Returns the number of pages changed."""
    content = generation.content
    sizes = generation.printed.sizes() if generation.printed is not None else {}
    others = [lang for lang in content.languages if lang != content.default_language]
    changed = 0
    for page in site_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if 'class="hb-pdf-size"' not in text:
            continue
        first = page.relative_to(site_dir).parts[0]
        lang = first if first in others else content.default_language
        ui = {key: value[lang] for key, value in content.ui.items()}

        def size(match: re.Match) -> str:
            found = sizes.get((lang, match.group(2)))
            if found is None:
                return match.group(0)
            words = ui["pdf_size"].replace("{size}", documents.human_size(found, ui))
            return match.group(1) + words + match.group(3)

        new = _PDF_SIZE.sub(size, text)
        if new != text:
            write_atomically(page, new.encode("utf-8"))
            changed += 1
    return changed
