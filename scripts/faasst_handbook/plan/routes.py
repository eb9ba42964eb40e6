"""The page plan: every generated page as (path, template, data), and the site navigation.

One explicit list, so it is easy to see what the site is made of. Paths are relative to
`docs/`, without language suffix; each page is rendered once per language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..source.content import Content

GENERATED_DIR = "handbook"  # docs/handbook/ — generated, git-ignored

# Catalogue kind → page name under handbook/catalogues/ and its title key in ui.yaml.
CATALOGUES = {
    "role": ("roles", "roles"),
    "tool": ("tools", "tools"),
    "mechanism": ("mechanisms", "mechanisms"),
    "indicator": ("indicators", "indicators"),
    "body": ("bodies", "bodies"),
    "source": ("sources", "sources"),
}

# Hand-written pages in docs/ (as <name>.<lang>.md), in navigation order.
HAND_WRITTEN = ("index", "about", "using-the-site", "training", "accessibility", "site-map")


@dataclass(frozen=True)
class PageSpec:
    path: str  # e.g. "handbook/wp1/wp1-01"
    template: str  # e.g. "sheet.md.j2"
    data: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def url(self) -> str:
        return page_url(self.path)

    @property
    def source(self) -> str:
        return f"{self.path}.md"


def page_url(path: str) -> str:
    """Directory URL of a page path: `handbook/wp1/index` → `handbook/wp1/`, `index` → ``."""
    if path == "index":
        return ""
    if path.endswith("/index"):
        return path[: -len("index")]
    return path + "/"


def wp_path(wp_id: str) -> str:
    return f"{GENERATED_DIR}/{wp_id}/index"


def sheet_path(content: Content, sheet_id: str) -> str:
    return f"{GENERATED_DIR}/{content.sheets[sheet_id].wp}/{sheet_id}"


def catalogue_path(kind: str) -> str:
    return f"{GENERATED_DIR}/catalogues/{CATALOGUES[kind][0]}"


def target(content: Content, kind: str, entry_id: str | int) -> str:
    """URL (with #anchor) where an entry of `kind` is shown."""
    if kind == "wp":
        return page_url(wp_path(str(entry_id)))
    if kind == "sheet":
        return page_url(sheet_path(content, str(entry_id)))
    if kind in CATALOGUES:
        return page_url(catalogue_path(kind)) + "#" + str(entry_id).replace(".", "-")
    if kind == "term":
        return page_url(f"{GENERATED_DIR}/glossary") + "#" + str(entry_id).replace(".", "-")
    if kind == "cell":
        cell = content.matrix.cells[int(entry_id)]
        return page_url(f"{GENERATED_DIR}/matrix") + "#" + cell_anchor(cell.task, cell.means)
    if kind in ("criterion", "dimension"):
        return page_url(f"{GENERATED_DIR}/capacity-grid") + "#" + str(entry_id).replace(".", "-")
    raise KeyError(kind)


def cell_anchor(task: str, means: str) -> str:
    return f"{task}--{means}".replace(".", "-")


def plan(content: Content) -> list[PageSpec]:
    pages = [PageSpec(f"{GENERATED_DIR}/index", "handbook-index.md.j2")]
    for wp in content.work_packages.values():
        pages.append(PageSpec(wp_path(wp.id), "work-package.md.j2", {"wp": wp}))
        for sheet_id in wp.sheets:
            pages.append(PageSpec(sheet_path(content, sheet_id), "sheet.md.j2",
                                  {"sheet": content.sheets[sheet_id], "wp": wp}))
    pages.append(PageSpec(f"{GENERATED_DIR}/sheets", "sheet-finder.md.j2"))
    pages.append(PageSpec(f"{GENERATED_DIR}/matrix", "matrix.md.j2"))
    pages.append(PageSpec(f"{GENERATED_DIR}/matrix-by-role", "matrix-by-role.md.j2"))
    pages.append(PageSpec(f"{GENERATED_DIR}/capacity-grid", "capacity-grid.md.j2"))
    pages.append(PageSpec(f"{GENERATED_DIR}/glossary", "glossary.md.j2"))
    # Printable checklists (issue 5): the list of documents, and the pack builder.
    pages.append(PageSpec(f"{GENERATED_DIR}/checklists", "checklists.md.j2"))
    pages.append(PageSpec(f"{GENERATED_DIR}/pack-builder", "pack-builder.md.j2"))
    pages.append(PageSpec(f"{GENERATED_DIR}/catalogues/index", "catalogues-index.md.j2"))
    for kind, (_, title_key) in CATALOGUES.items():
        pages.append(PageSpec(catalogue_path(kind), "catalogue.md.j2",
                              {"kind": kind, "title_key": title_key}))
    return pages


def navigation(content: Content, lang: str, pages: list[PageSpec]) -> list:
    """MkDocs `nav` for one language: section titles are translated here, page titles come
    from each page's own title."""
    ui = {key: text[lang] for key, text in content.ui.items()}
    by_template: dict[str, list[PageSpec]] = {}
    for page in pages:
        by_template.setdefault(page.template, []).append(page)

    def src(path: str) -> str:
        return f"{path}.md"

    modules: list[Any] = [src(f"{GENERATED_DIR}/index")]
    for wp in content.work_packages.values():
        modules.append({f"WP{wp.number} · {wp.title[lang]}":
                        [src(wp_path(wp.id))] + [src(sheet_path(content, s)) for s in wp.sheets]})
    catalogues = [src(f"{GENERATED_DIR}/catalogues/index")] + [
        src(catalogue_path(kind)) for kind in CATALOGUES]
    return [
        src("index"),
        {ui["nav_handbook"]: modules},
        src(f"{GENERATED_DIR}/sheets"),
        {ui["matrix"]: [src(f"{GENERATED_DIR}/matrix"), src(f"{GENERATED_DIR}/matrix-by-role")]},
        src(f"{GENERATED_DIR}/capacity-grid"),
        {ui["nav_catalogues"]: catalogues},
        src(f"{GENERATED_DIR}/glossary"),
        {ui["nav_trainers"]: [src(f"{GENERATED_DIR}/checklists"),
                              src(f"{GENERATED_DIR}/pack-builder")]},
        {ui["nav_about"]: [src(name) for name in HAND_WRITTEN if name != "index"]},
    ]
