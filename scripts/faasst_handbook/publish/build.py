"""`handbook build`: validate, then build the site with the site engine and its `handbook`
plugin, which builds into a temporary folder, finishes the site (print documents, search data,
security scan, headers) and swaps it in only when every step succeeded (see staging.py and
engine/mkdocs_plugin.py). `mkdocs build` does exactly the same; this command adds a
validation report first, a summary last, and `--engine` to build with ProperDocs.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

from ..atomic_files import write_atomically
from ..source.problems import format_text
from ..validation import fingerprint, load_handbook
from . import staging

PACKAGE = Path(__file__).resolve().parents[1]
# Everything a build reads: when none of it changed, the site it made is still right.
INPUTS = ("handbook", "docs", "overrides", "mkdocs.yml", "pyproject.toml", "requirements.lock")

ENGINES = ("mkdocs", "properdocs")


def inputs_fingerprint(root: Path, strict: bool, engine: str, settings: dict | None = None) -> str:
    """Of the files the build reads (the generated docs/handbook/ aside: it is an output)."""
    paths = [root / name for name in INPUTS if (root / name).exists()] + [PACKAGE]
    files = [p for p in paths if p.is_file()]
    folders = [p for p in paths if p.is_dir()]
    parts = [fingerprint(*[f for f in folders if f.name != "docs"]),
             fingerprint(*[p for p in (root / "docs").iterdir() if p.name != "handbook"])
             if (root / "docs").is_dir() else "",
             *[f"{f}:{f.stat().st_size}:{f.stat().st_mtime_ns}" for f in files],
             f"strict={strict} engine={engine} pdfs={os.environ.get('HANDBOOK_PDFS', '')}",
             json.dumps(settings or {}, sort_keys=True, default=str)]
    return fingerprint_of(parts)


def fingerprint_of(parts: list[str]) -> str:
    import hashlib

    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _manifest(root: Path) -> Path:
    return root / ".cache" / "builds.json"


def _up_to_date(root: Path, site_dir: Path, current: str) -> bool:
    try:
        built = json.loads(_manifest(root).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return built.get(str(site_dir.resolve())) == current and (site_dir / "index.html").is_file()


def _remember(root: Path, site_dir: Path, current: str) -> None:
    try:
        built = json.loads(_manifest(root).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        built = {}
    built[str(site_dir.resolve())] = current
    write_atomically(_manifest(root), json.dumps(built, indent=1).encode())


def build_site(root: Path, site_dir: Path, strict: bool = True, engine: str = "mkdocs",
               force: bool = False, settings: dict | None = None, what: str = "site") -> int:
    """Build into `site_dir`; `settings` change mkdocs.yml's (a build variant: the offline
    copy, publish/offline.py); `what` names the result in messages."""
    if settings and engine != "mkdocs":
        raise ValueError("build variants are built with MkDocs, in this process")
    site_dir = site_dir if site_dir.is_absolute() else root / site_dir
    shown = site_dir.relative_to(root) if site_dir.is_relative_to(root) else site_dir
    current = inputs_fingerprint(root, strict, engine, settings)
    if not force and _up_to_date(root, site_dir, current):
        print(f"Nothing changed since the last build: {shown}/ is up to date "
              "(`handbook build --force` builds it again).")
        return 0
    staging.terminate_as_interrupt()
    try:
        # The lock first: a second build waits here, and what killed builds left is removed
        # even when this one stops at validation. MkDocs, in this process, reuses the lock;
        # another engine runs as its own process and takes it itself.
        with staging.locked(site_dir):
            result = load_handbook(root / "handbook")
            if not result.ok:
                print(f"The Handbook has problems; the {what} was not rebuilt and the "
                      "previous one is unchanged.\n" + format_text(result.problems), file=sys.stderr)
                return 1
            if engine == "mkdocs":
                code = _build_in_process(root, site_dir, strict, settings or {})
        if engine != "mkdocs":
            code = _build_with(engine, root, site_dir, strict)
    except KeyboardInterrupt:
        print(f"Interrupted: {shown}/ is unchanged.", file=sys.stderr)
        raise
    if code != 0:
        print(f"The build failed; {shown}/ is unchanged.", file=sys.stderr)
        return 1
    _remember(root, site_dir, current)
    print(f"{what[0].upper() + what[1:]} built into {shown}/")
    return 0


def _build_in_process(root: Path, site_dir: Path, strict: bool, settings: dict) -> int:
    """What `mkdocs build` does, in this process (saves starting another Python); `settings`
    override those of mkdocs.yml."""
    from mkdocs import config as mkdocs_config
    from mkdocs.commands import build
    from mkdocs.exceptions import Abort, ConfigurationError

    _log_like_mkdocs()
    try:
        cfg = mkdocs_config.load_config(config_file=str(root / "mkdocs.yml"),
                                        site_dir=str(site_dir), strict=strict, **settings)
        cfg.plugins.on_startup(command="build", dirty=False)
        try:
            build.build(cfg)
        finally:
            cfg.plugins.on_shutdown()
    except (Abort, ConfigurationError) as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1
    return 0


def _log_like_mkdocs() -> None:
    """MkDocs' command line shows INFO messages and counts warnings for `strict`."""
    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "_handbook", False) for h in logger.handlers):
        from mkdocs.__main__ import ColorFormatter

        handler = logging.StreamHandler()
        handler.setFormatter(ColorFormatter())
        handler._handbook = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


def _build_with(engine: str, root: Path, site_dir: Path, strict: bool) -> int:
    """Another engine reading the same mkdocs.yml (ProperDocs), as its own command."""
    command = [sys.executable, "-m", engine, "build", "--config-file", str(root / "mkdocs.yml"),
               "--site-dir", str(site_dir), "--strict" if strict else "--no-strict"]
    process = subprocess.Popen(command, cwd=root)
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()  # the plugin in it removes its temporary folder
        process.wait()
        raise
