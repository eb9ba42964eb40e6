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
    from faasst_handbook.problems import format_text
    from faasst_handbook.site import HandbookInvalid, SiteGenerator
except ImportError:  # running mkdocs without `pip install -e .`: use the checkout
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from faasst_handbook.problems import format_text
    from faasst_handbook.site import HandbookInvalid, SiteGenerator

log = logging.getLogger("mkdocs.hooks.handbook")
_generator: SiteGenerator | None = None


def _current_language(config) -> str:
    i18n = config.plugins.get("i18n")
    if i18n is None or i18n.current_language is None:
        raise Abort("The i18n plugin must be configured before the handbook hook runs.")
    return i18n.current_language


@event_priority(-110)  # after mkdocs-static-i18n's on_config (-100) has set the language
def on_config(config):
    global _generator
    root = Path(config.config_file_path).resolve().parent
    if _generator is None or _generator.root != root:
        _generator = SiteGenerator(root)
    try:
        generated = _generator.generate()
    except HandbookInvalid as invalid:
        raise Abort("The Handbook has problems; nothing was built.\n"
                    + format_text(invalid.problems)) from None
    if generated.written or generated.removed:
        log.info("Handbook pages: %d written, %d removed", generated.written, generated.removed)

    configured = [lang.locale for lang in config.plugins["i18n"].config.languages]
    expected = generated.content.languages
    if configured != expected:
        raise Abort(f"mkdocs.yml declares the languages {configured} but handbook/handbook.yaml "
                    f"declares {expected}: make them the same, in the same order.")
    config.nav = _generator.navigation(_current_language(config))
    return config


def on_page_markdown(markdown, page, config, files):
    """Hand-written pages may include generated fragments (`<!-- handbook:wp-overview -->`)."""
    if "<!--" not in markdown or _generator is None:
        return markdown
    try:
        return _generator.expand_includes(markdown, _current_language(config), page.file.src_uri)
    except HandbookInvalid as invalid:
        raise Abort(format_text(invalid.problems)) from None
