"""Add to an editor's YAML file without touching anything else in it: comments, quotes, blank
lines, line widths and the order of keys stay byte for byte as they were.

A round trip through a YAML library rewrites what it does not understand the way it likes
(indentation of lists, quoting, folded lines), so the addition is made as text, at the place
the parser's marks give, and checked by reading the result back: the data must be exactly the
old data plus the new item, or nothing is written.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from ..atomic_files import write_atomically

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class CannotInsert(Exception):
    """The file's layout is one this module does not edit; the message says what to add by
    hand."""


def _plain(text: str) -> Any:
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as error:
        raise CannotInsert(f"the result would not read as YAML ({error.problem})") from None


def append_to_list(text: str, key: str, item: str) -> str:
    """`text` with the scalar `item` appended to the list under the top-level `key`, in the
    list's own style: `[a, b]` becomes `[a, b, item]`, a block list gains a `- item` line."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as error:
        raise CannotInsert(f"the file does not read as YAML ({error.problem})") from None
    node = next((value for name, value in getattr(root, "value", [])
                 if isinstance(name, yaml.ScalarNode) and name.value == key), None)
    if not isinstance(node, yaml.SequenceNode):
        raise CannotInsert(f"`{key}` is not a list")
    if node.flow_style:
        if node.value:
            at = node.value[-1].end_mark.index
            new = text[:at] + f", {item}" + text[at:]
        else:
            at = node.end_mark.index - 1  # just before `]`
            new = text[:at] + item + text[at:]
    else:
        if not node.value:
            raise CannotInsert(f"`{key}` is an empty block list")
        last = node.value[-1]
        line_start = text.rfind("\n", 0, last.start_mark.index) + 1
        prefix = re.match(r"[ \t]*-[ \t]+", text[line_start:])
        if prefix is None:
            raise CannotInsert(f"the last item of `{key}` does not start its line")
        line_end = text.find("\n", last.end_mark.index)
        line_end = len(text) if line_end < 0 else line_end
        if text[line_end - 1:line_end] == "\r":
            line_end -= 1
        new = text[:line_end] + _newline(text) + prefix.group(0) + item + text[line_end:]
    before, after = _plain(text), _plain(new)
    if after != {**before, key: [*before[key], _plain(item)]}:
        raise CannotInsert(f"adding `{item}` to `{key}` would change something else")
    return new


def append_entry(text: str, lines: list[str]) -> str:
    """`text` (a YAML file holding one block list of entries) with `lines` (a `- …` entry)
    appended at the end, separated as the file separates its entries (a blank line or not)."""
    nl = _newline(text)
    separated = bool(re.search(r"\n[ \t]*\r?\n-", text))
    new = text if text.endswith("\n") or not text else text + nl
    if separated and not new.endswith(nl + nl):
        new += nl
    new += nl.join(lines) + nl
    before, after = _plain(text), _plain(new)
    if not isinstance(before, list) or not isinstance(after, list) \
            or after[:-1] != before or len(after) != len(before) + 1:
        raise CannotInsert("the file is not a block list of `- ` entries")
    return new


def _newline(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def update_file(path: Path, change) -> None:
    """Apply `change` (text → text) to the file, written atomically."""
    path = Path(path)
    text = path.read_bytes().decode("utf-8")
    write_atomically(path, change(text).encode("utf-8"))
