"""`handbook build`: validate, then build the site with the site engine and its `handbook`
plugin, which builds into a temporary folder, finishes the site (print documents, search data,
security scan, headers) and swaps it in only when every step succeeded (see staging.py and
engine/mkdocs_plugin.py). `mkdocs build` does exactly the same; this command adds a
validation report first, a summary last, and `--engine` to build with ProperDocs.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

from ..source.problems import format_text
from ..validation import load_handbook
from . import staging

ENGINES = ("mkdocs", "properdocs")


def build_site(root: Path, site_dir: Path, strict: bool = True, engine: str = "mkdocs",
               settings: dict | None = None, what: str = "site") -> int:
    """Build into `site_dir`; `settings` change mkdocs.yml's (a build variant: the offline
    copy, publish/offline.py); `what` names the result in messages."""
    if settings and engine != "mkdocs":
        raise ValueError("build variants are built with MkDocs, in this process")
    site_dir = site_dir if site_dir.is_absolute() else root / site_dir
    shown = site_dir.relative_to(root) if site_dir.is_relative_to(root) else site_dir
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
