"""The review state of the translations: `handbook/translations.lock`.

For every text and target language, a fingerprint of the source-language (French) text that
the translation was last reviewed against. A translation is up to date while the source text
still has that fingerprint; when the French changes, the fingerprints differ and the
translation is out of date until someone reviews it (`handbook i18n reviewed`, or an import
of a translated PO file). The content files stay as editors write them: nothing is recorded
in them.

The file is JSON, one text per line, sorted, so that two branches that review different
texts merge without conflict. Without the file, nothing is tracked (every written
translation counts as up to date): `handbook i18n reviewed` starts the tracking.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ..atomic_files import write_atomically
from ..source.layout import TRANSLATION_LOCK
from ..source.problems import Problem

FORMAT = 1
MAX_BYTES = 16 * 1024 * 1024  # a lock of the whole Handbook in ten languages is ~3 MB
ABOUT = ("Which source text each translation was last reviewed against (a fingerprint per "
         "text and language). Written by `handbook i18n reviewed` and `handbook i18n "
         "import`; do not edit it by hand.")
_FIX = ("if a merge left conflict markers in it, keep either side, then run `handbook i18n "
        "reviewed` for the files whose translations you have checked")


def fingerprint(text: str) -> str:
    """Short, stable fingerprint of a source text (48 bits: collisions are not a concern
    among a few thousand texts of one entry's history)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


@dataclass
class ReviewLock:
    source: str
    reviewed: dict[str, dict[str, str]] = field(default_factory=dict)  # lang → id → print
    exists: bool = True

    def fingerprint_of(self, lang: str, text_id: str) -> str | None:
        return self.reviewed.get(lang, {}).get(text_id)

    def mark(self, lang: str, text_id: str, source_text: str) -> bool:
        """Record a review; True when this changed the lock."""
        prints = self.reviewed.setdefault(lang, {})
        new = fingerprint(source_text)
        changed = prints.get(text_id) != new
        prints[text_id] = new
        return changed

    def text(self) -> str:
        data = {"about": ABOUT, "format": FORMAT, "source": self.source,
                "reviewed": {lang: dict(sorted(prints.items()))
                             for lang, prints in sorted(self.reviewed.items()) if prints}}
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"

    def write(self, handbook_dir: Path) -> None:
        write_atomically(Path(handbook_dir) / TRANSLATION_LOCK, self.text().encode("utf-8"))
        self.exists = True


def lock_path(handbook_dir: Path) -> Path:
    return Path(handbook_dir) / TRANSLATION_LOCK


def read_lock(handbook_dir: Path, source: str, shown_root: str = "handbook",
              ) -> tuple[ReviewLock, list[Problem]]:
    """The lock of the Handbook under `handbook_dir` (an empty, not-existing one if there is
    no file), and what is wrong with it."""
    path = lock_path(handbook_dir)
    shown = f"{shown_root}/{TRANSLATION_LOCK}" if shown_root else TRANSLATION_LOCK
    empty = ReviewLock(source, exists=False)
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return empty, []
    if not stat.S_ISREG(info.st_mode):  # list_tree reports links and special files
        return empty, []

    def problem(message: str, line: int = 1, column: int = 1) -> tuple[ReviewLock, list]:
        return empty, [Problem(shown, line, column, "", message, "translation-lock")]

    if info.st_size > MAX_BYTES:
        return problem(f"this file is larger than {MAX_BYTES // 2**20} MB, which no review "
                       "state needs: restore it from the project's history.")
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return problem(f"this file is not UTF-8 text: restore it from the project's history, "
                       f"or {_FIX}.")
    except json.JSONDecodeError as error:
        return problem(f"this file is not valid JSON ({error.msg}): {_FIX}.", error.lineno,
                       error.colno)
    if not isinstance(data, dict) or data.get("format") != FORMAT \
            or not isinstance(data.get("reviewed"), dict):
        return problem(f"this file is not a review state of format {FORMAT} (it needs "
                       f"`format` and `reviewed`): restore it from the project's history, or "
                       f"delete it and run `handbook i18n reviewed`.")
    if data.get("source") != source:
        return problem(f"this file records reviews against `{data.get('source')}` texts, but "
                       f"the source language is now `{source}`: delete it and run `handbook "
                       f"i18n reviewed` once the translations are checked.")
    reviewed: dict[str, dict[str, str]] = {}
    for lang, prints in data["reviewed"].items():
        if not isinstance(prints, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in prints.items()):
            return problem(f"`reviewed.{lang}` must map text ids to fingerprints: {_FIX}.")
        reviewed[str(lang)] = dict(prints)
    return ReviewLock(source, reviewed), []
