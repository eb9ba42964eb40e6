"""The offline copy for training rooms without internet (issue 15): the site as a zip that
works when opened from disk (`file://`), made by `handbook offline` (`make offline`).

It is a variant of the same build, not a second build path: the same mkdocs.yml, engine,
`handbook` plugin and finishing steps, with a few settings changed (`offline_settings()`):

- `use_directory_urls: false`: from disk a browser opens no folder's `index.html`, so every
  page is a file (`handbook/wp1/wp1-01.html`). The generated pages are written for folder URLs
  (the online site's, also those of the QR codes and PDFs, which stay the same): the plugin
  points their links at the files (`rewrite_links()`), and the theme's own folder links too.
- Search: Pagefind fetches its index and WebAssembly, which browsers refuse from `file://`;
  the copy uses Material's own search with its `offline` plugin instead (its index is a
  script). With mkdocs-static-i18n that plugin keeps one index holding the last language
  built: `finish_offline_copy()` writes one index per language, picked by the page's language.
  The search runs in a Web Worker, which `file://` pages cannot start: the `offline` plugin
  adds a shim for that from a CDN; the copy carries its own (vendor/iframe-worker/) instead.
- No server configuration, no 404 pages (nothing serves the copy), no Pagefind bundle.
"""

from __future__ import annotations

import json
import posixpath
import re
import zipfile
from pathlib import Path

from ..atomic_files import copy_atomically, write_atomically

ZIP_NAME = "faasst-handbook-offline.zip"
FOLDER_IN_ZIP = "faasst-handbook"  # unzipping makes one folder, with index.html in it
DEFAULT_OUT = Path("build") / ZIP_NAME
DEFAULT_SITE_DIR = Path("build") / "offline-site"
SHIM = Path(__file__).resolve().parent / "vendor" / "iframe-worker" / "shim.js"
SHIM_URL = "assets/javascripts/iframe-worker/shim.js"  # Material skips its CDN copy for it
SEARCH_INDEX = "search/search_index.json"
SEARCH_SCRIPT = "search/search_index.js"
# A fixed date for every zip entry: the same site gives the same zip, byte for byte.
ZIP_DATE = (2025, 1, 1, 0, 0, 0)


# --- the build variant ----------------------------------------------------------------------

def offline_settings(root: Path) -> dict:
    """What the offline copy changes in mkdocs.yml, as `mkdocs.config.load_config()` options."""
    from mkdocs.utils.yaml import yaml_load

    with open(root / "mkdocs.yml", encoding="utf-8") as stream:
        config = yaml_load(stream) or {}
    plugins = []
    for plugin in config.get("plugins", []):
        name = plugin if isinstance(plugin, str) else next(iter(plugin))
        if name == "i18n":  # Material's search first: mkdocs-static-i18n reconfigures it
            plugins += ["search", "offline"]
        plugins.append({"handbook": {"offline": True}} if name == "handbook" else plugin)
    extra = dict(config.get("extra") or {})
    extra["polyfills"] = [*extra.get("polyfills", []), SHIM_URL]
    return {"use_directory_urls": False, "plugins": plugins, "extra": extra}


def page_files(plan) -> dict[str, str]:
    """Folder URL → file of every page in every language (site-relative):
    `en/handbook/wp1/` → `en/handbook/wp1/index.html`, `` → `index.html`."""
    content = plan.content
    files = {}
    for lang in content.languages:
        prefix = content.language_root(lang)
        for route in plan.routes.pages:
            files[prefix + route.url] = prefix + route.path + ".html"
    return files


_LINK = re.compile(r'(\s(?:href|src)=")([^"]*)(")')
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def rewrite_links(html: str, base: str, page: str, files: dict[str, str],
                  relocate: bool) -> str:
    """Point the `href`/`src` links of `html`, which sits in the file `page`, at files.

    Relative links are resolved from the folder `base` (site-relative, `` or ending with `/`);
    absolute paths (`/en/`) from the site's root. A link to a page's folder URL becomes a link
    to its file. `relocate`: the links were written for another place than `page` (the
    generated pages, written for folder URLs): every relative link is made relative to `page`
    again; otherwise only those to a folder change. Fragments and queries are kept."""
    here = posixpath.dirname(page)

    def fix(match: re.Match) -> str:
        url = match.group(2)
        cut = min([i for i in (url.find("#"), url.find("?")) if i >= 0], default=len(url))
        path, rest = url[:cut], url[cut:]
        if not path or _SCHEME.match(path) or path.startswith("//"):
            return match.group(0)
        absolute = path.startswith("/")
        target = posixpath.normpath(path.lstrip("/") if absolute else posixpath.join(base, path))
        folder = path.endswith("/") or path in (".", "..") or path.endswith(("/.", "/.."))
        key = "" if target == "." else target + "/"
        if key in files:
            target = files[key]
        elif not (relocate or absolute):
            return match.group(0)
        elif folder:
            target = key
        link = posixpath.relpath(target or ".", here or ".")
        if target.endswith("/") and link != ".":
            link += "/"
        return match.group(1) + link + rest + match.group(3)

    return _LINK.sub(fix, html)


# --- the finishing steps of the copy ----------------------------------------------------------

def finish_offline_copy(site_dir: Path, content) -> dict[str, int]:
    """After the security scan: one search index per language, the worker shim; what only a
    server uses removed. Returns the number of search entries per language."""
    site_dir = Path(site_dir)
    counts = write_search_indexes(site_dir, content)
    copy_atomically(SHIM, site_dir / SHIM_URL)
    for lang in content.languages:
        (site_dir / content.language_root(lang) / "404.html").unlink(missing_ok=True)
    for name in ("sitemap.xml", "sitemap.xml.gz"):
        (site_dir / name).unlink(missing_ok=True)
    return counts


def write_search_indexes(site_dir: Path, content) -> dict[str, int]:
    """Material's search index, split by language, as the script its search loads from disk.

    The index of the build (i18n adds the entries of every language to it) is split by each
    entry's language folder; the script holds each language's index and gives the search the
    one of the page it runs in (`<html lang>`), so a French reader gets French results."""
    combined = json.loads((site_dir / SEARCH_INDEX).read_text(encoding="utf-8"))
    roots = {lang: content.language_root(lang) for lang in content.languages
             if content.language_root(lang)}

    def language_of(location: str) -> str:
        return next((lang for lang, root in roots.items() if location.startswith(root)),
                    content.default_language)

    indexes: dict[str, dict] = {}
    seen: dict[str, set] = {}
    for lang in content.languages:
        config = dict(combined["config"], lang=_lunr_languages(lang, combined["config"]))
        indexes[lang] = {"config": config, "docs": []}
        seen[lang] = set()
    for doc in combined["docs"]:
        lang = language_of(doc["location"])
        key = (doc["location"], doc["title"], doc.get("text", ""))
        if key not in seen[lang]:  # i18n may add a language's entries twice
            seen[lang].add(key)
            indexes[lang]["docs"].append(doc)
    data = json.dumps(indexes, ensure_ascii=False, separators=(",", ":"))
    script = ("// The search index of each language (handbook offline): the page's language "
              "picks its own.\nvar __index = (function (indexes) {\n  return indexes["
              "document.documentElement.lang] || indexes[" + json.dumps(
                  content.default_language) + "];\n})(" + data + ");\n")
    write_atomically(site_dir / SEARCH_SCRIPT, script.encode("utf-8"))
    return {lang: len(index["docs"]) for lang, index in indexes.items()}


def _lunr_languages(lang: str, config: dict) -> list[str]:
    """The stemmer of the index's language, when Material's search has one for it."""
    from material import templates

    stemmers = Path(templates.__file__).parent / "assets" / "javascripts" / "lunr" / "min"
    if lang == "en" or (stemmers / f"lunr.{lang}.min.js").is_file():
        return [lang]
    return list(config.get("lang", ["en"]))


# --- the zip ---------------------------------------------------------------------------------

def write_zip(site_dir: Path, out: Path) -> int:
    """Zip the copy into `out` (one folder, FOLDER_IN_ZIP, at its root); returns its size."""
    site_dir = Path(site_dir)
    files = sorted((p for p in site_dir.rglob("*") if p.is_file()),
                   key=lambda p: p.relative_to(site_dir).as_posix())

    def write(stream) -> None:
        with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
            for path in files:
                name = f"{FOLDER_IN_ZIP}/{path.relative_to(site_dir).as_posix()}"
                info = zipfile.ZipInfo(name, ZIP_DATE)
                info.external_attr = 0o644 << 16
                # PDFs and images are compressed already: stored, they unzip faster.
                info.compress_type = (zipfile.ZIP_STORED if path.suffix in (".pdf", ".png")
                                      else zipfile.ZIP_DEFLATED)
                archive.writestr(info, path.read_bytes())

    write_atomically(out, write)
    return out.stat().st_size


def build_offline_copy(root: Path, out: Path = DEFAULT_OUT, site_dir: Path = DEFAULT_SITE_DIR,
                       strict: bool = True) -> int:
    """`handbook offline`: build the copy into `site_dir` (swapped in on success, like the
    site), then zip it into `out`. Returns the exit code."""
    from .build import build_site

    root = Path(root)
    out = out if out.is_absolute() else root / out
    site_dir = site_dir if site_dir.is_absolute() else root / site_dir
    code = build_site(root, site_dir, strict=strict, settings=offline_settings(root),
                      what="offline copy")
    if code != 0:
        return code
    size = write_zip(site_dir, out)
    shown = out.relative_to(root) if out.is_relative_to(root) else out
    print(f"Offline copy: {shown} ({size / 1e6:.1f} MB). Unzip it and open "
          f"{FOLDER_IN_ZIP}/index.html in a browser: no server or internet needed.")
    return 0
