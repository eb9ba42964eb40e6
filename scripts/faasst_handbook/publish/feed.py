"""The Atom feed (RFC 4287) of the change notes: `feed.xml` under each language's root, the
same notes as the What's new page of that language, which links to it.

Written with the standard library's ElementTree (it escapes and declares UTF-8). Every link is
absolute, from handbook.yaml's `site_url`: a feed reader has no page to resolve them from.
Entry ids are `tag:` URIs (RFC 4151) made of the site's host, the note's date, the language,
the sheet and the note's rank among the sheet's notes (oldest first), so they stay the same
when later notes are added.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

from ..atomic_files import write_atomically
from ..plan import changes
from ..plan.contexts import Plan
from ..plan.routes import FEED, WHATS_NEW

ATOM = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml"


def _timestamp(date: dt.date) -> str:
    """Atom dates are RFC 3339 date-times: a note dated 2026-12-01 is of that day, 00:00 UTC."""
    return f"{date.isoformat()}T00:00:00Z"


def _add(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    if text is not None:
        element.text = text
    return element


def feed_xml(plan: Plan, lang: str) -> bytes:
    """The feed of `lang`, as UTF-8 bytes."""
    content = plan.content
    ui = {key: text[lang] for key, text in content.ui.items()}
    notes = changes.all_changes(content)
    host = urlsplit(content.info.site_url).netloc
    page = plan.online_url(lang, plan.routes.url("page", WHATS_NEW))

    # Atom as the default namespace, written as such (ElementTree would invent a prefix).
    feed = ET.Element("feed", {"xmlns": ATOM, "xml:lang": lang})
    _add(feed, "id", plan.online_url(lang, FEED))
    _add(feed, "title", f"{content.info.short_title[lang]} · {ui['whats_new']}")
    _add(feed, "subtitle", ui["whats_new_intro"])
    newest = notes[0].date if notes else content.info.content_date
    _add(feed, "updated", _timestamp(newest))
    _add(feed, "link", rel="self", type=MEDIA_TYPE, href=plan.online_url(lang, FEED))
    _add(feed, "link", rel="alternate", type="text/html", hreflang=lang, href=page)
    author = _add(feed, "author")
    _add(author, "name", content.info.publisher[lang])
    _add(author, "uri", plan.online_url(lang, ""))
    _add(feed, "rights", content.info.licence[lang])
    for note in notes:
        sheet = content.sheets[note.sheet]
        entry = _add(feed, "entry")
        _add(entry, "id", f"tag:{host},{note.date.isoformat()}:{lang}/{note.sheet}/{note.number}")
        _add(entry, "title", f"{note.sheet.upper()} {sheet.title[lang]}")
        _add(entry, "updated", _timestamp(note.date))
        _add(entry, "link", rel="alternate", type="text/html", hreflang=lang,
             href=plan.online_url(lang, plan.routes.url("sheet", note.sheet)))
        _add(entry, "category", term=note.edition,
             label=ui["change_edition"].replace("{edition}", note.edition))
        _add(entry, "summary", note.note[lang], type="text")
    ET.indent(feed)
    text = '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode")
    return (text + "\n").encode("utf-8")


def write_feeds(site_dir: Path, plan: Plan) -> list[Path]:
    """Write every language's feed into the built site; returns their paths."""
    written = []
    for lang in plan.content.languages:
        path = Path(site_dir) / plan.content.language_root(lang) / FEED
        write_atomically(path, feed_xml(plan, lang))
        written.append(path)
    return written
