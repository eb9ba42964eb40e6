"""The capacity self-assessment's answers file (issue 13): its name, its version and its JSON
Schema, shared by the page (templates/self-assessment.html.j2), its script
(docs/assets/javascripts/self-assessment.js, which checks imported files against the same
rules) and the published schema (`assessment.schema.json` at the site's root, written by
publish/finish.py: a stable URL that every exported file names in `$schema`).

The file holds criterion ids and level numbers, never texts: an assessment made in one language
opens in every other, and a grid whose wording changed still reads old files. Raise VERSION
only for a change that a reader of the previous version would misread; readers refuse a newer
version with a message rather than guess. Ids a newer grid no longer has are not an error of
the file: the page reports them and keeps them.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from annotated_types import Ge, Le

from ..source import models as m

FORMAT = "faasst-capacity-self-assessment"
VERSION = 1
SCHEMA_FILE = "assessment.schema.json"  # at the site's root, shared by every language
MAX_FILE_BYTES = 1_000_000  # an answers file is a few kilobytes; refuse anything huge
MAX_NOTE = 10_000  # characters of one criterion's note
MAX_NAME = 200  # characters of the organisation's name


def _level_bounds() -> tuple[int, int]:
    """The bounds a level number may take in any grid (models.Level)."""
    metadata = m.Level.model_fields["level"].metadata
    low = next(item.ge for item in metadata if isinstance(item, Ge))
    high = next(item.le for item in metadata if isinstance(item, Le))
    return low, high


LEVEL_MIN, LEVEL_MAX = _level_bounds()
CRITERION_PATTERN = m.ID_PATTERNS["criterion"]
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
LANGUAGE_PATTERN = r"^[a-z]{2,3}$"


def schema_url(site_url: str) -> str:
    return site_url.rstrip("/") + "/" + SCHEMA_FILE


def storage_key(site_url: str) -> str:
    """The browser's localStorage key: one per site, so that two Handbooks opened from the
    same origin (two offline copies under file://) never mix. Not per version: the stored
    answers carry their version, and a later page must still find them."""
    parts = urlsplit(site_url)
    site = (parts.netloc + parts.path).rstrip("/") or "handbook"
    return f"{site}:{FORMAT}"


def file_schema(site_url: str) -> dict:
    """The JSON Schema (draft 2020-12) of version VERSION of the answers file."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_url(site_url),
        "title": f"FAASST Handbook: capacity self-assessment answers, version {VERSION}",
        "description": "Answers to the capacity grid's criteria, as exported by the Handbook's "
                       "self-assessment page. Criteria are named by their id and levels by "
                       "their number, so a file opens in every language of the Handbook.",
        "type": "object",
        "required": ["format", "version", "answers"],
        "additionalProperties": False,
        "properties": {
            "$schema": {"type": "string", "description": "This schema's address."},
            "format": {"const": FORMAT, "description": "What the file is."},
            "version": {"const": VERSION, "description": "Version of this format."},
            "organisation": {"type": "string", "maxLength": MAX_NAME,
                             "description": "Who assessed their capacities."},
            "date": {"type": "string", "pattern": DATE_PATTERN, "format": "date",
                     "description": "When the assessment was made (YYYY-MM-DD)."},
            "language": {"type": "string", "pattern": LANGUAGE_PATTERN,
                         "description": "Language of the page it was exported from "
                                        "(for information: the answers do not depend on it)."},
            "saved": {"type": "string", "format": "date-time",
                      "description": "When the file was written."},
            "grid_reviewed": {"type": "string", "pattern": DATE_PATTERN, "format": "date",
                              "description": "Review date of the capacity grid the answers "
                                             "were given against."},
            "answers": {
                "type": "object",
                "description": "Criterion id → its answer.",
                "propertyNames": {"pattern": CRITERION_PATTERN},
                "additionalProperties": {"$ref": "#/$defs/Answer"},
            },
        },
        "$defs": {
            "Answer": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "level": {"type": ["integer", "null"], "minimum": LEVEL_MIN,
                              "maximum": LEVEL_MAX,
                              "description": "The level reached, a number of the grid's "
                                             "scale; null or absent: not assessed."},
                    "note": {"type": "string", "maxLength": MAX_NOTE,
                             "description": "Evidence, disagreements, next steps."},
                },
            },
        },
    }


def page_rules() -> dict:
    """What the page's script checks an imported file against: the schema's rules, as data."""
    return {"format": FORMAT, "version": VERSION, "level_min": LEVEL_MIN,
            "level_max": LEVEL_MAX, "criterion_pattern": CRITERION_PATTERN,
            "date_pattern": DATE_PATTERN, "language_pattern": LANGUAGE_PATTERN,
            "max_note": MAX_NOTE, "max_name": MAX_NAME, "max_bytes": MAX_FILE_BYTES}
