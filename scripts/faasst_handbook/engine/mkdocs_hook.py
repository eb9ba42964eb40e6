"""MkDocs hook: turns the YAML Handbook into pages during `mkdocs build` and `mkdocs serve`.

Declared in mkdocs.yml (`hooks:`). MkDocs loads this file by path, once per process, so it
imports the package absolutely and keeps its logic in `site.py`.

mkdocs-static-i18n builds each language by running the whole build again (every event fires
once per language), so generation is cached and idempotent.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority

try:
    import faasst_handbook  # noqa: F401
except ImportError:  # running mkdocs without `pip install -e .`: use the checkout
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from faasst_handbook.publish import search_index
from faasst_handbook.render.abbreviations import add_abbreviations
from faasst_handbook.source.problems import format_text
from faasst_handbook.pipeline import HandbookInvalid, SiteGenerator

log = logging.getLogger("mkdocs.hooks.handbook")
_generator: SiteGenerator | None = None
_not_found_pages: dict[str, str] = {}  # language → rendered 404.html
# Issue 7: under `mkdocs serve`, an invalid edit keeps the last good site (see on_config).
_serving = False
_reported_problems: str | None = None


def on_startup(command, dirty):
    global _serving
    _serving = command == "serve"


def _current_language(config) -> str:
    i18n = config.plugins.get("i18n")
    if i18n is None or i18n.current_language is None:
        raise Abort("The i18n plugin must be configured before the handbook hook runs.")
    return i18n.current_language


@event_priority(-110)  # after mkdocs-static-i18n's on_config (-100) has set the language
def on_config(config):
    global _generator, _reported_problems
    root = Path(config.config_file_path).resolve().parent
    if _generator is None or _generator.root != root:
        _generator = SiteGenerator(root)
    previous = _generator.last
    try:
        generated = _generator.generate()
    except HandbookInvalid as invalid:
        if not (_serving and _generator.last is not None):
            raise Abort("The Handbook has problems; nothing was built.\n"
                        + format_text(invalid.problems)) from None
        # Serving: show the problems and rebuild from the last valid Handbook, so the last
        # good site keeps being served (an aborted build would leave MkDocs' server waiting,
        # "stuck", until the files are fixed). Printed, not logged: `strict` counts warnings.
        report = format_text(invalid.problems)
        if report != _reported_problems:  # once, not once per language
            print("\nThe Handbook has problems; the site shows the last valid version until "
                  "they are fixed.\n" + report + "\n", file=sys.stderr, flush=True)
        _reported_problems = report
        generated = _generator.last
    else:
        _reported_problems = None
    if generated.written or generated.removed:
        log.info("Handbook pages: %d written, %d removed", generated.written, generated.removed)
    if generated is not previous and generated.printed is not None:
        report = generated.printed.report
        log.info("Printable checklists: %d PDFs rendered, %d reused from the cache (%.1f s)",
                 len(report.rendered), len(report.reused), report.seconds)

    configured = [lang.locale for lang in config.plugins["i18n"].config.languages]
    expected = generated.content.languages
    if configured != expected:
        raise Abort(f"mkdocs.yml declares the languages {configured} but handbook/handbook.yaml "
                    f"declares {expected}: make them the same, in the same order.")
    lang = _current_language(config)
    config.nav = _generator.navigation(lang)
    config.extra["hb"] = _generator.theme_strings(lang)
    return config


def on_page_markdown(markdown, page, config, files):
    """Hand-written pages may include generated fragments (`<!-- handbook:wp-overview -->`)."""
    if "<!--" not in markdown or _generator is None:
        return markdown
    try:
        return _generator.expand_includes(markdown, _current_language(config), page.file.src_uri)
    except HandbookInvalid as invalid:
        raise Abort(format_text(invalid.problems)) from None


def on_post_page(output, page, config):
    """Acronyms from the glossary get an explanation on hover and focus."""
    return add_abbreviations(output, _generator.acronyms(_current_language(config)))


def on_post_template(output, template_name, config):
    """Every language writes the same site/404.html (the last one wins): keep each."""
    if template_name == "404.html":
        _not_found_pages[_current_language(config)] = output
    return output


@event_priority(-120)  # after mkdocs-static-i18n has merged the languages' search entries
def on_post_build(config):
    i18n = config.plugins["i18n"]
    if i18n.building:  # a nested per-language build: wait for the outer one to finish
        return
    site_dir = Path(config.site_dir)
    content = _generator.last.content
    languages = content.languages
    # Printable checklists, every language at once: i18n's nested builds share `site_dir`
    # and leave `current_language` on the last one, so the language cannot be asked here.
    for lang in languages:
        _generator.write_checklists(site_dir, lang)
    for lang, page in _not_found_pages.items():
        target = site_dir / content.language_root(lang) / "404.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, encoding="utf-8")
    try:
        counts = search_index.split_by_language(site_dir, languages)
        search_index.write_worker_wrapper(site_dir)
    except search_index.SearchIndexError as error:
        raise Abort(f"Search index: {error}") from None
    log.info("Search index per language: %s",
             ", ".join(f"{lang} {count}" for lang, count in counts.items()))
