"""Characters the Handbook refuses, and how messages show characters that cannot be seen.

- Control characters: YAML refuses them (with a message in programmer's words, at no line).
- Bidirectional controls: they make text display in another order than it is written, a known
  way to make a text, or a review of it, say something else ("Trojan Source").
- Invisible zero-width characters: they split words for search and for readers' tools.

The zero-width (non-)joiners U+200C/U+200D are needed by some scripts (Persian, Indic, emoji
sequences). None of the Handbook's languages needs them, so they are refused too; a language
that does adds them to INVISIBLE_ALLOWED (and this note says why).
"""

from __future__ import annotations

import re
import unicodedata

INVISIBLE_ALLOWED: frozenset[str] = frozenset()

_CONTROL_NAMES = {0x08: "backspace", 0x09: "tab", 0x0A: "line break", 0x0B: "vertical tab",
                  0x0C: "form feed", 0x0D: "carriage return", 0x1B: "escape", 0x7F: "delete",
                  0x85: "next line", 0x9B: "control sequence introducer",
                  0xFFFE: "not a character", 0xFFFF: "not a character"}
BIDI = {0x061C: "Arabic letter mark", 0x200E: "left-to-right mark",
        0x200F: "right-to-left mark", 0x202A: "left-to-right embedding",
        0x202B: "right-to-left embedding", 0x202C: "pop directional formatting",
        0x202D: "left-to-right override", 0x202E: "right-to-left override",
        0x2066: "left-to-right isolate", 0x2067: "right-to-left isolate",
        0x2068: "first strong isolate", 0x2069: "pop directional isolate"}
ZERO_WIDTH = {0x200B: "zero-width space", 0x200C: "zero-width non-joiner",
              0x200D: "zero-width joiner", 0x2060: "word joiner",
              0xFEFF: "zero-width no-break space", 0x180E: "Mongolian vowel separator"}
_INVISIBLE = "".join(chr(c) for c in (*BIDI, *ZERO_WIDTH))

# In a file: what YAML 1.1 accepts (tab, line breaks, printable ASCII, NEL, the rest of
# Unicode but surrogates and U+FFFE/U+FFFF), minus the invisible characters above.
_REFUSED_IN_FILE = re.compile(
    "[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[" + _INVISIBLE + "]")
# In a text value (after YAML has read escapes like "\x1b"): the same, and no line breaks
# but in Markdown fields, where they separate paragraphs and list items.
_REFUSED_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff" + _INVISIBLE + "]")
# In messages: anything that could break a line of output or hide what it says.
_UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff" + _INVISIBLE + "]")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}

MAX_REPORTED = 10


def escape(char: str) -> str:
    """`U+202E`: how a character that cannot be shown is written in messages."""
    return f"U+{ord(char):04X}"


def shown(text: str) -> str:
    """`text` with every character that cannot be shown escaped (`\\n`, `U+202E`)."""
    return _UNSHOWABLE.sub(lambda m: _ESCAPES.get(m.group(0)) or escape(m.group(0)), text)


def describe(char: str) -> tuple[str, str, str]:
    """(what it is, what it does or "", problem code) for a refused character."""
    code = ord(char)
    if code in BIDI:
        return (f"an invisible bidirectional control character ({escape(char)}, {BIDI[code]})",
                "it makes text display in another order than it is written", "bidi-control")
    if code in ZERO_WIDTH:
        return (f"an invisible character ({escape(char)}, {ZERO_WIDTH[code]})",
                "it splits words for search and screen readers", "invisible-character")
    name = _CONTROL_NAMES.get(code) or unicodedata.name(char, "control character").lower()
    return (f"an invisible control character ({escape(char)}, {name})",
            "it was probably pasted with the text", "control-character")


def refused_in_file(text: str) -> list[tuple[int, int, str, str]]:
    """(line, column in characters, message, code) for refused characters (a few at most)."""
    found = []
    for match in _REFUSED_IN_FILE.finditer(text):
        if match.group(0) in INVISIBLE_ALLOWED:
            continue
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        what, why, code = describe(match.group(0))
        found.append((line, column, f"{what} is here: {why}. Delete it (retype the characters "
                      "around it if you cannot see it).", code))
        if len(found) == MAX_REPORTED:
            break
    return found


def refused_in_text(text: str, markdown: bool) -> str | None:
    """The first refused character of a text value, or None."""
    for match in _REFUSED_IN_TEXT.finditer(text):
        if match.group(0) not in INVISIBLE_ALLOWED:
            return match.group(0)
    return None
