"""A site is built into a temporary folder next to its destination and swapped in only when
every stage succeeded: a failed build never leaves a broken or half-built site.

- One build at a time per destination: a lock on the folder holding it (a lock on a folder
  leaves no file behind); a second build waits for the first.
- Ctrl-C or SIGTERM stop the build, remove the temporary folder and leave the site as it was;
  the swap and the clean-up run with those signals held back, so they are never cut midway.
- After a hard kill (SIGKILL, power loss) the next run removes the temporary folders left
  behind, and puts the site back if the kill fell between the two renames of the swap.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import os
import shutil
import signal
import sys
import tempfile
from pathlib import Path

HELD_SIGNALS = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
# Folders this process holds the lock of (a second lock from the same process would wait for
# itself): `handbook build` takes it before validating, the plugin's staging then reuses it.
_HELD: dict[Path, int] = {}


class Staging:
    """The temporary folder a site is built into, and its swap into place."""

    def __init__(self, site_dir: Path):
        self.site_dir = Path(site_dir).resolve()
        self.folder: Path | None = None
        self._lock: int | None = None

    def begin(self) -> Path:
        """Take the lock, clean what killed builds left, create the temporary folder."""
        self.site_dir.parent.mkdir(parents=True, exist_ok=True)
        if self.site_dir.parent not in _HELD:
            self._lock = _take_lock(self.site_dir.parent)
        with signals_held():
            remove_leftovers(self.site_dir)
            self.folder = Path(tempfile.mkdtemp(prefix=f".{self.site_dir.name}-building-",
                                                dir=self.site_dir.parent))
        atexit.register(self.abort)  # Ctrl-C, an exception, a normal exit without commit
        return self.folder

    def commit(self) -> None:
        """Swap the built site in with two renames (each atomic on one file system)."""
        assert self.folder is not None
        with signals_held():
            old = None
            if self.site_dir.exists():
                old = Path(tempfile.mkdtemp(prefix=f".{self.site_dir.name}-old-",
                                            dir=self.site_dir.parent))
                os.replace(self.site_dir, old / "site")
            os.replace(self.folder, self.site_dir)
            self.folder = None
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
        self._release()

    def abort(self) -> None:
        """Remove the temporary folder (the site stays as it was)."""
        with signals_held():
            if self.folder is not None and self.folder.exists():
                shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None
        self._release()

    def _release(self) -> None:
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None


@contextlib.contextmanager
def locked(site_dir: Path):
    """Hold the build lock of `site_dir` (and clean leftovers) for the whole block."""
    site_dir = Path(site_dir).resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    folder = site_dir.parent
    descriptor = _take_lock(folder)
    _HELD[folder] = descriptor
    try:
        with signals_held():
            remove_leftovers(site_dir)
        yield
    finally:
        del _HELD[folder]
        os.close(descriptor)


def _take_lock(folder: Path) -> int:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print(f"Waiting for another build (`handbook build` or `mkdocs build`) in {folder} "
              "to finish...", file=sys.stderr, flush=True)
        fcntl.flock(descriptor, fcntl.LOCK_EX)
    return descriptor


@contextlib.contextmanager
def signals_held():
    """Hold Ctrl-C and SIGTERM back until the block is done (they are delivered after)."""
    signal.pthread_sigmask(signal.SIG_BLOCK, HELD_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, HELD_SIGNALS)


def terminate_as_interrupt() -> None:
    """SIGTERM (and SIGHUP) interrupt like Ctrl-C does, so that the clean-up runs."""
    def interrupt(signum, frame):
        raise KeyboardInterrupt

    for sig in (signal.SIGTERM, signal.SIGHUP):
        with contextlib.suppress(ValueError):  # not in the main thread: leave it
            signal.signal(sig, interrupt)


def remove_leftovers(site_dir: Path) -> None:
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
