"""The generation, from `handbook/` to the files the site engine builds from — without the
engine: validate, plan the routes, render the pages into `docs/handbook/`, render the print
documents and their PDFs. The engine adapter (engine/mkdocs_plugin.py) calls this; so can
anything else (`handbook checklists`, the tests, another engine).

The result is cached by a fingerprint of the inputs, so that the engine's repeated passes
(one per language) and `mkdocs serve`'s rebuilds reuse it, and the last valid result is kept
while an edit is invalid.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup, escape

from .plan.contexts import Plan
from .plan.navigation import mkdocs_nav
from .plan.routes import build_routes, source_file
from .printing import documents, workfiles
from .render.environment import TEMPLATES, make_environment
from .render.pages import RenderedPage, include_names, render_include, render_pages, write_tree
from .render import theme
from .source.content import Content
from .source.problems import Problem
from .validation import fingerprint, load_handbook

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
    seconds: dict[str, float] = field(default_factory=dict)  # validate, pages, print
    workfiles: workfiles.WorkFileSet | None = None
    _acronyms: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def content(self) -> Content:
        return self.plan.content


class Generator:
    """Generates the pages of one project folder; keeps the last valid generation."""

    def __init__(self, project_root: Path):
        self.root = Path(project_root)
        self.handbook_dir = self.root / "handbook"
        self.docs_dir = self.root / "docs"
        self.last: Generation | None = None
        self.pdf_cache = documents.pdf.cache_dir(self.root)  # .cache/, git-ignored
        self.template_cache = usable_folder(self.pdf_cache.parent / "templates")
        self.env = make_environment(bytecode_dir=self.template_cache)
        self.workfile_cache = workfiles.cache_dir(self.root)

    def generate(self, with_pdfs: bool = True, render_pdfs: bool = True) -> Generation:
        """Validate and (re)write the generated pages if anything changed; raise
        HandbookInvalid (leaving the previous pages untouched) when the Handbook has errors.
        `with_pdfs`: also the print documents, whose PDFs are rendered unless `render_pdfs`
        is false (then `printed.report.missing` lists those the cache lacks)."""
        current = fingerprint(self.handbook_dir, TEMPLATES)
        if self.last is not None and self.last.fingerprint == current:
            if with_pdfs and (self.last.printed is None
                              or (render_pdfs and self.last.printed.report.missing)):
                self.last.printed = documents.build(self.last.plan, self.pdf_cache, self.env,
                                                    render_pdfs=render_pdfs)
            return self.last
        started = time.monotonic()
        result = load_handbook(self.handbook_dir)
        if not result.ok:
            raise HandbookInvalid(result.problems)
        validated = time.monotonic()
        plan = Plan(result.content, build_routes(result.content), self.docs_dir,
                    result.translations)
        pages = render_pages(plan, self.env)
        files = {name: page.document() for name, page in pages.items()}
        files[theme.STYLESHEET] = theme.stylesheet(result.content.info.site.colours)
        written, removed = write_tree(self.docs_dir, files)
        rendered = time.monotonic()
        self.last = Generation(plan, current, pages, written, removed, result.problems,
                               seconds={"validate": validated - started,
                                        "pages": rendered - validated})
        if with_pdfs:
            self.last.printed = documents.build(plan, self.pdf_cache, self.env,
                                                render_pdfs=render_pdfs)
            self.last.seconds["print"] = time.monotonic() - rendered
        self.last.workfiles = workfiles.build(plan, self.workfile_cache)
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
        info = content.info

        def safe(text: str | None) -> Markup | None:
            # Escaped here (Markup, so `| e` in a template does not escape twice): MkDocs
            # renders theme templates without autoescape.
            return None if text is None else Markup(escape(text))

        contact = info.site.contact
        return {"lang": lang, "is_default": lang == content.default_language,
                "prefix": content.language_root(lang),
                "ui": {key: safe(text[lang]) for key, text in content.ui.items()},
                # the site's configuration (handbook.yaml): footer, name, licence
                "site": {"name": safe(info.short_title[lang]),
                         "licence": safe(info.licence[lang]),
                         "contact": {"name": safe(contact.name[lang]),
                                     "email": safe(contact.email), "url": safe(contact.url)}}}

    def page(self, src_uri: str) -> RenderedPage | None:
        """The generated page behind a source file of the engine (`handbook/wp1/wp1-01.fr.md`)."""
        return self.last.pages.get(src_uri) if self.last is not None else None

    def edit_url(self, src_uri: str, lang: str) -> str | None:
        """Where the forge of handbook.yaml edits the file a page comes from (None without a
        forge, or for a page that is not a route, such as the 404 page)."""
        if self.last is None or self.last.content.info.forge is None:
            return None
        route = self.last.plan.routes.by_path.get(src_uri.removesuffix(".md")
                                                   .removesuffix(f".{lang}"))
        if route is None:
            return None
        return self.last.content.info.forge.edit_url(source_file(route, lang))

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


def usable_folder(folder: Path) -> Path | None:
    """`folder`, created if needed — or None if it cannot be (a cache is an optimisation:
    without it the build is slower, not broken)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder


def _line_of(text: str, match: re.Match) -> int:
    return text.count("\n", 0, match.start()) + 1
