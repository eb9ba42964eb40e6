"""The route table: every page of the site and every printable document, declared once.

Each page is a `Route`: its path (under `docs/`, without language suffix), what it shows, the
template that renders it, its place in the navigation and its print counterpart. Everything
else is derived from this table: the navigation, the URL of every entry (a role, a glossary
term, a matrix cell…), the links between pages, the print documents and their QR codes.

Adding a page: one `Route` in `build_routes()` (and its template); adding a kind of entry
shown on a page: one line in `_anchors()`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..source.content import Content
from ..source.layout import KIND_BY_ENTRY, KIND_BY_ID, KIND_BY_NAME

GENERATED_DIR = "handbook"  # docs/handbook/ — generated, git-ignored

# Catalogue kind → (page name under handbook/catalogues/, title key in ui.yaml).
CATALOGUES = {
    "role": ("roles", "roles"),
    "tool": ("tools", "tools"),
    "mechanism": ("mechanisms", "mechanisms"),
    "indicator": ("indicators", "indicators"),
    "body": ("bodies", "bodies"),
    "source": ("sources", "sources"),
}

# Hand-written pages in docs/ (as <name>.<lang>.md).
HAND_WRITTEN = ("index", "about", "using-the-site", "training", "contributing", "accessibility",
                "site-map")
OUTPUT_DIR = "checklists"  # print documents, under each language's root
# The print documents' stylesheet scoped to the pack builder's pack (printing/stylesheets.py)
PACK_PRINT_CSS = f"{OUTPUT_DIR}/pack-print.css"
FEED = "feed.xml"  # the Atom feed of the change notes, under each language's root
WHATS_NEW = f"{GENERATED_DIR}/whats-new"
# The project's folders, as the forge shows them (edit links): content and hand-written pages.
HANDBOOK_FOLDER, DOCS_FOLDER = "handbook", "docs"
WORKFILES_DIR = "working-files"  # editable working files, under each language's root
OPEN_DATA = "open-data"  # the page presenting the data files (publish/open_data.py)


@dataclass(frozen=True)
class Route:
    path: str  # e.g. "handbook/wp1/wp1-01"; hand-written pages: "about"
    kind: str  # sheet, wp, catalogue, glossary, matrix, … or `page` (hand-written)
    template: str | None = None  # None for a hand-written page
    entry: str | None = None  # what the page is about: a sheet or WP id, a catalogue kind
    printable: str | None = None  # slug of its print document, if it has one
    searchable: bool = True  # pages that repeat others (the pack builder) are not indexed
    hide: tuple[str, ...] = ()  # parts of the theme the page goes without (Material's `hide`)

    @property
    def url(self) -> str:
        return page_url(self.path)

    @property
    def source(self) -> str:
        return f"{self.path}.md"

    @property
    def generated(self) -> bool:
        return self.template is not None


@dataclass(frozen=True)
class PrintRoute:
    """A printable document: `checklists/<slug>.html` and `.pdf` under each language root."""

    slug: str  # wp1-01, wp1-pack, training-pack, management-matrix, capacity-grid
    kind: str  # sheet | wp | pack | matrix | grid
    template: str
    online: str  # path of the page it stands for (its QR code, its "online" link)
    sheets: tuple[str, ...] = ()  # the sheets whose checklists it holds, in order
    wp: str | None = None
    title_key: str | None = None  # ui.yaml key of its title (sheets and WP packs: computed)
    paper: str = "A4"  # its @page size: "A4", "A4 landscape" or "A3 landscape"
    pages: int | None = None  # a layout made to fill exactly this many pages (the posters)
    searchable: bool = True  # a document that repeats another (the A4 matrix) is not indexed

    @property
    def html(self) -> str:
        return f"{OUTPUT_DIR}/{self.slug}.html"

    @property
    def pdf(self) -> str:
        return f"{OUTPUT_DIR}/{self.slug}.pdf"


@dataclass(frozen=True)
class RedirectRoute:
    """The address of a sheet that no longer exists (handbook/redirects.yaml), which sends
    readers on to the sheet that holds its content now, in every language."""

    old: str  # the old sheet id
    new: str  # the sheet it leads to
    path: str  # where the old sheet's page was: `handbook/wp3/wp3-07`
    target: str  # the route path of the new sheet

    @property
    def url(self) -> str:
        return page_url(self.path)


@dataclass(frozen=True)
class WorkFileRoute:
    """An editable working file (printing/workfiles.py): `working-files/<slug>.<format>`
    under each language root, in each of its formats."""

    slug: str  # decision-log, raci-wp1-01
    template: str  # what it is: a value of models.WorkTemplate
    formats: tuple[str, ...]  # ods, xlsx, odt
    sheet: str | None = None  # the sheet whose roles a RACI lists

    def file(self, fmt: str) -> str:
        return f"{WORKFILES_DIR}/{self.slug}.{fmt}"

    @property
    def files(self) -> list[str]:
        return [self.file(fmt) for fmt in self.formats]


@dataclass(frozen=True)
class Section:
    """A navigation section: its title (a ui.yaml key, or a WP whose title it takes) and
    its pages, in order. The first page of a section is its index page."""

    title_key: str | None
    children: tuple[str | NavLink | Section, ...]  # route paths and sub-sections
    wp: str | None = None


@dataclass(frozen=True)
class NavLink:
    """A page of the navigation under a label of its own (a ui.yaml key) rather than its
    title: the home page is "Accueil" there, its title being the site's name."""

    title_key: str
    path: str


@dataclass
class Routes:
    pages: list[Route]
    prints: list[PrintRoute]
    nav: list[str | NavLink | Section]  # route paths, labelled pages and sections
    workfiles: list[WorkFileRoute] = field(default_factory=list)
    # kind → id → site-relative URL; matrix cells are keyed by their position in matrix.cells
    anchors: dict[str, dict] = field(default_factory=dict)
    redirects: list[RedirectRoute] = field(default_factory=list)

    def __post_init__(self):
        self.by_path = {route.path: route for route in self.pages}
        self.print_by_slug = {doc.slug: doc for doc in self.prints}
        self.workfile_by_slug = {work.slug: work for work in self.workfiles}

    def url(self, kind: str, entry_id: str | int) -> str:
        """Site-relative URL (with #anchor) where an entry is shown, e.g.
        `handbook/catalogues/roles/#role-transition-lead`."""
        return self.anchors[kind][entry_id]

    def generated(self) -> list[Route]:
        return [route for route in self.pages if route.generated]

    def hand_written(self) -> list[Route]:
        return [route for route in self.pages if not route.generated]


def sheet_path(wp_id: str, sheet_id: str) -> str:
    return f"{GENERATED_DIR}/{wp_id}/{sheet_id}"


def page_url(path: str) -> str:
    """Directory URL of a page path: `handbook/wp1/index` → `handbook/wp1/`, `index` → ``."""
    if path == "index":
        return ""
    if path.endswith("/index"):
        return path[: -len("index")]
    return path + "/"


def anchor(entry_id: str) -> str:
    """HTML id for an entry: `role.transition-lead` → `role-transition-lead`."""
    return entry_id.replace(".", "-")


def cell_anchor(task: str, means: str) -> str:
    return f"{task}--{means}".replace(".", "-")


def wp_pack_slug(wp_id: str) -> str:
    return f"{wp_id}-pack"


TRAINING_PACK, MATRIX_POSTER, GRID_FORM = "training-pack", "management-matrix", "capacity-grid"
MATRIX_A4 = "management-matrix-a4"  # the poster's content on two A4 pages, for office printers

# The working files shared by the whole Handbook, in the order the checklists page lists
# them, with their formats: spreadsheets in ODS and XLSX, texts in ODT (see
# printing/workfiles.py). A sheet's RACI (`raci`) is one file per sheet.
SHARED_WORKFILES = {
    "portfolio-register": ("ods", "xlsx"),
    "decision-log": ("ods", "xlsx"),
    "committee-agenda": ("odt",),
    "committee-minutes": ("odt",),
    "indicator-sheets": ("ods", "xlsx"),
    "capacity-grid": ("ods", "xlsx"),
}
RACI_FORMATS = ("ods", "xlsx")
WORKFILE_MEDIA_TYPES = {  # the links' `type`, and what servers should send
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def workfile_slug(template: str, sheet_id: str) -> str:
    """The working file a deliverable of `sheet_id` names: its own RACI, or a shared file."""
    return f"raci-{sheet_id}" if template == "raci" else template


def build_routes(content: Content) -> Routes:
    g = GENERATED_DIR
    pages: list[Route] = [Route("index", "page")]
    pages.append(Route(f"{g}/index", "handbook-index", "handbook-index.html.j2"))
    pages.append(Route(f"{g}/calendar", "calendar", "calendar.html.j2"))
    if content.starter_route is not None:
        pages.append(Route(f"{g}/starter-route", "starter-route", "starter-route.html.j2"))
    wp_sections: list[Section] = []
    for wp in content.work_packages.values():
        wp_path = f"{g}/{wp.id}/index"
        pages.append(Route(wp_path, "wp", "work-package.html.j2", wp.id, wp_pack_slug(wp.id)))
        sheet_paths = []
        for sheet_id in wp.sheets:
            path = sheet_path(wp.id, sheet_id)
            sheet_paths.append(path)
            pages.append(Route(path, "sheet", "sheet.html.j2", sheet_id, sheet_id))
        wp_sections.append(Section(None, (wp_path, *sheet_paths), wp=wp.id))
    tools = [
        Route(f"{g}/sheets", "sheet-finder", "sheet-finder.html.j2"),
        # no table of contents beside the matrix: its 4 columns need the width
        Route(f"{g}/matrix", "matrix", "matrix.html.j2", printable=MATRIX_POSTER, hide=("toc",)),
        Route(f"{g}/matrix-by-role", "matrix-by-role", "matrix-by-role.html.j2"),
        Route(f"{g}/capacity-grid", "capacity-grid", "capacity-grid.html.j2",
              printable=GRID_FORM),
        Route(f"{g}/self-assessment", "self-assessment", "self-assessment.html.j2"),
        Route(f"{g}/catalogues/index", "catalogues", "catalogues-index.html.j2"),
        *[Route(f"{g}/catalogues/{name}", "catalogue", "catalogue.html.j2", kind)
          for kind, (name, _) in CATALOGUES.items()],
        Route(f"{g}/glossary", "glossary", "glossary.html.j2"),
        Route(f"{g}/checklists", "checklists", "checklists.html.j2", printable=TRAINING_PACK),
        Route(f"{g}/pack-builder", "pack-builder", "pack-builder.html.j2", searchable=False),
        Route(WHATS_NEW, "whats-new", "whats-new.html.j2"),
        Route("search", "search", "search.html.j2", searchable=False),
        Route(OPEN_DATA, "open-data", "open-data.html.j2"),
    ]
    pages += tools
    cases = [Route(f"{g}/cases/{case_id}", "case", "case.html.j2", case_id)
             for case_id in content.cases]
    if cases:
        pages.append(Route(f"{g}/cases/index", "cases", "cases-index.html.j2"))
        pages += cases
    pages += [Route(name, "page") for name in HAND_WRITTEN if name != "index"]

    # Top levels say each thing once: the site's name is the sidebar's title, so the home
    # page is "Accueil" there and the modules' section "Les six modules" (issue 16).
    nav: list[str | NavLink | Section] = [
        NavLink("nav_home", "index"),
        Section("nav_handbook", (f"{g}/index", *wp_sections, f"{g}/calendar",
                                 *([f"{g}/starter-route"] if content.starter_route else []))),
        f"{g}/sheets",
        Section("matrix", (f"{g}/matrix", f"{g}/matrix-by-role")),
        Section("capacity_grid", (f"{g}/capacity-grid", f"{g}/self-assessment")),
        Section("nav_catalogues", (f"{g}/catalogues/index",
                                   *[f"{g}/catalogues/{name}" for name, _ in CATALOGUES.values()])),
        f"{g}/glossary",
        *([Section("nav_cases", (f"{g}/cases/index", *[route.path for route in cases]))]
          if cases else []),
        # The trainers' guide leads their section, before what it tells them to print.
        Section("nav_trainers", ("training", f"{g}/checklists", f"{g}/pack-builder")),
        Section("nav_about", ("about", WHATS_NEW, "using-the-site", "contributing",
                              OPEN_DATA, "accessibility", "site-map")),
        "search",
    ]
    prints = _prints(content, pages)
    workfiles = [WorkFileRoute(slug, slug, formats) for slug, formats in SHARED_WORKFILES.items()]
    workfiles += [WorkFileRoute(workfile_slug("raci", sheet_id), "raci", RACI_FORMATS, sheet_id)
                  for wp in content.work_packages.values() for sheet_id in wp.sheets
                  if sheet_id in content.sheets]
    routes = Routes(pages, prints, nav, workfiles)
    routes.anchors = _anchors(content, routes)
    routes.redirects = _redirects(content, routes)
    return routes


def _redirects(content: Content, routes: Routes) -> list[RedirectRoute]:
    """Old sheet addresses. A sheet's id names its module (`wp3-07` was in `wp3`), so the old
    page was at `handbook/wp3/wp3-07/`."""
    found = []
    for redirect in content.redirects:
        target = next((route.path for route in routes.pages
                       if route.kind == "sheet" and route.entry == redirect.new), None)
        old_path = sheet_path(redirect.old.split("-", 1)[0], redirect.old)
        if target is not None and old_path not in routes.by_path:
            found.append(RedirectRoute(redirect.old, redirect.new, old_path, target))
    return found


# The Handbook file a generated page shows, when it is not its entry's own file (a sheet's, a
# WP's) nor a file of the same name (`matrix`, `glossary`, `capacity-grid`): see source_file().
_PAGE_FILES = {"handbook-index": "handbook", "matrix-by-role": "matrix"}


def source_file(route: Route, lang: str) -> str:
    """The file a page is written in, from the project's root (what "Edit this page" opens):
    `handbook/sheets/wp1-01.yaml` for a sheet, its catalogue's file for a catalogue page,
    `docs/about.fr.md` for a hand-written page. Pages assembled from many files (the finder,
    the indexes, what's new) have their own words in `handbook/ui.yaml`."""
    if not route.generated:
        return f"{DOCS_FOLDER}/{route.path}.{lang}.md"
    if route.kind in KIND_BY_ID and route.entry:
        file = KIND_BY_ID[route.kind].file(route.entry)
    elif route.kind == "catalogue":
        file = KIND_BY_ENTRY[route.entry].file()
    else:
        file = KIND_BY_NAME[_PAGE_FILES.get(route.kind, route.kind if route.kind in KIND_BY_NAME
                                            else "ui")].file()
    return f"{HANDBOOK_FOLDER}/{file}"


def _prints(content: Content, pages: list[Route]) -> list[PrintRoute]:
    online = {route.printable: route.path for route in pages if route.printable}
    docs = [PrintRoute(sheet_id, "sheet", "print/sheet.html.j2", online[sheet_id], (sheet_id,),
                       sheet.wp) for sheet_id, sheet in content.sheets.items()]
    docs += [PrintRoute(wp_pack_slug(wp.id), "wp", "print/wp-pack.html.j2",
                        online[wp_pack_slug(wp.id)], tuple(wp.sheets), wp.id)
             for wp in content.work_packages.values()]
    docs.append(PrintRoute(TRAINING_PACK, "pack", "print/training-pack.html.j2",
                           online[TRAINING_PACK], tuple(content.sheets),
                           title_key="print_training_pack"))
    # The management matrix: one A3 landscape poster, and the same on two A4 landscape pages.
    docs.append(PrintRoute(MATRIX_POSTER, "matrix", "print/matrix.html.j2", online[MATRIX_POSTER],
                           title_key="print_matrix", paper="A3 landscape", pages=1))
    docs.append(PrintRoute(MATRIX_A4, "matrix", "print/matrix.html.j2", online[MATRIX_POSTER],
                           title_key="print_matrix_a4", paper="A4 landscape", pages=2,
                           searchable=False))
    docs.append(PrintRoute(GRID_FORM, "grid", "print/capacity-grid.html.j2", online[GRID_FORM],
                           title_key="print_grid"))
    return docs


def _anchors(content: Content, routes: Routes) -> dict[str, dict[str, str]]:
    """Where each entry is shown: kind → id → site-relative URL."""
    url = {route.kind if route.kind not in ("sheet", "wp", "catalogue", "case") else
           f"{route.kind}:{route.entry}": route.url for route in routes.pages}
    anchors: dict[str, dict] = {
        "page": {route.path: route.url for route in routes.pages},
        "wp": {wp_id: url[f"wp:{wp_id}"] for wp_id in content.work_packages},
        "sheet": {sheet_id: url[f"sheet:{sheet_id}"] for sheet_id in content.sheets
                  if f"sheet:{sheet_id}" in url},
        "term": {term_id: url["glossary"] + "#" + anchor(term_id) for term_id in content.glossary},
        "cell": {n: url["matrix"] + "#" + cell_anchor(cell.task, cell.means)
                 for n, cell in enumerate(content.matrix.cells)},
        "task": {task.id: url["matrix"] + "#" + anchor(task.id) for task in content.matrix.tasks},
        "dimension": {d.id: url["capacity-grid"] + "#" + anchor(d.id)
                      for d in content.grid.dimensions},
        "criterion": {c.id: url["capacity-grid"] + "#" + anchor(c.id)
                      for d in content.grid.dimensions for c in d.criteria},
        "case": {case_id: url[f"case:{case_id}"] for case_id in content.cases},
        "print": {doc.slug: doc.html for doc in routes.prints},
        "print_css": {"pack": PACK_PRINT_CSS},
        "pdf": {doc.slug: doc.pdf for doc in routes.prints},
        "workfile": {f"{work.slug}.{fmt}": work.file(fmt) for work in routes.workfiles
                     for fmt in work.formats},
    }
    for kind in CATALOGUES:
        page = url[f"catalogue:{kind}"]
        anchors[kind] = {entry_id: page + "#" + anchor(entry_id)
                         for entry_id in content.catalogue(kind)}
    return anchors


def hand_written_title(docs_dir: Path, path: str, lang: str) -> str:
    """The title of a hand-written page: the first `# ` heading of its source."""
    source = Path(docs_dir) / f"{path}.{lang}.md"
    if source.is_file():
        for line in source.read_text(encoding="utf-8").splitlines():
            if line.startswith("# "):
                return line[2:].strip()
    return path
