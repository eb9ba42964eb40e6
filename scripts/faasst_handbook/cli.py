"""The `handbook` command: validate the YAML, build the site, regenerate schemas.

Errors in the Handbook are reported as `file:line:column: field: message` with exit code 1;
this command never shows a Python traceback for bad content.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .loader import configured_languages, load_handbook
from .problems import format_json, format_text


def find_project_root(start: Path | None = None) -> Path:
    """The folder holding mkdocs.yml: the current one or a parent."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "mkdocs.yml").is_file() and (folder / "handbook").is_dir():
            return folder
    raise SystemExit("handbook: run this command inside the project (no mkdocs.yml found).")


def cmd_validate(args: argparse.Namespace) -> int:
    root = find_project_root()
    result = load_handbook(root / "handbook")
    if args.format == "json":
        print(format_json(result.problems))
    elif result.problems:
        print(format_text(result.problems), file=sys.stderr)
    else:
        content = result.content
        print(f"The Handbook is valid: {len(content.work_packages)} Work Packages, "
              f"{len(content.sheets)} method sheets, languages {', '.join(content.languages)}.")
    return 0 if result.ok else 1


def cmd_schema(args: argparse.Namespace) -> int:

    from .schemas import stale_schemas, write_all

    root = find_project_root()
    languages = configured_languages(root / "handbook" / "handbook.yaml")
    schema_dir = root / "handbook" / "schemas"
    if args.check:
        stale = stale_schemas(schema_dir, languages)
        for name in stale:
            print(f"handbook/schemas/{name} is out of date: run `handbook schema`.",
                  file=sys.stderr)
        return 1 if stale else 0
    written = write_all(schema_dir, languages)
    print(f"{len(written)} schema(s) written to handbook/schemas/." if written
          else "The schemas are up to date.")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from .build import build_site

    root = find_project_root()
    return build_site(root, Path(args.site_dir), strict=not args.no_strict)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="handbook", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)

    validate = commands.add_parser("validate", help="check every YAML file of the Handbook")
    validate.add_argument("--format", choices=("text", "json"), default="text")
    validate.set_defaults(run=cmd_validate)

    build = commands.add_parser("build", help="build the site into site/ (replaced only on success)")
    build.add_argument("--site-dir", default="site")
    build.add_argument("--no-strict", action="store_true", help="do not fail on MkDocs warnings")
    build.set_defaults(run=cmd_build)

    schema = commands.add_parser("schema", help="regenerate handbook/schemas/ from the model")
    schema.add_argument("--check", action="store_true", help="only report out-of-date schemas")
    schema.set_defaults(run=cmd_schema)

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
