"""The content model: one pydantic class per kind of Handbook file and of entry.

These classes are the single source of truth for the file format: validation uses them and
`handbook schema` turns them into the JSON Schemas under `handbook/schemas/`. Field docstrings
(`description=`) become the help text editors see while typing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any, Literal
from urllib.parse import quote, urlsplit

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field,
                      StringConstraints, WithJsonSchema)
from pydantic_core import PydanticCustomError

from .text import Markdown, Text, plain_string


class Model(BaseModel):
    # strict: a YAML `NO` is a boolean, not the text "NO"; extra keys are typos.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# --- identifiers and references ------------------------------------------------------------

@dataclass(frozen=True)
class Ref:
    """Marks a field as a reference to an entry of `kind`, checked by references.py."""

    kind: str


@dataclass(frozen=True)
class Defines:
    """Marks a field as the id that defines an entry of `kind` (unique across the Handbook)."""

    kind: str


# Readable ASCII ids. The prefix says what kind of entry an id names.
ID_PATTERNS = {
    "wp": r"^wp[1-9]$",
    "sheet": r"^wp[1-9]-[0-9]{2,3}$",
    "role": r"^role\.[a-z0-9]+(-[a-z0-9]+)*$",
    "tool": r"^tool\.[a-z0-9]+(-[a-z0-9]+)*$",
    "mechanism": r"^mech\.[a-z0-9]+(-[a-z0-9]+)*$",
    "indicator": r"^ind\.[a-z0-9]+(-[a-z0-9]+)*$",
    "body": r"^body\.[a-z0-9]+(-[a-z0-9]+)*$",
    "term": r"^term\.[a-z0-9]+(-[a-z0-9]+)*$",
    "source": r"^src\.[a-z0-9]+(-[a-z0-9]+)*$",
    "task": r"^task\.[a-z0-9]+(-[a-z0-9]+)*$",
    "means": r"^means\.[a-z0-9]+(-[a-z0-9]+)*$",
    "dimension": r"^cap\.[a-z0-9]+(-[a-z0-9]+)*$",
    "case": r"^case-[a-z0-9]+(-[a-z0-9]+)*$",
    "criterion": r"^cap\.[a-z0-9]+(-[a-z0-9]+)*\.[a-z0-9]+(-[a-z0-9]+)*$",
}
ID_EXAMPLES = {
    "wp": "wp1", "sheet": "wp1-01", "role": "role.transition-lead", "tool": "tool.opteer",
    "mechanism": "mech.fonds-vert", "indicator": "ind.ghg-emissions", "body": "body.copil",
    "term": "term.pcaet", "source": "src.faasst-news4", "task": "task.facilitation",
    "means": "means.digital-tools", "dimension": "cap.human", "criterion": "cap.human.team",
    "case": "case-response",
}


def _id(kind: str) -> Any:
    return Annotated[str, Defines(kind), StringConstraints(pattern=ID_PATTERNS[kind]),
                     Field(description=f"Stable identifier, e.g. `{ID_EXAMPLES[kind]}`.")]


def _ref(kind: str) -> Any:
    # The pattern only helps editors' completion; unknown ids are reported by references.py
    # with the closest existing id, which is more useful than "does not match a pattern".
    return Annotated[str, Ref(kind),
                     WithJsonSchema({"type": "string", "pattern": ID_PATTERNS[kind],
                                     "description": f"Id of a {kind}, e.g. "
                                                    f"`{ID_EXAMPLES[kind]}`."})]


WpId, SheetId, RoleId, ToolId = _id("wp"), _id("sheet"), _id("role"), _id("tool")
MechanismId, IndicatorId, BodyId, TermId = (_id("mechanism"), _id("indicator"), _id("body"),
                                            _id("term"))
SourceId, TaskId, MeansId = _id("source"), _id("task"), _id("means")
DimensionId, CriterionId, CaseId = _id("dimension"), _id("criterion"), _id("case")

WpRef, SheetRef, RoleRef, ToolRef = _ref("wp"), _ref("sheet"), _ref("role"), _ref("tool")
MechanismRef, IndicatorRef, BodyRef = _ref("mechanism"), _ref("indicator"), _ref("body")
TermRef, SourceRef, TaskRef, MeansRef = _ref("term"), _ref("source"), _ref("task"), _ref("means")
CaseRef = _ref("case")


# --- scalar types ------------------------------------------------------------------------

def _to_date(value: Any) -> Any:
    # Unquoted YAML dates arrive as dates, quoted ones as text: accept both, nothing else.
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise PydanticCustomError("date_format", "`{value}` is not a date written "
                                      "YYYY-MM-DD: write it like 2025-06-30.",
                                      {"value": value.strip()[:40]}) from None
    if isinstance(value, dt.datetime):
        raise PydanticCustomError("date_format", "expected a date without a time, written "
                                  "YYYY-MM-DD.")
    return value


Date = Annotated[dt.date, BeforeValidator(_to_date)]


def _check_url(value: str) -> str:
    parts = urlsplit(value.strip())
    if parts.scheme not in ("https", "http") or not parts.netloc or any(
            c.isspace() or c in "\"'<>`\\" or ord(c) < 32 for c in value.strip()):
        raise PydanticCustomError("url", "`{value}` is not a web address: write the full address, "
                                  "starting with https:// (other kinds of links, such as "
                                  "`javascript:`, are refused).", {"value": value.strip()[:80]})
    return value.strip()


Url = Annotated[str, AfterValidator(_check_url),
                WithJsonSchema({"type": "string", "format": "uri", "pattern": "^https?://"})]
Raci = Literal["responsible", "accountable", "consulted", "informed"]
Effort = Literal["low", "medium", "high"]
Frequency = Literal["continuous", "weekly", "monthly", "quarterly", "half-yearly", "yearly",
                    "multi-year", "as-needed"]
Word = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True),
                 AfterValidator(plain_string)]  # no HTML, attribute lists or unsafe links
Edition = Annotated[str, StringConstraints(pattern=r"^[0-9]+(\.[0-9]+)*$")]


# --- the Handbook's metadata (handbook.yaml) ---------------------------------------------

class Language(Model):
    code: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")] = Field(
        description="ISO 639-1 code, e.g. `fr`.")
    name: Word = Field(description="The language's name in English, e.g. `French`.")
    label: Word = Field(description="The language's name in itself, e.g. `Français`.")
    fallback: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")] | None = Field(
        default=None, description="For a language added after the first two (e.g. `pt`): "
        "the code of a language listed before it, e.g. `en`, whose text is shown where this "
        "language's text is missing (a warning, not an error). Without it, every text must "
        "be written in this language.")


ForgeKind = Literal["gitlab", "github", "gitea", "forgejo"]
# Where each kind of forge edits a file, shows a folder and shows a file, after the
# repository's address: `<repository>/<edit>/<branch>/<path>`.
_FORGE_PATHS: dict[str, tuple[str, str, str]] = {
    "gitlab": ("-/edit", "-/tree", "-/blob"), "github": ("edit", "tree", "blob"),
    "gitea": ("_edit", "src/branch", "src/branch"),
    "forgejo": ("_edit", "src/branch", "src/branch"),
}


class Forge(Model):
    """Where the Handbook's files are kept and changed: every page's "Edit this page" link
    opens its source file there."""

    kind: ForgeKind = Field(description="The forge's software: gitlab, github, gitea or "
                            "forgejo (it decides the shape of the edit links).")
    repository: Url = Field(description="The repository's web address, e.g. "
                            "`https://gitlab.com/dijon-metropole/faasst-handbook`.")
    branch: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")] = Field(
        default="main", description="The branch the site is built from, e.g. `main`.")

    def _url(self, which: int, path: str) -> str:
        prefix = _FORGE_PATHS[self.kind][which]
        return f"{self.repository.rstrip('/')}/{prefix}/{quote(self.branch)}/{quote(path)}"

    def edit_url(self, path: str) -> str:
        """Where the forge edits the file at `path` (relative to the repository's root)."""
        return self._url(0, path)

    def tree_url(self, path: str = "") -> str:
        """Where the forge shows the folder at `path`."""
        return self._url(1, path)

    def file_url(self, path: str) -> str:
        """Where the forge shows the file at `path`."""
        return self._url(2, path)
# --- the site and its publisher (issue 15: another city reuses the Handbook) ----------------

HexColour = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]
Email = Annotated[str, StringConstraints(pattern=r"^[^@\s<>\"'`]+@[^@\s<>\"'`]+\.[A-Za-z]{2,}$")]
# A file of the site, under docs/ (e.g. `assets/images/logo.svg`): no absolute path, and no
# part of the path starts with a dot (so no `..`).
AssetPath = Annotated[str, StringConstraints(
    pattern=r"^([A-Za-z0-9_-][A-Za-z0-9_.-]*/)*[A-Za-z0-9_-][A-Za-z0-9_.-]*\.(svg|png|jpg|jpeg|webp|ico)$")]


class Colours(Model):
    """The site's colours, written into CSS variables of the theme. `handbook validate` checks
    their contrast (WCAG 2.1 AA, rule `site-colour-contrast`)."""

    primary: HexColour = Field(default="#22446b", description="Header bar and headings, "
                               "written in white on it: at least 4.5:1 against white.")
    accent: HexColour = Field(default="#0b5e51", description="Hovered links and the keyboard "
                              "focus ring: at least 4.5:1 against white.")
    links: HexColour = Field(default="#1c4f86", description="Links in text: at least 4.5:1 "
                             "against white.")


class Contact(Model):
    name: Text = Field(description="Who readers write to, e.g. 'Mission transition, Dijon "
                       "métropole'.")
    email: Email | None = Field(default=None, description="An address readers can write to.")
    url: Url | None = Field(default=None, description="A contact page.")


class DataLicence(Model):
    """The licence under which the Handbook and its open data are published."""

    id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9.+-]+$")] = Field(
        description="Its SPDX identifier, e.g. `etalab-2.0` (Licence Ouverte 2.0) or "
                    "`ODbL-1.0`; written into the data package.")
    name: Text = Field(description="Its name, e.g. 'Licence Ouverte 2.0'.")
    url: Url = Field(description="Where its text is published.")


class Site(Model):
    """What makes the site a city's own: logo, colours, contact (its sources: `forge`)."""

    logo: AssetPath | None = Field(default=None, description="An image under docs/, e.g. "
                                   "`assets/images/logo.svg`, shown in the header (default: "
                                   "a book icon).")
    favicon: AssetPath | None = Field(default=None, description="The browser tab's icon, "
                                      "under docs/.")
    colours: Colours = Colours()
    contact: Contact


class HandbookInfo(Model):
    title: Text
    short_title: Text = Field(description="The site's name: header, browser tab, footer.")
    tagline: Text = Field(description="One sentence saying what the Handbook is for.")
    edition: Edition = Field(description='Edition number in quotes, e.g. "1.0".')
    content_date: Date = Field(description="Date of the content of this edition.")
    publisher: Text
    licence: Text = Field(description="The statement shown in every page's footer and on the "
                          "printed packs: who holds the rights, under which licence.")
    data_licence: DataLicence
    site_url: Url = Field(description="Public address of the site, used in printed QR codes.")
    languages: list[Language] = Field(min_length=1, description="The first one is the source "
                                      "language and the site's default.")
    work_packages: list[WpRef] = Field(min_length=1, description="The modules, in order.")
    forge: Forge | None = Field(default=None, description="Where the files are edited: "
                                "without it, pages have no \"Edit this page\" link.")
    site: Site


# --- Work Packages and method sheets -------------------------------------------------------

class WorkPackage(Model):
    id: WpId
    number: Annotated[int, Field(ge=1, le=9)]
    title: Text
    summary: Text = Field(description="One line saying what the module is for.")
    objective: Markdown
    when_to_use: Markdown
    scope: Markdown
    expected_outcomes: list[Text] = Field(min_length=1)
    sheets: list[SheetRef] = Field(min_length=1, description="Method sheets, in order.")
    last_reviewed: Date


class Step(Model):
    title: Text
    description: Markdown
    roles: list[RoleRef] = Field(min_length=1)
    tools: list[ToolRef] = []
    mechanisms: list[MechanismRef] = []
    bodies: list[BodyRef] = []
    outputs: list[Text] = []


class RoleAssignment(Model):
    role: RoleRef
    raci: Raci
    effort: Text = Field(description="Rough effort, e.g. 'about 2 days a month'.")


class ToolUse(Model):
    tool: ToolRef
    purpose: Text


class MechanismUse(Model):
    mechanism: MechanismRef
    purpose: Text


class BodyUse(Model):
    body: BodyRef
    purpose: Text


class IndicatorUse(Model):
    indicator: IndicatorRef
    purpose: Text


# The editable working files the site publishes (printing/workfiles.py): a deliverable that
# one of them helps produce names it, and its sheet page links the file.
WorkTemplate = Literal["portfolio-register", "decision-log", "raci", "committee-agenda",
                       "committee-minutes", "indicator-sheets", "capacity-grid"]


def _no_repeats(values: list[str]) -> list[str]:
    repeated = sorted({value for value in values if values.count(value) > 1})
    if repeated:
        raise PydanticCustomError("repeated", "`{value}` is listed twice: remove the second "
                                  "one.", {"value": repeated[0]})
    return values


class Deliverable(Model):
    title: Text
    description: Text
    templates: Annotated[list[WorkTemplate], AfterValidator(_no_repeats)] = Field(
        default=[], max_length=3, description="The working files to download for this "
        "deliverable: portfolio-register, decision-log, raci (this sheet's roles), "
        "committee-agenda, committee-minutes, indicator-sheets or capacity-grid.")


class ChecklistItem(Model):
    text: Text = Field(description="A statement a trainer can tick, e.g. 'The steering "
                       "committee has approved the scope.'")
    steps: list[Annotated[int, Field(ge=1)]] = Field(
        default=[], description="The steps (numbered from 1) this item checks.")


Repeats = Literal["once", "yearly", "half-yearly", "continuous", "each-cycle"]


class Timing(Model):
    months: list[Annotated[int, Field(ge=0, le=72)]] = Field(
        min_length=2, max_length=2, description="Typical duration in months, shortest then "
        "longest, e.g. [3, 6]. Used by the overall calendar.")
    repeats: Repeats = Field(default="once", description="How often the sheet is carried out "
                             "again: once, yearly, half-yearly, continuous or each-cycle (at "
                             "each revision of the climate plan).")


class ChangeNote(Model):
    date: Date
    edition: Edition = Field(description='The edition this change belongs to, e.g. "2.0".')
    note: Text = Field(description="What changed, in one or two sentences, for readers.")


class Sheet(Model):
    id: SheetId
    wp: WpRef
    title: Text
    summary: Text = Field(description="One line saying what the sheet is for.")
    objective: Markdown
    when_to_use: Markdown
    prerequisites: list[Text] = Field(min_length=1)
    prerequisite_sheets: list[SheetRef] = Field(
        default=[], description="Sheets to carry out before this one.")
    steps: list[Step] = Field(min_length=4)
    human_resources: list[RoleAssignment] = Field(min_length=1)
    tools: list[ToolUse] = Field(min_length=1)
    mechanisms: list[MechanismUse] = Field(min_length=1)
    bodies: list[BodyUse] = Field(min_length=1)
    deliverables: list[Deliverable] = Field(min_length=1)
    indicators: list[IndicatorUse] = Field(min_length=1)
    duration: Text = Field(description="Typical duration, e.g. '3 to 6 months'.")
    effort: Effort
    related_sheets: list[SheetRef] = Field(min_length=1)
    sources: list[SourceRef] = Field(min_length=1)
    checklist: list[ChecklistItem] = Field(min_length=6, max_length=12,
                                           description="6 to 12 items a trainer can tick in "
                                           "a session, each linked to the steps it checks.")
    pitfalls: list[Text] = Field(default=[], max_length=4, description="2 to 4 concrete "
                                 "mistakes to avoid when carrying out this sheet.")
    timing: Timing | None = None
    last_reviewed: Date
    changes: list[ChangeNote] = Field(default=[], description="Dated change notes, newest "
                                      "first, shown on the sheet page and in 'What's new'.")


# --- catalogues ----------------------------------------------------------------------------

class Role(Model):
    id: RoleId
    name: Text
    kind: Literal["staff", "elected", "partner", "external"]
    description: Text


class Tool(Model):
    id: ToolId
    name: Text
    category: Literal["observatory", "scenario", "dashboard", "open-data", "platform",
                      "collaboration", "register", "reporting", "mapping"]
    description: Text
    provider: Word
    access: Literal["open", "registered", "internal"]
    url: Url | None = None


class Mechanism(Model):
    id: MechanismId
    name: Text
    acronym: Word | None = None
    category: Literal["legal-vehicle", "grant", "loan", "market-instrument", "contract",
                      "technical-assistance", "programme", "regulation"]
    level: Literal["local", "regional", "national", "european"]
    description: Text
    url: Url | None = None
    sources: list[SourceRef] = Field(min_length=1)
    last_verified: Date
    elsewhere: Text | None = Field(default=None, description="For readers outside France: "
                                   "what to look for to find the local equivalent.")


class Indicator(Model):
    id: IndicatorId
    name: Text
    description: Text
    unit: Text
    family: Literal["ghg", "energy", "renewables", "air", "adaptation", "biodiversity",
                    "energy-poverty", "finance", "governance", "participation", "mobility",
                    "process"]
    type: Literal["impact", "outcome", "output", "process"]
    frequency: Frequency
    data_sources: list[ToolRef] = []


class Body(Model):
    id: BodyId
    name: Text
    kind: Literal["decision", "steering", "technical", "participation", "partnership",
                  "political"]
    description: Text
    members: Text
    frequency: Frequency


class Term(Model):
    id: TermId
    term: Text
    acronym: Text | None = None
    definition: Text
    see_also: list[TermRef] = []
    avoid: dict[Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")], list[Word]] = Field(
        default={}, description="Per language, wordings not to use for this notion (the "
        "validator refuses them everywhere else), e.g. `en: [\"Territorial Climate Plan\"]`.")


class Source(Model):
    id: SourceId
    title: Word = Field(description="Title in the document's own language.")
    publisher: Word
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]
    year: Annotated[int, Field(ge=1990, le=2100)]
    url: Url | None = None
    accessed: Date | None = Field(default=None, description="When the address was last read.")
    accessed_by: Literal["editors", "research-brief"] = Field(
        default="editors", description="Who read it then: the Handbook's editors, or the "
        "research brief this edition was written from.")
    note: Text | None = None


# --- management matrix ------------------------------------------------------------------

class MatrixTask(Model):
    id: TaskId
    name: Text
    description: Text


class MatrixMeans(Model):
    id: MeansId
    name: Text
    description: Text


class RaciEntry(Model):
    role: RoleRef
    raci: Raci


class MatrixCell(Model):
    task: TaskRef
    means: MeansRef
    activities: list[Text] = Field(min_length=1)
    raci: list[RaciEntry] = Field(min_length=1)
    calendar: Text
    indicators: list[IndicatorRef] = Field(min_length=1)
    sheets: list[SheetRef] = Field(min_length=1)
    tools: list[ToolRef] = []
    bodies: list[BodyRef] = []


class Matrix(Model):
    title: Text
    introduction: Markdown
    tasks: list[MatrixTask] = Field(min_length=1)
    means: list[MatrixMeans] = Field(min_length=1)
    cells: list[MatrixCell] = Field(min_length=1)
    last_reviewed: Date


# --- capacity grid ---------------------------------------------------------------------------

class Level(Model):
    level: Annotated[int, Field(ge=0, le=9)]
    name: Text
    description: Text


class Criterion(Model):
    id: CriterionId
    name: Text
    question: Text
    evidence: list[Text] = Field(min_length=1)
    levels: list[Text] = Field(min_length=2, description="One description per level of the "
                               "scale, in the scale's order.")
    sheets: list[SheetRef] = Field(min_length=1)
    mechanisms: list[MechanismRef] = Field(
        default=[], description="Legal and financial mechanisms of the catalogue that can "
        "fund this capacity or give it a legal or contractual basis, in order of relevance. "
        "The self-assessment lists them beside the gap, with the sheets.")


class Dimension(Model):
    id: DimensionId
    name: Text
    description: Text
    criteria: list[Criterion] = Field(min_length=1)


class CapacityGrid(Model):
    title: Text
    introduction: Markdown
    scale: list[Level] = Field(min_length=2)
    dimensions: list[Dimension] = Field(min_length=1)
    last_reviewed: Date


# --- case studies, the starter route, redirects -----------------------------------------

class CaseSection(Model):
    title: Text
    body: Markdown


class Case(Model):
    id: CaseId
    title: Text
    summary: Text = Field(description="One line saying what the case shows.")
    sections: list[CaseSection] = Field(min_length=2)
    lessons: list[Text] = Field(min_length=1, description="What another city can take from it.")
    uncertain: list[Text] = Field(default=[], description="Facts still to be confirmed by "
                                  "Dijon métropole, said as such on the page.")
    sheets: list[SheetRef] = Field(min_length=1)
    mechanisms: list[MechanismRef] = []
    sources: list[SourceRef] = Field(min_length=1)
    last_reviewed: Date


class RouteStop(Model):
    sheet: SheetRef
    why: Text = Field(description="Why a twin city reads this sheet at this point.")


class StarterRoute(Model):
    title: Text
    introduction: Markdown
    stops: list[RouteStop] = Field(min_length=5, max_length=12)
    equivalents_intro: Markdown = Field(description="How to find local equivalents of the "
                                        "French mechanisms (each mechanism's `elsewhere`).")
    last_reviewed: Date


class Redirect(Model):
    old: Annotated[str, StringConstraints(pattern=ID_PATTERNS["sheet"])] = Field(
        description="The sheet id that no longer exists, e.g. `wp3-07`.")
    new: SheetRef = Field(description="The sheet whose page now holds that content.")
    date: Date
    reason: Text


# --- interface strings -----------------------------------------------------------------------

UiKey = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
UiStrings = dict[UiKey, Text]
