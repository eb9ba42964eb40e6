"""`handbook build`: build the whole site into a temporary folder and replace `site/` only
when every stage succeeded, so a failed build never leaves a broken or half-built site.

Stages: validation; MkDocs (pages, search index, printable checklists) into `.site-building-*`
next to `site/`; the security scan of what was built (security_scan.py) and the server
configuration with its Content-Security-Policy (hosting.py); then the swap.

Interruptions (issue 7): Ctrl-C or SIGTERM stop MkDocs, remove the temporary folder and leave
`site/` as it was; the swap and the clean-up run with those signals held back, so they are
never cut in the middle. After a hard kill (SIGKILL, power loss) the next run removes the
temporary folders left behind (and puts `site/` back if the kill fell between the two renames
of the swap). A lock on the parent folder makes a second build wait for the first; MkDocs
inherits it, so a build orphaned by a hard kill still holds it until it ends.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from . import hosting
from ..checks import security_scan
from ..validation import load_handbook
from ..source.problems import format_text

_HELD_SIGNALS = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}


def build_site(root: Path, site_dir: Path, strict: bool = True) -> int:
    site_dir = site_dir if site_dir.is_absolute() else root / site_dir
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    with _terminate_as_interrupt(), _build_lock(site_dir) as lock:
        with _signals_held():
            _remove_leftovers(site_dir)
        try:
            return _build_locked(root, site_dir, strict, lock)
        except KeyboardInterrupt:
            print(f"Interrupted: {site_dir.name}/ is unchanged.", file=sys.stderr)
            raise


def _build_locked(root: Path, site_dir: Path, strict: bool, lock: int) -> int:
    result = load_handbook(root / "handbook")
    if not result.ok:
        print("The Handbook has problems; the site was not rebuilt and the previous one is "
              "unchanged.\n" + format_text(result.problems), file=sys.stderr)
        return 1

    staging = process = None
    try:
        # Signals held while the folder and the process are created, so that an interruption
        # cannot fall between their creation and the variables the clean-up looks at.
        with _signals_held():
            staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-building-",
                                            dir=site_dir.parent))
        command = [sys.executable, "-m", "mkdocs", "build", "--clean", "--site-dir", str(staging)]
        # explicit both ways: mkdocs.yml sets `strict: true`, which `--no-strict` overrides
        command.append("--strict" if strict else "--no-strict")
        with _signals_held():
            process = subprocess.Popen(command, cwd=root, pass_fds=(lock,),
                                       preexec_fn=_unblock_signals)  # MkDocs must get them
        if process.wait() != 0:
            print(f"The build failed; {site_dir.name}/ is unchanged.", file=sys.stderr)
            return 1
        scan = security_scan.scan_site(staging, security_scan.theme_template_dirs(root))
        if not scan.ok:
            print("The built site contains code that could run in readers' browsers (listed "
                  f"below); it was not published and {site_dir.name}/ is unchanged. Content "
                  "is escaped and checked before this point, so this is a bug in a template, a "
                  "theme override or a hand-written page: fix it there.\n" + scan.report(),
                  file=sys.stderr)
            return 1
        hosting.write_server_config(staging, scan.script_hashes)
        with _signals_held():
            _replace(site_dir, staging)
    finally:
        with _signals_held():
            _stop(process)
            if staging is not None and staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
    print(f"Site built into {site_dir.relative_to(root) if site_dir.is_relative_to(root) else site_dir}/ "
          f"({scan.files} files scanned; {len(scan.script_hashes)} theme scripts allowed by the "
          f"Content-Security-Policy in {hosting.HEADERS_FILE})")
    return 0


def _stop(process: subprocess.Popen | None) -> None:
    """Stop MkDocs if it still runs (we were interrupted), and wait for it: it must not write
    into the temporary folder while that is being removed."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextlib.contextmanager
def _terminate_as_interrupt():
    """SIGTERM (and SIGHUP) interrupt the build like Ctrl-C does, so that clean-up runs."""
    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = {sig: signal.signal(sig, interrupt) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _unblock_signals() -> None:
    """In the MkDocs process, before it starts: a child inherits the parent's blocked signals."""
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD_SIGNALS)


@contextlib.contextmanager
def _signals_held():
    """Hold Ctrl-C and SIGTERM back until the block is done (they are delivered after)."""
    signal.pthread_sigmask(signal.SIG_BLOCK, _HELD_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD_SIGNALS)


@contextlib.contextmanager
def _build_lock(site_dir: Path):
    """An exclusive lock on the folder holding `site_dir` (a lock on the folder itself leaves
    no file behind); waits for another build that holds it. Yields the locked descriptor."""
    descriptor = os.open(site_dir.parent, os.O_RDONLY)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"Waiting for another `handbook build` in {site_dir.parent} to finish...",
                  file=sys.stderr, flush=True)
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield descriptor
    finally:
        os.close(descriptor)


def _remove_leftovers(site_dir: Path) -> None:
    """Temporary folders of builds killed without warning (we hold the lock: none is in use)."""
    parent, name = site_dir.parent, site_dir.name
    olds = sorted(parent.glob(f".{name}-old-*"), key=lambda p: p.stat().st_mtime, reverse=True)
    if not site_dir.exists():  # killed between the two renames of the swap: put it back
        for old in olds:
            if (old / "site").is_dir():
                os.replace(old / "site", site_dir)
                break
    for leftover in [*parent.glob(f".{name}-building-*"), *olds]:
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)


def _replace(site_dir: Path, staging: Path) -> None:
    """Swap the new site in with two renames (each atomic on one file system)."""
    old = None
    if site_dir.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-old-", dir=site_dir.parent))
        os.replace(site_dir, old / "site")
    os.replace(staging, site_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
