"""Render the route table into pages: one HTML body per generated route and language, with
its title, description and table of contents; and write them as `docs/<path>.<lang>.md`.

The files under `docs/handbook/` are what mkdocs-static-i18n needs to see (it drops pages
that exist only in memory); their body is HTML, which the engine adapter passes through
without running it through Markdown. Files are written only when their content changes and
stale ones are removed: rewriting every file on each build would make `mkdocs serve` rebuild
forever (it watches `docs/`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment

from ..atomic_files import write_atomically
from ..plan.contexts import Plan, page_context
from ..plan.navigation import site_map
from ..plan.routes import GENERATED_DIR, Route
from .environment import TableOfContents, make_environment

INCLUDES = "includes"  # fragments hand-written pages can include: `<!-- handbook:name -->`


@dataclass(frozen=True)
class RenderedPage:
    route: Route
    lang: str
    title: str
    description: str
    html: str
    toc: tuple  # nested tokens {level, id, name, children}, as MkDocs' get_toc() takes them
    anchor_ids: frozenset[str]
    search: dict | None = None  # what the search indexes it as (kind, module); None: left out
    feed: str | None = None  # site-relative URL of the feed the page announces in its <head>

    @property
    def file(self) -> str:
        """Path under docs/, e.g. `handbook/wp1/wp1-01.fr.md`."""
        return f"{self.route.path}.{self.lang}.md"

    def document(self) -> str:
        front = {"title": self.title, "description": self.description,
                 "hb_search": self.search if self.search is not None else False}
        if self.feed:
            front["hb_feed"] = self.feed
        if self.route.hide:
            front["hide"] = list(self.route.hide)
        lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in front.items()]
        return "---\n" + "\n".join(lines) + "\n---\n" + self.html


def render_page(plan: Plan, route: Route, lang: str, env: Environment) -> RenderedPage:
    context = page_context(plan, route, lang)
    toc = TableOfContents()
    context["toc"] = toc
    html = env.get_template(route.template).render(context)
    feed = context.get("feed_url")
    return RenderedPage(route, lang, context["title"], context["description"], html,
                        tuple(toc.tokens), frozenset(toc.ids), _search(plan, route, lang),
                        plan.content.language_root(lang) + feed if feed else None)


def _search(plan: Plan, route: Route, lang: str) -> dict | None:
    """How the search files a page: its kind, and its module for sheets and modules."""
    if not route.searchable:
        return None
    content = plan.content
    ui = {key: text[lang] for key, text in content.ui.items()}
    if route.kind == "sheet":
        wp = content.work_packages[content.sheets[route.entry].wp]
        return {"kind": ui["search_kind_sheet"], "wp": f"WP{wp.number}"}
    if route.kind == "wp":
        return {"kind": ui["search_kind_wp"],
                "wp": f"WP{content.work_packages[route.entry].number}"}
    return {"kind": ui["search_kind_page"]}


def render_pages(plan: Plan, env: Environment | None = None) -> dict[str, RenderedPage]:
    """File under docs/ → page, for every generated route and language."""
    env = env or make_environment()
    pages = {}
    for route in plan.routes.generated():
        for lang in plan.content.languages:
            page = render_page(plan, route, lang, env)
            pages[page.file] = page
    return pages


def include_names(env: Environment) -> list[str]:
    return sorted(name.split("/", 1)[1].removesuffix(".html.j2")
                  for name in env.list_templates() if name.startswith(f"{INCLUDES}/"))


def render_include(plan: Plan, env: Environment, name: str, path: str, lang: str) -> str:
    """A fragment for the hand-written page at `path` (e.g. `index`), in `lang`."""
    route = plan.routes.by_path[path]
    context = page_context(plan, route, lang)
    context["site_map"] = site_map(plan, lang)
    return env.get_template(f"{INCLUDES}/{name}.html.j2").render(context)


def write_tree(root: Path, files: dict[str, str], owned_dir: str = GENERATED_DIR) -> tuple[int, int]:
    """Make `root/owned_dir` hold exactly `files`. Returns (written, removed)."""
    written = removed = 0
    for relative, text in files.items():
        path = root / relative
        data = text.encode("utf-8")
        if path.is_file() and path.read_bytes() == data:
            continue
        write_atomically(path, data)
        written += 1
    wanted = {root / relative for relative in files}
    owned = root / owned_dir
    if owned.is_dir():
        for path in sorted(owned.rglob("*"), reverse=True):
            if path.is_file() and path not in wanted:
                path.unlink()
                removed += 1
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return written, removed
