"""Writing texts back into the Handbook's YAML without disturbing anything else: ruamel.yaml's
round trip keeps comments, key order, flow or block style and each value's quoting; only the
values set here change.

The files use two sequence indentations (`- ` at the key's column, or indented by two): each
file is written with the one that reproduces it byte for byte, and a file that neither
reproduces is refused rather than reformatted.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import (DoubleQuotedScalarString, FoldedScalarString,
                                      LiteralScalarString, ScalarString)

# (mapping, sequence, offset) indentations, as ruamel.yaml's YAML.indent() takes them.
_LAYOUTS = ((2, 2, 0), (2, 4, 2))


class LayoutNotKept(Exception):
    """The file cannot be written back identically: it would be reformatted."""


def _yaml(layout: tuple[int, int, int]) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 1_000_000  # never fold a long text onto several lines
    mapping, sequence, offset = layout
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def _dump(yaml: YAML, data) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


class YamlFile:
    """One Handbook file, loaded for editing."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.original = self.path.read_text(encoding="utf-8")
        for layout in _LAYOUTS:
            yaml = _yaml(layout)
            data = yaml.load(self.original)
            if _dump(yaml, data) == self.original:
                self.yaml, self.data = yaml, data
                return
        raise LayoutNotKept(f"{self.path.name}: its layout cannot be written back as it is")

    def text_map(self, loc: Sequence[str | int]) -> CommentedMap:
        node = self.data
        for part in loc:
            node = node[part]
        if not isinstance(node, CommentedMap):
            raise KeyError(f"no text at {list(loc)}")
        return node

    def set_text(self, loc: Sequence[str | int], lang: str, text: str,
                 order: Sequence[str]) -> None:
        """Set the `lang` text of the text at `loc`, in the style of the value it replaces;
        a new language is placed after the languages before it in `order`, in double
        quotes."""
        texts = self.text_map(loc)
        if lang in texts:
            texts[lang] = _styled(texts[lang], text)
            return
        earlier = set(order[:list(order).index(lang)])
        keys = list(texts)
        position = max((n + 1 for n, key in enumerate(keys) if key in earlier), default=len(keys))
        texts.insert(position, lang, DoubleQuotedScalarString(text))

    def render(self) -> str:
        return _dump(self.yaml, self.data)


def _styled(old, text: str):
    """`text` written as `old` was: double or single quotes, a block (`|`, `>`), or plain —
    plain only while the text stays on one line."""
    if isinstance(old, (LiteralScalarString, FoldedScalarString)):
        keep_end = str(old).endswith("\n")
        return type(old)(text + ("\n" if keep_end and not text.endswith("\n") else ""))
    if isinstance(old, ScalarString):
        return type(old)(text)
    return text if "\n" not in text else DoubleQuotedScalarString(text)
