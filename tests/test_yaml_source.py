"""Reading YAML files: what PyYAML would silently accept is reported with a position."""

from __future__ import annotations

from pathlib import Path

from faasst_handbook.source.yaml_reader import MAX_FILE_BYTES, read_yaml


def read(tmp_path: Path, content: str | bytes):
    path = tmp_path / "file.yaml"
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return read_yaml(path, "file.yaml")


def test_values_keep_their_position_and_raw_text(tmp_path):
    doc, problems = read(tmp_path, "a: 1\nb:\n  - NO\n  - 'yes'\n")
    assert problems == []
    assert doc.data == {"a": 1, "b": [False, "yes"]}
    assert doc.values[("b", 0)] == (3, 5)
    assert doc.keys[("b",)] == (2, 1)
    assert doc.scalars[("b", 0)].raw == "NO" and doc.scalars[("b", 0)].kind == "bool"
    assert doc.scalars[("b", 1)].kind == "str"


def test_alias_bomb_is_refused_without_expanding(tmp_path):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + n)}: &{chr(98 + n)} [*{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}]\n"
        for n in range(8))
    doc, [problem] = read(tmp_path, bomb)
    assert doc is None
    assert (problem.line, problem.column) == (1, 4)
    assert "YAML anchors (`&a`) are not allowed" in problem.message


def test_alias_alone_is_refused(tmp_path):
    doc, [problem] = read(tmp_path, "a: *x\n")
    assert doc is None and "aliases" in problem.message


def test_byte_order_mark_is_reported(tmp_path):
    doc, [problem] = read(tmp_path, b"\xef\xbb\xbfa: b\n")
    assert problem.message.startswith("the file starts with an invisible byte-order mark")


def test_latin1_file_is_reported_where_the_bad_byte_is(tmp_path):
    doc, [problem] = read(tmp_path, "a: b\nc: \xe9t\xe9\n".encode("latin-1"))
    assert (problem.line, problem.column) == (2, 4)
    assert "not valid UTF-8" in problem.message


def test_empty_and_comment_only_files(tmp_path):
    for content in ("", "\n\n", "# only a comment\n"):
        doc, [problem] = read(tmp_path, content)
        assert problem.message.startswith("the file is empty: write its content")


def test_too_large_file(tmp_path):
    doc, [problem] = read(tmp_path, "a: " + "x" * MAX_FILE_BYTES + "\n")
    assert "too large" in problem.message


def test_several_documents(tmp_path):
    doc, [problem] = read(tmp_path, "a: b\n---\nc: d\n")
    assert problem.line == 2 and "more than one YAML document" in problem.message


def test_merge_keys_and_custom_tags_are_refused(tmp_path):
    _, [merge] = read(tmp_path, "a: {b: c}\nd:\n  <<: {e: f}\n")
    assert "merge keys" in merge.message
    _, [tag] = read(tmp_path, "a: !!python/object:os.system x\n")
    assert "tag" in tag.message


def test_duplicate_key_keeps_the_first_value(tmp_path):
    doc, [problem] = read(tmp_path, "a: 1\na: 2\n")
    assert doc.data == {"a": 1}
    assert (problem.line, problem.column) == (2, 1)

