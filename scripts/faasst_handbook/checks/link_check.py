"""`handbook check-links`: every internal link and #anchor of the built site, in every language.

`mkdocs build --strict` checks the links written in Markdown, but not those inside raw HTML
(templates, hand-written `<a>`), nor the theme's own links. This checker reads the built pages
themselves (standard library only, no network):

- each `href`/`src`/`srcset`/`data`/`poster` of every HTML page under the site folder is
  resolved like a browser would (relative to the page's URL, `/...` from the site root);
- an internal target must exist (a folder URL needs its `index.html`), and a `#fragment` must
  be an `id` (or `<a name>`) of the target page (`#` alone and `#top` are always fine);
- links to the site's own public address (`site_url` in mkdocs.yml, e.g. the QR codes and "online
  page" links of the printable checklists) are checked as internal links too;
- other `http(s)://` links are external: listed in the report with the pages using them, never
  fetched; `mailto:`, `tel:` and `data:` are ignored; any other scheme (`javascript:`…) is an
  error.
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

# Attributes holding a URL, per element ('*' = any element).
URL_ATTRIBUTES = {
    "a": ("href",), "area": ("href",), "link": ("href",), "base": ("href",),
    "img": ("src", "srcset"), "source": ("src", "srcset"), "script": ("src",),
    "iframe": ("src",), "embed": ("src",), "track": ("src",), "audio": ("src",),
    "video": ("src", "poster"), "object": ("data",), "form": ("action",),
    "use": ("href", "xlink:href"), "image": ("href", "xlink:href"),
}
IGNORED_SCHEMES = {"mailto", "tel", "data"}
EXTERNAL_SCHEMES = {"http", "https"}
ALWAYS_VALID_FRAGMENTS = {"", "top"}  # browsers scroll to the top for both


@dataclass(frozen=True)
class Link:
    page: str  # site-relative path of the page, e.g. "en/handbook/index.html"
    line: int
    url: str  # as written in the page


@dataclass(frozen=True)
class BrokenLink:
    link: Link
    reason: str

    def format(self) -> str:
        return f"{self.link.page}:{self.link.line}: {self.link.url}: {self.reason}"


@dataclass
class LinkReport:
    pages: list[str] = field(default_factory=list)
    internal: int = 0  # internal links checked (including #anchors on the same page)
    broken: list[BrokenLink] = field(default_factory=list)
    external: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    @property
    def ok(self) -> bool:
        return not self.broken

    def pages_per_language(self, languages: list[str]) -> dict[str, int]:
        """`languages[0]` is the default one (at the root); the others live under `<lang>/`."""
        counts = dict.fromkeys(languages, 0)
        for page in self.pages:
            counts[language_of(page, languages)] += 1
        return counts

    def format(self, languages: list[str] | None = None, show_external: bool = True) -> str:
        lines = []
        if languages:
            per = ", ".join(f"{lang} {n}" for lang, n in self.pages_per_language(languages).items())
            lines.append(f"Pages checked: {len(self.pages)} ({per}).")
        else:
            lines.append(f"Pages checked: {len(self.pages)}.")
        lines.append(f"Internal links and anchors checked: {self.internal}; broken: "
                     f"{len(self.broken)}.")
        lines.extend(f"  {broken.format()}" for broken in self.broken)
        lines.append(f"External links (not fetched): {len(self.external)} distinct.")
        if show_external:
            for url in sorted(self.external):
                pages = sorted(set(self.external[url]))
                more = f" and {len(pages) - 1} more" if len(pages) > 1 else ""
                lines.append(f"  {url}  (on {pages[0]}{more})")
        return "\n".join(lines)


def language_of(page: str, languages) -> str:
    """The language of a site-relative page path: `en/...` → en, anything else → the default."""
    languages = list(languages)
    first = page.split("/", 1)[0]
    return first if first in languages[1:] else languages[0]


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = URL_ATTRIBUTES.get(tag, ())
        line = self.getpos()[0]
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)
            elif name in names:
                if name == "srcset":
                    for candidate in value.split(","):
                        if candidate.strip():
                            self.links.append((line, candidate.split()[0]))
                else:
                    self.links.append((line, value.strip()))

    handle_startendtag = handle_starttag


@dataclass
class _Page:
    ids: set[str]
    links: list[tuple[int, str]]


def _parse(path: Path) -> _Page:
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    parser.close()
    return _Page(parser.ids, parser.links)


def page_url_path(page: str) -> str:
    """URL path (from the site root, with a leading /) at which a page file is served."""
    if page == "index.html":
        return "/"
    if page.endswith("/index.html"):
        return "/" + page[: -len("index.html")]
    return "/" + page


def check_site(site_dir: Path, site_url: str | None = None) -> LinkReport:
    """Check every HTML page under `site_dir`. `site_url` (e.g. https://handbook.faasst.eu/):
    links to that address are checked as internal links."""
    site_dir = Path(site_dir)
    base = urlsplit(site_url) if site_url else None
    base_path = (base.path or "/") if base else "/"
    if not base_path.endswith("/"):
        base_path += "/"
    report = LinkReport()
    pages: dict[str, _Page] = {}
    for path in sorted(site_dir.rglob("*.html")):
        relative = path.relative_to(site_dir).as_posix()
        pages[relative] = _parse(path)
    report.pages = list(pages)

    def target_file(url_path: str) -> tuple[str | None, str]:
        """Site-relative file for a URL path (None when missing) and a reason."""
        relative = posixpath.normpath(unquote(url_path)).strip("/")
        relative = "" if relative == "." else relative
        candidate = site_dir / relative if relative else site_dir
        if url_path.endswith("/") or candidate.is_dir():
            index = f"{relative}/index.html" if relative else "index.html"
            if (site_dir / index).is_file():
                return index, ""
            return None, "no such page (the folder has no index.html)"
        if candidate.is_file():
            return relative, ""
        return None, "no such file"

    for page, parsed in pages.items():
        here = page_url_path(page)
        for line, url in parsed.links:
            link = Link(page, line, url)
            parts = urlsplit(url)
            scheme = parts.scheme.lower()
            if scheme in IGNORED_SCHEMES:
                continue
            if scheme and scheme not in EXTERNAL_SCHEMES:
                report.broken.append(BrokenLink(link, f"`{scheme}:` links are not allowed"))
                continue
            if scheme or parts.netloc:  # absolute or protocol-relative
                if base and parts.netloc.lower() == base.netloc.lower() \
                        and (parts.path or "/").startswith(base_path):
                    url_path = "/" + (parts.path or "/")[len(base_path):]
                else:
                    report.external[url].append(page)
                    continue
            else:  # resolved like a browser does, from the page's own URL
                url_path = urlsplit(urljoin("http://site" + here, url)).path
            report.internal += 1
            target, reason = target_file(url_path)
            if target is None:
                report.broken.append(BrokenLink(link, reason))
                continue
            fragment = unquote(parts.fragment)
            if fragment in ALWAYS_VALID_FRAGMENTS or not target.endswith(".html"):
                continue
            if fragment not in pages[target].ids:
                report.broken.append(BrokenLink(link, f"no element with id=\"{fragment}\" on "
                                                      f"{target}"))
    return report


def site_url_from_mkdocs(mkdocs_yml: Path) -> str | None:
    """The `site_url` of mkdocs.yml (read as text: the file has MkDocs-specific YAML tags)."""
    if not mkdocs_yml.is_file():
        return None
    match = re.search(r"^site_url:\s*['\"]?([^'\"\s#]+)", mkdocs_yml.read_text(encoding="utf-8"),
                      re.MULTILINE)
    return match.group(1) if match else None
