"""The stable id of every multilingual text, and where it is written.

`<entry id>:<field path>`: the entry's id (unique across the Handbook) or, for a file holding
a single entry, its kind (`handbook`, `ui`, `matrix`, `capacity-grid`…), then the field's path
as the validator writes it (list positions count from 1): `wp1-01:steps[2].description`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..source.content import Content, TextAt
from ..source.origins import Origins
from ..source.problems import field_path


def field_id(text: TextAt) -> str:
    return f"{text.entry_id or text.kind}:{field_path(text.loc)}"


def entry_key(text_id: str) -> str:
    """`wp1-01:steps[2].title` → `wp1-01`: the entry a field belongs to."""
    return text_id.split(":", 1)[0]


def matches(text_id: str, wanted: str) -> bool:
    """`--field wp1-01:steps[2]` selects the step's title, description and outputs; a bare
    entry id (`wp1-01`) selects all its fields."""
    if ":" not in wanted:
        return entry_key(text_id) == wanted
    return text_id == wanted or text_id.startswith((wanted + ".", wanted + "["))


@dataclass(frozen=True)
class Field:
    """A text with its id and where it is written."""

    id: str
    text: TextAt
    file: str  # as the validator shows it, e.g. `handbook/sheets/wp1-01.yaml`
    line: int
    column: int


def fields(content: Content, origins: Origins) -> Iterator[Field]:
    """Every text of the Handbook, in the Handbook's order."""
    for text in content.texts():
        file, line, column, _ = origins.locate(text.kind, text.entry_id, text.loc)
        yield Field(field_id(text), text, file, line, column)
