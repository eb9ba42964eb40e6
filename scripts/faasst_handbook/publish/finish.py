"""The last steps of every build, after the engine has written the pages, whatever the engine:
the print documents and the working files, the PDF and file sizes on the pages, each
language's 404 page, the per-language search data, the security scan, and the server
configuration with its Content-Security-Policy.

A site that fails the scan is refused (SiteRefused): the build stops and, since the site was
built in a temporary folder (staging.py), the published site stays as it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..atomic_files import write_atomically
from ..checks import security_scan
from ..pipeline import Generation
from ..plan.routes import OUTPUT_DIR
from ..printing import documents, workfiles
from . import hosting, search


class SiteRefused(Exception):
    """The built site must not be published; the message says why and what to do."""


@dataclass
class Finished:
    scanned: int
    script_hashes: int
    search: dict[str, int]


_PDF_SIZE = re.compile(r'(<span class="hb-pdf-size" data-pdf="([a-z0-9-]+)">)(</span>)')
_FILE_SIZE = re.compile(r'(<span class="hb-file-size" data-file="([a-z0-9/.-]+)">)(</span>)')


def finish_site(site_dir: Path, generation: Generation, not_found_pages: dict[str, str],
                theme_dirs: list[Path]) -> Finished:
    site_dir = Path(site_dir)
    content = generation.content
    printed = generation.printed
    for lang in content.languages:
        root = site_dir / content.language_root(lang)
        if printed is not None:
            documents.write(printed, lang, root / OUTPUT_DIR)
        if generation.workfiles is not None:
            workfiles.write(generation.workfiles, lang, root)
        if lang in not_found_pages:
            write_atomically(root / "404.html", not_found_pages[lang].encode("utf-8"))
    fill_pdf_sizes(site_dir, generation)
    scan = security_scan.scan_site(site_dir, theme_dirs)
    if not scan.ok:
        raise SiteRefused(
            "The built site contains code that could run in readers' browsers (listed below); "
            "it was not published. Content is escaped and checked before this point, so this "
            "is a bug in a template, a theme override or a hand-written page: fix it there.\n"
            + scan.report())
    counts = search.build_search(site_dir, generation)  # after the scan: it reads the pages
    hosting.write_server_config(site_dir, scan.script_hashes)
    return Finished(scan.files, len(scan.script_hashes), counts)


def fill_pdf_sizes(site_dir: Path, generation: Generation) -> int:
    """Write each PDF's and working file's size beside its links (", 120 Ko"): the pages are
    rendered before the PDFs and working files are. Returns the number of pages changed."""
    content = generation.content
    sizes = generation.printed.sizes() if generation.printed is not None else {}
    file_sizes = generation.workfiles.sizes() if generation.workfiles is not None else {}
    others = [lang for lang in content.languages if lang != content.default_language]
    changed = 0
    for page in site_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if 'class="hb-pdf-size"' not in text and 'class="hb-file-size"' not in text:
            continue
        first = page.relative_to(site_dir).parts[0]
        lang = first if first in others else content.default_language
        ui = {key: value[lang] for key, value in content.ui.items()}

        def filler(known: dict[tuple[str, str], int]):
            def size(match: re.Match) -> str:
                found = known.get((lang, match.group(2)))
                if found is None:
                    return match.group(0)
                words = ui["pdf_size"].replace("{size}", documents.human_size(found, ui))
                return match.group(1) + words + match.group(3)
            return size

        new = _FILE_SIZE.sub(filler(file_sizes), _PDF_SIZE.sub(filler(sizes), text))
        if new != text:
            write_atomically(page, new.encode("utf-8"))
            changed += 1
    return changed
