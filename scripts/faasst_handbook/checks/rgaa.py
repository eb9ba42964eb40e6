"""RGAA specifics, checked on every built page of every language, from the HTML:

- `<html lang>` is the page's language (RGAA 8.3);
- a link to a page of another language says so with `lang` and `hreflang` (RGAA 8.7), and the
  language switcher of every page leads to the same page in each other language;
- an accessibility statement page exists in each language and the footer of every page links to
  it, as it does to the site map (RGAA 12.1: two ways to find a page); the site map lists every
  page of its language;
- every link to a PDF has the document's HTML version linked next to it, in the same paragraph
  or list item (the accessible alternative the RGAA asks of downloadable documents);
- every page has a skip link to a target inside the main content (RGAA 12.7; the browser test
  checks that it is the first stop of Tab and that focus lands there).

"Pages" here are the site's theme pages. The printable checklists (`checklists/*.html`) are
standalone documents — the HTML versions of the PDFs, with no site header or footer — and get
the checks that apply to documents: language, links to other languages, PDF next to HTML.
"""


from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from .link_check import language_of as _language_of
from .link_check import page_url_path

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
CONTAINERS = {"p", "li", "dd", "td", "th"}  # "next to it": the same paragraph or list item


@dataclass
class Anchor:
    href: str
    attrs: dict[str, str]
    container: int | None  # serial of the closest paragraph / list item / cell
    in_footer: bool
    in_article: bool
    text: str = ""


@dataclass
class ParsedPage:
    lang: str | None = None
    theme: bool = False  # a page of the site's theme (Material), with header and footer
    anchors: list[Anchor] = field(default_factory=list)
    article_ids: set[str] = field(default_factory=set)
    skip_href: str | None = None


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()
        self.stack: list[tuple[str, int | None]] = []  # (tag, container serial)
        self.serial = 0
        self.footer = self.article = 0
        self.open_anchor: Anchor | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        classes = attrs.get("class", "").split()
        if tag == "html":
            self.page.lang = attrs.get("lang")
        if tag == "footer" and "md-footer" in classes:
            self.page.theme = True
        if self.article and "id" in attrs:
            self.page.article_ids.add(attrs["id"])
        if tag == "a" and "md-skip" in classes and self.page.skip_href is None:
            self.page.skip_href = attrs.get("href")
        if tag == "a" and "href" in attrs:
            container = next((serial for _, serial in reversed(self.stack) if serial is not None),
                             None)
            self.open_anchor = Anchor(attrs["href"], attrs, container, self.footer > 0,
                                      self.article > 0)
            self.page.anchors.append(self.open_anchor)
        if tag in VOID:
            return
        self.footer += tag == "footer"
        self.article += tag == "article"
        serial = None
        if tag in CONTAINERS:
            self.serial += 1
            serial = self.serial
        self.stack.append((tag, serial))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1][0] == tag:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag == "a":
            self.open_anchor = None
        if not any(open_tag == tag for open_tag, _ in self.stack):
            return
        while self.stack:
            open_tag, _ = self.stack.pop()
            self.footer -= open_tag == "footer"
            self.article -= open_tag == "article"
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self.open_anchor is not None:
            self.open_anchor.text += data


@functools.lru_cache(maxsize=None)
def parsed_site(site: Path) -> dict[str, ParsedPage]:
    pages = {}
    for page in sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")):
        parser = _Parser()
        parser.feed((site / page).read_text(encoding="utf-8"))
        parser.close()
        pages[page] = parser.page
    return pages


def resolve(page: str, href: str) -> tuple[str | None, str]:
    """The site-relative page file a link leads to (None if it leaves the site or is not a
    page), and its #fragment."""
    parts = urlsplit(urljoin("http://site" + page_url_path(page), href))
    if parts.netloc != "site" or parts.scheme not in ("http", ""):
        return None, ""
    path = unquote(parts.path).lstrip("/")
    if path == "" or path.endswith("/"):
        path += "index.html"
    return (path if path.endswith(".html") else None), parts.fragment


def target_file(page: str, href: str) -> str | None:
    """Site-relative path of any file a link leads to (None if it leaves the site)."""
    parts = urlsplit(urljoin("http://site" + page_url_path(page), href))
    return unquote(parts.path).lstrip("/") if parts.netloc == "site" else None


def counterpart(page: str, lang: str, languages: list[str]) -> str:
    """The same page in another language (`en/handbook/index.html` → `handbook/index.html`)."""
    own = language_prefix(language_of(page, languages), languages)
    return language_prefix(lang, languages) + page[len(own):]


def language_of(page: str, languages: list[str]) -> str:
    return _language_of(page, languages)


def language_prefix(lang: str, languages: list[str]) -> str:
    return "" if lang == languages[0] else f"{lang}/"


# --- the checks: each returns a list of problems, one line each ---------------------------

def check_lang(site: Path, languages: list[str]) -> list[str]:
    return [f"{page}: <html lang={parsed.lang!r}>, expected {language_of(page, languages)!r}"
            for page, parsed in parsed_site(site).items() if parsed.lang != language_of(page, languages)]


def check_other_language_links(site: Path, languages: list[str]) -> list[str]:
    problems = []
    for page, parsed in parsed_site(site).items():
        lang = language_of(page, languages)
        for anchor in parsed.anchors:
            target, _ = resolve(page, anchor.href)
            if target is None or language_of(target, languages) == lang:
                continue
            other = language_of(target, languages)
            if anchor.attrs.get("hreflang") != other or anchor.attrs.get("lang") != other:
                problems.append(f"{page}: link to {target} (language {other}) has "
                                f"hreflang={anchor.attrs.get('hreflang')!r} "
                                f"lang={anchor.attrs.get('lang')!r}; both must be {other!r}")
        if not parsed.theme or page.rsplit("/", 1)[-1] == "404.html":
            continue
        switcher = {a.attrs.get("hreflang"): resolve(page, a.href)[0] for a in parsed.anchors
                    if "md-select__link" in a.attrs.get("class", "").split()}
        for other in languages:
            expected = counterpart(page, other, languages)
            if switcher.get(other) != expected:
                problems.append(f"{page}: the language switcher's {other!r} link leads to "
                                f"{switcher.get(other)}, not to {expected}")
    return problems


def footer_links(page: str, parsed: ParsedPage) -> set[str]:
    return {resolve(page, a.href)[0] for a in parsed.anchors if a.in_footer}


def check_statement_and_site_map(site: Path, languages: list[str]) -> list[str]:
    problems = []
    pages = parsed_site(site)
    for lang in languages:
        for name in ("accessibility", "site-map"):
            if f"{language_prefix(lang, languages)}{name}/index.html" not in pages:
                problems.append(f"no {name} page in {lang}: {language_prefix(lang, languages)}{name}/")
    for page, parsed in pages.items():
        if not parsed.theme:
            continue
        prefix = language_prefix(language_of(page, languages), languages)
        links = footer_links(page, parsed)
        for name, what in (("accessibility", "accessibility statement"), ("site-map", "site map")):
            if f"{prefix}{name}/index.html" not in links:
                problems.append(f"{page}: the footer does not link to the {what} "
                                f"({prefix}{name}/)")
    for lang in languages:
        site_map = f"{language_prefix(lang, languages)}site-map/index.html"
        if site_map not in pages:
            continue
        listed = {resolve(site_map, a.href)[0] for a in pages[site_map].anchors if a.in_article}
        for page, parsed in pages.items():
            if parsed.theme and language_of(page, languages) == lang and page not in listed \
                    and page.rsplit("/", 1)[-1] != "404.html":
                problems.append(f"{site_map}: does not list {page}")
    return problems


def check_pdf_links(site: Path, languages: list[str]) -> list[str]:
    problems = []
    for page, parsed in parsed_site(site).items():
        by_container: dict[int | None, list[Anchor]] = defaultdict(list)
        for anchor in parsed.anchors:
            by_container[anchor.container].append(anchor)
        for anchor in parsed.anchors:
            pdf = target_file(page, anchor.href)
            if pdf is None or not pdf.lower().endswith(".pdf"):
                continue
            html = pdf[:-4] + ".html"
            if page == html:  # on the HTML version itself: the alternative is this page
                continue
            neighbours = [] if anchor.container is None else by_container[anchor.container]
            if not any(resolve(page, other.href)[0] == html for other in neighbours):
                problems.append(f"{page}: the link to {pdf} has no link to its HTML version "
                                f"({html}) in the same paragraph or list item")
            elif not (site / html).is_file():
                problems.append(f"{page}: the HTML version of {pdf} ({html}) does not exist")
    return problems


def check_skip_links(site: Path, languages: list[str]) -> list[str]:
    problems = []
    for page, parsed in parsed_site(site).items():
        if not parsed.theme:
            continue
        href = parsed.skip_href or ""
        if not href.startswith("#"):
            problems.append(f"{page}: no skip link to the content (a.md-skip href={href!r})")
        elif unquote(href[1:]) not in parsed.article_ids:
            problems.append(f"{page}: the skip link's target {href} is not in the main content")
    return problems


CHECKS = {"lang": check_lang, "other-language links": check_other_language_links,
          "statement and site map": check_statement_and_site_map, "pdf": check_pdf_links,
          "skip link": check_skip_links}


def check_site(site: Path, languages: list[str]) -> dict[str, list[str]]:
    """Every check on the built site in `site` (languages: the default first)."""
    return {name: check(Path(site), languages) for name, check in CHECKS.items()}
