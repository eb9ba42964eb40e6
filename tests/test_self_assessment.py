"""The capacity self-assessment (issue 13) in a real browser, on the built site served with its
own security headers: answers kept in the browser, exported (JSON and CSV, read back from the
downloads), cleared, imported, carried across languages; results with the gaps linked to the
right sheets and mechanisms; bad files refused without changing anything; two assessments
compared; axe in every state; keyboard, phone, print, file:// and JavaScript off. And the
published JSON Schema: what the exports are checked against."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import pytest

from faasst_handbook.plan import assessment
from faasst_handbook.plan.routes import anchor
from faasst_handbook.publish import hosting
from faasst_handbook.validation import load_handbook
from support.browser import static_server
from support.gates import (AXE_DISABLED_RULES, AXE_JS, AXE_TAGS, AXE_URL, external_requests,
                           format_violations, require_tool)
from support.paths import LANGUAGES, ROOT, SOURCE_LANGUAGE, TARGET_LANGUAGES

PAGE = "handbook/self-assessment/"
OTHER = TARGET_LANGUAGES[0] if TARGET_LANGUAGES else SOURCE_LANGUAGE
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
"""


@pytest.fixture(scope="module")
def content():
    return load_handbook(ROOT / "handbook").content


@pytest.fixture(scope="module")
def base(built_site):
    """The built site as its host serves it: with its security headers (CSP included)."""
    require_tool(AXE_JS, "axe-core", "npm ci")
    rules = hosting.read_headers_file(built_site / "_headers")
    with static_server(built_site, lambda path: hosting.headers_for(rules, path),
                       routes={AXE_URL: AXE_JS}) as url:
        yield url


class Tab:
    """A browser tab on the self-assessment, recording requests, dialogs and CSP violations.
    Dialogs (confirm before clearing or replacing answers) are accepted unless told not to."""

    def __init__(self, chromium, width: int = 1280, javascript: bool = True):
        self.context = chromium.new_context(viewport={"width": width, "height": 900},
                                            accept_downloads=True,
                                            java_script_enabled=javascript)
        self.context.add_init_script(RECORD_VIOLATIONS)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.accept_dialogs = True
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("console", lambda message: self.errors.append(message.text)
                     if message.type == "error" else None)
        self.page.on("dialog", self._dialog)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.accept() if self.accept_dialogs else dialog.dismiss()

    def open(self, base: str, lang: str) -> None:
        prefix = "" if lang == SOURCE_LANGUAGE else f"{lang}/"
        self.page.goto(f"{base}/{prefix}{PAGE}")
        self.page.wait_for_selector("#hb-sa:not([hidden])")

    def data(self) -> dict:
        return self.page.evaluate("JSON.parse(document.getElementById('hb-sa-data').textContent)")

    def stored(self) -> str | None:
        return self.page.evaluate("(key) => localStorage.getItem(key)", self.data()["storage_key"])

    def choose(self, criterion_id: str, level: int | None) -> None:
        self.page.check(f"#sa-{anchor(criterion_id)}-{'none' if level is None else level}")

    def write_note(self, criterion_id: str, text: str) -> None:
        self.page.fill(f"#sa-note-{anchor(criterion_id)}", text)

    def form(self) -> dict:
        """criterion id → (level or None, note), as the form shows them."""
        return self.page.evaluate("""() => {
            const out = {};
            for (const block of document.querySelectorAll('.hb-sa-criterion')) {
                const id = block.dataset.criterion;
                const checked = block.querySelector('input[type=radio]:checked');
                out[id] = [checked && checked.value !== '' ? Number(checked.value) : null,
                           block.querySelector('textarea').value];
            }
            return out;
        }""")

    def download(self, button: str) -> tuple[str, bytes]:
        with self.page.expect_download() as info:
            self.page.click(button)
        download = info.value
        return download.suggested_filename, Path(download.path()).read_bytes()

    def upload(self, selector: str, name: str, payload: bytes | str | dict) -> None:
        if isinstance(payload, dict):
            payload = json.dumps(payload)
        if isinstance(payload, str):
            payload = payload.encode("utf-8")
        self.page.set_input_files(selector, files=[{"name": name, "mimeType": "application/json",
                                                    "buffer": payload}])

    def message(self, selector: str, replacing: str | None = None) -> str:
        """The message shown in `selector` once there is one — once it is another than
        `replacing` when given (the page's message of the previous action stays shown
        until the new one is written, after the files are read)."""
        self.page.wait_for_function(
            "([selector, old]) => { const text = document.querySelector(selector).textContent;"
            " return text !== '' && text !== old; }", arg=[selector, replacing])
        return self.page.inner_text(selector)

    def violations(self) -> list[str]:
        return self.page.evaluate("window.__violations || []")

    def axe(self, base: str) -> list[dict]:
        # Let transitions end first (the theme's back-to-top button fades in when the page
        # scrolls up): axe would measure the contrast of a half-faded colour.
        self.page.wait_for_function("() => document.getAnimations().every("
                                    "a => a.playState !== 'running')", timeout=5000)
        if not self.page.evaluate("typeof window.axe === 'object'"):
            self.page.add_script_tag(url=base + AXE_URL)
        options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"],
                   "rules": {rule: {"enabled": on} for rule, on in AXE_DISABLED_RULES.items()}}
        return self.page.evaluate("(options) => axe.run(document, options)", options)["violations"]

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def tab(chromium):
    opened = Tab(chromium)
    yield opened
    opened.close()


def criteria_of(content) -> list:
    return [criterion for dimension in content.grid.dimensions for criterion in dimension.criteria]


def sample(content) -> dict[str, tuple[int, str]]:
    """Answers for a few criteria, in several dimensions: a gap at the bottom of the scale, a
    criterion at the top, a note with a line break and a spreadsheet formula in it."""
    levels = [level.level for level in content.grid.scale]
    low, top = levels[0], levels[-1]
    firsts = [dimension.criteria[0].id for dimension in content.grid.dimensions]
    chosen = {firsts[0]: (levels[1], "Facilitation bought in.\nData skills missing."),
              criteria_of(content)[1].id: (low, ""),
              firsts[-1]: (top, "=SUM(A1:A9) looks like a formula"),
              firsts[1 % len(firsts)]: (low, "")}
    return chosen


def fill(tab: Tab, answers: dict[str, tuple[int, str]], organisation: str = "Testville",
         date: str = "2025-06-30") -> None:
    tab.page.fill("#sa-organisation", organisation)
    tab.page.fill("#sa-date", date)
    for criterion_id, (level, note) in answers.items():
        tab.choose(criterion_id, level)
        if note:
            tab.write_note(criterion_id, note)


def expected_form(content, answers) -> dict:
    return {c.id: list(answers.get(c.id, (None, ""))) for c in criteria_of(content)}


def ui(content, key: str, lang: str) -> str:
    return content.ui[key][lang]


def before_placeholder(text: str) -> str:
    """The fixed start of an interface text with {placeholders}: what a message begins with."""
    return text.split("{", 1)[0]


# --- the published schema ---------------------------------------------------------------------

def test_the_site_publishes_the_answers_file_schema(built_site, content):
    published = json.loads((built_site / assessment.SCHEMA_FILE).read_text(encoding="utf-8"))
    assert published == assessment.file_schema(content.info.site_url)
    jsonschema.Draft202012Validator.check_schema(published)
    assert published["$id"] == content.info.site_url.rstrip("/") + "/" + assessment.SCHEMA_FILE
    # A language's page links to it, relatively (it works from disk too).
    for lang in LANGUAGES:
        prefix = "" if lang == SOURCE_LANGUAGE else f"{lang}/"
        html = (built_site / prefix / PAGE / "index.html").read_text(encoding="utf-8")
        link = re.search(r'<a href="([^"]*assessment\.schema\.json)"', html).group(1)
        assert (built_site / prefix / PAGE / link).resolve() == (
            built_site / assessment.SCHEMA_FILE).resolve()


def test_the_schema_refuses_what_the_page_refuses():
    schema = assessment.file_schema("https://example.org/")
    validator = jsonschema.Draft202012Validator(schema)
    good = {"format": assessment.FORMAT, "version": assessment.VERSION,
            "answers": {"cap.human.skills": {"level": 2, "note": "x"},
                        "cap.legal.mandate": {"level": None}}}
    assert not list(validator.iter_errors(good))
    for bad in ({**good, "version": assessment.VERSION + 1}, {**good, "format": "other"},
                {**good, "extra": 1}, {**good, "answers": []},
                {**good, "answers": {"not an id": {}}},
                {**good, "answers": {"cap.human.skills": {"level": "2"}}},
                {**good, "answers": {"cap.human.skills": {"level": assessment.LEVEL_MAX + 1}}},
                {**good, "answers": {"cap.human.skills": {"level": 1, "colour": "red"}}},
                {**good, "date": "30/06/2025"}, {k: v for k, v in good.items() if k != "answers"}):
        assert list(validator.iter_errors(bad)), bad


# --- fill, reload, export, clear, import -------------------------------------------------------

def test_answers_are_kept_exported_cleared_and_imported_back(tab, base, built_site, content):
    lang = SOURCE_LANGUAGE
    answers = sample(content)
    tab.open(base, lang)
    assert tab.stored() is None
    fill(tab, answers)
    tab.page.reload()
    tab.page.wait_for_selector("#hb-sa:not([hidden])")
    assert tab.form() == expected_form(content, answers)
    assert tab.page.input_value("#sa-organisation") == "Testville"
    assert tab.page.input_value("#sa-date") == "2025-06-30"

    # JSON: the file validates against the schema the site publishes, with ids and numbers.
    name, raw = tab.download("#sa-export-json")
    assert name == f"{ui(content, 'sa_file_name', lang)}-2025-06-30.json"
    exported = json.loads(raw)
    schema = json.loads((built_site / assessment.SCHEMA_FILE).read_text(encoding="utf-8"))
    jsonschema.validate(exported, schema, cls=jsonschema.Draft202012Validator)
    assert exported["format"] == assessment.FORMAT and exported["version"] == assessment.VERSION
    assert exported["$schema"] == schema["$id"]
    assert exported["organisation"] == "Testville" and exported["date"] == "2025-06-30"
    assert exported["answers"] == {
        criterion_id: {"level": level, **({"note": note} if note else {})}
        for criterion_id, (level, note) in answers.items()}
    assert before_placeholder(ui(content, "sa_exported", lang)) in tab.message("#hb-sa-status")

    # CSV: every criterion, in the page's language and separator; formulas kept as text.
    name, raw = tab.download("#sa-export-csv")
    assert name.endswith("-2025-06-30.csv")
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""),
                           delimiter=ui(content, "sa_csv_separator", lang)))
    assert rows[0] == [ui(content, key, lang) for key in (
        "sa_csv_id", "sa_csv_dimension", "sa_csv_criterion", "sa_csv_level",
        "sa_csv_level_name", "sa_csv_note")]
    scale = {level.level: level.name[lang] for level in content.grid.scale}
    by_id = {row[0]: row for row in rows[1:]}
    assert list(by_id) == [c.id for c in criteria_of(content)]
    for dimension in content.grid.dimensions:
        for criterion in dimension.criteria:
            level, note = answers.get(criterion.id, (None, ""))
            expected_note = ("'" + note) if note.startswith("=") else note
            assert by_id[criterion.id] == [criterion.id, dimension.name[lang],
                                           criterion.name[lang],
                                           "" if level is None else str(level),
                                           scale.get(level, ""), expected_note]

    # Clear (after confirming): nothing on the page, nothing in the browser, even on reload.
    tab.page.click("#sa-clear")
    assert tab.dialogs == [ui(content, "sa_clear_confirm", lang)]
    assert tab.form() == expected_form(content, {})
    assert tab.stored() is None
    tab.page.reload()
    tab.page.wait_for_selector("#hb-sa:not([hidden])")
    assert tab.form() == expected_form(content, {})
    assert tab.page.input_value("#sa-organisation") == ""

    # Import the exported file: every answer is back, and kept.
    tab.upload("#sa-import", "answers.json", exported)
    status = tab.message("#hb-sa-status")
    assert str(len(answers)) in status and "answers.json" in status
    assert tab.form() == expected_form(content, answers)
    assert tab.page.input_value("#sa-organisation") == "Testville"
    tab.page.reload()
    tab.page.wait_for_selector("#hb-sa:not([hidden])")
    assert tab.form() == expected_form(content, answers)
    assert json.loads(tab.stored())["answers"] == exported["answers"]
    assert tab.errors == [] and tab.violations() == []
    assert external_requests(tab.requests, base) == []


def test_importing_over_answers_asks_first_and_can_be_cancelled(tab, base, content):
    lang = SOURCE_LANGUAGE
    first = criteria_of(content)[0].id
    tab.open(base, lang)
    tab.choose(first, content.grid.scale[0].level)
    before = tab.stored()
    tab.accept_dialogs = False
    tab.upload("#sa-import", "other.json", {"format": assessment.FORMAT,
                                            "version": assessment.VERSION,
                                            "answers": {first: {"level": 2}}})
    assert tab.message("#hb-sa-status") == ui(content, "sa_import_cancelled", lang)
    assert tab.dialogs == [ui(content, "sa_import_confirm", lang)]
    assert tab.stored() == before


# --- languages --------------------------------------------------------------------------------

@pytest.mark.skipif(not TARGET_LANGUAGES, reason="one language only")
def test_an_assessment_made_in_one_language_opens_in_the_other(tab, base, content):
    answers = sample(content)
    tab.open(base, SOURCE_LANGUAGE)
    fill(tab, answers)
    # The header's language switcher leads to the same page in the other language.
    link = tab.page.locator(f"a.md-select__link[hreflang={OTHER}]").first.get_attribute("href")
    tab.page.goto(tab.page.evaluate("(href) => new URL(href, location.href).href", link))
    tab.page.wait_for_selector("#hb-sa:not([hidden])")
    assert urlsplit(tab.page.url).path == f"/{OTHER}/{PAGE}"
    assert tab.form() == expected_form(content, answers)
    assert tab.page.inner_text("h1").strip().rstrip("¶").strip() == ui(content, "self_assessment", OTHER)
    some_id, (level, _) = next(iter(answers.items()))
    criterion = next(c for c in criteria_of(content) if c.id == some_id)
    legend = tab.page.inner_text(f".hb-sa-criterion[data-criterion='{some_id}'] legend")
    assert criterion.name[OTHER] in legend and criterion.name[SOURCE_LANGUAGE] not in legend
    scale = {lvl.level: lvl.name[OTHER] for lvl in content.grid.scale}
    gap_level = tab.page.inner_text(f"#hb-sa-gaps li[data-criterion='{some_id}'] [data-slot=level]")
    assert gap_level == ui(content, "level_number", OTHER).replace("{number}", str(level)) \
        + " · " + scale[level]
    # Exported from this language: the same answers, texts in this language in the CSV.
    _, raw = tab.download("#sa-export-json")
    exported = json.loads(raw)
    assert exported["language"] == OTHER
    assert {k: v.get("level") for k, v in exported["answers"].items()} == {
        k: level for k, (level, _) in answers.items()}


# --- results ----------------------------------------------------------------------------------

def test_results_rank_the_gaps_and_link_them_to_sheets_and_mechanisms(tab, base, built_site,
                                                                      content):
    lang = OTHER
    answers = sample(content)
    top = content.grid.scale[-1].level
    tab.open(base, lang)
    assert tab.page.is_visible("#hb-sa-empty") and not tab.page.is_visible("#hb-sa-scores")
    fill(tab, answers)
    assert not tab.page.is_visible("#hb-sa-empty")

    # Per dimension: the table and the bars give the same averages.
    for dimension in content.grid.dimensions:
        levels = [answers[c.id][0] for c in dimension.criteria if c.id in answers]
        row = tab.page.locator(f".hb-sa-scores tr[data-dimension='{dimension.id}']")
        assessed = ui(content, "sa_assessed_of", lang).replace("{count}", str(len(levels))) \
            .replace("{total}", str(len(dimension.criteria)))
        assert row.locator("[data-cell=assessed]").inner_text() == assessed
        width = tab.page.evaluate("(id) => document.querySelector(`.hb-sa-chart__row[data-dimension='${id}'] .hb-sa-chart__bar`).style.width", dimension.id)
        if levels:
            average = sum(levels) / len(levels)
            shown = tab.page.evaluate("([lang, n]) => new Intl.NumberFormat(lang, {minimumFractionDigits: 1, maximumFractionDigits: 1}).format(n)", [lang, average])
            assert row.locator("[data-cell=average]").inner_text() == ui(
                content, "sa_average", lang).replace("{average}", shown).replace("{max}", str(top))
            assert float(width.rstrip("%")) == pytest.approx(100 * average / top)
        else:
            assert row.locator("[data-cell=average]").inner_text() == ui(
                content, "sa_not_assessed_short", lang)
            assert width == "0%"

    # Weakest first (ties in the grid's order); each gap links to its sheets and mechanisms.
    order = [c.id for c in criteria_of(content)]
    expected = sorted(answers, key=lambda cid: (answers[cid][0], order.index(cid)))
    shown = tab.page.eval_on_selector_all("#hb-sa-gaps > li:not([hidden])",
                                          "items => items.map(i => i.dataset.criterion)")
    assert shown == expected
    prefix = "" if lang == SOURCE_LANGUAGE else f"{lang}/"
    for criterion in criteria_of(content):
        if criterion.id not in answers:
            continue
        item = tab.page.locator(f"#hb-sa-gaps li[data-criterion='{criterion.id}']")
        help_block = item.locator("[data-slot=help]")
        if answers[criterion.id][0] == top:
            assert not help_block.is_visible()
            continue
        assert help_block.is_visible()
        links = help_block.locator("a").evaluate_all("links => links.map(a => a.href)")
        paths = [urlsplit(link).path + ("#" + urlsplit(link).fragment if urlsplit(link).fragment else "")
                 for link in links]
        wanted = [f"/{prefix}handbook/{content.sheets[s].wp}/{s}/" for s in criterion.sheets] + [
            f"/{prefix}handbook/catalogues/mechanisms/#{anchor(m)}" for m in criterion.mechanisms]
        assert paths == wanted, criterion.id
        for path in paths:  # each link lands on a page of the site, at an existing anchor
            page_path, _, fragment = path.partition("#")
            html = (built_site / page_path.lstrip("/") / "index.html").read_text(encoding="utf-8")
            if fragment:
                assert f'id="{fragment}"' in html, path
        note = answers[criterion.id][1]
        assert item.locator("[data-slot=note]").is_visible() == bool(note)
    # Not yet assessed: named under the list.
    waiting = tab.page.inner_text("#hb-sa-not-assessed")
    for criterion in criteria_of(content):
        assert (criterion.name[lang] in waiting) == (criterion.id not in answers)


def test_a_criterion_without_mechanisms_says_so(tab, base, content):
    missing = [c for c in criteria_of(content) if not c.mechanisms]
    if not missing:
        pytest.skip("every criterion names mechanisms")
    tab.open(base, SOURCE_LANGUAGE)
    tab.choose(missing[0].id, content.grid.scale[0].level)
    text = tab.page.inner_text(f"#hb-sa-gaps li[data-criterion='{missing[0].id}']")
    assert ui(content, "sa_no_mechanism", SOURCE_LANGUAGE) in text


# --- bad files --------------------------------------------------------------------------------

def _bad_files():
    good = {"format": assessment.FORMAT, "version": assessment.VERSION,
            "answers": {"cap.human.skills": {"level": 1}}}
    return {
        "not-json": ("notes.json", b"level: 3\nthis is YAML, not JSON", "sa_error_not_json"),
        "truncated": ("cut.json", json.dumps(good)[:-5].encode(), "sa_error_not_json"),
        "foreign-json": ("package.json", {"name": "x", "version": "1.0.0"}, "sa_error_foreign"),
        "json-array": ("list.json", [1, 2], "sa_error_foreign"),
        "newer-version": ("future.json", {**good, "version": assessment.VERSION + 1,
                                          "weights": {"cap.human": 2}}, "sa_error_newer"),
        "level-as-text": ("typed.json", {**good, "answers": {"cap.human.skills": {"level": "3"}}},
                          "sa_error_invalid"),
        "unknown-field": ("extra.json", {**good, "score": 12}, "sa_error_invalid"),
        "not-an-id": ("ids.json", {**good, "answers": {"Key skills": {"level": 1}}},
                      "sa_error_invalid"),
        "too-large": ("huge.json", b" " * (assessment.MAX_FILE_BYTES + 1), "sa_error_too_large"),
    }


@pytest.mark.parametrize("case", list(_bad_files()))
def test_a_bad_file_is_refused_with_a_message_and_changes_nothing(tab, base, content, case):
    name, payload, reason_key = _bad_files()[case]
    if not isinstance(payload, bytes):
        payload = json.dumps(payload).encode()
    lang = SOURCE_LANGUAGE
    answers = sample(content)
    tab.open(base, lang)
    fill(tab, answers)
    stored, form = tab.stored(), tab.form()
    tab.upload("#sa-import", name, payload)
    message = tab.message("#hb-sa-error")
    assert tab.page.get_attribute("#hb-sa-error", "role") == "alert"
    assert message.startswith(name + before_placeholder(
        ui(content, "sa_import_error", lang).replace("{file}", "")))
    assert before_placeholder(ui(content, reason_key, lang)) in message
    if case == "newer-version":
        assert str(assessment.VERSION + 1) in message
    if case == "level-as-text":
        assert "cap.human.skills" in message and "level" in message
    assert tab.stored() == stored and tab.form() == form
    assert tab.dialogs == []  # refused before asking to replace anything
    tab.page.reload()
    tab.page.wait_for_selector("#hb-sa:not([hidden])")
    assert tab.form() == form


def test_answers_for_criteria_the_grid_no_longer_has_are_reported_and_kept(tab, base, content):
    lang = SOURCE_LANGUAGE
    known = criteria_of(content)[0].id
    off_scale = assessment.LEVEL_MAX
    assert off_scale not in {level.level for level in content.grid.scale}
    file = {"format": assessment.FORMAT, "version": assessment.VERSION,
            "answers": {known: {"level": content.grid.scale[0].level},
                        "cap.human.retired-criterion": {"level": 2, "note": "old"},
                        criteria_of(content)[1].id: {"level": off_scale}}}
    tab.open(base, lang)
    tab.upload("#sa-import", "old-grid.json", file)
    tab.message("#hb-sa-status")
    assert tab.page.is_visible("#hb-sa-unknown")
    listed = tab.page.inner_text("#hb-sa-unknown-list")
    assert ui(content, "sa_unknown_criterion", lang).replace("{id}", "cap.human.retired-criterion") in listed
    assert ui(content, "sa_unknown_level", lang).replace("{id}", criteria_of(content)[1].id) \
        .replace("{level}", str(off_scale)) in listed
    _, raw = tab.download("#sa-export-json")
    assert json.loads(raw)["answers"] == file["answers"]  # nothing silently dropped
    assert tab.form()[criteria_of(content)[1].id] == [None, ""]  # not shown as an answer


# --- comparing two assessments -----------------------------------------------------------------

def test_two_assessments_compared_per_dimension_and_per_criterion(tab, base, content):
    lang = SOURCE_LANGUAGE
    levels = [level.level for level in content.grid.scale]
    criteria = criteria_of(content)
    earlier = {c.id: {"level": levels[0]} for c in criteria[:3]}
    later = {criteria[0].id: {"level": levels[2]}, criteria[1].id: {"level": levels[0]},
             criteria[3].id: {"level": levels[1]}}
    file = {"format": assessment.FORMAT, "version": assessment.VERSION}
    tab.open(base, lang)
    fill(tab, sample(content))
    stored = tab.stored()
    tab.page.click("#sa-compare-run")
    assert tab.message("#hb-sa-compare-error") == ui(content, "sa_compare_need_earlier", lang)

    gone = {"cap.human.gone-since": {"level": levels[0]}}  # a criterion the grid dropped
    tab.upload("#sa-compare-earlier", "2024.json", {**file, "date": "2024-06-30",
                                                    "answers": {**earlier, **gone}})
    tab.upload("#sa-compare-later", "2025.json", {**file, "date": "2025-06-30", "answers": later})
    tab.page.click("#sa-compare-run")
    status = tab.message("#hb-sa-compare-status")
    assert "2024.json" in status and "2025.json" in status
    assert tab.page.is_visible("#hb-sa-compare-results")
    assert tab.page.is_visible("#hb-sa-compare-unknown")
    assert ui(content, "sa_unknown_criterion", lang).replace("{id}", "cap.human.gone-since") \
        in tab.page.inner_text("#hb-sa-compare-unknown")

    def minus(text: str) -> str:
        return text.replace("\u2212", "-")

    row = tab.page.locator(f".hb-sa-compare-criteria tr[data-criterion='{criteria[0].id}']")
    assert minus(row.locator("[data-cell=change]").inner_text()) == f"+{levels[2] - levels[0]}"
    row = tab.page.locator(f".hb-sa-compare-criteria tr[data-criterion='{criteria[1].id}']")
    assert minus(row.locator("[data-cell=change]").inner_text()) == "0"
    row = tab.page.locator(f".hb-sa-compare-criteria tr[data-criterion='{criteria[2].id}']")
    assert row.locator("[data-cell=later]").inner_text() == ui(content, "sa_not_assessed_short", lang)
    assert row.locator("[data-cell=change]").inner_text() == ""
    first_dimension = content.grid.dimensions[0]
    before = [earlier[c.id]["level"] for c in first_dimension.criteria if c.id in earlier]
    after = [later[c.id]["level"] for c in first_dimension.criteria if c.id in later]
    delta = sum(after) / len(after) - sum(before) / len(before)
    cell = tab.page.locator(f".hb-sa-compare-dimensions tr[data-dimension='{first_dimension.id}'] "
                            "[data-cell=change]").inner_text()
    expected = tab.page.evaluate("([lang, n]) => new Intl.NumberFormat(lang, {minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: 'exceptZero'}).format(n)", [lang, round(delta, 1)])
    assert cell == expected

    # Without a later file: compared with the answers on the page. A bad file: a message,
    # and the tables and the answers stay as they were.
    tab.page.set_input_files("#sa-compare-later", files=[])
    shown = tab.page.text_content("#hb-sa-compare-status")
    tab.page.click("#sa-compare-run")
    assert ui(content, "sa_compare_current", lang) in tab.message("#hb-sa-compare-status",
                                                                   replacing=shown)
    table = tab.page.inner_text(".hb-sa-compare-criteria")
    tab.upload("#sa-compare-earlier", "broken.json", b"{")
    tab.page.click("#sa-compare-run")
    assert before_placeholder(ui(content, "sa_error_not_json", lang)) in tab.message("#hb-sa-compare-error")
    assert tab.page.inner_text(".hb-sa-compare-criteria") == table
    assert tab.stored() == stored


# --- accessibility, keyboard, phone, print, offline, without JavaScript ------------------------

@pytest.mark.parametrize("lang", LANGUAGES)
def test_axe_finds_nothing_in_any_state(tab, base, content, lang):
    found = {}
    tab.open(base, lang)
    found["empty"] = tab.axe(base)
    fill(tab, sample(content))
    found["filled, with results"] = tab.axe(base)
    tab.upload("#sa-import", "broken.json", b"not json")
    tab.message("#hb-sa-error")
    found["error message"] = tab.axe(base)
    tab.upload("#sa-import", "old.json", {"format": assessment.FORMAT, "version": assessment.VERSION,
                                          "answers": {"cap.human.gone": {"level": 1},
                                                      criteria_of(content)[0].id: {"level": 1}}})
    tab.message("#hb-sa-status")
    found["unknown ids reported"] = tab.axe(base)
    tab.upload("#sa-compare-earlier", "2024.json", {"format": assessment.FORMAT,
                                                    "version": assessment.VERSION, "answers": {}})
    tab.page.click("#sa-compare-run")
    tab.message("#hb-sa-compare-status")
    found["comparison"] = tab.axe(base)
    problems = [line for state, violations in found.items()
                for line in format_violations(f"{lang} {state}", violations)]
    assert not problems, "\n".join(problems)


def test_by_keyboard_only(tab, base, content):
    lang = SOURCE_LANGUAGE
    first = criteria_of(content)[0]
    tab.open(base, lang)
    tab.page.focus(f"#sa-{anchor(first.id)}-none")
    tab.page.keyboard.press("ArrowDown")  # radio group: the next option is chosen
    level = content.grid.scale[0].level
    assert tab.form()[first.id][0] == level
    outline = tab.page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # focus is visible
    for _ in range(len(content.grid.scale)):  # out of the group: Tab reaches the note
        tab.page.keyboard.press("Tab")
        if tab.page.evaluate("document.activeElement.tagName") == "TEXTAREA":
            break
    tab.page.keyboard.type("Typed by keyboard")
    assert tab.form()[first.id] == [level, "Typed by keyboard"]
    tab.page.focus("#sa-export-json")
    with tab.page.expect_download() as info:
        tab.page.keyboard.press("Enter")
    assert json.loads(Path(info.value.path()).read_text())["answers"][first.id]["level"] == level


def test_on_a_phone_nothing_scrolls_sideways(chromium, base, content):
    phone = Tab(chromium, width=390)
    try:
        phone.open(base, OTHER)
        fill(phone, sample(content))
        phone.upload("#sa-compare-earlier", "2024.json", {"format": assessment.FORMAT,
                                                          "version": assessment.VERSION,
                                                          "answers": {}})
        phone.page.click("#sa-compare-run")
        phone.message("#hb-sa-compare-status")
        width = phone.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page is {width} px wide"
    finally:
        phone.close()


def test_printing_gives_the_results_on_a4(tab, base, content, tmp_path):
    from pypdf import PdfReader

    lang = SOURCE_LANGUAGE
    tab.open(base, lang)
    fill(tab, sample(content))
    assert tab.page.is_visible("#sa-print")
    tab.page.emulate_media(media="print")
    for hidden in ("#hb-sa-form", ".hb-sa-tools", "#hb-sa-compare", ".hb-sa-about",
                   ".hb-sa-privacy", "#sa-print", ".md-header"):
        assert not tab.page.locator(hidden).first.is_visible(), hidden
    for shown in ("h1", "#hb-sa-print-meta", ".hb-sa-chart", ".hb-sa-scores", "#hb-sa-gaps"):
        assert tab.page.locator(shown).first.is_visible(), shown
    assert "Testville" in tab.page.inner_text("#hb-sa-print-meta")
    pdf = tmp_path / "results.pdf"
    tab.page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    reader = PdfReader(str(pdf))
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = "".join(page.extract_text() for page in reader.pages)
    assert ui(content, "sa_results", lang) in text and "Testville" in text
    assert ui(content, "sa_export_json", lang) not in text  # the form is not printed
    # the print button calls the browser's print
    tab.page.emulate_media(media="screen")
    tab.page.evaluate("window.print = () => { window.__printed = true; }")
    tab.page.click("#sa-print")
    assert tab.page.evaluate("window.__printed === true")


def test_from_disk_without_a_server(chromium, built_site, content):
    """The offline copy: file:// pages, nothing fetched, answers kept across a reload."""
    disk = Tab(chromium)
    try:
        disk.page.goto((built_site / PAGE / "index.html").as_uri())
        disk.page.wait_for_selector("#hb-sa:not([hidden])")
        answers = sample(content)
        fill(disk, answers)
        disk.page.reload()
        disk.page.wait_for_selector("#hb-sa:not([hidden])")
        assert disk.form() == expected_form(content, answers)
        assert [url for url in disk.requests if not url.startswith(("file:", "data:", "blob:"))] == []
        assert disk.errors == []
    finally:
        disk.close()


def test_without_javascript_the_page_offers_the_printable_grid(chromium, base, built_site):
    off = Tab(chromium, javascript=False)
    try:
        off.page.goto(f"{base}/{PAGE}")
        assert not off.page.is_visible("#hb-sa")
        assert off.page.is_visible("#hb-sa-fallback")
        hrefs = off.page.eval_on_selector_all("#hb-sa-fallback a", "links => links.map(a => a.href)")
        paths = [urlsplit(href).path for href in hrefs]
        assert "/checklists/capacity-grid.html" in paths and "/checklists/capacity-grid.pdf" in paths
        assert "/handbook/capacity-grid/" in paths
        for path in paths:
            target = built_site / path.lstrip("/")
            assert (target / "index.html" if path.endswith("/") else target).is_file(), path
    finally:
        off.close()


def test_the_script_does_nothing_on_other_pages(tab, base):
    tab.page.goto(f"{base}/handbook/capacity-grid/")
    assert tab.page.locator("#hb-sa").count() == 0
    # the grid page leads to the self-assessment
    link = tab.page.locator(".hb-sa-link a").get_attribute("href")
    assert tab.page.evaluate("(h) => new URL(h, location.href).pathname", link) == f"/{PAGE}"
    assert tab.errors == [] and tab.violations() == []
