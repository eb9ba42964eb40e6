"""HTML validity gate (issue 6): the W3C Nu HTML Checker (vnu.jar from npm, run with the
machine's Java) over the whole built site at once, with no errors. The few errors that come from
Material's own markup are filtered in gates.VNU_FILTERS, each with the reason."""

from __future__ import annotations

from support.gates import run_vnu, site_pages


def test_every_page_is_valid_html(built_site, record_property):
    result = run_vnu(built_site)
    record_property("gate:html", {"pages": len(site_pages(built_site)), "errors": len(result.errors),
                                  "filtered": len(result.filtered), "warnings": result.warnings,
                                  "seconds": result.seconds})
    assert not result.errors, "HTML errors:\n" + "\n".join(result.format(built_site))


PAGE = '<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8"><title>t</title></head>\n' \
       '<body>\n{}\n</body></html>\n'


def test_the_html_gate_fails_on_invalid_markup_and_filters_only_known_errors(tmp_path):
    site = tmp_path / "site"
    (site / "en").mkdir(parents=True)
    # Material's hidden drawer checkbox: a known, explained error, filtered.
    material = ('<input class="md-toggle" data-md-toggle="drawer" type="checkbox" '
                'id="__drawer" autocomplete="off">')
    (site / "index.html").write_text(PAGE.format(material), encoding="utf-8")
    # Ours: a stray end tag, an image without alt, a duplicate id, and the same autocomplete
    # error on a checkbox that is not Material's (not filtered).
    (site / "en" / "index.html").write_text(PAGE.format(
        '<p>text</span></p>\n<img src="a.png">\n<h2 id="x">a</h2><h2 id="x">b</h2>\n'
        '<input type="checkbox" id="mine" autocomplete="off">'), encoding="utf-8")
    (site / "style.css").write_text("not html, skipped", encoding="utf-8")
    result = run_vnu(site)
    assert [reason for _, reason in result.filtered] == [
        "Material: autocomplete=off on its hidden drawer/search checkboxes"]
    messages = [m["message"] for m in result.errors]
    assert all(m["url"].endswith("/en/index.html") for m in result.errors), result.errors
    assert any("Stray end tag “span”" in m for m in messages), messages
    assert any("img” element must have an “alt” attribute" in m for m in messages), messages
    assert any("Duplicate ID “x”" in m for m in messages), messages
    assert any("autocomplete" in m for m in messages), messages
