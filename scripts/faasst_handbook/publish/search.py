"""The site's search data, built by Pagefind (a static search library: one index per
`<html lang>`, French and Portuguese stemming, chunks loaded only when a query needs them).

- Pages: what sits inside `data-pagefind-body` (the article of every page of the theme, and the
  body of each print view), with its filters (kind of content, module) from `data-pagefind-
  filter` attributes; headings with an id become sub-results with their anchor.
- Catalogue entries and glossary terms: one record each, with its own anchor, so that a query
  such as "SEM énergies" leads to the SEM entry rather than to a page of 24 mechanisms (their
  pages mark the entries `data-pagefind-ignore`).

The bundle goes to `pagefind/` at the site's root; the search page (`search/` under each
language root) loads it, and nothing else does.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from ..pipeline import Generation
from ..plan.routes import CATALOGUES

BUNDLE_DIR = "pagefind"


@dataclass(frozen=True)
class Record:
    url: str  # from the site's root: `/en/handbook/catalogues/roles/#role-lead`
    language: str
    title: str
    content: str
    filters: dict[str, list[str]]


def entry_records(generation: Generation) -> list[Record]:
    """One record per catalogue entry and glossary term, in every language."""
    content = generation.content
    routes = generation.plan.routes
    records = []
    for lang in content.languages:
        root = "/" + content.language_root(lang)
        ui = {key: text[lang] for key, text in content.ui.items()}
        kind_name = ui["search_filter_kind"]
        label = ui["search_kind_entry"]
        for kind in CATALOGUES:
            for entry_id, entry in content.catalogue(kind).items():
                title = entry.title if kind == "source" else entry.name[lang]
                parts = [title]
                if kind != "source":
                    parts.append(entry.description[lang])
                if getattr(entry, "acronym", None):
                    parts.append(entry.acronym)
                if kind == "source":
                    parts += [entry.publisher, str(entry.year)]
                    if entry.note:
                        parts.append(entry.note[lang])
                records.append(Record(root + routes.url(kind, entry_id), lang, title,
                                      " ".join(parts), {kind_name: [label]}))
        label = ui["search_kind_term"]
        for term_id, term in content.glossary.items():
            title = term.term[lang] + (f" ({term.acronym[lang]})" if term.acronym else "")
            records.append(Record(root + routes.url("term", term_id), lang, title,
                                  f"{title} {term.definition[lang]}", {kind_name: [label]}))
    return records


def build_search(site_dir: Path, generation: Generation) -> dict[str, int]:
    """Write the Pagefind bundle into `site_dir/pagefind/`; returns pages indexed per kind."""
    return asyncio.run(_build(Path(site_dir).resolve(), generation))


def _without_polling_delay() -> None:
    """pagefind's Python client waits 0.1 s before reading each reply of its indexing service
    (pagefind/service/__init__.py, `_wait_for_responses`): 400 records took 40 s. Its reads
    await the data anyway, so the delay is given a zero length, for that module only."""
    import asyncio as real
    import types

    from pagefind import service

    async def no_delay(_seconds, result=None):
        return await real.sleep(0, result)

    if getattr(service.asyncio, "sleep", None) is not no_delay:
        service.asyncio = types.SimpleNamespace(**{**vars(real), "sleep": no_delay})


async def _build(site_dir: Path, generation: Generation) -> dict[str, int]:
    from pagefind.index import PagefindIndex

    _without_polling_delay()
    records = entry_records(generation)
    async with PagefindIndex(config={"output_path": str(site_dir / BUNDLE_DIR)}) as index:
        pages = await index.add_directory(str(site_dir))
        for record in records:  # one after the other: the same site gives the same files
            await index.add_custom_record(url=record.url, content=record.content,
                                          language=record.language,
                                          meta={"title": record.title},
                                          filters=record.filters)
    return {"pages": pages["page_count"], "entries": len(records)}
