"""The `handbook` command: validate the YAML, build the site, regenerate schemas.

Errors in the Handbook are reported as `file:line:column: field: message` with exit code 1;
this command never shows a Python traceback for bad content.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .source.loader import configured_fallbacks, configured_languages
from .source.text import DEFAULT_LANGUAGES
from .validation import load_handbook
from .source.problems import errors, format_json, format_text


def find_project_root(start: Path | None = None) -> Path:
    """The folder holding mkdocs.yml: the current one or a parent."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "mkdocs.yml").is_file() and (folder / "handbook").is_dir():
            return folder
    raise SystemExit("handbook: run this command inside the project (no mkdocs.yml found).")


def cmd_validate(args: argparse.Namespace) -> int:
    root = find_project_root()
    result = load_handbook(root / "handbook", strict=args.strict)
    if args.format == "json":
        print(format_json(result.problems))
    elif result.problems:
        print(format_text(result.problems), file=sys.stderr)
    if args.format == "text" and result.ok:
        content = result.content
        warned = f" ({len(result.problems)} warnings above)" if result.problems else ""
        print(f"The Handbook is valid{warned}: {len(content.work_packages)} Work Packages, "
              f"{len(content.sheets)} method sheets, languages {', '.join(content.languages)}.")
    return 0 if result.ok else 1


def cmd_new(args: argparse.Namespace) -> int:
    """A new sheet or catalogue entry: skeleton written, registered, texts still to write."""
    from .authoring import scaffold

    root = find_project_root()
    handbook_dir = root / "handbook"
    languages = list(configured_languages(handbook_dir / "handbook.yaml"))
    given = {code: (getattr(args, f"{args.name_option}_{code}", None) or "").strip()
             for code in languages}
    if not given[languages[0]]:
        print(f"handbook new {args.what}: give at least --{args.name_option}-{languages[0]} "
              f"\"…\".", file=sys.stderr)
        return 1
    try:
        if args.what == "sheet":
            created = scaffold.new_sheet(handbook_dir, args.wp, given)
        else:
            created = scaffold.new_entry(handbook_dir, args.what, given, args.id)
    except scaffold.ScaffoldError as error:
        print(f"handbook new {args.what}: {error}", file=sys.stderr)
        return 1
    if created.registered_in:
        print(f"Created {created.created} and added `{created.entry_id}` to the sheets of "
              f"{created.registered_in}.")
    else:
        print(f"Added `{created.entry_id}` at the end of {created.created}.")
    todo = created.still_to_write
    if todo:
        print(f"Still to write ({len(todo)}), as `handbook validate` reports it:")
        for problem in todo:
            print(problem.format())
    print(NEXT_STEPS[args.what].format(id=created.entry_id))
    return 0


# What `handbook validate` checks once every field of the new entry reads.
NEXT_STEPS = {
    "sheet": "Once they are written, `handbook validate` also checks how the parts fit: each "
             "checklist item names the steps it checks, every role acting in a step has a "
             "human-resources line, and exactly one of them is accountable.",
    **{what: "Then use `{id}` in a sheet, a matrix cell or another entry: until then "
             "`handbook validate` reports it as unused."
       for what in ("role", "tool", "mechanism", "indicator", "body")},
    "term": "Then make sure the term appears in the content it explains: `handbook validate` "
            "checks it.",
}


def cmd_rules(args: argparse.Namespace) -> int:
    """The registry of content rules, by area."""
    from .validation import rules

    for rule in rules.iter_rules():
        print(f"{rule.area:12} {rule.code:24} {rule.severity:8} {rule.summary}")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:

    from .source.schemas import stale_schemas, write_all

    root = find_project_root()
    languages = configured_languages(root / "handbook" / "handbook.yaml")
    optional = frozenset(configured_fallbacks(root / "handbook" / "handbook.yaml"))
    schema_dir = root / "handbook" / "schemas"
    if args.check:
        stale = stale_schemas(schema_dir, languages, optional)
        for name in stale:
            print(f"handbook/schemas/{name} is out of date: run `handbook schema`.",
                  file=sys.stderr)
        return 1 if stale else 0
    written = write_all(schema_dir, languages, optional)
    print(f"{len(written)} schema(s) written to handbook/schemas/." if written
          else "The schemas are up to date.")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from .publish.build import build_site

    root = find_project_root()
    return build_site(root, Path(args.site_dir), strict=not args.no_strict, engine=args.engine,
                      force=args.force)


def cmd_offline(args: argparse.Namespace) -> int:
    """The offline copy for training rooms (issue 15): the site as a zip that works from disk."""
    from .publish.offline import build_offline_copy

    root = find_project_root()
    return build_offline_copy(root, Path(args.out), Path(args.site_dir),
                              strict=not args.no_strict)


def cmd_checklists(args: argparse.Namespace) -> int:
    """Printable checklists alone (issue 5): every document, every language, into a folder."""
    from .printing import documents as checklists

    root = find_project_root()
    result = load_handbook(root / "handbook")
    if not result.ok:
        print(format_text(result.problems), file=sys.stderr)
        return 1
    out = Path(args.out) if Path(args.out).is_absolute() else root / args.out
    show = sys.stderr.isatty()  # a counter on a terminal, nothing in logs and pipes

    def progress(done: int, total: int) -> None:
        print(f"\rRendering PDFs: {done}/{total}", end="" if done < total else "\n",
              file=sys.stderr, flush=True)

    from .plan.contexts import Plan
    from .plan.routes import build_routes

    plan = Plan(result.content, build_routes(result.content), root / "docs")
    printed = checklists.build(plan, checklists.pdf.cache_dir(root),
                               workers=args.jobs, progress=progress if show else None)
    for lang in result.content.languages:
        checklists.write(printed, lang, out / lang)
    report = printed.report
    shown = out.relative_to(root) if out.is_relative_to(root) else out
    print(f"{len(printed.items)} documents ({', '.join(result.content.languages)}) in {shown}/: "
          f"{len(report.rendered)} PDFs rendered, {len(report.reused)} reused from the cache "
          f"({report.seconds:.1f} s).")
    return 0


def cmd_check_links(args: argparse.Namespace) -> int:
    """Internal links and anchors of a built site (issue 6); external links are only listed."""
    from .checks.link_check import check_site, site_url_from_mkdocs

    try:
        root: Path | None = find_project_root()
    except SystemExit:  # a site folder checked outside the project: no languages, no site_url
        root = None
    site_dir = Path(args.site_dir)
    if not site_dir.is_absolute() and root is not None and not site_dir.exists():
        site_dir = root / site_dir
    if not (site_dir / "index.html").is_file():
        print(f"handbook: {site_dir} holds no built site (no index.html): run `handbook build`.",
              file=sys.stderr)
        return 1
    site_url = args.site_url or (site_url_from_mkdocs(root / "mkdocs.yml") if root else None)
    languages = list(configured_languages(root / "handbook" / "handbook.yaml")) if root else None
    report = check_site(site_dir, site_url)
    print(report.format(languages, show_external=not args.no_external),
          file=sys.stdout if report.ok else sys.stderr)
    return 0 if report.ok else 1


def cmd_check_rgaa(args: argparse.Namespace) -> int:
    """RGAA checks of a built site: languages, other-language links, statement, site map,
    PDF alternatives, skip links."""
    from .checks.rgaa import check_site

    root = find_project_root()
    site_dir = Path(args.site_dir) if Path(args.site_dir).is_absolute() else root / args.site_dir
    languages = list(configured_languages(root / "handbook" / "handbook.yaml"))
    found = check_site(site_dir, languages)
    for name, problems in found.items():
        for problem in problems:
            print(f"{name}: {problem}", file=sys.stderr)
    total = sum(len(problems) for problems in found.values())
    print(f"RGAA checks: {total} problem(s).", file=sys.stderr if total else sys.stdout)
    return 1 if total else 0


def _add_new_command(commands) -> None:
    """`handbook new sheet|role|…`, with a name option per language of the Handbook."""
    from .authoring.skeletons import ENTRY_KINDS

    try:
        languages = configured_languages(find_project_root() / "handbook" / "handbook.yaml")
    except SystemExit:  # outside a project: the command will say so when it runs
        languages = dict(DEFAULT_LANGUAGES)
    new = commands.add_parser("new", help="start a new method sheet or catalogue entry: "
                              "skeleton, id, registration, and the texts still to write")
    kinds = new.add_subparsers(dest="what", required=True)
    sheet = kinds.add_parser("sheet", help="a method sheet, numbered next in its Work Package")
    sheet.add_argument("--wp", required=True, help="its Work Package, e.g. wp4")
    sheet.set_defaults(name_option="title")
    choices = [("sheet", "title", sheet)]
    for what, kind in ENTRY_KINDS.items():
        parser = kinds.add_parser(what, help=f"an entry of handbook/{kind.file_kind}, its id "
                                  f"made from its name")
        parser.add_argument("--id", default=None, help="the id to use instead of one made from "
                            "the name")
        parser.set_defaults(name_option=kind.name_field)
        choices.append((what, kind.name_field, parser))
    for what, option, parser in choices:
        for code, name in languages.items():
            parser.add_argument(f"--{option}-{code}", dest=f"{option}_{code}", metavar="TEXT",
                                help=f"its {option} in {name}")
        parser.set_defaults(run=cmd_new)


# --- translations (issue 12) ---------------------------------------------------------------

def _load_for_translation(root: Path):
    """The valid Handbook with its translation status, or None after printing its problems."""
    result = load_handbook(root / "handbook")
    if not result.ok:
        print(format_text(result.problems), file=sys.stderr)
        return None
    return result


def _target_languages(content, wanted: str | None) -> list[str] | None:
    targets = content.languages[1:]
    if wanted is None:
        return targets
    if wanted not in targets:
        known = ", ".join(targets) or "none"
        print(f"handbook: `{wanted}` is not a language to translate into (the Handbook's are "
              f"{known}; {content.default_language} is the source).", file=sys.stderr)
        return None
    return [wanted]


def cmd_i18n_status(args: argparse.Namespace) -> int:
    from .translate import status

    result = _load_for_translation(find_project_root())
    if result is None:
        return 1
    report = result.translations
    print(status.format_json(report) if args.format == "json" else status.format_text(report))
    return 1 if args.strict and not report.complete else 0


def cmd_i18n_reviewed(args: argparse.Namespace) -> int:
    from .translate.lock import read_lock
    from .translate.review import mark_reviewed

    root = find_project_root()
    result = _load_for_translation(root)
    if result is None:
        return 1
    content = result.content
    langs = _target_languages(content, args.lang)
    if langs is None:
        return 1
    files = None
    if args.files:
        files = []
        for name in args.files:
            path = Path(name).resolve()
            try:
                shown = path.relative_to(root).as_posix()
            except ValueError:
                shown = name
            if not any(item == shown for item in result.origins.documents):
                print(f"handbook: {name} is not a file of the Handbook (give paths like "
                      "handbook/sheets/wp1-01.yaml).", file=sys.stderr)
                return 1
            files.append(shown)
    lock, _ = read_lock(root / "handbook", content.default_language)
    report = mark_reviewed(content, result.origins, lock, langs, files, args.field)
    if report.unknown_fields:
        for value in report.unknown_fields:
            print(f"handbook: no text matches `--field {value}` (ids look like "
                  "wp1-01:steps[2].description; `handbook i18n status --format json` lists "
                  "the texts to review).", file=sys.stderr)
        return 1
    lock.write(root / "handbook")
    names = {language.code: language.name for language in content.info.languages}
    counted = ", ".join(f"{names[lang]}: {report.marked[lang]}" for lang in langs)
    print(f"{sum(report.marked.values())} translations recorded as reviewed ({counted}), "
          f"{report.changed} of them new or changed, in handbook/translations.lock.")
    for lang, count in report.missing.items():
        print(f"{count} texts have no {names[lang]} translation, so nothing to review: "
              f"translate them first (`handbook i18n export --lang {lang}`).")
    return 0


def cmd_i18n_export(args: argparse.Namespace) -> int:
    from .translate import po

    root = find_project_root()
    result = _load_for_translation(root)
    if result is None:
        return 1
    langs = _target_languages(result.content, args.lang)
    if langs is None:
        return 1
    out = Path(args.out) if Path(args.out).is_absolute() else Path.cwd() / args.out
    for lang in langs:
        path = po.export(result.content, result.origins, result.translations, lang, out)
        counts = result.translations.counts()[lang][""]
        shown = path.relative_to(root) if path.is_relative_to(root) else path
        print(f"{shown}: {counts['texts']} texts, {counts['missing']} to translate, "
              f"{counts['stale']} to check (fuzzy).")
    return 0


def cmd_i18n_import(args: argparse.Namespace) -> int:
    from .translate.lock import read_lock
    from .translate.po_import import import_po, summary

    root = find_project_root()
    result = _load_for_translation(root)
    if result is None:
        return 1
    content = result.content
    lock, _ = read_lock(root / "handbook", content.default_language)
    names = {language.code: language.name for language in content.info.languages}
    refused = []
    for name in args.files:
        path = Path(name)
        report = import_po(path, name, content, result.origins, lock, root / "handbook")
        print(summary(name, report, names))
        refused += report.refused
    if lock.exists:
        before, _ = read_lock(root / "handbook", content.default_language)
        if before.text() != lock.text():
            lock.write(root / "handbook")
    else:
        print("Reviews are not tracked (no handbook/translations.lock): `handbook i18n "
              "reviewed` starts tracking them.")
    if refused:
        print(format_text(refused), file=sys.stderr)
    after = load_handbook(root / "handbook")
    if not after.ok:
        print(format_text(errors(after.problems)), file=sys.stderr)
    elif after.problems:
        print(f"The Handbook is valid, with {len(after.problems)} warnings: `handbook validate` "
              "lists them.")
    return 1 if refused or not after.ok else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="handbook", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)

    validate = commands.add_parser("validate", help="check every YAML file of the Handbook")
    validate.add_argument("--format", choices=("text", "json"), default="text")
    validate.add_argument("--strict", action="store_true", help="treat warnings as errors")
    validate.set_defaults(run=cmd_validate)

    _add_new_command(commands)

    listing = commands.add_parser("rules", help="list the content rules `validate` runs")
    listing.set_defaults(run=cmd_rules)

    build = commands.add_parser("build", help="build the site into site/ (replaced only on success)")
    build.add_argument("--site-dir", default="site")
    build.add_argument("--no-strict", action="store_true", help="do not fail on MkDocs warnings")
    build.add_argument("--force", action="store_true",
                       help="build even if nothing changed since the last build")
    build.add_argument("--engine", choices=("mkdocs", "properdocs"), default="mkdocs",
                       help="the site engine reading mkdocs.yml (default: mkdocs)")
    build.set_defaults(run=cmd_build)

    copy = commands.add_parser("offline", help="build the offline copy: a zip of the site that "
                               "works when opened from disk (training rooms without internet)")
    copy.add_argument("--out", default="build/faasst-handbook-offline.zip",
                      help="the zip to write (default: build/faasst-handbook-offline.zip)")
    copy.add_argument("--site-dir", default="build/offline-site",
                      help="where the copy is built before it is zipped")
    copy.add_argument("--no-strict", action="store_true", help="do not fail on MkDocs warnings")
    copy.set_defaults(run=cmd_offline)

    printable = commands.add_parser("checklists", help="render the printable checklists "
                                    "(HTML + PDF, every language) into a folder")
    printable.add_argument("--out", default="build/checklists",
                           help="output folder, one sub-folder per language")
    printable.add_argument("--jobs", type=int, default=None,
                           help="PDFs rendered at once (default: one per core)")
    printable.set_defaults(run=cmd_checklists)

    links = commands.add_parser("check-links", help="check every internal link and anchor of "
                                "a built site; list the external links (never fetched)")
    links.add_argument("site_dir", nargs="?", default="site", help="the built site (default: site)")
    links.add_argument("--site-url", default=None, help="the site's public address: links to it "
                       "are checked as internal (default: site_url in mkdocs.yml)")
    links.add_argument("--no-external", action="store_true", help="do not list external links")
    links.set_defaults(run=cmd_check_links)

    rgaa = commands.add_parser("check-rgaa", help="RGAA checks of a built site (lang, links to "
                               "other languages, statement, site map, PDF alternatives, skip links)")
    rgaa.add_argument("site_dir", nargs="?", default="site")
    rgaa.set_defaults(run=cmd_check_rgaa)

    schema = commands.add_parser("schema", help="regenerate handbook/schemas/ from the model")
    schema.add_argument("--check", action="store_true", help="only report out-of-date schemas")
    schema.set_defaults(run=cmd_schema)

    i18n = commands.add_parser("i18n", help="translations: status, reviews, PO files for "
                               "translators").add_subparsers(dest="i18n_command", required=True)
    i18n_status = i18n.add_parser("status", help="per language, texts translated, missing and "
                                  "out of date, per file and in total")
    i18n_status.add_argument("--format", choices=("text", "json"), default="text")
    i18n_status.add_argument("--strict", action="store_true",
                             help="exit with 1 when any text is missing or out of date")
    i18n_status.set_defaults(run=cmd_i18n_status)
    reviewed = i18n.add_parser("reviewed", help="record translations as reviewed against "
                               "today's source texts (handbook/translations.lock)")
    reviewed.add_argument("files", nargs="*", metavar="FILE",
                          help="only the texts of these files (default: every file)")
    reviewed.add_argument("--field", action="append", metavar="ID",
                          help="only this text, e.g. wp1-01:steps[2].description, or a part "
                          "of an entry (wp1-01:steps[2]) or a whole entry (wp1-01); repeatable")
    reviewed.add_argument("--lang", help="only this language (default: every target language)")
    reviewed.set_defaults(run=cmd_i18n_reviewed)
    export = i18n.add_parser("export", help="write a gettext PO file per target language, for "
                             "translators")
    export.add_argument("--lang", help="only this language (default: every target language)")
    export.add_argument("-o", "--out", default="build/translations",
                        help="output folder (default: build/translations)")
    export.set_defaults(run=cmd_i18n_export)
    importing = i18n.add_parser("import", help="write the translations of PO files back into "
                                "the YAML")
    importing.add_argument("files", nargs="+", metavar="FILE", help="PO files")
    importing.set_defaults(run=cmd_i18n_import)

    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print("handbook: interrupted.", file=sys.stderr)
        return 130
    except Exception as error:  # a bug in this tool, not in the content
        if os.environ.get("HANDBOOK_DEBUG"):
            raise
        print(f"handbook: internal error ({type(error).__name__}: {error}). "
              "Run again with HANDBOOK_DEBUG=1 for details and report it.", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
