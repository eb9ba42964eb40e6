"""JSON Schemas of every kind of file, generated from models.py and committed under
`handbook/schemas/` so that editors' YAML plugins validate and complete while typing.

The language keys of text fields come from handbook.yaml, hence the generation step.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from .layout import KINDS, FileKind
from .text import MARKDOWN_PLACEHOLDER, PLAIN_PLACEHOLDER

_MARKER = next(iter(PLAIN_PLACEHOLDER))
_DEFS = {PLAIN_PLACEHOLDER[_MARKER]: "Text", MARKDOWN_PLACEHOLDER[_MARKER]: "MarkdownText"}


def _text_schema(languages: dict[str, str], markdown: bool, optional: frozenset[str]) -> dict:
    kind = "Markdown is allowed (emphasis, lists, links)." if markdown else "Plain text."
    return {
        "type": "object",
        "description": f"One text per language ({', '.join(languages)}); the first is the "
                       f"source. {kind}",
        "properties": {code: {"type": "string", "minLength": 1,
                              "description": f"{name} text" + (
                                  " (optional: the fallback language's text is shown without "
                                  "it)" if code in optional else "")}
                       for code, name in languages.items()},
        "required": [code for code in languages if code not in optional],
        "additionalProperties": False,
    }


def schema_for(kind: FileKind, languages: dict[str, str],
               optional: frozenset[str] = frozenset()) -> dict:
    """`optional`: the languages with a fallback, which a text may leave out."""
    header = {"$schema": "https://json-schema.org/draft/2020-12/schema",
              "title": f"FAASST Handbook: {kind.title}"}
    return header | text_schemas_for(kind.adapter, languages, optional)


def text_schemas_for(adapter: TypeAdapter, languages: dict[str, str],
                     optional: frozenset[str] = frozenset()) -> dict:
    """The JSON Schema of what `adapter` validates, with the text fields of `languages`
    (without a title: the caller gives one). Also used for the open data's handbook.json."""
    schema = adapter.json_schema(ref_template="#/$defs/{model}")
    schema = _replace_placeholders(schema)
    defs = schema.setdefault("$defs", {})
    defs["Text"] = _text_schema(languages, markdown=False, optional=optional)
    defs["MarkdownText"] = _text_schema(languages, markdown=True, optional=optional)
    return {k: v for k, v in schema.items() if k != "title"}


def _replace_placeholders(node: Any) -> Any:
    if isinstance(node, dict):
        if _MARKER in node:  # keep the field's title and description beside the $ref
            rest = {k: v for k, v in node.items() if k != _MARKER}
            return {"$ref": f"#/$defs/{_DEFS[node[_MARKER]]}"} | rest
        return {k: _replace_placeholders(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_replace_placeholders(v) for v in node]
    return node


def render_all(languages: dict[str, str],
               optional: frozenset[str] = frozenset()) -> dict[str, str]:
    """File name → JSON text, for every kind."""
    return {kind.schema_file: json.dumps(schema_for(kind, languages, frozenset(optional)),
                                         indent=2, ensure_ascii=False) + "\n"
            for kind in KINDS}


def stale_schemas(schema_dir: Path, languages: dict[str, str],
                  optional: frozenset[str] = frozenset()) -> list[str]:
    """Names of committed schemas that differ from what the models generate now."""
    return [name for name, text in render_all(languages, optional).items()
            if not (schema_dir / name).is_file()
            or (schema_dir / name).read_text(encoding="utf-8") != text]


def write_all(schema_dir: Path, languages: dict[str, str],
              optional: frozenset[str] = frozenset()) -> list[str]:
    schema_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render_all(languages, optional).items():
        path = schema_dir / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(name)
    return written
