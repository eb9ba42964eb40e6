"""Print how long the main operations take on the real Handbook (a measurement, not a test).

Usage: .venv/bin/python scripts/benchmark.py [--builds N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from faasst_handbook.render.pages import render_pages  # noqa: E402
from faasst_handbook.validation import load_handbook  # noqa: E402
from faasst_handbook.plan.routes import plan  # noqa: E402


def timed(function, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--builds", type=int, default=2, help="full builds to time (first is cold)")
    args = parser.parse_args()

    seconds, result = timed(lambda: load_handbook(ROOT / "handbook"), 5)
    content = result.content
    files = sum(1 for _ in (ROOT / "handbook").rglob("*.yaml"))
    print(f"validate: {seconds * 1000:.0f} ms for {files} YAML files "
          f"({len(content.sheets)} sheets), median of 5")

    pages = plan(content)
    seconds, rendered = timed(lambda: render_pages(content, pages), 3)
    print(f"render pages: {seconds * 1000:.0f} ms for {len(rendered)} Markdown files "
          f"({len(pages)} pages × {len(content.languages)} languages), median of 3")

    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        for n in range(args.builds):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "faasst_handbook.cli", "build", "--site-dir",
                            str(site)], cwd=ROOT, env=env, check=True, capture_output=True)
            label = ("first build (PDFs from .cache/ if present)" if n == 0
                     else "build again, nothing changed")
            print(f"handbook build ({label}): {time.perf_counter() - start:.1f} s")
        html = list(site.rglob("*.html"))
        pdfs = list(site.rglob("*.pdf"))
        size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
        print(f"site: {len(html)} HTML files, {len(pdfs)} PDFs, {size / 1e6:.1f} MB")
        for index in sorted(site.rglob("search_index.json")):
            print(f"search index {index.relative_to(site)}: {index.stat().st_size / 1e3:.0f} KB")


if __name__ == "__main__":
    main()
