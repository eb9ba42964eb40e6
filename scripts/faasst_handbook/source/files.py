"""The `handbook/` folder as a tree of regular files, listed without opening anything.

A Handbook is text files in folders. Anything else found there is refused by name, before it
is opened: a symbolic link (it could lead outside `handbook/`, to a secret or to /dev/zero),
a named pipe (reading it would wait forever), a device or a socket. Files are then read with
bounded reads (yaml_reader.py), so the size limit holds even if a file grows meanwhile.
Names starting with a dot (editor backups, `.DS_Store`) are not part of the Handbook and are
not looked at.
"""

from __future__ import annotations

import fnmatch
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from .problems import Problem

# What each kind of non-regular file is, in an editor's words.
_SPECIAL = (
    (stat.S_ISFIFO, "a named pipe (FIFO), not a file"),
    (stat.S_ISCHR, "a device, not a file"),
    (stat.S_ISBLK, "a device, not a file"),
    (stat.S_ISSOCK, "a socket, not a file"),
)


@dataclass
class HandbookTree:
    root: Path
    shown_root: str  # how paths start in messages, e.g. `handbook`
    files: dict[str, Path] = field(default_factory=dict)  # `sheets/wp1-01.yaml` → path
    problems: list[Problem] = field(default_factory=list)

    def shown(self, relative: str) -> str:
        return f"{self.shown_root}/{relative}" if self.shown_root else relative

    def glob(self, pattern: str) -> list[str]:
        """Relative paths matching `pattern` (`*` never crosses a `/`), sorted."""
        depth = pattern.count("/")
        return sorted(name for name in self.files
                      if name.count("/") == depth and fnmatch.fnmatchcase(name, pattern))


def list_tree(root: Path, shown_root: str = "handbook") -> HandbookTree:
    tree = HandbookTree(Path(root), shown_root)
    _walk(tree, tree.root, "")
    return tree


def _walk(tree: HandbookTree, folder: Path, prefix: str) -> None:
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as error:
        tree.problems.append(Problem(tree.shown(prefix.rstrip("/")) or tree.shown_root, 1, 1,
                                     "", f"this folder cannot be read ({error.strerror}).",
                                     "unreadable"))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        relative = prefix + entry.name
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError as error:
            tree.problems.append(Problem(tree.shown(relative), 1, 1, "", f"this entry cannot "
                                         f"be read ({error.strerror}).", "unreadable"))
            continue
        if stat.S_ISLNK(info.st_mode):
            tree.problems.append(Problem(
                tree.shown(relative), 1, 1, "", "this is a symbolic link; the Handbook is read "
                "from regular files only, and a link could point outside `handbook/`. Replace "
                "it with the file itself (or delete it).", "special-file"))
        elif stat.S_ISDIR(info.st_mode):
            _walk(tree, Path(entry.path), relative + "/")
        elif stat.S_ISREG(info.st_mode):
            tree.files[relative] = Path(entry.path)
        else:
            what = next((words for test, words in _SPECIAL if test(info.st_mode)),
                        "not a regular file")
            tree.problems.append(Problem(
                tree.shown(relative), 1, 1, "", f"this is {what}; the Handbook is read from "
                "regular files only: delete it.", "special-file"))
