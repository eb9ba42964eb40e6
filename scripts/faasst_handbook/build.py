"""`handbook build`: build the whole site into a temporary folder and replace `site/` only
when every stage succeeded, so a failed build never leaves a broken or half-built site."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .loader import load_handbook
from .problems import format_text


def build_site(root: Path, site_dir: Path, strict: bool = True) -> int:
    site_dir = site_dir if site_dir.is_absolute() else root / site_dir
    result = load_handbook(root / "handbook")
    if not result.ok:
        print("The Handbook has problems; the site was not rebuilt and the previous one is "
              "unchanged.\n" + format_text(result.problems), file=sys.stderr)
        return 1

    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-building-", dir=site_dir.parent))
    try:
        command = [sys.executable, "-m", "mkdocs", "build", "--clean", "--site-dir", str(staging)]
        if strict:
            command.append("--strict")
        if subprocess.run(command, cwd=root).returncode != 0:
            print(f"The build failed; {site_dir.name}/ is unchanged.", file=sys.stderr)
            return 1
        _replace(site_dir, staging)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    print(f"Site built into {site_dir.relative_to(root) if site_dir.is_relative_to(root) else site_dir}/")
    return 0


def _replace(site_dir: Path, staging: Path) -> None:
    """Swap the new site in with two renames (each atomic on one file system)."""
    old = None
    if site_dir.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-old-", dir=site_dir.parent))
        os.replace(site_dir, old / "site")
    os.replace(staging, site_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
