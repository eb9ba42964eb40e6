"""The pages left at the old addresses of sheets that were renamed, moved or merged
(handbook/redirects.yaml, checked by rules/redirects.py; routes in plan/routes.py): in every
language, a small HTML page at the old URL that sends the reader straight on to the sheet that
holds the content now (templates/redirect.html.j2).

A static site cannot answer "moved permanently" by itself; an immediate `<meta refresh>` is
what every host understands, and search engines treat it, with its `<link rel="canonical">`,
as a permanent move.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment

from ..atomic_files import write_atomically
from ..plan.contexts import Plan
from ..render.environment import make_environment, relative_url

TEMPLATE = "redirect.html.j2"


def redirect_pages(plan: Plan, env: Environment | None = None) -> dict[str, str]:
    """Site-relative file (`en/handbook/wp3/wp3-07/index.html`) → its HTML."""
    content = plan.content
    if not plan.routes.redirects:
        return {}
    env = env or make_environment()
    template = env.get_template(TEMPLATE)
    reasons = {redirect.old: redirect.reason for redirect in content.redirects}
    pages = {}
    for redirect in plan.routes.redirects:
        target_url = plan.routes.by_path[redirect.target].url
        for lang in content.languages:
            context = {"lang": lang, "c": content, "urls": plan.routes.anchors,
                       "ui": {key: text[lang] for key, text in content.ui.items()},
                       "page_url": redirect.url, "redirect": redirect,
                       "reason": reasons[redirect.old],
                       "target": relative_url(target_url, redirect.url),
                       "canonical": plan.online_url(lang, target_url)}
            file = f"{content.language_root(lang)}{redirect.url}index.html"
            pages[file] = template.render(context)
    return pages


def write_redirects(site_dir: Path, plan: Plan) -> int:
    """Write the redirect pages into the built site; returns how many."""
    pages = redirect_pages(plan)
    for file, html in pages.items():
        write_atomically(Path(site_dir) / file, html.encode("utf-8"))
    return len(pages)
