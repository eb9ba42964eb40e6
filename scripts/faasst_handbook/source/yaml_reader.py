"""Read one YAML file into plain data, remembering where every key and value was written.

`yaml.safe_load` is not safe enough for editors: it silently keeps the last of two duplicate
keys, expands aliases (a 200-byte "alias bomb" becomes megabytes) and reads `NO`, `1.10` or
`2025-06-30` as a boolean, a float and a date. We build the data from the parser's events
instead, refuse what editors should not write, and keep a position and the raw text of every
scalar so that later checks can say "line 12, column 5: `NO` was read as yes/no".
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from .characters import refused_in_file
from .problems import Loc, Problem, field_path

MAX_FILE_BYTES = 2 * 1024 * 1024  # a catalogue of a thousand-sheet Handbook is ~1 MB
MAX_DEPTH = 40

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml is several times faster
_STR_TAG = "tag:yaml.org,2002:str"
_ALLOWED_TAGS = {_STR_TAG, "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
                 "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null",
                 "tag:yaml.org,2002:timestamp"}


class Scalar(NamedTuple):
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
    first_line: str = ""  # the schema declaration, checked by the loader
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

    def __init__(self, line: int, column: int, message: str, code: str, loc: Loc = ()):
        super().__init__(message)
        self.line, self.column, self.message, self.code = line, column, message, code
        self.loc = loc


def read_yaml(path: Path, shown_as: str) -> tuple[YamlDocument | None, list[Problem]]:
    """Read `path`; on failure return None and the problems (never raises for bad content).
    `path` must be a regular file (files.py lists them); it is opened without following a
    symbolic link and read with a bounded read."""
    return parse_yaml(read_bounded(path), shown_as)


def parse_yaml(raw: bytes | tuple[str, str],
               shown_as: str) -> tuple[YamlDocument | None, list[Problem]]:
    """Parse what `read_bounded` returned (the bytes, or why they could not be read)."""

    def problem(line: int, column: int, message: str, code: str, where: str = "") -> list[Problem]:
        return [Problem(shown_as, line, column, where, message, code)]

    if isinstance(raw, tuple):
        return None, problem(1, 1, *raw)
    if raw.startswith(b"\xef\xbb\xbf"):
        return None, problem(1, 1, "the file starts with an invisible byte-order mark (BOM). "
                             "Save it as 'UTF-8' without BOM.", "bom")
    if b"\x00" in raw:  # text never holds NUL bytes; documents, images and archives do
        line, column = _position_of_byte(raw, raw.index(b"\x00"))
        return None, problem(line, column, "this is not a text file (it holds binary data, e.g. "
                             "a Word, PDF or image file saved under a .yaml name). Replace it "
                             "with the YAML text.", "binary")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _position_of_byte(raw, error.start)
        return None, problem(line, column, "the file is not valid UTF-8 text (it was probably "
                             "saved as Latin-1 or Windows-1252). Save it as 'UTF-8'.", "encoding")
    refused = [Problem(shown_as, line, column, "", message, code)
               for line, column, message, code in refused_in_file(text)]
    if refused:
        return None, refused
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        return None, problem(1, 1, "the file is empty: write its content (see the other files "
                             "of the same kind), or delete it if it was created by mistake.",
                             "empty-file")

    document = YamlDocument(shown_as, None, text.split("\n", 1)[0].rstrip("\r"))
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
        return None, problem(refused.line, refused.column, refused.message, refused.code,
                             field_path(refused.loc))
    except yaml.MarkedYAMLError as error:
        lines = text.splitlines()
        line, column, message, code, key_on_line = _syntax_problem(error, lines)
        where = _enclosing_field(document, lines, line, column, key_on_line)
        return None, problem(line, column, message, code, field_path(where))
    except yaml.YAMLError as error:  # refused_characters() finds what the reader refuses
        return None, problem(1, 1, "the YAML cannot be read: compare the file with another of "
                             "the same kind.", "syntax")
    finally:
        loader.dispose()
    return document, problems


def _read_node(loader, doc: YamlDocument, loc: Loc, problems: list[Problem], depth: int) -> Any:
    # The hot loop of every build (a thousand sheets are half a million events): exact types
    # and attributes rather than isinstance() and getattr(), one call per event.
    event = loader.get_event()
    mark = event.start_mark
    line, column = mark.line + 1, mark.column + 1
    kind = type(event)
    if depth > MAX_DEPTH:
        raise _Refused(line, column, "the content is nested too deeply: remove levels of "
                       "indentation or brackets.", "too-deep", loc)
    if kind is yaml.AliasEvent:
        raise _Refused(line, column, f"YAML aliases (`*{event.anchor}`) are not allowed: "
                       "write the content out in full.", "alias", loc)
    if kind not in _NODE_EVENTS:
        raise _Refused(line, column, "unexpected YAML content.", "syntax")  # pragma: no cover
    if event.anchor:
        raise _Refused(line, column, f"YAML anchors (`&{event.anchor}`) are not allowed: "
                       "write the content out in full where it is needed.", "anchor", loc)
    tag = event.tag
    if tag is not None and tag != "!" and _full_tag(tag) not in _ALLOWED_TAGS:
        raise _Refused(line, column, f"the YAML tag `{tag}` is not supported: remove it.", "tag",
                       loc)
    doc.values[loc] = (line, column)

    if kind is yaml.ScalarEvent:
        return _scalar(loader, doc, loc, event, line, column)
    if kind is yaml.SequenceStartEvent:
        items: list[Any] = []
        while not loader.check_event(yaml.SequenceEndEvent):
            items.append(_read_node(loader, doc, (*loc, len(items)), problems, depth + 1))
        loader.get_event()
        return items
    mapping: dict[str, Any] = {}
    keys = doc.keys
    while True:
        key_event = loader.get_event()
        key_kind = type(key_event)
        if key_kind is yaml.MappingEndEvent:
            return mapping
        mark = key_event.start_mark
        key_line, key_column = mark.line + 1, mark.column + 1
        if key_kind is not yaml.ScalarEvent:
            raise _Refused(key_line, key_column, "a key must be a simple word followed by "
                           "`:`: write it as `name: value`.", "complex-key", loc)
        if key_event.anchor:
            raise _Refused(key_line, key_column, "YAML anchors are not allowed: write the "
                           "content out in full.", "anchor", loc)
        key = key_event.value
        if key == "<<":
            raise _Refused(key_line, key_column, "YAML merge keys (`<<`) are not allowed: "
                           "write the fields out in full.", "merge-key", loc)
        key_loc = (*loc, key)
        if key in mapping:
            first_line = keys[key_loc][0]
            problems.append(Problem(doc.file, key_line, key_column, field_path(key_loc),
                                    f"the key `{key}` appears twice in the same block "
                                    f"(first on line {first_line}). Keep only one.",
                                    "duplicate-key"))
            # Read past the second value without letting it replace the first one.
            _read_node(loader, YamlDocument(doc.file, None), (), problems, depth + 1)
            continue
        keys[key_loc] = (key_line, key_column)
        mapping[key] = _read_node(loader, doc, key_loc, problems, depth + 1)


_NODE_EVENTS = (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)
_QUOTED_STYLES = ("'", '"', "|", ">")
_resolved: dict[tuple[str, tuple], str] = {}  # plain scalar text → tag (ids repeat a lot)


def _scalar(loader, doc: YamlDocument, loc: Loc, event, line: int, column: int) -> Any:
    quoted = event.style in _QUOTED_STYLES
    if quoted or not event.implicit[0] or event.tag and _full_tag(event.tag) == _STR_TAG:
        doc.scalars[loc] = Scalar(line, column, event.value, "str", quoted)
        return event.value
    key = (event.value, event.implicit)
    tag = _resolved.get(key)
    if tag is None:
        tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
        if len(_resolved) < 100_000:
            _resolved[key] = tag
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


def read_bounded(path: Path) -> bytes | tuple[str, str]:
    """The file's bytes, or (message, code). Never follows a link, never blocks on a pipe,
    never reads more than MAX_FILE_BYTES + 1 bytes."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) \
        | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        return f"the file cannot be read ({error.strerror}).", "unreadable"
    with os.fdopen(descriptor, "rb", buffering=0) as handle:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):  # replaced by something else since it was listed
            return "this is not a regular file: delete it.", "special-file"
        if info.st_size > MAX_FILE_BYTES:
            return _too_large(info.st_size), "too-large"
        chunks, size = [], 0
        while size <= MAX_FILE_BYTES:
            chunk = handle.read(MAX_FILE_BYTES + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    if size > MAX_FILE_BYTES:  # it grew while being read
        return _too_large(size), "too-large"
    return b"".join(chunks)


def _too_large(size: int) -> str:
    return (f"the file is too large ({size // 1024} KB; the limit is {MAX_FILE_BYTES // 1024} "
            "KB). It probably holds pasted material (an image, a copied web page or "
            "document): remove it.")


def _position_of_byte(raw: bytes, offset: int) -> tuple[int, int]:
    """Line and column (in characters, as editors count them) of a byte offset."""
    before = raw[:offset]
    line = before.count(b"\n") + 1
    line_start = before.rfind(b"\n") + 1
    column = len(before[line_start:].decode("utf-8", errors="replace")) + 1
    return line, column




_TAB_MESSAGE = ("a tab character is used here; YAML only accepts spaces for indentation. "
                "Replace the tab with spaces.")
_UNCLOSED_QUOTE_MESSAGE = ("a quotation mark is opened but never closed. Add the closing "
                           "quote, or write a doubled quote ('') for an apostrophe inside "
                           "single quotes.")


def _syntax_problem(error: yaml.MarkedYAMLError,
                    lines: list[str]) -> tuple[int, int, str, str, str | None]:
    """Where a syntax error really is, in words for editors: (line, column, message, code,
    the key written on that line when the message is about that key's line)."""
    # An unclosed quote or bracket is reported where the file ends; point at its start.
    starts = ("while scanning a quoted", "while parsing a flow")
    opened = error.context_mark if (error.context or "").startswith(starts) else None
    mark = opened or error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    error_line = (error.problem_mark.line + 1) if error.problem_mark else line
    if "\t" in "".join(lines[max(0, error_line - 2):error_line]):
        tab_line = next(n for n in range(max(1, error_line - 1), error_line + 1)
                        if "\t" in lines[n - 1])
        return tab_line, lines[tab_line - 1].index("\t") + 1, _TAB_MESSAGE, "tab", None
    unclosed = _unclosed_quote(lines[:error_line])
    if unclosed:
        return (*unclosed, _UNCLOSED_QUOTE_MESSAGE, "syntax", None)
    apostrophe = _early_apostrophe(lines, error_line)
    if apostrophe:
        return apostrophe
    words = " ".join(filter(None, [error.context or "", error.problem or ""]))
    if "mapping values are not allowed" in words and error.problem_mark:
        explained = _unexpected_colon(lines, error.problem_mark.line + 1,
                                      error.problem_mark.column + 1)
        if explained:
            return explained
    return line, column, _explain_syntax_error(error), "syntax", None


_KEY_AT_START = re.compile(r"^(\s*(?:-\s+)*)([A-Za-z_][\w-]*)\s*:(?:\s|$)")
_EARLY_APOSTROPHE = re.compile(r"(?:^|[\s\[{,:])'([^']*)'(?=[^\W\d_])")


def _early_apostrophe(lines: list[str], error_line: int):
    """`fr: 'réunit l'équipe'`: in single quotes, an apostrophe ends the text."""
    for number in range(error_line, max(0, error_line - 3), -1):
        text = lines[number - 1] if number <= len(lines) else ""
        match = _EARLY_APOSTROPHE.search(text)
        if match and '"' not in text[:match.start()]:
            word = re.match(r"[^\W_]*", text[match.end():]).group(0)
            before = re.search(r"[^\W_]*$", match.group(1)).group(0)
            return (number, match.end(1) + 1,
                    f"the apostrophe in `{before}'{word}` ends the text too early, because the "
                    "text is written between single quotes. Write the text between double "
                    f"quotes instead, or double the apostrophe: `{before}''{word}`.", "syntax",
                    None)
    return None


def _unexpected_colon(lines: list[str], line: int, column: int):
    """`mapping values are not allowed here`: either the text itself contains `: ` (French
    typography!) or the line is indented as if it continued the line above."""
    text = lines[line - 1]
    key = _KEY_AT_START.match(text)
    if key and key.end() < column:
        value = text[key.end():].strip()
        return (line, key.end() + 1,
                f"this text contains `: `, which YAML reads as the start of a new field. Put "
                f"the whole text in double quotes: `{key.group(2)}: \"{value}\"`.", "syntax",
                None)
    previous = next((n for n in range(line - 1, 0, -1)
                     if lines[n - 1].strip() and not lines[n - 1].lstrip().startswith("#")), None)
    if key and previous:
        indent = len(text) - len(text.lstrip())
        above = lines[previous - 1]
        if indent > len(above) - len(above.lstrip()):
            return (line, indent + 1,
                    f"this line is indented further than line {previous}, so YAML reads it as "
                    f"the continuation of the value on line {previous}. Remove the extra spaces "
                    "at the start of this line, to align it with the other fields of its block.",
                    "indentation", key.group(2))
    return None


def _enclosing_field(doc: YamlDocument, lines: list[str], line: int, column: int,
                     key_on_line: str | None) -> Loc:
    """The field a syntax error is in: the last key written at the start of a line (not inside
    `{...}`) before the error, as far as the file could be read."""
    best: tuple[tuple[int, int], Loc] | None = None
    for loc, (key_line, key_column) in doc.keys.items():
        if (key_line, key_column) > (line, column) or key_line > len(lines):
            continue
        if lines[key_line - 1][:key_column - 1].strip(" -"):
            continue  # a key inside a flow mapping: too fine-grained to be sure of
        if key_on_line and key_line >= line:
            continue
        if best is None or (key_line, key_column) > best[0]:
            best = ((key_line, key_column), loc)
    if best is None:
        return (key_on_line,) if key_on_line else ()
    loc = best[1]
    return (*loc[:-1], key_on_line) if key_on_line else loc


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
     "missing a comma): add the missing `]` or comma."),
    ("expected ',' or '}'", "a block opened with `{` is not closed with `}` (or a field is "
     "missing a comma): add the missing `}` or comma."),
    ("found unexpected end of stream", "the file ends in the middle of something: a quote or "
     "bracket is not closed. Add the closing quote or bracket."),
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
]


def _explain_syntax_error(error: yaml.MarkedYAMLError) -> str:
    words = " ".join(filter(None, [error.context or "", error.problem or ""]))
    for needle, explanation in _SYNTAX_HINTS:
        if needle in words:
            return explanation
    return (f"the YAML syntax is broken here ({error.problem or words}). Compare this line "
            "with a similar one in another file and correct it.")
