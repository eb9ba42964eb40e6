"""The last steps of every build, after the engine has written the pages, whatever the engine:
the print documents and the working files, the PDF and file sizes on the pages, each
language's 404 page, the JSON Schema of the self-assessment's answers file, the redirect pages
at the old addresses of sheets, the Atom feed of the change notes, a sitemap in each
language's folder, the open data (data/), the per-language search data, the security scan,
and the server configuration with its Content-Security-Policy. The offline copy (offline.py)
gets its own search data and no server configuration.

A site that fails the scan is refused (SiteRefused): the build stops and, since the site was
built in a temporary folder (staging.py), the published site stays as it was.
"""

from __future__ import annotations

import concurrent.futures
import json
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ..atomic_files import write_atomically
from ..checks import security_scan
from ..pipeline import Generation
from ..plan import assessment
from ..plan.routes import OPEN_DATA, OUTPUT_DIR, page_url
from ..printing import documents, workfiles
from . import feed, hosting, offline, open_data, redirects, search


class SiteRefused(Exception):
    """The built site must not be published; the message says why and what to do."""


@dataclass
class Finished:
    scanned: int
    script_hashes: int
    search: dict[str, int]
    redirects: int = 0
    open_data_files: int = 0
    open_data_seconds: float = 0.0


_PDF_SIZE = re.compile(r'(<span class="hb-pdf-size" data-pdf="([a-z0-9-]+)">)(</span>)')
_FILE_SIZE = re.compile(r'(<span class="hb-file-size" data-file="([a-z0-9/.-]+)">)(</span>)')


def finish_site(site_dir: Path, generation: Generation, not_found_pages: dict[str, str],
                theme_dirs: list[Path], render_missing_pdfs: bool = True,
                preview: bool = False, offline_copy: bool = False) -> Finished:
    """`preview` (`mkdocs serve`): the steps a reader of the preview sees, without the
    publishing gates (the scan, the server's headers) and with the search index built by the
    caller after the pages are served (search.build_search). `offline_copy`: the copy read
    from disk (publish/offline.py), with Material's search instead of Pagefind."""
    site_dir = Path(site_dir)
    content = generation.content
    printed = generation.printed
    for lang in content.languages:
        root = site_dir / content.language_root(lang)
        if printed is not None:
            documents.write(printed, lang, root / OUTPUT_DIR, render_missing_pdfs)
        if generation.workfiles is not None:
            workfiles.write(generation.workfiles, lang, root)
        if lang in not_found_pages and not offline_copy:
            write_atomically(root / "404.html", not_found_pages[lang].encode("utf-8"))
    fill_pdf_sizes(site_dir, generation)
    write_assessment_schema(site_dir, content.info.site_url)
    moved = redirects.write_redirects(site_dir, generation.plan)  # before the scan and search
    feed.write_feeds(site_dir, generation.plan)
    if not offline_copy:  # the offline copy has no sitemap (offline.finish_offline_copy)
        write_language_sitemaps(site_dir, content)
    if preview:
        return Finished(0, 0, {"pages": 0, "entries": 0}, moved)
    started = time.perf_counter()
    data = open_data.build(generation.plan)
    open_data.write(site_dir, data)
    fill_data_sizes(site_dir, generation, data.sizes())
    data_seconds = time.perf_counter() - started
    if offline_copy:
        scan = security_scan.scan_site(site_dir, theme_dirs)
        _refuse_unless_ok(scan, site_dir)
        # After the scan, which checked the search index these are made from.
        return Finished(scan.files, len(scan.script_hashes),
                        offline.finish_offline_copy(site_dir, content), moved, len(data.files),
                        data_seconds)
    # The search index (Pagefind: its own process, several threads) is built while this
    # process scans the pages: both only read them. It is written into the site only if the
    # scan passes.
    indexing = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    counts = indexing.submit(search.build_search, site_dir, generation)
    try:
        scan = security_scan.scan_site(site_dir, theme_dirs)
        indexed = counts.result()
    finally:
        indexing.shutdown(wait=True)
    _refuse_unless_ok(scan, site_dir)
    hosting.write_server_config(site_dir, scan.script_hashes,
                                [content.language_root(lang) for lang in content.languages],
                                urlsplit(content.info.site_url).path or "/")
    return Finished(scan.files, len(scan.script_hashes), indexed, moved, len(data.files),
                    data_seconds)


def _refuse_unless_ok(scan, site_dir: Path) -> None:
    if scan.ok:
        return
    shutil.rmtree(site_dir / search.BUNDLE_DIR, ignore_errors=True)
    raise SiteRefused(
        "The built site contains code that could run in readers' browsers (listed below); "
        "it was not published. Content is escaped and checked before this point, so this "
        "is a bug in a template, a theme override or a hand-written page: fix it there.\n"
        + scan.report())


_SITEMAP_URL = re.compile(r"[ \t]*<url>.*?</url>\n?", re.S)
_SITEMAP_LOC = re.compile(r"<loc>([^<]*)</loc>")


def write_language_sitemaps(site_dir: Path, content) -> list[Path]:
    """`en/sitemap.xml` beside `sitemap.xml`: the pages of each language that has a folder.

    The theme's script fetches `sitemap.xml` next to every `<link rel="alternate">` of a
    page (it expects each language to be a site of its own), and the What's new page
    announces its feed, `en/feed.xml`, with one: without this file, that page's English
    version asked for a missing `en/sitemap.xml` on every visit. The site-wide sitemap
    (mkdocs-static-i18n's, with every language's alternates) stays the one to submit."""
    site_dir = Path(site_dir)
    source = site_dir / "sitemap.xml"
    if not source.is_file():
        return []
    text = source.read_text(encoding="utf-8")
    entries = list(_SITEMAP_URL.finditer(text))
    if not entries:
        return []
    head, tail = text[:entries[0].start()], text[entries[-1].end():]
    mount = urlsplit(content.info.site_url).path or "/"
    written = []
    for lang in content.languages:
        root = content.language_root(lang)
        if not root:
            continue
        prefix = mount.rstrip("/") + "/" + root
        kept = [entry.group(0) for entry in entries
                if (loc := _SITEMAP_LOC.search(entry.group(0)))
                and urlsplit(loc.group(1).strip()).path.startswith(prefix)]
        path = site_dir / root / "sitemap.xml"
        write_atomically(path, (head + "".join(kept) + tail).encode("utf-8"))
        written.append(path)
    return written


def write_assessment_schema(site_dir: Path, site_url: str) -> Path:
    """The answers file's schema at the site's root: the stable URL exported files name."""
    path = Path(site_dir) / assessment.SCHEMA_FILE
    text = json.dumps(assessment.file_schema(site_url), indent=2, ensure_ascii=False) + "\n"
    write_atomically(path, text.encode("utf-8"))
    return path


_DATA_SIZE = re.compile(r'(<span class="hb-data-size" data-file="([a-z0-9.-]+)">)(</span>)')


def fill_data_sizes(site_dir: Path, generation: Generation, sizes: dict[str, int]) -> None:
    """Each data file's size on the open-data page of each language (written after the
    pages, like the PDFs)."""
    content = generation.content
    for lang in content.languages:
        root = site_dir / content.language_root(lang)
        # a folder per page on the site, a file per page in the offline copy
        pages = [root / page_url(OPEN_DATA) / "index.html", root / f"{OPEN_DATA}.html"]
        page = next((path for path in pages if path.is_file()), None)
        if page is None:
            continue
        ui = {key: value[lang] for key, value in content.ui.items()}
        text = page.read_text(encoding="utf-8")

        def size(match: re.Match) -> str:
            found = sizes.get(match.group(2))
            shown = documents.human_size(found, ui) if found is not None else ""
            return match.group(1) + shown + match.group(3)

        write_atomically(page, _DATA_SIZE.sub(size, text).encode("utf-8"))


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
