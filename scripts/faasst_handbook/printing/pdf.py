"""HTML → tagged A4 PDF with WeasyPrint, behind a content-keyed cache, on every core.

A PDF is named after a hash of everything that can change it (the HTML, the print stylesheet,
the print templates, the language, WeasyPrint's version and options), so an unchanged document
is never rendered twice, whatever else changed in the Handbook. Renders happen in worker
processes (WeasyPrint is single-threaded and CPU-bound) and every file is written beside its
destination then renamed, so an interrupted run leaves no half-written PDF behind.

This module knows nothing about the Handbook: it takes (name, HTML, language) jobs.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import multiprocessing
import os
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from ..atomic_files import write_atomically
from ..render.environment import TEMPLATES

PRINT_TEMPLATES = TEMPLATES / "print"
STYLESHEET = PRINT_TEMPLATES / "checklists.css"  # linked by every print document
# Templates whose bytes are part of the cache key (the HTML already reflects them; the key
# also covers what the HTML only points to, such as the stylesheet).
KEYED_FILES = (TEMPLATES / "_checklist.html.j2",)
# Tagged PDF (structure tree, /Lang from <html lang>) with fillable boxes and fields.
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_forms": True}
# Cache entries unused for this long are removed. Not at once: another build sharing the cache
# (another branch, the test suite's small sites) may still need them.
STALE_AFTER_SECONDS = 7 * 24 * 3600


@dataclass(frozen=True)
class Job:
    name: str  # what progress and reports call it, e.g. `en/wp1-01.pdf`
    html: str
    lang: str


@dataclass
class Report:
    rendered: list[str] = field(default_factory=list)  # job names rendered in this run
    reused: list[str] = field(default_factory=list)  # job names found in the cache
    paths: dict[str, Path] = field(default_factory=dict)  # job name → PDF in the cache
    missing: list[str] = field(default_factory=list)  # not rendered (render=False)
    seconds: float = 0.0


def fixed_inputs_digest() -> str:
    """Hash of what every PDF depends on besides its own HTML and language."""
    # The installed version, without importing WeasyPrint (a second) when all PDFs are cached.
    weasyprint_version = importlib.metadata.version("weasyprint")
    digest = hashlib.sha256()
    digest.update(f"weasyprint {weasyprint_version}\0{sorted(PDF_OPTIONS.items())}\0".encode())
    for path in sorted(PRINT_TEMPLATES.rglob("*")) + list(KEYED_FILES):
        if path.is_file():
            digest.update(path.relative_to(TEMPLATES).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def cache_key(job: Job, fixed: str) -> str:
    digest = hashlib.sha256()
    for part in (fixed, job.lang, job.html):
        digest.update(part.encode("utf-8") + b"\0")
    return digest.hexdigest()[:32]


def render_all(jobs: Iterable[Job], cache_dir: Path, workers: int | None = None,
               progress: Callable[[int, int], None] | None = None,
               render: bool = True, low_priority: bool = False) -> Report:
    """Make sure every job has its PDF in `cache_dir`; render only the missing ones.

    `progress(done, total)` is called as renders finish (total counts renders, not hits).
    With `render=False`, only say where each PDF is (or will be) and which are missing."""
    started = time.monotonic()
    cache_dir.mkdir(parents=True, exist_ok=True)
    fixed = fixed_inputs_digest()
    report = Report()
    missing: dict[Path, Job] = {}
    for job in jobs:
        path = cache_dir / f"{cache_key(job, fixed)}.pdf"
        report.paths[job.name] = path
        if _touch(path):
            report.reused.append(job.name)
        elif path not in missing:  # two jobs with identical inputs share one render
            missing[path] = job
        else:
            report.reused.append(job.name)
    todo = sorted(missing.items(), key=lambda item: -len(item[1].html))  # longest first
    if not render:
        report.missing = [job.name for _, job in todo]
        return report
    _render_many(todo, workers, progress, low_priority)
    report.rendered = [job.name for _, job in todo]
    _forget_stale(cache_dir, set(report.paths.values()))
    report.seconds = time.monotonic() - started
    return report


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _render_many(todo: list[tuple[Path, Job]], workers: int | None,
                 progress: Callable[[int, int], None] | None, low_priority: bool = False) -> None:
    total = len(todo)
    if progress and total:
        progress(0, total)
    if not total:
        return
    workers = min(workers or available_cores(), total)
    if workers <= 1 and not low_priority:  # a pool costs ~1 s to start: not for one document
        for done, (path, job) in enumerate(todo, start=1):
            render_one(job.html, str(path))
            if progress:
                progress(done, total)
        return
    with ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context(),
                             initializer=_lower_priority if low_priority else None) as pool:
        pending = {pool.submit(render_one, job.html, str(path)) for path, job in todo}
        done = 0
        try:
            while pending:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    future.result()  # re-raise a worker's error here
                    done += 1
                    if progress:
                        progress(done, total)
        except BaseException:
            for future in pending:
                future.cancel()
            raise


def _lower_priority() -> None:
    """A worker rendering behind a preview: the rebuild after an edit comes first."""
    try:
        os.nice(15)
    except OSError:
        pass


def _pool_context():
    """fork when this process has a single thread: workers start at once, with WeasyPrint
    already imported. Otherwise (`mkdocs serve` runs threads, and a lock held by one of them
    would stay locked in a forked child) forkserver: a clean process that imports WeasyPrint
    once, then forks the workers."""
    methods = multiprocessing.get_all_start_methods()
    if threading.active_count() == 1 and "fork" in methods:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["weasyprint", __name__])
        return context
    return multiprocessing.get_context("spawn")


def cache_dir(project_root: Path) -> Path:
    """`.cache/checklists/` in the project, or under $HANDBOOK_CACHE_DIR when set (the test
    suite shares one cache between the many small sites it builds)."""
    base = os.environ.get("HANDBOOK_CACHE_DIR")
    return (Path(base) if base else Path(project_root) / ".cache") / "checklists"


def render_one(html: str, target: str) -> None:
    """Render one document (runs in a worker). Writes `target` atomically."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    class LocalStylesheetOnly(URLFetcher):
        # Print documents only ever load the print stylesheet; refuse anything else, so no
        # text in the Handbook can make a build read another file or reach the network.
        def fetch(self, url, headers=None):
            if url != STYLESHEET.as_uri():
                raise ValueError(f"print documents may not load {url}")
            return super().fetch(url, headers)

    document = HTML(string=html, base_url=str(PRINT_TEMPLATES) + os.sep,
                    url_fetcher=LocalStylesheetOnly(fail_on_errors=True))
    write_atomically(Path(target), lambda stream: document.write_pdf(stream, **PDF_OPTIONS))


def _touch(path: Path) -> bool:
    """Mark a cache entry as used now; False if it is not there."""
    try:
        os.utime(path)
        return True
    except FileNotFoundError:
        return False
    except OSError:  # someone else's file: usable, just not touched
        return path.is_file()


def _forget_stale(cache_dir: Path, keep: set[Path]) -> None:
    now = time.time()
    for path in cache_dir.iterdir():
        if path in keep:
            continue
        try:
            if now - path.stat().st_mtime > STALE_AFTER_SECONDS:
                path.unlink()
        except FileNotFoundError:  # removed by a parallel run
            pass
