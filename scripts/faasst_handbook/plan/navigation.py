"""The navigation of a language, and the site map, derived from the route table."""

from __future__ import annotations

from .contexts import Plan
from .routes import NavLink, Section


def _section_title(plan: Plan, section: Section, lang: str) -> str:
    if section.wp is not None:
        wp = plan.content.work_packages[section.wp]
        return f"WP{wp.number} · {wp.title[lang]}"
    return plan.content.ui[section.title_key][lang]


def mkdocs_nav(plan: Plan, lang: str) -> list:
    """MkDocs' `nav` for one language: pages by source path (their titles come from each
    page), sections titled in the language."""

    def walk(items) -> list:
        out = []
        for item in items:
            if isinstance(item, Section):
                out.append({_section_title(plan, item, lang): walk(item.children)})
            elif isinstance(item, NavLink):
                out.append({plan.content.ui[item.title_key][lang]:
                            plan.routes.by_path[item.path].source})
            else:
                out.append(plan.routes.by_path[item].source)
        return out

    return walk(plan.routes.nav)


def site_map(plan: Plan, lang: str) -> list[tuple[str, str | None, list]]:
    """The navigation as [(title, site-relative URL or None, children)]."""

    def walk(items) -> list:
        out = []
        for item in items:
            if isinstance(item, Section):
                out.append((_section_title(plan, item, lang), None, walk(item.children)))
            elif isinstance(item, NavLink):
                out.append((plan.content.ui[item.title_key][lang],
                            plan.routes.by_path[item.path].url, []))
            else:
                route = plan.routes.by_path[item]
                out.append((plan.title(route, lang), route.url, []))
        return out

    return walk(plan.routes.nav)
