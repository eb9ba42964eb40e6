"""The MkDocs plugin `handbook`: the only place where the Handbook meets the site engine.

Everything else is engine-independent: pipeline.py generates the pages (HTML bodies written
as `docs/handbook/*.{lang}.md`, which mkdocs-static-i18n needs to see), publish/ finishes the
built site. This adapter hands the generated pages to MkDocs without running them through
Markdown, gives each language its navigation and interface strings, and runs the finishing
steps once every language is built. `mkdocs build` (or ProperDocs') and `handbook build`
therefore publish the same site, built in a temporary folder and swapped in on success.

Declared in pyproject.toml under `[project.entry-points."mkdocs.plugins"]`, enabled in
mkdocs.yml as `- handbook`. mkdocs-static-i18n builds each language by running the whole
build again from its post-build step, so every event fires once per language: generation is
cached, and the finishing steps wait for the outermost build to end.
"""

from __future__ import annotations

import json
import logging
import os
import posixpath
import sys
import time
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.toc import get_toc

from ..checks.security_scan import theme_template_dirs
from ..pipeline import Generator, HandbookInvalid, usable_folder
from ..plan.routes import GENERATED_DIR, OUTPUT_DIR
from ..printing import documents
from ..publish import offline, search, staging
from ..publish.finish import SiteRefused, finish_site
from ..render import theme
from ..render.abbreviations import add_abbreviations
from ..source.problems import format_text

log = logging.getLogger("mkdocs.plugins.handbook")


class HandbookConfig(base.Config):
    # Build into a temporary folder and swap it in on success (`mkdocs build` only).
    atomic = c.Type(bool, default=True)
    # The PDFs of the print documents: `render` them before the site is finished, render them
    # `later` (in the background, after the site is served: `mkdocs serve`'s default, so that
    # a preview never waits for WeasyPrint), or `skip` them (the HTML views stay). `auto`:
    # `render` for a build, `later` while serving. $HANDBOOK_PDFS overrides it.
    pdfs = c.Choice(("auto", "render", "later", "skip"), default="auto")

    # The offline copy (publish/offline.py sets it, with Material's search and offline
    # plugins): pages are files, links point at them, no server-side files.
    offline = c.Type(bool, default=False)


class _DirtyNoticeFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "A 'dirty' build is being performed" not in record.getMessage()


class HandbookPlugin(BasePlugin[HandbookConfig]):
    def __init__(self):
        self.command: str | None = None
        self.generator: Generator | None = None
        self.depth = 0  # nesting of build() calls: i18n builds languages inside the first
        self.staging: staging.Staging | None = None
        self.target_site_dir: Path | None = None
        self.finished = False  # the outermost build ended and the site passed every check
        self.not_found: dict[str, str] = {}
        self.reported: str | None = None
        self.languages: list[str] = []
        self.clock: dict[str, float] = {}  # when each phase ended (HANDBOOK_TIMINGS, bench)
        self.page_files: dict[str, str] = {}  # offline copy: folder URL → page file

    # --- once per command ---------------------------------------------------------------

    def on_startup(self, *, command, dirty):
        self.command = command  # kept across `mkdocs serve` rebuilds (on_startup makes it so)
        if command == "serve" and dirty:
            # `make serve` rebuilds only the pages that changed (`--dirty`); MkDocs warns
            # about it on every rebuild, and `strict: true` would turn that into a failure.
            logging.getLogger("mkdocs.commands.build").addFilter(_DirtyNoticeFilter())

    def on_shutdown(self):
        """After `build()` returned (MkDocs' strict check of warnings comes after the last
        plugin event): swap the staged site in — or drop it if the build did not finish."""
        self._write_timings()
        if self.staging is None:
            return
        if self.finished:
            self.staging.commit()
        else:
            self.staging.abort()
        self.staging = None

    # --- each build (once per language) ---------------------------------------------------

    def on_config(self, config):
        if self.depth:  # a nested per-language build: the outer one did all this
            return config
        self.clock = {"start": time.monotonic()}
        root = Path(config.config_file_path).resolve().parent
        if self.generator is None or self.generator.root != root:
            self.generator = Generator(root)
        self._generate()
        configured = [lang.locale for lang in config.plugins["i18n"].config.languages] \
            if "i18n" in config.plugins else []
        expected = self.generator.last.content.languages
        if configured != expected:
            raise Abort(f"mkdocs.yml declares the languages {configured} but "
                        f"handbook/handbook.yaml declares {expected}: make them the same, in "
                        "the same order.")
        self.languages = expected
        self._configure_site(config)
        if self.config.offline:
            config.use_directory_urls = False  # pages are files: nothing serves folders
            self.page_files = offline.page_files(self.generator.last.plan)
        self.clock["generated"] = time.monotonic()
        if self.command == "build" and self.config.atomic:
            self.target_site_dir = Path(config.site_dir)
            staging.terminate_as_interrupt()
            self.staging = staging.Staging(self.target_site_dir)
            self.finished = False
            config.site_dir = str(self.staging.begin())
        return config

    def _pdf_mode(self) -> str:
        mode = os.environ.get("HANDBOOK_PDFS") or self.config.pdfs
        if mode == "auto":
            return "later" if self.command == "serve" else "render"
        return mode
    def _configure_site(self, config) -> None:
        """What handbook.yaml's `site` decides and MkDocs needs: the logo and icon of the
        theme, and the stylesheet of the site's colours (after the hand-written ones)."""
        site = self.generator.last.content.info.site
        for option, path in (("logo", site.logo), ("favicon", site.favicon)):
            if path is None:
                continue
            if not (Path(config.docs_dir) / path).is_file():  # docs_dir: absolute by now
                raise Abort(f"handbook/handbook.yaml: site.{option}: `{path}` is not a file "
                            f"under docs/: put the image at docs/{path}, or correct the path.")
            config.theme[option] = path
        if theme.STYLESHEET not in config.extra_css:
            config.extra_css.append(theme.STYLESHEET)

    def _generate(self) -> None:
        generator = self.generator
        try:
            generation = generator.generate(render_pdfs=self._pdf_mode() == "render")
        except OSError as error:  # a folder that cannot be written: the cache, docs/handbook
            raise Abort(f"The generated files could not be written ({error}); nothing was "
                        "built.") from None
        except HandbookInvalid as invalid:
            report = format_text(invalid.problems)
            if not (self.command == "serve" and generator.last is not None):
                raise Abort("The Handbook has problems; nothing was built.\n" + report) from None
            # Serving: show the problems and keep serving the last valid Handbook (an
            # aborted build would leave the server waiting until the files are fixed).
            # Printed, not logged: `strict` counts warnings.
            if report != self.reported:
                print("\nThe Handbook has problems; the site shows the last valid version "
                      "until they are fixed.\n" + report + "\n", file=sys.stderr, flush=True)
            self.reported = report
            return
        self.reported = None
        if generation.written or generation.removed:
            log.info("Handbook pages: %d written, %d removed", generation.written,
                     generation.removed)
        if generation.warnings:
            print(format_text(generation.warnings), file=sys.stderr, flush=True)
        if generation.printed is not None:
            report = generation.printed.report
            log.info("Printable checklists: %d PDFs rendered, %d reused from the cache (%.1f s)"
                     "%s", len(report.rendered), len(report.reused), report.seconds,
                     f"; {len(report.missing)} to render" if report.missing else "")
        if generation.workfiles is not None:
            files = generation.workfiles
            log.info("Working files: %d written, %d reused from the cache (%.1f s)",
                     files.written, len(files.items) - files.written, files.seconds)

    def on_pre_build(self, *, config):
        self.depth += 1

    def on_files(self, files, *, config):
        # The build's language is known from here on: mkdocs-static-i18n sets the theme's
        # language in its on_config (`reconfigure_material: true`).
        lang = self._language(config)
        info = self.generator.last.content.info
        config.site_name = info.short_title[lang]  # the site's name is handbook.yaml's
        config.site_description = info.tagline[lang]
        config.nav = self.generator.navigation(lang)
        config.extra["hb"] = self.generator.theme_strings(lang)
        toc = config.mdx_configs.setdefault("toc", {})
        toc["permalink_title"] = str(self.generator.theme_strings(lang)["ui"]["permalink"])
        return files

    def on_env(self, env, *, config, files):
        """The theme's templates, compiled once and kept (Material has many: ~0.5 s a build)."""
        from jinja2 import FileSystemBytecodeCache

        folder = usable_folder(self.generator.pdf_cache.parent / "theme-templates")
        if folder is not None:
            env.bytecode_cache = FileSystemBytecodeCache(str(folder))
        return env

    def on_page_markdown(self, markdown, *, page, config, files):
        generated = self.generator.page(page.file.src_uri)
        if generated is not None:
            return ""  # the body is HTML already: see on_page_content
        if "<!--" not in markdown:
            return markdown
        lang = self._language(config)
        try:
            expanded = self.generator.expand_includes(markdown, lang, page.file.src_uri)
        except HandbookInvalid as invalid:
            raise Abort(format_text(invalid.problems)) from None
        if self.config.offline and expanded != markdown:  # fragments written for folder URLs
            path = page.file.src_uri.removesuffix(".md").removesuffix(f".{lang}")
            expanded = self._to_files(expanded, self.generator.last.plan.routes.by_path[path],
                                      page, lang)
        return expanded

    def on_page_content(self, html, *, page, config, files):
        generated = self.generator.page(page.file.src_uri)
        if generated is None:
            return html
        page.toc = get_toc(list(generated.toc))
        page.present_anchor_ids = set(generated.anchor_ids)
        if self.config.offline:
            return self._to_files(generated.html, generated.route, page, generated.lang)
        return generated.html

    def on_page_context(self, context, *, page, config, nav):
        """"Edit this page" (overrides/partials/actions.html) opens the page's YAML file, or
        its hand-written Markdown, on the forge of handbook.yaml."""
        page.edit_url = self.generator.edit_url(page.file.src_uri, self._language(config))
        return context

    def _to_files(self, html: str, route, page, lang: str) -> str:
        """Links written for the page's folder URL, pointed at files from where it is."""
        base = self.generator.last.content.language_root(lang) + route.url
        return offline.rewrite_links(html, base, page.file.dest_uri, self.page_files,
                                     relocate=True)

    def on_post_page(self, output, *, page, config):
        """Acronyms from the glossary get an explanation on hover and focus."""
        output = add_abbreviations(output, self.generator.acronyms(self._language(config)))
        if self.config.offline:  # the theme's folder links (footer, language switcher)
            here = posixpath.dirname(page.file.dest_uri)
            output = offline.rewrite_links(output, here + "/" if here else "",
                                           page.file.dest_uri, self.page_files, relocate=False)
        return output

    def on_post_template(self, output_content, *, template_name, config):
        """Every language writes the same site/404.html (the last one wins): keep each."""
        if template_name == "404.html":
            self.not_found[self._language(config)] = output_content
        return output_content

    @event_priority(-200)  # last: mkdocs-static-i18n builds the other languages before this
    def on_post_build(self, *, config):
        self.depth -= 1
        if self.depth:
            return
        self.clock["engine"] = time.monotonic()
        site_dir = Path(config.site_dir)
        preview = self.command == "serve"
        try:
            finished = finish_site(site_dir, self.generator.last, self.not_found,
                                   theme_template_dirs(self.generator.root),
                                   render_missing_pdfs=self._pdf_mode() == "render",
                                   preview=preview, offline_copy=self.config.offline)
        except SiteRefused as refused:
            raise Abort(str(refused)) from None
        except OSError as error:
            raise Abort(f"The site could not be finished ({error}).") from None
        if preview:
            self._in_background("search", lambda: search.build_search(site_dir,
                                                                       self.generator.last))
        elif self.config.offline:
            log.info("Offline copy finished: %d files scanned; search entries: %s",
                     finished.scanned, ", ".join(f"{lang} {count}" for lang, count
                                                 in finished.search.items()))
        else:
            log.info("Site finished: %d files scanned, %d theme scripts allowed by the "
                     "Content-Security-Policy; search: %d pages, %d entries; open data: %d "
                     "files (%.2f s)", finished.scanned, finished.script_hashes,
                     finished.search["pages"], finished.search["entries"],
                     finished.open_data_files, finished.open_data_seconds)
        self.finished = True
        self.clock["finished"] = time.monotonic()
        if preview:
            self._write_timings()  # each rebuild's phases (a build's are written at shutdown)
        printed = self.generator.last.printed
        if self._pdf_mode() == "later" and printed is not None and printed.report.missing:
            self._render_pdfs_later(site_dir)

    def _render_pdfs_later(self, site_dir: Path) -> None:
        """While serving: render the missing PDFs after the site is served (a process pool,
        driven from a thread), and put them into the served site when done."""
        generation = self.generator.last
        log.info("Printable checklists: %d PDFs render in the background; the pages link "
                 "them as soon as they are ready.", len(generation.printed.report.missing))

        def render() -> None:
            done = documents.build(generation.plan, self.generator.pdf_cache, self.generator.env,
                                   low_priority=True)
            for lang in generation.content.languages:
                root = site_dir / generation.content.language_root(lang)
                documents.write(done, lang, root / OUTPUT_DIR, render_missing=False)
            generation.printed = done
            log.info("Printable checklists: %d PDFs ready (%.1f s).", len(done.report.rendered),
                     done.report.seconds)

        self._in_background("pdfs", render)

    def _in_background(self, name: str, work) -> None:
        """Run `work` in a thread, one at a time per name (a preview's slow, optional steps)."""
        import threading

        threads = self.__dict__.setdefault("_threads", {})
        if name in threads and threads[name].is_alive():
            return

        def guarded() -> None:
            try:
                work()
            except KeyboardInterrupt:  # the preview is stopping
                return
            except Exception as error:  # a preview's optional step: say so, keep serving
                log.warning("%s could not be prepared for the preview: %s", name, error)

        threads[name] = threading.Thread(target=guarded, name=f"handbook-{name}", daemon=True)
        threads[name].start()

    def on_serve(self, server, *, config, builder):
        """Watch the hand-written pages, not the generated ones: the plugin writes those
        during a rebuild, and watching them made every edit rebuild the site twice."""
        docs = Path(config.docs_dir)
        server.unwatch(str(docs))
        server.watch(str(docs), recursive=False)
        for child in sorted(docs.iterdir()):
            if child.is_dir() and child.name != GENERATED_DIR:
                server.watch(str(child))
        return server

    def _write_timings(self) -> None:
        """Seconds per phase, for `make bench` (when HANDBOOK_TIMINGS names a file)."""
        target, clock = os.environ.get("HANDBOOK_TIMINGS"), self.clock
        if not target or "finished" not in clock or self.generator.last is None:
            return
        phases = dict(self.generator.last.seconds)
        phases["engine"] = clock["engine"] - clock["generated"]
        phases["finish"] = clock["finished"] - clock["engine"]
        phases["total"] = clock["finished"] - clock["start"]
        Path(target).write_text(json.dumps(phases), encoding="utf-8")

    def on_build_error(self, *, error):
        self.depth = 0
        if self.staging is not None:
            self.staging.abort()
            self.staging = None

    @staticmethod
    def _language(config) -> str:
        lang = config.theme.get("language")
        if not lang:
            raise PluginError("the theme has no language: the i18n plugin must be enabled "
                              "with `reconfigure_material: true`.")
        return lang


__all__ = ["HandbookPlugin"]
