"""Files already read, kept while the process lives: `make serve` reads the whole folder again
after each edit, and a file whose bytes did not change is not parsed and validated again.

The key is the file's bytes (their digest), where it is shown, its kind and the configured
languages with their fallbacks: anything else that changes what reading gives is code, which a running process
does not change. Only the last few folders read are kept (the tests read hundreds).
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from .problems import Problem
from .references import Mention
from .yaml_reader import YamlDocument

FOLDERS_KEPT = 3


@dataclass(frozen=True)
class ReadFile:
    """What reading one file gave: its document (None if unreadable), its validated value
    (None if it did not validate) and its own problems."""

    doc: YamlDocument | None
    value: Any
    problems: tuple[Problem, ...]
    mentions: tuple[Mention, ...] = ()  # the ids it defines and refers to


_kept: OrderedDict[str, dict[tuple, tuple[str, ReadFile]]] = OrderedDict()


class KeptFiles:
    """The files of one folder read last time, and those read this time (which replace them)."""

    def __init__(self, folder: str, languages: dict[str, str],
                 fallbacks: dict[str, str] | None = None):
        self.folder = folder
        self.languages = (tuple(languages.items()), tuple(sorted((fallbacks or {}).items())))
        self.before = _kept.get(folder, {})
        self.now: dict[tuple, tuple[str, ReadFile]] = {}

    def get(self, shown: str, kind: str, raw: bytes) -> tuple[str, ReadFile | None]:
        digest = hashlib.sha256(raw).hexdigest()
        kept = self.before.get((shown, kind, self.languages))
        return digest, (kept[1] if kept and kept[0] == digest else None)

    def put(self, shown: str, kind: str, digest: str, read: ReadFile) -> None:
        self.now[(shown, kind, self.languages)] = (digest, read)

    def save(self) -> None:
        _kept[self.folder] = self.now
        _kept.move_to_end(self.folder)
        while len(_kept) > FOLDERS_KEPT:
            _kept.popitem(last=False)
