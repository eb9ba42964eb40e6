"""The generation, from `handbook/` to the files the site engine builds from — without the
engine: validate, plan the routes, render the pages into `docs/handbook/`, render the print
documents and their PDFs. The engine adapter (engine/mkdocs_plugin.py) calls this; so can
anything else (`handbook checklists`, the tests, another engine).

The result is cached by a fingerprint of the inputs, so that the engine's repeated passes
(one per language) and `mkdocs serve`'s rebuilds reuse it, and the last valid result is kept
while an edit is invalid.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup, escape

from .plan.contexts import Plan
from .plan.navigation import mkdocs_nav
from .plan.routes import build_routes
from .printing import documents
from .render.environment import TEMPLATES, make_environment
from .render.pages import RenderedPage, include_names, render_include, render_pages, write_tree
from .source.content import Content
from .source.problems import Problem
from .validation import load_handbook

# In hand-written pages, `<!-- handbook:wp-overview -->` is replaced by the rendered fragment
# templates/includes/wp-overview.html.j2, in the page's language.
INCLUDE = re.compile(r"<!--\s*handbook:([a-z0-9-]+)\s*-->")


class HandbookInvalid(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


@dataclass
class Generation:
    plan: Plan
    fingerprint: str
    pages: dict[str, RenderedPage]  # file under docs/ → page
    written: int
    removed: int
    warnings: list[Problem] = field(default_factory=list)
    printed: documents.PrintSet | None = None
    _acronyms: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def content(self) -> Content:
        return self.plan.content


def fingerprint(*folders: Path) -> str:
    """Changes when any file under the folders changes (name, size or modification time)."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                stat = path.stat()
                digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


class Generator:
    """Generates the pages of one project folder; keeps the last valid generation."""

    def __init__(self, project_root: Path):
        self.root = Path(project_root)
        self.handbook_dir = self.root / "handbook"
        self.docs_dir = self.root / "docs"
        self.last: Generation | None = None
        self.env = make_environment()
        self.pdf_cache = documents.pdf.cache_dir(self.root)  # .cache/, git-ignored

    def generate(self, with_pdfs: bool = True) -> Generation:
        """Validate and (re)write the generated pages if anything changed; raise
        HandbookInvalid (leaving the previous pages untouched) when the Handbook has errors."""
        current = fingerprint(self.handbook_dir, TEMPLATES)
        if self.last is not None and self.last.fingerprint == current:
            if with_pdfs and self.last.printed is None:
                self.last.printed = documents.build(self.last.plan, self.pdf_cache, self.env)
            return self.last
        result = load_handbook(self.handbook_dir)
        if not result.ok:
            raise HandbookInvalid(result.problems)
        plan = Plan(result.content, build_routes(result.content), self.docs_dir,
                    result.translations)
        pages = render_pages(plan, self.env)
        written, removed = write_tree(self.docs_dir,
                                      {name: page.document() for name, page in pages.items()})
        self.last = Generation(plan, current, pages, written, removed, result.problems)
        if with_pdfs:
            self.last.printed = documents.build(plan, self.pdf_cache, self.env)
        return self.last

    def navigation(self, lang: str) -> list:
        assert self.last is not None
        return mkdocs_nav(self.last.plan, lang)

    def acronyms(self, lang: str) -> dict[str, str]:
        """Acronym → expanded term in `lang`, from the glossary (for <abbr> tooltips).
        Asked for every page: computed once per generation and language."""
        assert self.last is not None
        found = self.last._acronyms.get(lang)
        if found is None:
            found = self.last._acronyms[lang] = {}
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
                # renders theme templates without autoescape.
                "ui": {key: Markup(escape(text[lang])) for key, text in content.ui.items()}}

    def page(self, src_uri: str) -> RenderedPage | None:
        """The generated page behind a source file of the engine (`handbook/wp1/wp1-01.fr.md`)."""
        return self.last.pages.get(src_uri) if self.last is not None else None

    def expand_includes(self, markdown: str, lang: str, src_uri: str) -> str:
        """Replace include markers in a hand-written page (src_uri like `index.fr.md`)."""
        assert self.last is not None
        plan = self.last.plan
        known = include_names(self.env)
        path = src_uri.removesuffix(".md").removesuffix(f".{lang}")

        def render(match: re.Match) -> str:
            name = match.group(1)
            if name not in known:
                raise HandbookInvalid([Problem(f"docs/{src_uri}", _line_of(markdown, match), 1,
                                               "", f"unknown include `{name}`; available: "
                                               f"{', '.join(known)}.", "unknown-include")])
            return render_include(plan, self.env, name, path, lang)

        return INCLUDE.sub(render, markdown)


def _line_of(text: str, match: re.Match) -> int:
    return text.count("\n", 0, match.start()) + 1
