"""What each page's template receives: prepared data, one builder per kind of page.

A context is plain data: the validated Handbook (`c`, its models are read-only data), the
interface strings of the page's language, the URL of every entry (`urls`, site-relative;
templates make them relative with the `rel` filter), the route and its title, and what the
page shows, already computed (a WP's key roles, the matrix by task, the finder's facets…).
Templates never call back into Python for data: "where is field X rendered?" is answered by
the template of that page kind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..source.content import Content
from ..translate.status import TranslationStatus
from . import assessment, calendar, changes, views
from .routes import (CATALOGUES, FEED, GRID_FORM, MATRIX_A4, MATRIX_POSTER, TRAINING_PACK,
                     WHATS_NEW, WORKFILE_MEDIA_TYPES, PrintRoute, Route, Routes, anchor,
                     cell_anchor, hand_written_title, workfile_slug, wp_pack_slug)


@dataclass
class Plan:
    """Everything the pages are made from: the Handbook and its route table."""

    content: Content
    routes: Routes
    docs_dir: Path  # where hand-written pages are (their titles come from their source)
    # What is missing or out of date in each language (None: no notice on any page)
    translations: TranslationStatus | None = None
    # What every print document of a language shares, worked out once per language: a
    # thousand-sheet Handbook has thousands of print documents.
    _per_language: dict = field(default_factory=dict, repr=False, compare=False)

    def once(self, name: str, lang: str, make: Callable[[], object]):
        key = (name, lang)
        if key not in self._per_language:
            self._per_language[key] = make()
        return self._per_language[key]

    def title(self, route: Route, lang: str) -> str:
        if not route.generated:
            return hand_written_title(self.docs_dir, route.path, lang)
        return _TITLES[route.kind](self, route, lang)

    def description(self, route: Route, lang: str) -> str:
        return _DESCRIPTIONS.get(route.kind, lambda plan, route, lang: "")(self, route, lang)

    def online_url(self, lang: str, site_relative_url: str) -> str:
        """Absolute URL of a page of the site in `lang` (what QR codes point to)."""
        base = self.content.info.site_url.rstrip("/") + "/"
        return base + self.content.language_root(lang) + site_relative_url


def _ui(content: Content, lang: str) -> dict[str, str]:
    return {key: text[lang] for key, text in content.ui.items()}


def _wp_title(content: Content, wp_id: str, lang: str) -> str:
    wp = content.work_packages[wp_id]
    return f"WP{wp.number} · {wp.title[lang]}"


_TITLES: dict[str, Callable[[Plan, Route, str], str]] = {
    "handbook-index": lambda p, r, lang: p.content.ui["handbook_title"][lang],
    "wp": lambda p, r, lang: _wp_title(p.content, r.entry, lang),
    "sheet": lambda p, r, lang: p.content.sheets[r.entry].title[lang],
    "sheet-finder": lambda p, r, lang: p.content.ui["sheet_finder"][lang],
    "matrix": lambda p, r, lang: p.content.matrix.title[lang],
    "matrix-by-role": lambda p, r, lang: p.content.ui["matrix_by_role"][lang],
    "capacity-grid": lambda p, r, lang: p.content.grid.title[lang],
    "self-assessment": lambda p, r, lang: p.content.ui["self_assessment"][lang],
    "catalogues": lambda p, r, lang: p.content.ui["catalogues"][lang],
    "catalogue": lambda p, r, lang: p.content.ui[CATALOGUES[r.entry][1]][lang],
    "glossary": lambda p, r, lang: p.content.ui["glossary"][lang],
    "checklists": lambda p, r, lang: p.content.ui["checklists_title"][lang],
    "pack-builder": lambda p, r, lang: p.content.ui["pack_builder"][lang],
    "search": lambda p, r, lang: p.content.ui["search_title"][lang],
    "calendar": lambda p, r, lang: p.content.ui["calendar_title"][lang],
    "starter-route": lambda p, r, lang: p.content.starter_route.title[lang],
    "cases": lambda p, r, lang: p.content.ui["cases"][lang],
    "case": lambda p, r, lang: p.content.cases[r.entry].title[lang],
    "whats-new": lambda p, r, lang: p.content.ui["whats_new"][lang],
    "open-data": lambda p, r, lang: p.content.ui["open_data_title"][lang],
}
_DESCRIPTIONS: dict[str, Callable[[Plan, Route, str], str]] = {
    "handbook-index": lambda p, r, lang: p.content.info.tagline[lang],
    "wp": lambda p, r, lang: p.content.work_packages[r.entry].summary[lang],
    "sheet": lambda p, r, lang: p.content.sheets[r.entry].summary[lang],
    "sheet-finder": lambda p, r, lang: p.content.ui["sheet_finder_intro"][lang],
    "matrix": lambda p, r, lang: p.content.ui["matrix_intro"][lang],
    "matrix-by-role": lambda p, r, lang: p.content.ui["matrix_by_role_intro"][lang],
    "capacity-grid": lambda p, r, lang: p.content.ui["capacity_grid_intro"][lang],
    "self-assessment": lambda p, r, lang: p.content.ui["self_assessment_description"][lang],
    "catalogues": lambda p, r, lang: p.content.ui["catalogues_intro"][lang],
    "catalogue": lambda p, r, lang: p.content.ui[CATALOGUES[r.entry][1] + "_intro"][lang],
    "glossary": lambda p, r, lang: p.content.ui["glossary_intro"][lang],
    "checklists": lambda p, r, lang: p.content.ui["checklists_intro"][lang],
    "pack-builder": lambda p, r, lang: p.content.ui["pack_builder_intro"][lang],
    "search": lambda p, r, lang: p.content.ui["search_intro"][lang],
    "calendar": lambda p, r, lang: p.content.ui["calendar_intro"][lang],
    "starter-route": lambda p, r, lang: p.content.ui["starter_route_intro"][lang],
    "cases": lambda p, r, lang: p.content.ui["cases_intro"][lang],
    "case": lambda p, r, lang: p.content.cases[r.entry].summary[lang],
    "whats-new": lambda p, r, lang: p.content.ui["whats_new_intro"][lang],
    "open-data": lambda p, r, lang: p.content.ui["open_data_intro"][lang],
}


def page_context(plan: Plan, route: Route, lang: str) -> dict:
    """The context of a generated page (or of an include in a hand-written page)."""
    content = plan.content
    context = {
        "lang": lang,
        "c": content,
        "ui": _ui(content, lang),
        "page": route,
        "page_url": route.url,  # what `rel` makes links relative to
        "urls": plan.routes.anchors,
        "title": plan.title(route, lang) if route.generated else "",
        "description": plan.description(route, lang) if route.generated else "",
        "packs": {wp_id: wp_pack_slug(wp_id) for wp_id in content.work_packages},
        "print_slugs": {"pack": TRAINING_PACK, "matrix": MATRIX_POSTER, "matrix_a4": MATRIX_A4,
                        "grid": GRID_FORM},
        "workfiles": plan.routes.workfile_by_slug,
        "workfile_types": WORKFILE_MEDIA_TYPES,
        "translation_notice": translation_notice(plan, route, lang),
    }
    builder = _BUILDERS.get(route.kind)
    if builder is not None:
        context.update(builder(plan, route, lang))
    return context


def _sheet(plan: Plan, route: Route, lang: str) -> dict:
    content = plan.content
    sheet = content.sheets[route.entry]
    previous, following = content.neighbours(sheet.id)
    return {"sheet": sheet, "wp": content.work_packages[sheet.wp], "previous": previous,
            "next": following, "last_changed": changes.last_changed(sheet),
            "history": changes.history(sheet), "whats_new": WHATS_NEW,
            # per deliverable, the working files it names; and this sheet's own RACI file
            "deliverable_files": [[workfile_slug(name, sheet.id) for name in d.templates]
                                  for d in sheet.deliverables],
            "raci_file": workfile_slug("raci", sheet.id)}


def _wp(plan: Plan, route: Route, lang: str) -> dict:
    content = plan.content
    wp = content.work_packages[route.entry]
    sheets = [content.sheets[s] for s in wp.sheets if s in content.sheets]
    return {"wp": wp, "sheets": sheets,
            "key_roles": views.key_entries(sheets, "role"),
            "key_tools": views.key_entries(sheets, "tool"),
            "key_mechanisms": views.key_entries(sheets, "mechanism"),
            "cells": views.matrix_cells_for(content, wp)}


def _catalogue(plan: Plan, route: Route, lang: str) -> dict:
    kind = route.entry
    return {"kind": kind, "title_key": CATALOGUES[kind][1],
            "entries": list(plan.content.catalogue(kind).values()),
            "index": views.catalogue_index(plan.content, kind, lang),
            "index_by_letter": kind not in views.GROUPED_BY}


def _catalogues(plan: Plan, route: Route, lang: str) -> dict:
    return {"catalogue_pages": [
        {"kind": kind, "path": f"handbook/catalogues/{name}", "title_key": key,
         "count": len(plan.content.catalogue(kind))}
        for kind, (name, key) in CATALOGUES.items()]}


def _glossary(plan: Plan, route: Route, lang: str) -> dict:
    terms = views.glossary_sorted(plan.content, lang)
    return {"terms": terms, "letters": views.glossary_letters(terms, lang)}


def _matrix(plan: Plan, route: Route, lang: str) -> dict:
    content = plan.content
    cells = content.matrix.cells
    return {"rows": views.matrix_rows(content),
            "cell_ids": {n: cell_anchor(cell.task, cell.means) for n, cell in enumerate(cells)},
            "raci_groups": views.matrix_raci(content),
            "matrix_roles": views.matrix_roles(content, lang)}


def _matrix_by_role(plan: Plan, route: Route, lang: str) -> dict:
    return {"roles_in_matrix": views.role_view(plan.content)}


def _finder(plan: Plan, route: Route, lang: str) -> dict:
    content = plan.content
    return {"facets": {sheet_id: views.facets(content, sheet)
                       for sheet_id, sheet in content.sheets.items()},
            "finder_facets": views.finder_facets(content, lang)}


_BUILDERS: dict[str, Callable[[Plan, Route, str], dict]] = {
    "sheet": _sheet, "wp": _wp, "catalogue": _catalogue, "catalogues": _catalogues,
    "glossary": _glossary, "matrix": _matrix, "matrix-by-role": _matrix_by_role,
    "sheet-finder": _finder,
    "pack-builder": lambda plan, route, lang: {
        "online": online_urls(plan, lang),
        "notes_sizes": views.print_notes_sizes(plan.content, lang)},
    "checklists": lambda plan, route, lang: {
        "shared_workfiles": [work.slug for work in plan.routes.workfiles if work.sheet is None],
        "raci_files": {work.sheet: work.slug for work in plan.routes.workfiles if work.sheet}},
    "search": lambda plan, route, lang: {"site_root": _site_root(plan, route, lang)},
    "calendar": lambda plan, route, lang: _calendar(plan),
    "starter-route": lambda plan, route, lang: {
        "route": plan.content.starter_route,
        "equivalents": [m for m in plan.content.mechanisms.values() if m.elsewhere]},
    "case": lambda plan, route, lang: {"case": plan.content.cases[route.entry]},
    "self-assessment": lambda plan, route, lang: _self_assessment(plan, route, lang),
    # feed_url: also announced in the page's <head> (render/pages.py, overrides/main.html)
    "whats-new": lambda plan, route, lang: {"editions": changes.by_edition(plan.content),
                                            "feed_url": FEED},
    "open-data": lambda plan, route, lang: _open_data(plan, route, lang),
}


def _calendar(plan: Plan) -> dict:
    slots = calendar.schedule(plan.content)
    by_wp = {wp_id: [s for s in slots if s.wp == wp_id] for wp_id in plan.content.work_packages}
    return {"slots": slots, "by_wp": by_wp, "months": calendar.span(slots),
            "cycle": calendar.CYCLE_MONTHS}


def _self_assessment(plan: Plan, route: Route, lang: str) -> dict:
    """The self-assessment page: the grid, and the data its script needs (a JSON data block:
    the page works from disk, with no file to fetch)."""
    content = plan.content
    ui = _ui(content, lang)
    site_url = content.info.site_url
    data = {
        "rules": assessment.page_rules(),
        "schema": assessment.schema_url(site_url),
        "storage_key": assessment.storage_key(site_url),
        "lang": lang,
        "grid_reviewed": content.grid.last_reviewed.isoformat(),
        "scale": [{"level": level.level, "name": level.name[lang]}
                  for level in content.grid.scale],
        "dimensions": [{"id": d.id, "name": d.name[lang],
                        "criteria": [{"id": c.id, "name": c.name[lang]} for c in d.criteria]}
                       for d in content.grid.dimensions],
        "csv": {"separator": ui["sa_csv_separator"],
                "headers": [ui["sa_csv_id"], ui["sa_csv_dimension"], ui["sa_csv_criterion"],
                            ui["sa_csv_level"], ui["sa_csv_level_name"], ui["sa_csv_note"]]},
        "file_name": ui["sa_file_name"],
        "messages": {
            "saved": ui["sa_saved"],
            "storage_unavailable": ui["sa_storage_unavailable"],
            "storage_unreadable": ui["sa_storage_unreadable"],
            "progress": ui["sa_progress"],
            "exported": ui["sa_exported"],
            "imported": ui["sa_imported"],
            "import_confirm": ui["sa_import_confirm"],
            "import_cancelled": ui["sa_import_cancelled"],
            "clear_confirm": ui["sa_clear_confirm"],
            "cleared": ui["sa_cleared"],
            "import_error": ui["sa_import_error"],
            "compare_error": ui["sa_compare_error"],
            "error_too_large": ui["sa_error_too_large"],
            "error_not_json": ui["sa_error_not_json"],
            "error_foreign": ui["sa_error_foreign"],
            "error_newer": ui["sa_error_newer"],
            "error_invalid": ui["sa_error_invalid"],
            "what_missing": ui["sa_what_missing"],
            "what_unexpected": ui["sa_what_unexpected"],
            "what_object": ui["sa_what_object"],
            "what_text": ui["sa_what_text"],
            "what_too_long": ui["sa_what_too_long"],
            "what_level": ui["sa_what_level"],
            "what_date": ui["sa_what_date"],
            "what_language": ui["sa_what_language"],
            "what_criterion": ui["sa_what_criterion"],
            "what_version": ui["sa_what_version"],
            "unknown_criterion": ui["sa_unknown_criterion"],
            "unknown_level": ui["sa_unknown_level"],
            "level": ui["level_number"],
            "average": ui["sa_average"],
            "assessed_of": ui["sa_assessed_of"],
            "assessed_on": ui["sa_assessed_on"],
            "not_assessed": ui["sa_not_assessed_short"],
            "compare_need_earlier": ui["sa_compare_need_earlier"],
            "compare_done": ui["sa_compare_done"],
            "compare_current": ui["sa_compare_current"],
        },
    }
    return {"assessment_data": data,
            "schema_href": _site_root(plan, route, lang) + assessment.SCHEMA_FILE,
            "format_name": assessment.FORMAT, "format_version": assessment.VERSION}


def _open_data(plan: Plan, route: Route, lang: str) -> dict:
    """The files of data/ (shared by the languages, at the site's root) and what they hold."""
    from ..publish import open_data  # it describes the tables; it imports Plan from here

    data = _site_root(plan, route, lang) + open_data.DATA_DIR + "/"
    return {"data_files": {"json": open_data.JSON_FILE, "schema": open_data.SCHEMA_FILE,
                           "package": open_data.PACKAGE_FILE},
            "data_url": data, "data_dir": open_data.DATA_DIR,
            "tables": [{"file": table.file, "slug": table.name.replace("-", "_"),
                        "rows": sum(1 for _ in table.rows(plan))}
                       for table in open_data.tables(plan)]}


def _site_root(plan: Plan, route: Route, lang: str) -> str:
    """Relative URL from a page to the site's root (not its language's): `../../` from
    `/en/search/`. The search bundle lives there, shared by the languages."""
    depth = route.url.count("/") + plan.content.language_root(lang).count("/")
    return "../" * depth or "./"


# --- the translation notice (issue 12) ----------------------------------------------------

# Sections of a sheet and a WP page, by the field they show: (ui key of the heading, anchor).
_PARTS = {
    "sheet": {"objective": ("objective", "objective"),
              "when_to_use": ("when_to_use", "when-to-use"),
              "prerequisites": ("prerequisites", "prerequisites"),
              "steps": ("steps", "steps"),
              "human_resources": ("human_resources", "human-resources"),
              "tools": ("tools", "tools"), "mechanisms": ("mechanisms", "mechanisms"),
              "bodies": ("bodies", "bodies"), "deliverables": ("deliverables", "deliverables"),
              "indicators": ("indicators", "indicators"),
              "checklist": ("checklist", "checklist")},
    "wp": {"objective": ("objective", "objective"),
           "when_to_use": ("when_it_applies", "when-to-use"),
           "scope": ("scope", "scope"),
           "expected_outcomes": ("expected_outcomes", "expected-outcomes")},
}


def shown_entries(plan: Plan, route: Route) -> list[tuple[str, str | None]]:
    """The entries whose texts a page shows, as far as the translation notice goes: a page
    shows the notice when a text of one of them is missing or out of date. Pages that only
    list other entries' titles (the finder, the checklists) have none."""
    content = plan.content
    if route.kind in ("sheet", "wp"):
        return [(route.kind, route.entry)]
    if route.kind == "catalogue":
        return [(route.entry, entry_id) for entry_id in content.catalogue(route.entry)]
    if route.kind == "glossary":
        return [("term", term_id) for term_id in content.glossary]
    single = {"matrix": "matrix", "matrix-by-role": "matrix", "capacity-grid": "capacity-grid",
              "handbook-index": "handbook"}.get(route.kind)
    return [(single, None)] if single else []


def translation_notice(plan: Plan, route: Route, lang: str) -> dict | None:
    """What the notice of a page in a target language says (None: no notice): whether some
    of its texts are out of date or missing (and shown in which language), which parts, and
    the link to the same page in the source language."""
    content, status = plan.content, plan.translations
    source = content.default_language
    if status is None or lang == source or not route.generated:
        return None
    found = [(kind, entry_id, status.problems_of(kind, entry_id, lang))
             for kind, entry_id in shown_entries(plan, route)]
    found = [item for item in found if item[2]]
    if not found:
        return None
    ui = _ui(content, lang)
    stale, missing, parts = False, {}, []
    for kind, entry_id, problems in found:
        for problem in problems:
            if problem.state == "stale":
                stale = True
            else:
                missing.setdefault(problem.reason, True)
        if route.kind in ("catalogue", "glossary"):  # which entries: their names, linked
            entry = content.catalogue(kind)[entry_id]
            name = entry.title if kind == "source" else (entry.term if kind == "term"
                                                         else entry.name)
            parts.append({"label": name if isinstance(name, str) else name[lang],
                          "href": "#" + anchor(entry_id)})
        else:
            known = _PARTS.get(route.kind, {})
            for problem in problems:
                top = problem.field.text.loc[0]
                if top in known and known[top][0] in ui:
                    part = {"label": ui[known[top][0]], "href": "#" + known[top][1]}
                    if part not in parts:
                        parts.append(part)
    names = {language.code: language for language in content.info.languages}

    def language_name(code: str) -> str:  # in the page's language
        return ui.get(f"language_{code}", names[code].name)

    depth = route.url.count("/") + content.language_root(lang).count("/")
    return {"stale": stale,
            "missing": [language_name(code) for code in missing],
            "source_name": language_name(source),
            "source": source, "source_label": names[source].label,
            "source_url": "../" * depth + route.url,
            "parts": parts}


# --- print documents ------------------------------------------------------------------------

def online_urls(plan: Plan, lang: str) -> dict[str, dict[str, str]]:
    """Absolute URLs of the pages in `lang`, by kind and id (QR codes, "online" links)."""
    return {kind: {key: plan.online_url(lang, url) for key, url in urls.items()}
            for kind, urls in plan.routes.anchors.items() if kind in ("sheet", "wp", "page")}


def print_context(plan: Plan, doc: PrintRoute, lang: str) -> dict:
    content = plan.content
    routes = plan.routes
    online = plan.once("online", lang, lambda: online_urls(plan, lang))
    return {
        "lang": lang,
        "c": content,
        "ui": _ui(content, lang),
        "doc": doc,
        "title": print_title(plan, doc, lang),
        "online": online,
        "online_page": plan.online_url(lang, routes.by_path[doc.online].url),
        "rows": plan.once("matrix_rows", "", lambda: views.matrix_rows(content)),
        "notes_sizes": plan.once("notes_sizes", lang,
                                 lambda: views.print_notes_sizes(content, lang)),
        **(_matrix_print(content, doc) if doc.kind == "matrix" else {}),
    }


def _matrix_print(content: Content, doc: PrintRoute) -> dict:
    """The matrix posters: their task rows split over the pages the document is made for."""
    return {"matrix_pages": views.split_evenly(views.matrix_rows(content), doc.pages or 1),
            "raci_groups": views.matrix_raci(content)}


def print_title(plan: Plan, doc: PrintRoute, lang: str) -> str:
    content, ui = plan.content, plan.content.ui
    if doc.kind == "sheet":
        return f"{doc.slug.upper()} {content.sheets[doc.slug].title[lang]} · {ui['checklist'][lang]}"
    if doc.kind == "wp":
        return f"{_wp_title(content, doc.wp, lang)} · {ui['print_wp_pack'][lang]}"
    return ui[doc.title_key][lang]
