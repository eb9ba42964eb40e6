"""The route table, the navigation and the page contexts, in-process on the mini Handbook."""

from __future__ import annotations

import pytest

from faasst_handbook.plan.contexts import Plan, page_context, print_context
from faasst_handbook.plan.navigation import mkdocs_nav, site_map
from faasst_handbook.plan.routes import Section, build_routes
from faasst_handbook.render.environment import make_environment
from faasst_handbook.render.pages import render_pages

from support.paths import ROOT


@pytest.fixture
def plan(mini) -> Plan:
    content = mini.load().content
    return Plan(content, build_routes(content), ROOT / "docs")


def test_every_generated_route_has_one_page_per_language(plan):
    pages = render_pages(plan, make_environment())
    expected = {f"{route.path}.{lang}.md" for route in plan.routes.generated()
                for lang in plan.content.languages}
    assert set(pages) == expected
    assert len({route.path for route in plan.routes.pages}) == len(plan.routes.pages)


def test_entry_urls_point_to_a_route_and_an_anchor_it_renders(plan):
    pages = render_pages(plan, make_environment())
    lang = plan.content.default_language
    by_url = {page.route.url: page for page in pages.values() if page.lang == lang}
    for kind in ("role", "tool", "mechanism", "indicator", "body", "source", "term", "cell",
                 "criterion"):
        for entry_id, url in plan.routes.anchors[kind].items():
            path, _, fragment = url.partition("#")
            assert path in by_url, (kind, entry_id, url)
            assert fragment in by_url[path].anchor_ids, (kind, entry_id, url)


def test_every_sheet_has_a_print_route_whose_online_page_is_the_sheet(plan):
    for sheet_id in plan.content.sheets:
        doc = plan.routes.print_by_slug[sheet_id]
        assert plan.routes.by_path[doc.online].entry == sheet_id
    assert {doc.kind for doc in plan.routes.prints} == {"sheet", "wp", "pack", "matrix", "grid"}


def test_navigation_lists_every_route_once_with_translated_sections(plan):
    for lang in plan.content.languages:
        nav = mkdocs_nav(plan, lang)
        sources: list[str] = []

        def walk(items):
            for item in items:
                if isinstance(item, dict):
                    (title, children), = item.items()
                    assert title and "nav_" not in title, title
                    if isinstance(children, str):  # a page under a label of its own
                        sources.append(children)
                    else:
                        walk(children)
                else:
                    sources.append(item)

        walk(nav)
        assert sorted(sources) == sorted(route.source for route in plan.routes.pages)
        wp = next(iter(plan.content.work_packages.values()))
        assert any(isinstance(item, dict) and f"WP{wp.number} · {wp.title[lang]}" in
                   str(item) for item in nav)


def test_the_site_map_uses_data_titles_not_rendered_output(plan):
    lang = plan.content.languages[-1]
    entries = []

    def walk(items):
        for title, url, children in items:
            entries.append((title, url))
            walk(children)

    walk(site_map(plan, lang))
    sheet = next(iter(plan.content.sheets.values()))
    assert (sheet.title[lang], f"handbook/{sheet.wp}/{sheet.id}/") in entries


def test_a_sheet_context_is_plain_data(plan):
    route = next(r for r in plan.routes.pages if r.kind == "sheet")
    context = page_context(plan, route, plan.content.languages[0])
    assert not [key for key, value in context.items() if callable(value)]
    assert context["title"] == plan.content.sheets[route.entry].title[context["lang"]]
    assert context["description"] == plan.content.sheets[route.entry].summary[context["lang"]]
    assert context["previous"] is None and context["next"] is not None


def test_a_wp_context_holds_its_key_entries(plan):
    route = next(r for r in plan.routes.pages if r.kind == "wp")
    context = page_context(plan, route, plan.content.languages[0])
    assert context["key_roles"] and set(context["key_roles"]) <= set(plan.content.roles)
    assert [sheet.id for sheet in context["sheets"]] == list(plan.content.work_packages[route.entry].sheets)


def test_print_contexts_point_qr_codes_at_the_site_in_their_language(plan):
    site = plan.content.info.site_url.rstrip("/")
    for lang in plan.content.languages:
        doc = plan.routes.print_by_slug["wp1-01"]
        context = print_context(plan, doc, lang)
        prefix = plan.content.language_root(lang)
        assert context["online_page"] == f"{site}/{prefix}handbook/wp1/wp1-01/"


def test_sections_of_the_nav_are_sections(plan):
    assert any(isinstance(item, Section) and item.title_key == "nav_handbook"
               for item in plan.routes.nav)


def test_the_top_levels_of_the_nav_say_each_thing_once(plan):
    """Issue 16: the sidebar showed the site's name, then the home page under the same name,
    then the modules as "Le Handbook". Top-level labels differ from each other and from the
    site's name; the trainers' guide is in the trainers' section, before what it prints."""
    for lang in plan.content.languages:
        nav = mkdocs_nav(plan, lang)
        labels = [next(iter(item)) if isinstance(item, dict) else
                  plan.title(plan.routes.by_path[item.removesuffix(".md")], lang)
                  for item in nav]
        assert len(set(labels)) == len(labels), labels
        assert plan.content.info.short_title[lang] not in labels
        assert labels[0] == plan.content.ui["nav_home"][lang]
        trainers = next(item for item in plan.routes.nav
                        if isinstance(item, Section) and item.title_key == "nav_trainers")
        assert trainers.children[0] == "training"
        about = next(item for item in plan.routes.nav
                     if isinstance(item, Section) and item.title_key == "nav_about")
        assert "training" not in about.children
