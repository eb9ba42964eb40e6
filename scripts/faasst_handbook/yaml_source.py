"""Read one YAML file into plain data, remembering where every key and value was written.

`yaml.safe_load` is not safe enough for editors: it silently keeps the last of two duplicate
keys, expands aliases (a 200-byte "alias bomb" becomes megabytes) and reads `NO`, `1.10` or
`2025-06-30` as a boolean, a float and a date. We build the data from the parser's events
instead, refuse what editors should not write, and keep a position and the raw text of every
scalar so that later checks can say "line 12, column 5: `NO` was read as yes/no".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Loc, Problem

MAX_FILE_BYTES = 512 * 1024
MAX_DEPTH = 40

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml is several times faster
_STR_TAG = "tag:yaml.org,2002:str"
_ALLOWED_TAGS = {_STR_TAG, "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
                 "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null",
                 "tag:yaml.org,2002:timestamp"}


@dataclass(frozen=True)
class Scalar:
    """A scalar as written: where, the raw text, and what YAML made of it."""

    line: int
    column: int
    raw: str
    kind: str  # str, int, float, bool, null, timestamp
    quoted: bool


@dataclass
class YamlDocument:
    file: str  # path as shown to editors
    data: Any
    values: dict[Loc, tuple[int, int]] = field(default_factory=dict)  # position of each value
    keys: dict[Loc, tuple[int, int]] = field(default_factory=dict)  # position of each key
    scalars: dict[Loc, Scalar] = field(default_factory=dict)

    def position(self, loc: Loc) -> tuple[int, int]:
        """Where to point for `loc`: the value if known, else its key, else the nearest parent."""
        for end in range(len(loc), -1, -1):
            sub = loc[:end]
            if sub in self.values:
                return self.values[sub]
            if sub in self.keys:
                return self.keys[sub]
        return (1, 1)

    def key_position(self, loc: Loc) -> tuple[int, int]:
        return self.keys.get(loc) or self.position(loc)


class _Refused(Exception):
    """A construct we stop reading at (the file cannot be understood past it)."""

    def __init__(self, line: int, column: int, message: str, code: str):
        super().__init__(message)
        self.line, self.column, self.message, self.code = line, column, message, code


def read_yaml(path: Path, shown_as: str) -> tuple[YamlDocument | None, list[Problem]]:
    """Read `path`; on failure return None and the problems (never raises for bad content)."""

    def problem(line: int, column: int, message: str, code: str) -> list[Problem]:
        return [Problem(shown_as, line, column, "", message, code)]

    try:
        raw = path.read_bytes()
    except OSError as error:
        return None, problem(1, 1, f"the file cannot be read ({error.strerror}).", "unreadable")
    if len(raw) > MAX_FILE_BYTES:
        return None, problem(1, 1, f"the file is too large ({len(raw) // 1024} KB; the limit is "
                             f"{MAX_FILE_BYTES // 1024} KB). Split it or remove pasted material.",
                             "too-large")
    if raw.startswith(b"\xef\xbb\xbf"):
        return None, problem(1, 1, "the file starts with an invisible byte-order mark (BOM). "
                             "Save it as 'UTF-8' without BOM.", "bom")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _position_of_byte(raw, error.start)
        return None, problem(line, column, "the file is not valid UTF-8 text (it was probably "
                             "saved as Latin-1 or Windows-1252). Save it as 'UTF-8'.", "encoding")
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        return None, problem(1, 1, "the file is empty.", "empty-file")

    document = YamlDocument(shown_as, None)
    problems: list[Problem] = []
    loader = _Loader(text)
    try:
        loader.get_event()  # StreamStart
        loader.get_event()  # DocumentStart
        document.data = _read_node(loader, document, (), problems, 0)
        loader.get_event()  # DocumentEnd
        if not loader.check_event(yaml.StreamEndEvent):
            event = loader.peek_event()
            line, column = _mark(event)
            problems += problem(line, column, "the file holds more than one YAML document "
                                "(a line with `---`). Keep a single document per file.",
                                "several-documents")
    except _Refused as refused:
        return None, problem(refused.line, refused.column, refused.message, refused.code)
    except yaml.MarkedYAMLError as error:
        # An unclosed quote or bracket is reported where the file ends; point at its start.
        starts = ("while scanning a quoted", "while parsing a flow")
        opened = error.context_mark if (error.context or "").startswith(starts) else None
        mark = opened or error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        lines = text.splitlines()
        error_line = (error.problem_mark.line + 1) if error.problem_mark else line
        if "\t" in "".join(lines[max(0, error_line - 2):error_line]):
            tab_line = next(n for n in range(max(1, error_line - 1), error_line + 1)
                            if "\t" in lines[n - 1])
            return None, problem(tab_line, lines[tab_line - 1].index("\t") + 1,
                                 _TAB_MESSAGE, "tab")
        unclosed = _unclosed_quote(lines[:error_line])
        if unclosed:
            return None, problem(*unclosed, _UNCLOSED_QUOTE_MESSAGE, "syntax")
        return None, problem(line, column, _explain_syntax_error(error), "syntax")
    except yaml.YAMLError as error:  # pragma: no cover - libyaml always gives marks
        return None, problem(1, 1, f"the YAML cannot be read ({error}).", "syntax")
    finally:
        loader.dispose()
    return document, problems


def _read_node(loader, doc: YamlDocument, loc: Loc, problems: list[Problem], depth: int) -> Any:
    event = loader.get_event()
    line, column = _mark(event)
    if depth > MAX_DEPTH:
        raise _Refused(line, column, "the content is nested too deeply.", "too-deep")
    if isinstance(event, yaml.AliasEvent):
        raise _Refused(line, column, f"YAML aliases (`*{event.anchor}`) are not allowed: "
                       "write the content out in full.", "alias")
    if getattr(event, "anchor", None):
        raise _Refused(line, column, f"YAML anchors (`&{event.anchor}`) are not allowed: "
                       "write the content out in full where it is needed.", "anchor")
    tag = getattr(event, "tag", None)
    if tag not in (None, "!") and _full_tag(tag) not in _ALLOWED_TAGS:
        raise _Refused(line, column, f"the YAML tag `{tag}` is not supported: remove it.", "tag")
    doc.values[loc] = (line, column)

    if isinstance(event, yaml.ScalarEvent):
        return _scalar(loader, doc, loc, event, line, column)
    if isinstance(event, yaml.SequenceStartEvent):
        items = []
        while not loader.check_event(yaml.SequenceEndEvent):
            items.append(_read_node(loader, doc, (*loc, len(items)), problems, depth + 1))
        loader.get_event()
        return items
    if isinstance(event, yaml.MappingStartEvent):
        mapping: dict[str, Any] = {}
        while not loader.check_event(yaml.MappingEndEvent):
            key_event = loader.peek_event()
            key_line, key_column = _mark(key_event)
            if not isinstance(key_event, yaml.ScalarEvent):
                raise _Refused(key_line, key_column, "a key must be a simple word followed by "
                               "`:`.", "complex-key")
            loader.get_event()
            if key_event.anchor:
                raise _Refused(key_line, key_column, "YAML anchors are not allowed.", "anchor")
            key = key_event.value
            if key == "<<":
                raise _Refused(key_line, key_column, "YAML merge keys (`<<`) are not allowed: "
                               "write the fields out in full.", "merge-key")
            if key in mapping:
                first_line = doc.keys[(*loc, key)][0]
                problems.append(Problem(doc.file, key_line, key_column, "",
                                        f"the key `{key}` appears twice in the same block "
                                        f"(first on line {first_line}). Keep only one.",
                                        "duplicate-key"))
                # Read past the second value without letting it replace the first one.
                _read_node(loader, YamlDocument(doc.file, None), (), problems, depth + 1)
                continue
            doc.keys[(*loc, key)] = (key_line, key_column)
            mapping[key] = _read_node(loader, doc, (*loc, key), problems, depth + 1)
        loader.get_event()
        return mapping
    raise _Refused(line, column, "unexpected YAML content.", "syntax")  # pragma: no cover


def _scalar(loader, doc: YamlDocument, loc: Loc, event, line: int, column: int) -> Any:
    quoted = event.style in ("'", '"', "|", ">")
    if event.tag and _full_tag(event.tag) == _STR_TAG or quoted or not event.implicit[0]:
        tag = _STR_TAG
    else:
        tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
    kind = tag.rsplit(":", 1)[-1]
    doc.scalars[loc] = Scalar(line, column, event.value, kind, quoted)
    if kind == "str":
        return event.value
    try:
        value = loader.construct_object(yaml.ScalarNode(tag, event.value), deep=True)
    except (ValueError, yaml.YAMLError):  # e.g. 2025-13-45: matches the date pattern only
        doc.scalars[loc] = Scalar(line, column, event.value, "str", quoted)
        return event.value
    return value


def _full_tag(tag: str) -> str:
    return "tag:yaml.org,2002:" + tag[2:] if tag.startswith("!!") else tag


def _mark(event) -> tuple[int, int]:
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark else (1, 1)


def _position_of_byte(raw: bytes, offset: int) -> tuple[int, int]:
    before = raw[:offset]
    line = before.count(b"\n") + 1
    column = len(before) - (before.rfind(b"\n") + 1) + 1
    return line, column


_TAB_MESSAGE = ("a tab character is used here; YAML only accepts spaces for indentation. "
                "Replace the tab with spaces.")
_UNCLOSED_QUOTE_MESSAGE = ("a quotation mark is opened but never closed. Add the closing "
                           "quote, or write a doubled quote ('') for an apostrophe inside "
                           "single quotes.")


def _unclosed_quote(lines: list[str]) -> tuple[int, int] | None:
    """The first line whose double quotes do not pair up (editors write one text per line),
    as (line, column of the opening quote)."""
    for number, line in enumerate(lines, start=1):
        opened_at, inside, escaped = None, False, False
        for column, char in enumerate(line, start=1):
            if inside and char == "\\" and not escaped:
                escaped = True
                continue
            if char == '"' and not escaped:
                inside = not inside
                opened_at = column if inside else None
            elif char == "#" and not inside and (column == 1 or line[column - 2] == " "):
                break
            escaped = False
        if inside:
            return number, opened_at
    return None


# libyaml's messages, in the words of someone who is not a programmer.
_SYNTAX_HINTS = [
    ("found character '\\t'", _TAB_MESSAGE),
    ("found a tab character", _TAB_MESSAGE),
    ("while scanning a quoted scalar", _UNCLOSED_QUOTE_MESSAGE),
    ("mapping values are not allowed", "a `:` appears where YAML did not expect one. Check the "
     "indentation of this line; if the text itself contains `: `, put the text in quotes."),
    ("could not find expected ':'", "this line is not understood: a `key:` is missing its colon, "
     "or a quoted text is followed by more text. Check this line and the one above."),
    ("did not find expected key", "the indentation of this line does not match the lines "
     "around it. Align it with the other fields of the same block."),
    ("did not find expected '-' indicator", "the indentation of this list item does not match "
     "the other items of the list. Align the `-` signs."),
    ("expected ',' or ']'", "a list opened with `[` is not closed with `]` (or an item is "
     "missing a comma)."),
    ("expected ',' or '}'", "a block opened with `{` is not closed with `}` (or a field is "
     "missing a comma)."),
    ("found unexpected end of stream", "the file ends in the middle of something: a quote or "
     "bracket is not closed."),
    ("found undefined alias", "YAML aliases (`*name`) are not allowed: write the content out "
     "in full."),
    ("found character '@'", "a value cannot start with `@`: put the text in quotes."),
    ("found character '`'", "a value cannot start with a backtick: put the text in quotes."),
    ("found character '%'", "a value cannot start with `%`: put the text in quotes."),
    ("block sequence entries are not allowed", "a list item (`- `) appears where a value was "
     "expected. Check the indentation, or put the text in quotes if it starts with `-`."),
    ("found unknown escape character", "a backslash `\\` inside double quotes starts an unknown "
     "escape. Use single quotes, or write `\\\\` for a backslash."),
    ("expected <block end>, but found", "the indentation of this line does not match the block "
     "it belongs to. Align it with the lines above."),
    ("did not find expected node content", "a value is missing or a bracket is not closed. "
     "Check this line and the one above."),
    ("control characters are not allowed", "the file contains an invisible control character. "
     "Retype the line."),
]


def _explain_syntax_error(error: yaml.MarkedYAMLError) -> str:
    words = " ".join(filter(None, [error.context or "", error.problem or ""]))
    for needle, explanation in _SYNTAX_HINTS:
        if needle in words:
            return explanation
    return f"the YAML syntax is broken here ({error.problem or words})."
