"""Everything the MkDocs hook needs, independent of MkDocs: load the Handbook (cached while
its files are unchanged), write the generated pages, give the navigation of a language.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import UndefinedError
from markupsafe import escape

from .printing import documents as checklists
from .source.content import Content
from .render.pages import page_context, render_pages, write_tree
from .validation import load_handbook
from .plan.routes import PageSpec, navigation, plan
from .source.problems import Problem
from .render.environment import TEMPLATES, make_environment

# In hand-written pages, `<!-- handbook:wp-overview -->` is replaced by the rendered fragment
# templates/includes/wp-overview.md.j2, in the page's language.
INCLUDE = re.compile(r"<!--\s*handbook:([a-z0-9-]+)\s*-->")


class HandbookInvalid(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


@dataclass
class Generated:
    content: Content
    pages: list[PageSpec]
    fingerprint: str
    written: int
    removed: int
    files: dict[str, str]
    printed: checklists.PrintSet | None = None  # printable checklists (issue 5)
    acronyms: dict[str, dict[str, str]] = field(default_factory=dict)  # language → glossary acronyms


def fingerprint(*folders: Path) -> str:
    """Changes when any file under the folders changes (name, size or modification time)."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                stat = path.stat()
                digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


class SiteGenerator:
    """Keeps the last good generation so that the per-language builds reuse it."""

    def __init__(self, project_root: Path):
        self.root = Path(project_root)
        self.handbook_dir = self.root / "handbook"
        self.docs_dir = self.root / "docs"
        self.last: Generated | None = None
        self.env = make_environment()
        self.checklist_cache = checklists.pdf.cache_dir(self.root)  # .cache/, git-ignored

    def generate(self) -> Generated:
        """Validate and (re)write the generated pages if anything changed; raise
        HandbookInvalid (leaving the previous pages untouched) when the Handbook has problems."""
        current = fingerprint(self.handbook_dir, TEMPLATES)
        if self.last is not None and self.last.fingerprint == current:
            return self.last
        result = load_handbook(self.handbook_dir)
        if not result.ok:
            raise HandbookInvalid(result.problems)
        assert result.content is not None
        pages = plan(result.content)
        # Printable checklists first: the pages show each PDF's size beside its link.
        printed = self._render(lambda: checklists.build(result.content, self.checklist_cache,
                                                        self.env))
        files = self._render(lambda: render_pages(result.content, pages, self.env,
                                                  printed.sizes()))
        written, removed = write_tree(self.docs_dir, files)
        self.last = Generated(result.content, pages, current, written, removed, files, printed)
        return self.last

    def write_checklists(self, site_dir: Path, lang: str) -> int:
        """Put one language's printable checklists into the built site (`checklists/` under
        that language's root). Returns the number of files written."""
        assert self.last is not None and self.last.printed is not None
        root = self.last.content.language_root(lang)
        return checklists.write(self.last.printed, lang,
                                Path(site_dir) / root / checklists.OUTPUT_DIR)

    def acronyms(self, lang: str) -> dict[str, str]:
        """Acronym → expanded term in `lang`, from the glossary (for <abbr> tooltips).
        Asked for every page: computed once per generation and language."""
        assert self.last is not None
        found = self.last.acronyms.get(lang)
        if found is None:
            found = self.last.acronyms[lang] = {}
            for term in self.last.content.glossary.values():
                if term.acronym and term.acronym[lang] != term.term[lang]:
                    found.setdefault(term.acronym[lang], term.term[lang])
        return found

    def theme_strings(self, lang: str) -> dict:
        """What overrides/ templates need for `lang` (they cannot read ui.yaml themselves)."""
        assert self.last is not None
        content = self.last.content
        return {"lang": lang, "is_default": lang == content.default_language,
                "prefix": content.language_root(lang),
                # Escaped here (Markup, so `| e` in a template does not escape twice): MkDocs
                # renders theme templates without autoescape (issue 7).
                "ui": {key: escape(text[lang]) for key, text in content.ui.items()}}

    def navigation(self, lang: str) -> list:
        assert self.last is not None
        return navigation(self.last.content, lang, self.last.pages)

    @staticmethod
    def _render(render):
        """Run a rendering; a missing interface string becomes a problem in ui.yaml."""
        try:
            return render()
        except UndefinedError as error:
            missing = re.search(r"has no (?:attribute|element) '([^']+)'", str(error))
            what = f"`{missing.group(1)}`" if missing else f"({error})"
            raise HandbookInvalid([Problem("handbook/ui.yaml", 1, 1, "", f"the interface text "
                                           f"{what} is missing: add it, in every language.",
                                           "missing-ui-text")]) from None

    def expand_includes(self, markdown: str, lang: str, src_uri: str) -> str:
        """Replace include markers in a hand-written page (src_uri like `index.md`)."""
        assert self.last is not None

        def render(match: re.Match) -> str:
            name = match.group(1)
            if not (TEMPLATES / "includes" / f"{name}.md.j2").is_file():
                known = sorted(p.name.removesuffix(".md.j2") for p in (TEMPLATES / "includes").glob("*.md.j2"))
                raise HandbookInvalid([Problem(f"docs/{src_uri}", 1, 1, "", f"unknown include "
                                               f"`{name}`; available: {', '.join(known)}.",
                                               "unknown-include")])
            # `index.en.md` (i18n suffix) is the page `index`: with the suffix its URL was
            # taken as `index.en/`, so the English home page linked to ../handbook/…, the
            # French pages (issue 6, found by the RGAA language-link check).
            page = PageSpec(src_uri.removesuffix(".md").removesuffix(f".{lang}"), "")
            context = page_context(self.last.content, page, lang)
            context["site_map"] = lambda: self.site_map(lang)
            template = self.env.get_template(f"includes/{name}.md.j2")
            return self._render(lambda: template.render(context))

        return INCLUDE.sub(render, markdown)

    def site_map(self, lang: str) -> list[tuple[str, str | None, list]]:
        """The navigation of `lang` as [(title, page path or None, children)]."""

        def walk(items: list) -> list:
            out = []
            for item in items:
                if isinstance(item, str):
                    path = item.removesuffix(".md")
                    out.append((self.page_title(path, lang), path, []))
                else:
                    (title, children), = item.items()
                    out.append((title, None, walk(children)))
            return out

        return walk(self.navigation(lang))

    def page_title(self, path: str, lang: str) -> str:
        """Title of a generated page (front matter) or a hand-written one (first `# ` line)."""
        assert self.last is not None
        text = self.last.files.get(f"{path}.{lang}.md")
        if text is None:
            source = self.docs_dir / f"{path}.{lang}.md"
            text = source.read_text(encoding="utf-8") if source.is_file() else ""
        front = re.search(r"^title:\s*(.+)$", text, re.MULTILINE)
        if front:
            value = front.group(1).strip()
            return json.loads(value) if value.startswith('"') else value
        heading = re.search(r"^#\s+(.+?)\s*$", text, re.MULTILINE)
        return heading.group(1) if heading else path
