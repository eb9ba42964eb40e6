"""Scan of the built site before it is published: nothing in it may run script in a reader's
browser except the theme's own code.

Content is escaped (plain text), rendered then sanitized (Markdown) and validated (links,
attribute lists, tags) long before this point; this scan is the last line of defence, over what
MkDocs actually wrote, so that a hole in any earlier layer (a template that forgets to escape,
a Markdown extension, a hand-written page, a theme override) fails the build instead of being
published. It refuses, in every `.html`/`.htm`/`.svg` file and in the search indexes (whose
texts the theme displays as HTML):

- event-handler attributes (`onclick=`, `onerror=`, ... : any attribute named `on*`);
- `javascript:` / `vbscript:` URLs in attributes that hold a URL, `data:` URLs in links and
  form targets, `javascript:` in `style`, `srcdoc`;
- embedded content: `<iframe>`, `<object>`, `<embed>` (and `<frame>`, `<frameset>`,
  `<applet>`, `<portal>`); a `<base>` element; a refresh `<meta>` to a script URL;
- `<script src>` loaded from another site;
- an inline `<script>` that the theme did not produce.

How the theme's inline scripts are recognised: Material writes a few small inline scripts
(`__md_scope=new URL("../..",location),...`, the tab and palette restorers...). Their source is
in the theme's templates, as literal JavaScript with a few Jinja expressions in it (the page's
relative base URL). `theme_script_patterns()` reads every `<script>` of the templates actually
used — Material's installed `templates/` folder and the project's `overrides/` — and turns each
into a regular expression: the JavaScript must match byte for byte, and each `{{ ... }}` may only
be replaced by URL-like characters (letters, digits, `./:%?#=&~+-_`: no quote, bracket,
parenthesis or semicolon, so nothing can break out of the string it sits in). An inline script
of the built site is the theme's only if it matches one of them entirely. This follows theme
upgrades by itself (the patterns come from the installed version) and needs no list to
maintain; an injected script cannot pass unless it is, character for character, theme code.
Data blocks (`<script type="application/json">`: not executed by browsers) are not code.

The hashes of the inline scripts found are returned too: the Content-Security-Policy lists them
(see hosting.py), so browsers run exactly these scripts and nothing else inline.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

EMBEDDING_ELEMENTS = {"iframe", "object", "embed", "frame", "frameset", "applet", "portal"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster",
                  "background", "cite", "longdesc", "codebase", "ping", "manifest", "lowsrc",
                  "dynsrc", "usemap", "icon", "srcset", "imagesrcset", "itemtype",
                  # SVG animations can set an attribute (e.g. href) to any value:
                  "to", "from", "values", "by"}
NAVIGATION_ATTRIBUTES = {"href", "action", "formaction", "xlink:href"}
LIST_ATTRIBUTES = {"srcset", "imagesrcset", "values", "ping"}
# https://html.spec.whatwg.org/multipage/scripting.html#javascript-mime-type
JAVASCRIPT_TYPES = {"", "module", "application/ecmascript", "application/javascript",
                    "application/x-ecmascript", "application/x-javascript", "text/ecmascript",
                    "text/javascript", "text/javascript1.0", "text/javascript1.1",
                    "text/javascript1.2", "text/javascript1.3", "text/javascript1.4",
                    "text/javascript1.5", "text/jscript", "text/livescript",
                    "text/x-ecmascript", "text/x-javascript",
                    # processed by browsers, so treated as code as well:
                    "importmap", "speculationrules"}
SCANNED_SUFFIXES = {".html", ".htm", ".svg", ".xhtml"}
_SCRIPT_IN_TEMPLATE = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_JINJA = re.compile(r"({{.*?}}|{%.*?%}|{#.*?#})", re.DOTALL)
_URL_CHARACTERS = r"[\w./:%?#=&~+-]*"
_SCHEME_NOISE = re.compile(r"[\x00-\x20]")


@dataclass(frozen=True, order=True)
class Finding:
    file: str  # path inside the site, e.g. `en/handbook/wp1/index.html`
    line: int
    column: int
    message: str

    def format(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


@dataclass
class ScanResult:
    findings: list[Finding] = field(default_factory=list)
    script_hashes: set[str] = field(default_factory=set)  # CSP sources: 'sha256-...'
    files: int = 0

    @property
    def ok(self) -> bool:
        return not self.findings

    def report(self, limit: int = 50) -> str:
        lines = [finding.format() for finding in sorted(self.findings)[:limit]]
        if len(self.findings) > limit:
            lines.append(f"... and {len(self.findings) - limit} more.")
        return "\n".join(lines)


def theme_template_dirs(project_root: Path) -> list[Path]:
    """Where the inline scripts the site may contain come from: Material's templates and the
    project's overrides (`theme.custom_dir` in mkdocs.yml is `overrides`)."""
    import material

    dirs = [Path(material.__file__).parent / "templates"]
    if (project_root / "overrides").is_dir():
        dirs.append(project_root / "overrides")
    return dirs


def theme_script_patterns(template_dirs: list[Path]) -> list[re.Pattern]:
    """One pattern per inline script written in the theme's templates (see the module doc)."""
    patterns: dict[str, re.Pattern] = {}
    for folder in template_dirs:
        for path in sorted(folder.rglob("*.html")):
            for attributes, body in _SCRIPT_IN_TEMPLATE.findall(path.read_text(encoding="utf-8")):
                if re.search(r"\bsrc\s*=", attributes) or not _is_code(_type_of(attributes)):
                    continue
                regex = "".join(_URL_CHARACTERS if part.startswith("{{") else
                                "" if part.startswith(("{%", "{#")) else re.escape(part)
                                for part in _JINJA.split(body.replace("\r\n", "\n")))
                patterns.setdefault(regex, re.compile(regex, re.DOTALL))
    return list(patterns.values())


def scan_site(site_dir: Path, template_dirs: list[Path]) -> ScanResult:
    """Every finding in the built site, and the CSP hashes of its (theme) inline scripts."""
    site_dir = Path(site_dir)
    patterns = theme_script_patterns(template_dirs)
    result = ScanResult()
    for path in sorted(site_dir.rglob("*")):
        if not path.is_file():
            continue
        shown = path.relative_to(site_dir).as_posix()
        if path.suffix.lower() in SCANNED_SUFFIXES:
            result.files += 1
            _scan_html(path.read_text(encoding="utf-8", errors="replace"), shown, patterns, result)
        elif path.name == "search_index.json":
            result.files += 1
            _scan_search_index(path, shown, patterns, result)
    return result


def csp_hash(script: str) -> str:
    """The CSP source allowing exactly this inline script (browsers hash its text, after
    normalising line breaks)."""
    digest = hashlib.sha256(script.replace("\r\n", "\n").replace("\r", "\n").encode("utf-8"))
    return "'sha256-" + base64.b64encode(digest.digest()).decode("ascii") + "'"


def _scan_search_index(path: Path, shown: str, patterns, result: ScanResult) -> None:
    try:
        index = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:
        result.findings.append(Finding(shown, 1, 1,
                                       f"the search index is not valid JSON ({error})."))
        return
    for number, doc in enumerate(index.get("docs", []), start=1):
        for key in ("title", "text"):
            fragment = doc.get(key) or ""
            if "<" in fragment:  # the theme shows these as HTML
                where = f"{shown} (docs[{number}].{key}, {doc.get('location', '')})"
                _scan_html(fragment, where, patterns, result, fragment_only=True)


def _type_of(attributes: str) -> str:
    match = re.search(r"""\btype\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", attributes,
                      re.IGNORECASE)
    return next((g for g in match.groups() if g is not None), "") if match else ""


def _is_code(script_type: str) -> bool:
    return script_type.strip().lower() in JAVASCRIPT_TYPES


def _url_scheme_text(value: str) -> str:
    """What a browser looks at to find a URL's scheme: no spaces, tabs, newlines or controls."""
    return _SCHEME_NOISE.sub("", value).lower()


class _Scanner(HTMLParser):
    def __init__(self, shown: str, patterns, result: ScanResult, fragment_only: bool):
        super().__init__(convert_charrefs=True)  # attribute values arrive decoded
        self.shown, self.patterns, self.result = shown, patterns, result
        self.fragment_only = fragment_only
        self.script: tuple[int, int, bool] | None = None  # line, column, is code
        self.script_text: list[str] = []

    def finding(self, message: str, position: tuple[int, int] | None = None) -> None:
        line, offset = position or self.getpos()
        self.result.findings.append(Finding(self.shown, line, offset + 1, message))

    def handle_starttag(self, tag, attrs):
        self._check_element(tag, attrs)
        if tag == "script":
            values = dict(attrs)
            is_code = _is_code(values.get("type") or "")
            src = values.get("src")
            if src is not None:
                if re.match(r"^\s*([a-z][a-z0-9+.-]*:|//|\\\\)", src, re.IGNORECASE):
                    self.finding(f"<script> loaded from another site (`{src[:80]}`): the site "
                                 "only runs its own files.")
                is_code = False  # its text, if any, is not run
            self.script = (*self.getpos(), is_code)
            self.script_text = []

    def handle_startendtag(self, tag, attrs):
        self._check_element(tag, attrs)

    def handle_data(self, data):
        if self.script is not None:
            self.script_text.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self.script is not None:
            line, column, is_code = self.script
            text = "".join(self.script_text)
            self.script = None
            if not is_code or not text.strip():
                return
            if self.fragment_only or not any(p.fullmatch(text) for p in self.patterns):
                shown = " ".join(text.split())[:80]
                self.finding(f"inline <script> not produced by the theme: `{shown}`",
                             (line, column))
            else:
                self.result.script_hashes.add(csp_hash(text))

    def _check_element(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for message in element_findings(tag, attrs):
            self.finding(message)


def element_findings(tag: str, attrs) -> list[str]:
    """What is wrong with one element, from its name and (name, value) attributes."""
    found = []
    if tag in EMBEDDING_ELEMENTS:
        found.append(f"<{tag}> element: embedded content is not allowed.")
    if tag == "base":
        found.append("<base> element: it would change where every link of the page points.")
    values = {name: value or "" for name, value in attrs}
    for name, value in attrs:
        value = value or ""
        if name.startswith("on"):
            found.append(f"<{tag}> has an event-handler attribute `{name}` (it runs script).")
        elif name == "srcdoc":
            found.append(f"<{tag}> has a `srcdoc` attribute (it embeds a document).")
        elif name == "style":
            scheme_text = _url_scheme_text(value)
            if "javascript:" in scheme_text or "expression(" in scheme_text:
                found.append(f"<{tag}> has a `style` attribute with script in it.")
        elif name in URL_ATTRIBUTES:
            urls = re.split(r"[,;]", value) if name in LIST_ATTRIBUTES else [value]
            schemes = [_url_scheme_text(url) for url in urls]
            if any(s.startswith(("javascript:", "vbscript:")) for s in schemes):
                found.append(f"<{tag}> has a script URL in `{name}` (`{value[:60]}`).")
            elif name in NAVIGATION_ATTRIBUTES and schemes[0].startswith("data:"):
                found.append(f"<{tag}> has a `data:` URL in `{name}`.")
    if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
        target = _url_scheme_text(values.get("content", "").split("=", 1)[-1])
        if target.startswith(("javascript:", "vbscript:", "data:")):
            found.append("<meta http-equiv=refresh> to a script URL.")
    return found


def _scan_html(text: str, shown: str, patterns, result: ScanResult,
               fragment_only: bool = False) -> None:
    """Pages are parsed with lexbor (an HTML5 parser in C, as browsers parse them): ten times
    faster than Python's tokenizer over the whole site. Only a page with a finding is parsed
    again by the Python scanner, which gives each finding its line and column."""
    if fragment_only or not _clean_by_lexbor(text, patterns, result):
        scanner = _Scanner(shown, patterns, result, fragment_only)
        scanner.feed(text)
        scanner.close()


def _clean_by_lexbor(text: str, patterns, result: ScanResult) -> bool:
    """True when the page has nothing to report (its theme scripts' hashes are then added to
    `result`); False when the precise scanner must look at it."""
    from selectolax.lexbor import LexborHTMLParser

    hashes = []
    for node in LexborHTMLParser(text).root.traverse():
        tag = node.tag
        if not tag or tag.startswith(("-", "#")):
            continue
        attrs = list(node.attributes.items())
        if element_findings(tag, attrs):
            return False
        if tag != "script":
            continue
        values = dict(attrs)
        if values.get("src") is not None:
            if re.match(r"^\s*([a-z][a-z0-9+.-]*:|//|\\\\)", values["src"], re.IGNORECASE):
                return False  # from another site
            continue
        if not _is_code(values.get("type") or ""):
            continue
        code = node.text(deep=True, separator="", strip=False)
        if not code.strip():
            continue
        if not any(p.fullmatch(code) for p in patterns):
            return False
        hashes.append(csp_hash(code))
    result.script_hashes.update(hashes)
    return True
