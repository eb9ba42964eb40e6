"""Each validation rule, triggered on a copy of the small valid Handbook, with its message.

Messages are asserted in full where they are the editor's only help: position, field, words.
"""

from __future__ import annotations

import pytest

SHEET = "sheets/wp1-01.yaml"


def test_the_mini_handbook_is_valid(mini):
    result = mini.load()
    assert result.problems == []
    assert list(result.content.sheets) == ["wp1-01", "wp1-02"]


def test_every_problem_is_reported_in_one_run(mini):
    mini.replace(SHEET, "effort: medium", "effort: hihg")
    mini.replace("sheets/wp1-02.yaml", "wp: wp1", "wp: wp1\nauthor: me")
    mini.replace("catalogues/roles.yaml", "kind: staff", "kind: boss")
    messages = mini.messages()
    assert any("wp1-01.yaml" in m and "effort" in m for m in messages)
    assert any("wp1-02.yaml" in m and "author" in m for m in messages)
    assert any("roles.yaml" in m and "boss" in m for m in messages)


# --- YAML syntax and reading ---------------------------------------------------------------

def test_syntax_error_names_line_and_column(mini):
    mini.replace("handbook.yaml", 'edition: "0.1"', 'edition: "0.1')
    assert mini.messages() == [
        "handbook/handbook.yaml:5:10: edition: a quotation mark is opened but never closed. Add the "
        "closing quote, or write a doubled quote ('') for an apostrophe inside single quotes."]


def test_unclosed_flow_mapping(mini):
    mini.replace(SHEET, 'title: {fr: "Fiche 01 en français", en: "Sheet 01 in English"}',
                 'title: {fr: "Fiche 01 en français", en: "Sheet 01 in English"')
    [message] = mini.messages()
    assert message.startswith("handbook/sheets/wp1-01.yaml:4:8: title: a block opened with `{` is "
                              "not closed")


def test_tab_indentation(mini):
    mini.replace(SHEET, "prerequisites:\n  - ", "prerequisites:\n\t- ")
    assert mini.messages() == [
        "handbook/sheets/wp1-01.yaml:9:1: prerequisites: a tab character is used here; YAML only accepts "
        "spaces for indentation. Replace the tab with spaces."]


def test_duplicate_key(mini):
    mini.replace(SHEET, "effort: medium", "effort: medium\neffort: low")
    assert mini.messages() == [
        "handbook/sheets/wp1-01.yaml:38:1: effort: the key `effort` appears twice in the same block "
        "(first on line 37). Keep only one."]


def test_anchors_and_aliases_are_refused(mini):
    mini.replace(SHEET, "duration: {fr: ", "duration: &d {fr: ")
    [message] = mini.messages()
    assert message.startswith("handbook/sheets/wp1-01.yaml:36:11:")
    assert "YAML anchors (`&d`) are not allowed" in message


@pytest.mark.parametrize("raw, read_as", [("NO", "a yes/no value"), ("on", "a yes/no value"),
                                          ("1.10", "a number"), ("2025-06-30", "a date"),
                                          ("12", "a number")])
def test_value_of_the_wrong_type_asks_for_quotes(mini, raw, read_as):
    mini.replace(SHEET, 'duration: {fr: "3 mois"', f"duration: {{fr: {raw}")
    assert mini.messages() == [
        f"handbook/sheets/wp1-01.yaml:36:16: duration.fr: `{raw}` was read as {read_as}, but "
        f'text is expected here. Put it in quotes: "{raw}".']


def test_edition_written_as_a_number(mini):
    mini.replace("handbook.yaml", 'edition: "0.1"', "edition: 1.10")
    assert mini.messages() == [
        "handbook/handbook.yaml:5:10: edition: `1.10` was read as a number, but text is "
        'expected here. Put it in quotes: "1.10".']


def test_unknown_key_suggests_the_closest(mini):
    mini.replace(SHEET, "summary:", "sumary:")
    # The missing `summary` is explained by the typo: it is not reported a second time.
    assert mini.messages() == [
        "handbook/sheets/wp1-01.yaml:5:1: sumary: unknown field `sumary`. Did you mean `summary`?"]


def test_unknown_key_without_close_match_lists_the_allowed_ones(mini):
    mini.replace("catalogues/roles.yaml", "kind: staff,", "kind: staff, colour: blue,")
    [message] = mini.messages()
    assert ("unknown field `colour`: remove it. The fields allowed here are: id, name, kind, "
            "description.") in message


def test_missing_required_field(mini):
    text = mini.read(SHEET).replace('duration: {fr: "3 mois", en: "3 months"}\n', "")
    mini.write(SHEET, text)
    assert mini.messages() == [
        "handbook/sheets/wp1-01.yaml:2:1: duration: the required field `duration` is missing: add "
        "`duration: ...` to this block."]


def test_empty_text_is_refused(mini):
    mini.replace(SHEET, 'en: "Summary of sheet 01."', 'en: "   "')
    assert mini.messages() == [
        "handbook/sheets/wp1-01.yaml:5:45: summary.en: the English text is empty: write it."]


def test_empty_value_is_refused(mini):
    mini.replace(SHEET, 'duration: {fr: "3 mois", en: "3 months"}', "duration:")
    assert mini.messages() == [
        "handbook/sheets/wp1-01.yaml:36:10: duration: this field is empty: write a value."]


def test_missing_translation(mini):
    mini.replace(SHEET, ', en: "Summary of sheet 01."', "")
    assert mini.messages() == [
        "handbook/sheets/wp1-01.yaml:5:10: summary: the English text is missing: add a line "
        "`en: ...`."]


def test_missing_french_text(mini):
    mini.replace(SHEET, 'summary: {fr: "Résumé de la fiche 01.", ', "summary: {")
    assert "summary: the French text is missing: add a line `fr: ...`." in mini.messages()[0]


def test_unknown_language_suggests_the_closest(mini):
    mini.replace(SHEET, 'en: "3 months"', 'eng: "3 months"')
    messages = mini.messages()
    assert messages == [
        "handbook/sheets/wp1-01.yaml:36:26: duration.eng: `eng` is not one of the Handbook's "
        "languages (fr, en). Did you mean `en`?"]


def test_not_an_allowed_value(mini):
    mini.replace(SHEET, "effort: medium", "effort: hihg")
    assert mini.messages() == [
        "handbook/sheets/wp1-01.yaml:37:9: effort: `hihg` is not an allowed value. Use one of: "
        "low, medium, high. Did you mean `high`?"]


def test_list_too_short(mini):
    text = mini.read(SHEET)
    start = text.index('  - {text: {fr: "Point six 01."')
    mini.write(SHEET, text[:start] + text[text.index("\n", start) + 1:])
    assert mini.messages() == [
        "handbook/sheets/wp1-01.yaml:41:3: checklist: needs at least 6 items; it has 5. Add 1 more."]


def test_bad_id_format(mini):
    mini.replace("catalogues/roles.yaml", "id: role.lead,", "id: Role Lead,")
    messages = mini.messages()
    assert messages[0].startswith("handbook/catalogues/roles.yaml:2:8: [1].id: `Role Lead` is not a "
                                  "valid role id. Ids use lowercase ASCII letters")


def test_bad_date(mini):
    mini.replace(SHEET, "last_reviewed: 2025-06-30", "last_reviewed: 30/06/2025")
    assert mini.messages() == [
        "handbook/sheets/wp1-01.yaml:47:16: last_reviewed: `30/06/2025` is not a date written "
        "YYYY-MM-DD: write it like 2025-06-30."]


def test_javascript_url_is_refused(mini):
    mini.replace("catalogues/tools.yaml", 'url: "https://example.org/"', 'url: "javascript:alert(1)"')
    [message] = mini.messages()
    assert ("url: `javascript:alert(1)` is not a web address: write the full address, starting "
            "with https://") in message


def test_raw_html_in_text_is_refused(mini):
    mini.replace(SHEET, 'Objectif de la fiche 01.', 'Objectif <img src=x onerror=alert(1)>')
    [message] = mini.messages()
    assert message.startswith("handbook/sheets/wp1-01.yaml:6:")
    assert "objective.fr: the French text contains an HTML tag (`<img src=x onerror=alert(1)>`)" in message


def test_javascript_link_in_markdown_is_refused(mini):
    mini.replace(SHEET, 'Objective of sheet 01.', '[click](javascript:alert(1))')
    [message] = mini.messages()
    assert "objective.en: the English text links to `javascript:alert(1)`" in message


def test_schema_header_is_required(mini):
    mini.replace(SHEET, "# yaml-language-server: $schema=../schemas/sheet.schema.json\n", "")
    assert mini.messages() == [
        "handbook/sheets/wp1-01.yaml:1:1: the first line must be `# yaml-language-server: "
        "$schema=../schemas/sheet.schema.json` so that editors check the file while typing: add "
        "it, or correct it."]


def test_misplaced_file(mini):
    mini.write("sheets/notes.yml", "a: b\n")
    assert mini.messages() == [
        "handbook/sheets/notes.yml:1:1: use the extension `.yaml`, not `.yml`."]


# --- cross-references ----------------------------------------------------------------------

def test_unknown_reference_suggests_the_nearest_id(mini):
    mini.replace(SHEET, "roles: [role.analyst]", "roles: [role.analist]")
    assert mini.messages() == [
        "handbook/sheets/wp1-01.yaml:21:13: steps[2].roles[1]: unknown role `role.analist`. "
        "Did you mean `role.analyst`?"]


def test_duplicate_id(mini):
    mini.replace("catalogues/roles.yaml", "id: role.analyst,", "id: role.lead,")
    assert ("handbook/catalogues/roles.yaml:3:8: [2].id: the id `role.lead` is already used by "
            "another role (handbook/catalogues/roles.yaml, line 2). Ids must be unique: give one "
            "of them another id."
            ) in mini.messages()


def test_file_name_must_equal_id(mini):
    mini.path(SHEET).rename(mini.path("sheets/wp1-03.yaml"))
    messages = mini.messages()
    assert ("handbook/sheets/wp1-03.yaml:2:5: id: the id `wp1-01` differs from the file name "
            "`wp1-03.yaml`. Rename the file to `wp1-01.yaml` or fix the id.") in messages


def test_sheet_in_no_work_package(mini):
    mini.replace("work-packages/wp1.yaml", "sheets: [wp1-01, wp1-02]", "sheets: [wp1-01]")
    assert mini.messages() == [
        "handbook/sheets/wp1-02.yaml:2:5: id: this sheet belongs to no Work Package: add "
        "`wp1-02` to the `sheets` list of `handbook/work-packages/wp1.yaml`."]


def test_work_package_listing_a_missing_sheet(mini):
    mini.replace("work-packages/wp1.yaml", "sheets: [wp1-01, wp1-02]", "sheets: [wp1-01, wp1-02, wp1-09]")
    assert mini.messages() == [
        "handbook/work-packages/wp1.yaml:11:26: sheets[3]: unknown method sheet `wp1-09`: there "
        "is no file `handbook/sheets/wp1-09.yaml`. Create it, or correct the id. Did you mean "
        "`wp1-02`?"]


def test_prerequisite_cycle(mini):
    mini.replace(SHEET, "prerequisite_sheets: []", "prerequisite_sheets: [wp1-02]")
    assert mini.messages() == [
        "handbook/sheets/wp1-01.yaml:10:23: prerequisite_sheets[1]: the prerequisites go round in "
        "a circle (wp1-01 → wp1-02 → wp1-01): no sheet could be carried out first. Remove one "
        "of these prerequisites."]


def test_sheet_referring_to_itself(mini):
    mini.replace(SHEET, "related_sheets: [wp1-02]", "related_sheets: [wp1-01]")
    assert mini.messages() == [
        "handbook/sheets/wp1-01.yaml:38:18: related_sheets[1]: a sheet cannot refer to itself."]


def test_matrix_cells_must_cover_every_task_and_means(mini):
    mini.replace("matrix.yaml", "means: [{id: means.human-resources",
                 'means: [{id: means.digital-tools, name: {fr: "Outils", en: "Tools"}, '
                 'description: {fr: "Outils.", en: "Tools."}}, {id: means.human-resources')
    [message] = mini.messages()
    assert ("no cell describes task.facilitation × means.digital-tools: every task needs a cell "
            "for every means.") in message


def test_capacity_levels_must_match_the_scale(mini):
    mini.replace("capacity-grid.yaml", 'levels: [{fr: "Aucune", en: "None"}, {fr: "Une", en: "One"}]',
                 'levels: [{fr: "Aucune", en: "None"}, {fr: "Une", en: "One"}, {fr: "Deux", en: "Two"}]')
    [message] = mini.messages()
    assert "describes 3 levels, but the scale has 2: write one description per level." in message


def test_broken_catalogue_does_not_cascade_into_unknown_ids(mini):
    mini.write("catalogues/roles.yaml", mini.read("catalogues/roles.yaml").replace("- {id", "- {{id", 1))
    messages = mini.messages()
    assert len(messages) == 1 and "roles.yaml" in messages[0]


def test_problem_count_is_capped_in_text_output(mini):
    from faasst_handbook.source.problems import MAX_PROBLEMS, Problem, format_text
    many = [Problem("f.yaml", n, 1, "x", "bad") for n in range(1, MAX_PROBLEMS + 30)]
    text = format_text(many)
    assert "... and 29 more problems" in text
    assert text.count("f.yaml:") == MAX_PROBLEMS
