"""The stable id of every multilingual text, and where it is written.

`<entry id>:<field path>`: the entry's id (unique across the Handbook) or, for a file holding
a single entry, its kind (`handbook`, `ui`, `matrix`, `capacity-grid`…), then the field's path
as the validator writes it (list positions count from 1): `wp1-01:steps[2].description`.
"""

from __future__ import annotations

from collections.abc import Iterator

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


class Field:
    """A text with its id and where it is written (its line is looked up when asked for:
    the site build needs only the file)."""

    __slots__ = ("id", "text", "file", "_origins", "_position")

    def __init__(self, text_id: str, text: TextAt, file: str, origins: Origins):
        self.id, self.text, self.file = text_id, text, file
        self._origins, self._position = origins, None

    @property
    def position(self) -> tuple[int, int]:
        if self._position is None:
            _, prefix = self._origins.entries[(self.text.kind, self.text.entry_id)]
            self._position = self._origins.documents[self.file].position(
                (*prefix, *self.text.loc))
        return self._position

    @property
    def line(self) -> int:
        return self.position[0]

    @property
    def column(self) -> int:
        return self.position[1]


def fields(content: Content, origins: Origins) -> Iterator[Field]:
    """Every text of the Handbook, in the Handbook's order. `file` is as the validator shows
    it, e.g. `handbook/sheets/wp1-01.yaml`."""
    for text in content.texts():
        file = origins.entries[(text.kind, text.entry_id)][0]
        yield Field(field_id(text), text, file, origins)
