"""`handbook validate`: read the Handbook, then run every rule of the registry on it.

One entry point for every check of the content, used by the command line, the site build and
the tests: what passes here builds, and what builds passed here.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from . import rules
from .render import ui_keys  # noqa: F401  (registers the interface-string rule)
from .source.content import Content
from .source.loader import read_handbook
from .source.origins import Origins
from .source.problems import Problem, errors, strictly
from .translate import lock, status


@dataclass
class LoadResult:
    content: Content | None  # None when there is any error
    problems: list[Problem]  # errors and warnings
    origins: Origins | None = None
    # What is translated, missing and out of date (handbook/translations.lock); None with errors
    translations: status.TranslationStatus | None = None

    @property
    def ok(self) -> bool:
        return not errors(self.problems)


_last: tuple[tuple, LoadResult] | None = None  # the last result, for an unchanged folder


def load_handbook(root: Path, shown_root: str | None = None, strict: bool = False) -> LoadResult:
    """Read and check the Handbook under `root` (see source/loader.py for `shown_root`).
    With `strict`, warnings are errors. `handbook build` validates before building and the
    engine's plugin generates from the same folder: the second call reuses the first's result
    while no file of the folder changed (name, size, modification time)."""
    global _last
    key = (str(Path(root).resolve()), shown_root, strict, fingerprint(Path(root)))
    if _last is not None and _last[0] == key:
        return _last[1]
    result = _load(root, shown_root, strict)
    _last = (key, result)
    return result


def fingerprint(*folders: Path) -> str:
    """Changes when any file under the folders changes (name, size or modification time)."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file():
                stat = path.stat()
                digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _load(root: Path, shown_root: str | None, strict: bool) -> LoadResult:
    reading = read_handbook(root, shown_root)
    problems = reading.problems
    review = None
    if reading.content is not None:
        # On a Handbook with reading problems, a rule may trip over what is missing: those
        # problems are the ones to fix first, so such a rule is skipped.
        problems = problems + rules.run_rules(
            reading.content, reading.origins,
            incomplete=reading.incomplete if reading.problems else None)
        review, lock_problems = lock.read_lock(root, reading.content.default_language,
                                               Path(root).name if shown_root is None
                                               else shown_root)
        problems += lock_problems
    if strict:
        problems = strictly(problems)
    content = reading.content if not errors(problems) else None
    translations = (status.compute(content, reading.origins, review)
                    if content is not None and review is not None else None)
    return LoadResult(content, problems, reading.origins, translations)
