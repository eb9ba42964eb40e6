"""`make bench`: how fast the site builds, how heavy its pages are — measured, not asserted.

On the real Handbook, and on synthetic Handbooks of 50, 200 and 1,000 sheets per language
that pass the real schema and rules (the real sheets, then copies of them with new ids, each
round of copies using its own copies of the catalogue entries it refers to), each built with
our configuration AND with a stock baseline in the same run: the same generated pages built
by MkDocs with stock Material, the stock search plugin and stock mkdocs-static-i18n
settings, and nothing of ours. Prints a table and writes `.bench/results.json`.

Figures (median of --runs, except where said): load + validate; generation (pages); engine
(MkDocs, every language); finishing (print documents into the site, scan, search, headers);
PDFs cold (empty cache) and with nothing changed; peak memory; site size; search data per
language (raw and gzip); first load of a sheet page (gzip: the page and every resource it
loads: stylesheets, scripts, icons; search data is not loaded until the reader searches);
our time against the baseline's. The synthetic builds skip rendering PDFs (HANDBOOK_PDFS=skip:
thousands of PDFs would take an hour); PDFs are measured on the real Handbook.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUNBUFFERED": "1"}
COPIED = ("mkdocs.yml", "docs", "overrides", "handbook")
CATALOGUES = {"role": "roles", "tool": "tools", "mechanism": "mechanisms",
              "indicator": "indicators", "body": "bodies"}
ID = re.compile(r"\b((?:role|tool|mech|ind|body)\.[a-z0-9]+(?:-[a-z0-9]+)*)\b")


# --- projects ------------------------------------------------------------------------------

def new_project(folder: Path) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, folder / name,
                            ignore=shutil.ignore_patterns("handbook") if name == "docs" else None)
        else:
            shutil.copy(source, folder / name)
    (folder / "scripts" / "faasst_handbook" / "templates").mkdir(parents=True)  # watched
    return folder


def synthesize(project: Path, sheets_per_language: int) -> int:
    """Grow project/handbook to `sheets_per_language` sheets; returns the number of sheets."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from faasst_handbook.validation import load_handbook

    handbook = project / "handbook"
    content = load_handbook(handbook).content
    originals = list(content.sheets)
    extra = max(0, sheets_per_language - len(originals))
    per_wp = {wp_id: len(wp.sheets) for wp_id, wp in content.work_packages.items()}
    wp_lists = {wp_id: list(wp.sheets) for wp_id, wp in content.work_packages.items()}
    catalogue_text = {kind: (handbook / "catalogues" / f"{name}.yaml").read_text()
                      for kind, name in CATALOGUES.items()}
    clones_needed: dict[int, set[str]] = {}
    for n in range(extra):
        original = originals[n % len(originals)]
        round_ = n // len(originals) + 2  # the real sheets are round 1
        wp_id = content.sheets[original].wp
        per_wp[wp_id] += 1
        new_id = f"{wp_id}-{per_wp[wp_id]:03d}" if per_wp[wp_id] > 99 else f"{wp_id}-{per_wp[wp_id]:02d}"
        text = (handbook / "sheets" / f"{original}.yaml").read_text()
        text = text.replace(f"id: {original}\n", f"id: {new_id}\n", 1)
        refs = set(ID.findall(text))
        clones_needed.setdefault(round_, set()).update(refs)
        text = ID.sub(lambda m: f"{m.group(1)}-s{round_}", text)
        (handbook / "sheets" / f"{new_id}.yaml").write_text(text)
        wp_lists[wp_id].append(new_id)
    for wp_id, sheets in wp_lists.items():
        path = handbook / "work-packages" / f"{wp_id}.yaml"
        text = re.sub(r"^sheets: \[.*?\]$", f"sheets: [{', '.join(sheets)}]", path.read_text(),
                      flags=re.M | re.S)
        path.write_text(text)
    # Copies of the catalogue entries each round uses, their own references pointing at the
    # round's copies when they exist, at the originals otherwise.
    for kind, name in CATALOGUES.items():
        path = handbook / "catalogues" / f"{name}.yaml"
        entries = re.split(r"(?m)^(?=- id: )", catalogue_text[kind])
        head, entries = entries[0], entries[1:]
        out = [catalogue_text[kind]]
        for round_, needed in sorted(clones_needed.items()):
            for entry in entries:
                entry_id = re.match(r"- id: \"?([^\s\"]+)", entry).group(1)
                if entry_id not in needed:
                    continue
                copy = ID.sub(lambda m: f"{m.group(1)}-s{round_}" if m.group(1) in needed
                              else m.group(1), entry)
                out.append(copy.rstrip("\n") + "\n")
        path.write_text("\n".join(out))
    return len(originals) + extra


def stock_project(ours: Path, folder: Path) -> Path:
    """The same generated pages, built by stock MkDocs + Material + search + i18n."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from faasst_handbook.pipeline import Generator

    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    generator = Generator(ours)
    generator.generate(with_pdfs=False)
    shutil.copytree(ours / "docs", folder / "docs")
    languages = generator.last.content.languages
    config = {
        "site_name": "FAASST Handbook (stock baseline)",
        "site_url": "https://example.org/",
        "theme": {"name": "material", "language": languages[0]},
        "plugins": ["search", {"i18n": {"docs_structure": "suffix", "languages": [
            {"locale": lang, "name": lang, "default": n == 0, "build": True}
            for n, lang in enumerate(languages)]}}],
        "nav": generator.navigation(languages[0]),
    }
    (folder / "mkdocs.yml").write_text(json.dumps(config, ensure_ascii=False, indent=1))
    return folder


# --- measuring -------------------------------------------------------------------------------

def run(command: list[str], cwd: Path, env: dict | None = None) -> tuple[float, int, str]:
    """(seconds, peak memory of the process tree in MB, output)."""
    started = time.perf_counter()
    process = subprocess.run(command, cwd=cwd, env={**ENV, **(env or {})},
                             capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)} in {cwd}\n{process.stdout[-3000:]}"
                         f"\n{process.stderr[-3000:]}")
    import resource

    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, peak_kb // 1024, process.stdout + process.stderr


def median(values: list[float]) -> float:
    return round(statistics.median(values), 3)


def build_ours(project: Path, runs: int, env: dict) -> dict:
    """Our build, forced (every page built again), median phases."""
    phases, totals = [], []
    timings = project / ".bench-timings.json"
    for _ in range(runs):
        seconds, peak, _ = run([PYTHON, "-m", "faasst_handbook.cli", "build", "--force"],
                               project, {**env, "HANDBOOK_TIMINGS": str(timings)})
        totals.append(seconds)
        phases.append(json.loads(timings.read_text()))
    result = {key: median([p.get(key, 0.0) for p in phases]) for key in phases[0]}
    result["command"] = median(totals)
    return result


def load_and_validate(project: Path, runs: int) -> float:
    code = ("import time; from pathlib import Path; from faasst_handbook.validation import "
            "load_handbook; t=time.perf_counter(); r=load_handbook(Path('handbook')); "
            "assert r.ok, [p.format() for p in r.problems][:5]; print(time.perf_counter()-t)")
    return median([float(run([PYTHON, "-c", code], project)[2].strip().splitlines()[-1])
                   for _ in range(runs)])


def build_stock(stock: Path, runs: int) -> float:
    return median([run([PYTHON, "-m", "mkdocs", "build", "-q"], stock)[0] for _ in range(runs)])


def sizes(site: Path, languages: list[str]) -> dict:
    def gz(path: Path) -> int:
        return len(gzip.compress(path.read_bytes(), 9))

    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    search = {}
    for lang in languages:
        files = [p for p in (site / "pagefind").rglob("*") if p.is_file()
                 and re.search(rf"(^|[._/]){lang}[._]", p.relative_to(site / "pagefind").as_posix())]
        search[lang] = {"files": len(files), "raw": sum(p.stat().st_size for p in files),
                        "gzip": sum(gz(p) for p in files)}
    page = site / "handbook" / "wp1" / "wp1-01" / "index.html"
    html = page.read_text(encoding="utf-8")
    loaded = {page}
    for url in re.findall(r'<(?:link[^>]+href|script[^>]+src)="([^"#?]+)', html):
        if url.startswith(("http", "//")):
            continue
        target = (page.parent / url).resolve()
        if target.is_file():
            loaded.add(target)
    first = {"requests": len(loaded), "raw": sum(p.stat().st_size for p in loaded),
             "gzip": sum(gz(p) for p in loaded), "pagefind_loaded": any("pagefind" in str(p)
                                                                      for p in loaded)}
    return {"site_mb": round(total / 1e6, 1), "search": search, "sheet_first_load": first}


def serve_edit(project: Path) -> dict:
    """`make serve`; change one field of a sheet; seconds until the page shows it, and how
    many rebuilds follow."""
    port = free_port()
    log = project / ".serve.log"
    with log.open("w") as out:
        server = subprocess.Popen([PYTHON, "-m", "mkdocs", "serve", "--dirty", "--dev-addr",
                                   f"127.0.0.1:{port}"], cwd=project, env=ENV, stdout=out,
                                  stderr=subprocess.STDOUT, start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}/handbook/wp1/wp1-01/"
        wait(lambda: fetch(url) and "Serving on" in log.read_text(), 240)
        time.sleep(2)
        sheet = project / "handbook" / "sheets" / "wp1-01.yaml"
        marker = f"Titre modifié {int(time.time())}"
        text = sheet.read_text()
        old = re.search(r'^title:\n  fr: "([^"]+)"', text, re.M).group(1)
        before = log.read_text().count("Building documentation")
        started = time.perf_counter()
        sheet.write_text(text.replace(f'fr: "{old}"', f'fr: "{marker}"', 1))
        wait(lambda: marker in (fetch(url) or ""), 120)
        served = time.perf_counter() - started
        time.sleep(8)  # does a second rebuild follow?
        rebuilds = log.read_text().count("Building documentation") - before
        return {"served_after_s": round(served, 2), "rebuilds": rebuilds}
    finally:
        os.killpg(server.pid, signal.SIGINT)
        server.wait(timeout=30)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def wait(condition, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise SystemExit("timed out")


# --- the run ---------------------------------------------------------------------------------

def bench_real(work: Path, runs: int) -> dict:
    project = new_project(work / "real")
    cache = work / "pdf-cache"
    shutil.rmtree(cache, ignore_errors=True)
    env = {"HANDBOOK_CACHE_DIR": str(cache)}
    cold, peak_cold, _ = run([PYTHON, "-m", "faasst_handbook.cli", "build"], project, env)
    timings = project / ".bench-timings.json"
    warm = build_ours(project, runs, env)
    unchanged = median([run([PYTHON, "-m", "faasst_handbook.cli", "build"], project, env)[0]
                        for _ in range(runs)])
    pdf_warm = warm.get("print", 0.0)
    languages = json.loads(json.dumps(_languages(project)))
    stock = build_stock(stock_project(project, work / "real-stock"), runs)
    report = {
        "pages_per_language": _pages(project / "site", languages),
        "load_validate_s": load_and_validate(project, runs),
        "build_from_fresh_clone_s": round(cold, 2),
        "build_nothing_changed_s": unchanged,
        "build_forced_s": warm["command"],
        "phases_forced_s": warm,
        "pdf_cold_s": round(cold - warm["command"], 2),
        "pdf_nothing_changed_s": pdf_warm,
        "stock_baseline_s": stock,
        "ratio_nothing_changed_vs_stock": round(unchanged / stock, 2),
        "ratio_forced_vs_stock": round(warm["command"] / stock, 2),
        "peak_memory_mb": peak_cold,
        **sizes(project / "site", languages),
    }
    del timings
    report["serve_one_field_edit"] = serve_edit(project)
    return report


def bench_size(work: Path, sheets: int, runs: int) -> dict:
    project = new_project(work / f"synthetic-{sheets}")
    count = synthesize(project, sheets)
    env = {"HANDBOOK_CACHE_DIR": str(work / "pdf-cache"), "HANDBOOK_PDFS": "skip"}
    validate = load_and_validate(project, runs)
    ours = build_ours(project, runs, env)
    import resource

    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    languages = _languages(project)
    pages = _pages(project / "site", languages)
    stock = build_stock(stock_project(project, work / f"synthetic-{sheets}-stock"), runs)
    return {
        "sheets_per_language": count, "pages_per_language": pages,
        "load_validate_s": validate, "build_forced_s": ours["command"], "phases_s": ours,
        "stock_baseline_s": stock, "ratio_vs_stock": round(ours["command"] / stock, 2),
        "ms_per_page": round(1000 * ours["command"] / (pages * len(languages)), 2),
        "peak_memory_mb_so_far": peak,
        **sizes(project / "site", languages),
    }


def _languages(project: Path) -> list[str]:
    text = (project / "handbook" / "handbook.yaml").read_text()
    return re.findall(r"^  - code: ([a-z]+)", text, re.M)


def _pages(site: Path, languages: list[str]) -> int:
    others = tuple(f"{lang}/" for lang in languages[1:])
    return sum(1 for p in site.rglob("index.html")
               if not p.relative_to(site).as_posix().startswith(others))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,200,1000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", default=str(ROOT / ".bench" / "results.json"))
    parser.add_argument("--skip-real", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.gettempdir()) / "handbook-bench"
    work.mkdir(exist_ok=True)
    results: dict = {"machine": {"cores": os.cpu_count()}, "runs": args.runs,
                     "date": time.strftime("%Y-%m-%d %H:%M")}
    started = time.monotonic()
    if not args.skip_real:
        results["real"] = bench_real(work, args.runs)
        print_real(results["real"])
    results["synthetic"] = {}
    for size in [int(s) for s in args.sizes.split(",") if s]:
        runs = args.runs if size <= 200 else 1
        results["synthetic"][str(size)] = bench_size(work, size, runs)
        print_size(size, results["synthetic"][str(size)])
    synthetic = results["synthetic"]
    if "200" in synthetic and "1000" in synthetic:
        results["linearity_ms_per_page_1000_vs_200"] = round(
            synthetic["1000"]["ms_per_page"] / synthetic["200"]["ms_per_page"], 2)
        print(f"cost per page at 1000 / at 200: {results['linearity_ms_per_page_1000_vs_200']}")
    results["bench_seconds"] = round(time.monotonic() - started)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1))
    print(f"\n{out} written ({results['bench_seconds']} s)")


def print_real(r: dict) -> None:
    rows = [
        ("load + validate", f"{r['load_validate_s']:.2f} s"),
        ("make build, nothing changed", f"{r['build_nothing_changed_s']:.2f} s "
         f"({r['ratio_nothing_changed_vs_stock']}× stock)"),
        ("handbook build --force (PDF cache warm)", f"{r['build_forced_s']:.2f} s "
         f"({r['ratio_forced_vs_stock']}× stock)"),
        ("  of which generation / engine / finishing",
         f"{r['phases_forced_s']['pages']:.2f} / {r['phases_forced_s']['engine']:.2f} / "
         f"{r['phases_forced_s']['finish']:.2f} s"),
        ("stock baseline (same pages)", f"{r['stock_baseline_s']:.2f} s"),
        ("build from a fresh clone (every PDF)", f"{r['build_from_fresh_clone_s']:.2f} s"),
        ("peak memory", f"{r['peak_memory_mb']} MB"),
        ("site size", f"{r['site_mb']} MB"),
        ("sheet page, first load", f"{r['sheet_first_load']['gzip'] / 1024:.0f} KB gzip, "
         f"{r['sheet_first_load']['requests']} requests, search data: "
         f"{'yes' if r['sheet_first_load']['pagefind_loaded'] else 'none'}"),
        *[(f"search data ({lang})", f"{v['raw'] / 1024:.0f} KB raw, {v['gzip'] / 1024:.0f} KB "
           f"gzip, {v['files']} files") for lang, v in r["search"].items()],
        ("serve: one field edited → served", f"{r['serve_one_field_edit']['served_after_s']} s, "
         f"{r['serve_one_field_edit']['rebuilds']} rebuild(s)"),
    ]
    print("\nReal Handbook")
    for label, value in rows:
        print(f"  {label:45} {value}")


def print_size(size: int, r: dict) -> None:
    print(f"\n{size} sheets per language ({r['pages_per_language']} pages per language)")
    print(f"  {'load + validate':45} {r['load_validate_s']:.2f} s")
    print(f"  {'build (forced, PDFs skipped)':45} {r['build_forced_s']:.2f} s "
          f"({r['ratio_vs_stock']}× stock {r['stock_baseline_s']:.2f} s), {r['ms_per_page']} "
          "ms/page")
    print(f"  {'site size':45} {r['site_mb']} MB")


if __name__ == "__main__":
    main()
