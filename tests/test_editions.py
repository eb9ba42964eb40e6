"""Editions and change notes (issue 15): each sheet page shows its last change and its history,
the What's new page gathers every note by edition then date, newest first, and each language
has an Atom feed of the same notes — read here by feedparser, as a feed reader reads it."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
import pytest

from faasst_handbook.plan import changes
from faasst_handbook.plan.contexts import Plan
from faasst_handbook.plan.routes import FEED, WHATS_NEW, build_routes
from faasst_handbook.publish.feed import ATOM, feed_xml
from faasst_handbook.render.environment import make_environment
from faasst_handbook.render.pages import render_pages
from faasst_handbook.validation import load_handbook

from support.paths import LANGUAGES, ROOT

# Change notes for the mini Handbook: wp1-01 has two, of two editions, written oldest first
# (the order must not matter); wp1-02 has one, the same day as wp1-01's newest.
NOTES = {
    "sheets/wp1-01.yaml": [("2026-06-01", "0.2", "Étapes revues", "Steps revised"),
                           ("2025-01-15", "0.1", "Première version", "First version")],
    "sheets/wp1-02.yaml": [("2026-06-01", "0.2", "Pièges ajoutés", "Pitfalls added")],
}


def add_notes(mini, notes=NOTES, reverse=True):
    for file, entries in notes.items():
        lines = ["changes:"]
        for date, edition, fr, en in (reversed(entries) if reverse else entries):
            lines.append(f'  - {{date: {date}, edition: "{edition}", '
                         f'note: {{fr: "{fr}.", en: "{en}."}}}}')
        mini.write(file, mini.read(file) + "\n".join(lines) + "\n")
    mini.replace("handbook.yaml", 'edition: "0.1"', 'edition: "0.2"')


def plan_of(mini) -> Plan:
    result = mini.load()
    assert result.ok, [p.format() for p in result.problems]
    return Plan(result.content, build_routes(result.content), ROOT / "docs")


def page_html(plan: Plan, path: str, lang: str) -> str:
    return render_pages(plan, make_environment())[f"{path}.{lang}.md"].html


def ui(plan: Plan, key: str, lang: str) -> str:
    return plan.content.ui[key][lang]


# --- a sheet's last change and history ------------------------------------------------------

def test_a_sheet_shows_its_last_change_and_its_history_newest_first(mini):
    add_notes(mini)
    plan = plan_of(mini)
    for lang in LANGUAGES:
        html = page_html(plan, "handbook/wp1/wp1-01", lang)
        facts = html[html.index('<dl class="hb-facts">'):html.index("</dl>")]
        assert re.search(rf"<dt>{re.escape(ui(plan, 'last_changed', lang))}</dt><dd><time "
                         r'datetime="2026-06-01">2026-06-01</time></dd>', facts)
        details = re.search(r'<details class="hb-history"[^>]*>(.*?)</details>', html, re.S)
        assert details, "no change history"
        summary = ui(plan, "change_history", lang).replace("{count}", "2")
        assert f"<summary>{summary}</summary>" in details.group(1)
        items = re.findall(r"<li>(.*?)</li>", details.group(1), re.S)
        assert [re.search(r'datetime="([^"]+)"', item).group(1) for item in items] == [
            "2026-06-01", "2025-01-15"]
        note = plan.content.sheets["wp1-01"].changes[1].note[lang]  # written oldest first
        assert note in items[0]
        assert ui(plan, "change_edition", lang).replace("{edition}", "0.2") in items[0]
        assert 'href="../../whats-new/"' in details.group(1)


def test_without_change_notes_the_last_change_is_the_last_review(mini):
    plan = plan_of(mini)
    sheet = plan.content.sheets["wp1-01"]
    assert not sheet.changes and changes.last_changed(sheet) == sheet.last_reviewed
    html = page_html(plan, "handbook/wp1/wp1-01", LANGUAGES[0])
    assert "hb-history" not in html
    assert (f"<dt>{ui(plan, 'last_changed', LANGUAGES[0])}</dt><dd><time datetime="
            f'"{sheet.last_reviewed.isoformat()}">') in html


# --- What's new ------------------------------------------------------------------------------

def test_whats_new_groups_the_notes_by_edition_then_date_newest_first(mini):
    add_notes(mini)
    plan = plan_of(mini)
    for lang in LANGUAGES:
        html = page_html(plan, WHATS_NEW, lang)
        headings = re.findall(r'<h([23]) id="([^"]+)">(.*?)<a class="headerlink"', html)
        assert [(level, anchor) for level, anchor, _ in headings] == [
            ("2", "edition-0-2"), ("3", "edition-0-2--2026-06-01"),
            ("2", "edition-0-1"), ("3", "edition-0-1--2025-01-15")]
        current = ui(plan, "whats_new_current", lang)
        assert current in headings[0][2] and current not in headings[2][2]
        # under 2026-06-01: both sheets, in reading order, each linked to its page
        day = html[html.index('id="edition-0-2--2026-06-01"'):html.index('id="edition-0-1"')]
        links = re.findall(r'<li><a href="([^"]+)">', day)
        assert links == ["../wp1/wp1-01/", "../wp1/wp1-02/"]
        assert plan.content.sheets["wp1-02"].changes[0].note[lang] in day
        assert f'href="../../{FEED}" type="application/atom+xml"' in html


def test_whats_new_says_so_when_there_is_no_note(mini):
    plan = plan_of(mini)
    html = page_html(plan, WHATS_NEW, LANGUAGES[0])
    assert ui(plan, "whats_new_none", LANGUAGES[0]) in unescape(html) and "<h2" not in html


class _HeadLinks(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[dict] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("link", "a"):
            self.links.append({"tag": tag, **{k: v or "" for k, v in attrs}})


def links_of(path: Path) -> list[dict]:
    parser = _HeadLinks()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.links


def test_the_whats_new_page_links_and_announces_its_feed(built_site):
    for lang in LANGUAGES:
        root = "" if lang == LANGUAGES[0] else f"{lang}/"
        page = built_site / root / WHATS_NEW / "index.html"
        url = f"http://site/{root}{WHATS_NEW}/"
        found = links_of(page)
        announced = [link for link in found if link["tag"] == "link"
                     and link.get("rel") == "alternate"
                     and link.get("type") == "application/atom+xml"]
        visible = [link for link in found if link["tag"] == "a"
                   and link.get("type") == "application/atom+xml"]
        for link in announced + visible:
            assert urljoin(url, link["href"]) == f"http://site/{root}{FEED}", link
        assert len(announced) == 1 and len(visible) == 1
        assert (built_site / root / FEED).is_file()
        # the theme's script fetches the sitemap next to an alternate link: it is there
        assert (built_site / root / "sitemap.xml").is_file()
        # only that page announces it
        sheet = built_site / root / "handbook/wp1/wp1-01/index.html"
        assert 'type="application/atom+xml"' not in sheet.read_text(encoding="utf-8")


# --- the Atom feeds --------------------------------------------------------------------------

def test_each_language_has_a_valid_atom_feed_with_absolute_links(built_site):
    content = load_handbook(ROOT / "handbook").content
    notes = changes.all_changes(content)
    assert notes, "the real Handbook has change notes (edition 2.0)"
    site_url = content.info.site_url.rstrip("/") + "/"
    for lang in LANGUAGES:
        root = content.language_root(lang)
        data = (built_site / root / FEED).read_bytes()
        parsed = feedparser.parse(data)
        assert not parsed.bozo, parsed.get("bozo_exception")
        assert parsed.version == "atom10"
        feed = parsed.feed
        assert feed.language == lang
        assert feed.id == f"{site_url}{root}{FEED}"
        assert content.ui["whats_new"][lang] in feed.title
        assert feed.author == content.info.publisher[lang]
        assert feed.updated_parsed[:3] == notes[0].date.timetuple()[:3]
        rels = {link.rel: link.href for link in feed.links}
        assert rels["self"] == f"{site_url}{root}{FEED}"
        assert rels["alternate"] == f"{site_url}{root}{WHATS_NEW}/"
        assert len(parsed.entries) == len(notes)
        assert len({entry.id for entry in parsed.entries}) == len(notes)
        for entry, note in zip(parsed.entries, notes, strict=True):
            sheet = content.sheets[note.sheet]
            assert entry.title == f"{note.sheet.upper()} {sheet.title[lang]}"
            assert entry.summary == note.note[lang]
            assert entry.updated_parsed[:3] == note.date.timetuple()[:3]
            assert entry.tags[0].term == note.edition
            assert entry.link.startswith(site_url + root), entry.link
            path = urlsplit(entry.link).path[len(urlsplit(site_url).path):]
            assert (built_site / path / "index.html").is_file(), entry.link
            assert entry.id.startswith(f"tag:{urlsplit(site_url).netloc},")


def test_the_feed_has_every_element_rfc_4287_requires(built_site):
    """feedparser accepts a lot; the RFC's "MUST"s, checked on the XML itself."""
    for lang in LANGUAGES:
        root = "" if lang == LANGUAGES[0] else f"{lang}/"
        tree = ET.fromstring((built_site / root / FEED).read_bytes())
        a = f"{{{ATOM}}}"
        assert tree.tag == f"{a}feed"
        for parent in [tree, *tree.findall(f"{a}entry")]:
            for tag in ("id", "title", "updated"):
                assert len(parent.findall(f"{a}{tag}")) == 1, (lang, parent.tag, tag)
            alternates = [link for link in parent.findall(f"{a}link")
                          if link.get("rel", "alternate") == "alternate"]
            assert len(alternates) == 1
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ",
                                parent.find(f"{a}updated").text)
        assert tree.find(f"{a}author/{a}name").text


def test_entry_ids_stay_the_same_when_notes_are_added(mini):
    add_notes(mini)
    lang = LANGUAGES[0]

    def ids() -> set[str]:
        xml = feed_xml(plan_of(mini), lang)
        return {entry.id for entry in feedparser.parse(xml).entries}

    before = ids()
    sheet = mini.read("sheets/wp1-01.yaml")
    mini.write("sheets/wp1-01.yaml", sheet.replace(
        "changes:\n", 'changes:\n  - {date: 2026-09-01, edition: "0.2", note: {fr: "Encore.", '
        'en: "Again."}}\n'))
    after = ids()
    assert before < after and len(after - before) == 1


@pytest.mark.parametrize("editions, expected", [(["2.9", "2.10", "10.0", "1.0"],
                                                  ["10.0", "2.10", "2.9", "1.0"])])
def test_editions_are_ordered_as_numbers(editions, expected):
    assert sorted(editions, key=changes.edition_key, reverse=True) == expected
