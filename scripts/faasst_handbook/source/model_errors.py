"""Turn pydantic's validation errors into plain-words Problems with a line and column.

pydantic says "Input should be a valid string"; an editor needs "`NO` was read as a yes/no
value, not as text: put it in quotes". The raw text and position of every value come from
yaml_source.YamlDocument.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from .models import ID_EXAMPLES, ID_PATTERNS
from .problems import Loc, Problem, did_you_mean, field_path
from .yaml_reader import YamlDocument

_EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "bool_type": "true or false",
    "list_type": "a list (one `- ` item per line)",
    "dict_type": "a block of fields (indented `name: value` lines)",
    "model_type": "a block of fields (indented `name: value` lines)",
    "model_attributes_type": "a block of fields (indented `name: value` lines)",
    "date_type": "a date written YYYY-MM-DD",
    "text_not_string": "text",
}
_READ_AS = {
    "bool": "a yes/no value",
    "int": "a number",
    "float": "a number",
    "timestamp": "a date",
}
_PATTERN_KINDS = {pattern: kind for kind, pattern in ID_PATTERNS.items()}


def problems_from_validation(error: ValidationError, doc: YamlDocument, root_type: Any) -> list[Problem]:
    errors = error.errors()
    # A misspelt field is reported once: "unknown field `sumary`. Did you mean `summary`?"
    # explains why `summary` is missing, so that is not reported a second time.
    misspelt = set()
    for err in errors:
        if err["type"] == "extra_forbidden":
            loc = _data_loc(doc.data, err["loc"], keep_last=True)
            match = difflib.get_close_matches(str(loc[-1]), _allowed_keys(root_type, loc[:-1]),
                                              n=1, cutoff=0.6)
            if match:
                misspelt.add((*loc[:-1], match[0]))
    return [_problem(err, doc, root_type) for err in errors
            if not (err["type"] == "missing"
                    and _data_loc(doc.data, err["loc"], keep_last=True) in misspelt)]


def _problem(err: dict, doc: YamlDocument, root_type: Any) -> Problem:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    loc = _data_loc(doc.data, err["loc"], keep_last=kind == "missing")
    if "key" in ctx:  # a text's language line, e.g. title.en
        loc = (*loc, ctx["key"])
    value = err.get("input")
    scalar = doc.scalars.get(loc)

    if kind == "missing":
        parent = loc[:-1]
        message = f"the required field `{loc[-1]}` is missing: add `{loc[-1]}: ...` to this block."
        line, column = doc.position(parent)
        return Problem(doc.file, line, column, field_path(loc), message, "missing-field")
    if kind == "extra_forbidden":
        allowed = _allowed_keys(root_type, loc[:-1])
        message = f"unknown field `{loc[-1]}`.{did_you_mean(str(loc[-1]), allowed)}"
        if allowed and not did_you_mean(str(loc[-1]), allowed):
            message = (f"unknown field `{loc[-1]}`: remove it. The fields allowed here are: "
                       f"{', '.join(allowed)}.")
        line, column = doc.key_position(loc)
        return Problem(doc.file, line, column, field_path(loc), message, "unknown-field")
    if kind == "text_unknown_language":
        line, column = doc.key_position(loc)
        message = err["msg"] + did_you_mean(ctx["code"], ctx["choices"])
        return Problem(doc.file, line, column, field_path(loc), message, "unknown-language")

    line, column = doc.position(loc)
    code = kind.replace("_", "-")
    if scalar is not None and scalar.kind == "null":
        message = "this field is empty: write a value."
        code = "empty"
    elif kind in _EXPECTED and scalar is not None and scalar.kind in _READ_AS:
        expected = _EXPECTED[kind]
        message = (f"`{scalar.raw}` was read as {_READ_AS[scalar.kind]}, but {expected} is "
                   f"expected here.")
        if expected == "text":
            message += f' Put it in quotes: "{scalar.raw}".'
        code = "wrong-type"
    elif kind in ("int_type", "int_from_float") and isinstance(value, str) \
            and re.fullmatch(r"\s*-?\d+\s*", value):
        message = (f"`{value.strip()}` is written in quotes, so it is read as text, but a whole "
                   "number is expected here: remove the quotes.")
        code = "wrong-type"
    elif kind == "list_type" and isinstance(value, (str, int, float)):
        message = (f"expected {_EXPECTED[kind]}, found {_describe(value)}. Write it as a list: "
                   f"`[{value}]`.")
        code = "wrong-type"
    elif kind in _EXPECTED:
        message = f"expected {_EXPECTED[kind]}, found {_describe(value)}."
        code = "wrong-type"
    elif kind == "literal_error":
        choices = re.findall(r"'([^']*)'", ctx.get("expected", ""))
        message = (f"`{value}` is not an allowed value. Use one of: {', '.join(choices)}."
                   f"{did_you_mean(str(value), choices)}")
        code = "not-allowed"
    elif kind == "string_pattern_mismatch":
        message = _pattern_message(str(value), ctx.get("pattern", ""), scalar)
        code = "bad-format"
    elif kind in ("too_short", "string_too_short"):
        if isinstance(value, list):
            wanted = ctx.get("min_length")
            message = (f"needs at least {wanted} item{'s' if wanted != 1 else ''}; it has "
                       f"{len(value)}. Add {wanted - len(value)} more.")
        else:
            message = "this field is empty: write a value."
        code = "too-short"
    elif kind == "too_long":
        extra = (ctx.get("actual_length") or 0) - (ctx.get("max_length") or 0)
        message = (f"has {ctx.get('actual_length')} items; at most {ctx.get('max_length')} are "
                   f"allowed. Remove {extra}.")
    elif kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bound = next(iter(ctx.values()), "")
        word = "at least" if kind.startswith("greater") else "at most"
        message = f"must be {word} {bound}."
    elif kind.startswith(("text_", "date_format", "url")) or kind in ("value_error",):
        message = err["msg"]
        message = message[0].lower() + message[1:] if message else message
    else:
        message = f"{err['msg'].rstrip('.')}."
    return Problem(doc.file, line, column, field_path(loc), message, code)


def _pattern_message(value: str, pattern: str, scalar) -> str:
    if pattern in _PATTERN_KINDS:
        kind = _PATTERN_KINDS[pattern]
        return (f"`{value}` is not a valid {kind} id. Ids use lowercase ASCII letters, digits "
                f"and hyphens: write it like `{ID_EXAMPLES[kind]}`.")
    if "[0-9]+(\\.[0-9]+)*" in pattern:
        return f'`{value}` is not an edition number: write it in quotes, like "1.0".'
    return f"`{value}` does not have the expected form."


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a block of fields"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the text `{value[:40]}`"
    return f"`{value}`"


def _data_loc(data: Any, loc: tuple, keep_last: bool) -> Loc:
    """Keep the parts of pydantic's loc that are real keys or positions in the data.

    pydantic adds names of union members and validators to loc; they mean nothing to editors.
    """
    out: list[str | int] = []
    node = data
    parts = list(loc)
    for index, part in enumerate(parts):
        is_last = index == len(parts) - 1
        if isinstance(node, dict) and part in node:
            out.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            out.append(part)
            node = node[part]
        elif is_last and keep_last and isinstance(part, str) and not part.startswith(("function-", "[")):
            out.append(part)
    return tuple(out)


def _allowed_keys(root_type: Any, loc: Loc) -> list[str]:
    """The field names a model accepts at `loc`, for 'did you mean'."""
    tp = root_type
    for part in loc:
        tp = _unwrap(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            field = tp.model_fields.get(str(part))
            tp = field.annotation if field else None
        elif typing.get_origin(tp) is list:
            tp = typing.get_args(tp)[0]
        elif typing.get_origin(tp) is dict:
            tp = typing.get_args(tp)[1]
        else:
            return []
    tp = _unwrap(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return list(tp.model_fields)
    return []


def _unwrap(tp: Any) -> Any:
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            tp = args[0] if len(args) == 1 else tp
            if len(args) != 1:
                return tp
        else:
            return tp
