"""store/yamlload.py: exact scalars, refusals with the right line, recorded positions."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from ledgerctl.store import yamlload
from ledgerctl.store.ledgerfile import load_ledger
from ledgerctl.store.yamlload import LineDict, LineList, YamlProblem, decode, parse


def refused(text: str) -> YamlProblem:
    with pytest.raises(YamlProblem) as info:
        parse(text)
    return info.value


# --- scalars ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12.10", Decimal("12.10")),
        ("0.1", Decimal("0.1")),
        ("-3.50", Decimal("-3.50")),
        (".5", Decimal(".5")),
        ("12000.00", Decimal("12000.00")),
    ],
)
def test_plain_decimals_are_exact(text: str, expected: Decimal) -> None:
    value = parse(f"amount: {text}\n")["amount"]
    assert type(value) is Decimal
    assert value == expected
    assert value.as_tuple() == expected.as_tuple()  # the digits as typed, trailing zeros included


def test_decimal_never_goes_through_float() -> None:
    value = parse("a: 0.1\nb: 0.2\n")
    assert value["a"] + value["b"] == Decimal("0.3")
    assert str(parse("x: 1234567890123456789.01\n")["x"]) == "1234567890123456789.01"


@pytest.mark.parametrize(
    "text", ["1e3", "1.5e3", "1E-2", ".nan", ".NaN", ".inf", "-.inf", "+.INF", "0x1F", "0o17", "1_000"]
)
def test_exponents_and_specials_stay_text(text: str) -> None:
    value = parse(f"amount: {text}\n")["amount"]
    assert value == text
    assert type(value) is str


def test_integers() -> None:
    tree = parse("a: 42\nb: -7\nc: 0\nd: +5\n")
    assert tree == {"a": 42, "b": -7, "c": 0, "d": 5}
    assert all(type(v) is int for v in tree.values())


def test_quoted_strings_stay_strings() -> None:
    tree = parse('a: "12.10"\nb: \'42\'\nc: "true"\nd: \'null\'\ne: "2026-01-01"\nf: ""\n')
    assert tree == {"a": "12.10", "b": "42", "c": "true", "d": "null", "e": "2026-01-01", "f": ""}
    assert all(type(v) is str for v in tree.values())


def test_dates_stay_text() -> None:
    tree = parse("date: 2026-08-01\nstamp: 2026-08-01T10:00:00Z\n")
    assert tree["date"] == "2026-08-01" and type(tree["date"]) is str
    assert tree["stamp"] == "2026-08-01T10:00:00Z"


def test_null_and_booleans() -> None:
    tree = parse("a:\nb: ~\nc: null\nd: true\ne: False\nf: yes\ng: off\n")
    assert tree["a"] is None and tree["b"] is None and tree["c"] is None
    assert tree["d"] is True and tree["e"] is False
    assert tree["f"] == "yes" and tree["g"] == "off"  # YAML 1.2 core: not booleans


def test_leading_zero_is_int_not_octal() -> None:
    # 007 plain is an int in the 1.2 core schema; the writer quotes such text (see test_yaml_write)
    assert parse("a: 007\n")["a"] == 7


def test_empty_document_is_none() -> None:
    assert parse("") is None
    assert parse("# only a comment\n") is None


# --- refusals, each with its line -------------------------------------------------------


def test_anchor_refused_with_line() -> None:
    problem = refused("customer:\n  id: acme\n  name: &n Acme\n")
    assert problem.line == 3
    assert "anchor" in problem.message


def test_anchor_on_mapping_refused() -> None:
    problem = refused("a: 1\nb: &m\n  c: 2\n")
    assert problem.line == 2
    assert "anchor" in problem.message


def test_alias_refused_with_line() -> None:
    # the anchor comes first and would be refused first; an alias without an anchor is itself an error
    problem = refused("a: 1\nb: 2\nc: *missing\n")
    assert problem.line == 3


def test_alias_bomb_refused_quickly() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for index, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[index]
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    problem = refused("\n".join(lines) + "\n")
    assert problem.line == 1  # stopped at the first anchor, before any expansion
    assert "anchor" in problem.message or "alias" in problem.message


@pytest.mark.parametrize("tag", ["!!str", "!!python/object:os.system", "!custom", "!!float"])
def test_explicit_tags_refused(tag: str) -> None:
    problem = refused(f"a: 1\nb: 2\nc: {tag} 5\n")
    assert problem.line == 3
    assert "tag" in problem.message


def test_tag_on_collection_refused() -> None:
    problem = refused("a: 1\nb: !!map\n  c: 2\n")
    assert problem.line == 2
    assert "tag" in problem.message


def test_merge_key_refused() -> None:
    problem = refused("a: 1\nb:\n  x: 1\n  <<: {y: 2}\n")
    assert problem.line == 4
    assert "merge" in problem.message


def test_quoted_merge_key_is_an_ordinary_key() -> None:
    assert parse('"<<": 1\n') == {"<<": 1}


def test_duplicate_key_refused_with_both_lines() -> None:
    problem = refused("customer:\n  id: acme\n  name: A\n  id: other\n")
    assert problem.line == 4
    assert "duplicate" in problem.message and "'id'" in problem.message and "line 2" in problem.message


def test_duplicate_key_in_flow_mapping() -> None:
    problem = refused("a: 1\nentries:\n  - {id: X, type: note, id: Y}\n")
    assert problem.line == 3
    assert "duplicate" in problem.message


def test_duplicate_key_int_and_text_collide() -> None:
    # 1 and "1" are the same key once keys are text
    problem = refused('a:\n  1: x\n  "1": y\n')
    assert problem.line == 3


def test_more_than_one_document_refused() -> None:
    problem = refused("a: 1\n---\nb: 2\n")
    assert problem.line == 2
    assert "document" in problem.message


def test_explicit_single_document_is_fine() -> None:
    assert parse("---\na: 1\n...\n") == {"a": 1}


def test_nesting_cap() -> None:
    ok = "a: " + "[" * yamlload.MAX_DEPTH + "]" * yamlload.MAX_DEPTH + "\n"
    with pytest.raises(YamlProblem):
        parse(ok)  # root mapping + MAX_DEPTH lists is one too many
    fine = "a: " + "[" * (yamlload.MAX_DEPTH - 1) + "]" * (yamlload.MAX_DEPTH - 1) + "\n"
    assert parse(fine) is not None
    deep = "x: 1\ny: 2\nz: " + "[" * 200 + "]" * 200 + "\n"
    problem = refused(deep)
    assert problem.line == 3
    assert "nesting" in problem.message


def test_deep_block_nesting_line() -> None:
    text = "top: 1\n" + "".join("  " * level + f"k{level}:\n" for level in range(40)) + "  " * 40 + "v: 1\n"
    problem = refused(text)
    assert "nesting" in problem.message
    # containers: the root (line 1), then the value of k0 (line 3), of k1 (line 4), …; the 33rd is refused
    assert problem.line == yamlload.MAX_DEPTH + 2


@pytest.mark.parametrize("marker", ["<<<<<<< HEAD", "=======", ">>>>>>> theirs", "<<<<<<<"])
def test_conflict_markers_refused_with_line(marker: str) -> None:
    text = "customer:\n  id: acme\nentries:\n" + marker + "\n  - {id: A}\n"
    problem = refused(text)
    assert problem.line == 4
    assert "conflict" in problem.message


def test_conflict_like_text_inside_a_value_is_not_a_marker() -> None:
    assert parse("memo: <<<<<<< not at line start\n")["memo"] == "<<<<<<< not at line start"


def test_non_utf8_names_line_of_bad_byte() -> None:
    raw = "customer:\n  id: acme\n  name: 华兴\n".encode() + b"  notes: caf\xe9\n"
    with pytest.raises(YamlProblem) as info:
        decode(raw)
    assert info.value.line == 4
    assert "UTF-8" in info.value.message


def test_gbk_file_refused() -> None:
    raw = "a: 1\nname: 华兴机械\n".encode("gbk")
    with pytest.raises(YamlProblem) as info:
        decode(raw)
    assert info.value.line == 2


def test_bom_is_allowed() -> None:
    assert parse(decode("\ufeffa: 1\n".encode())) == {"a": 1}


def test_file_over_size_cap(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(yamlload, "MAX_FILE_BYTES", 100)
    with pytest.raises(YamlProblem) as info:
        decode(b"a: 1\n" * 30)
    assert "limit" in info.value.message
    decode(b"a: 1\n" * 20)  # exactly at the cap is fine
    path = tmp_path / "big.yaml"
    path.write_bytes(b"# pad\n" * 50)
    source, parsed = load_ledger(path, "ledgers/big.yaml")
    assert parsed is None
    assert [p.code for p in source.problems] == ["yaml"]
    assert "limit" in source.problems[0].message


def test_malformed_yaml_names_line() -> None:
    problem = refused("a: 1\nb: [1, 2\nc: 3\n")
    assert problem.line is not None and problem.line >= 2
    assert "malformed" in problem.message


def test_load_ledger_reports_yaml_problem_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    path.write_text("customer:\n  id: acme\n  name: Acme\n  currency: CNY\n  name: again\nentries:\n")
    source, parsed = load_ledger(path, "ledgers/acme.yaml")
    assert parsed is None
    (problem,) = source.problems
    assert (problem.file, problem.line, problem.code) == ("ledgers/acme.yaml", 5, "yaml")


# --- positions ---------------------------------------------------------------------------

LEDGER = """\
# header comment
customer:
  id: acme            # end-of-line
  name: "Acme Ltd"
  tags:
    - vip
    - east
entries:
  - {id: A-1, type: note, date: 2026-01-01, memo: hi}   # first
  # between
  - id: A-2
    type: note
    date: 2026-01-02
  - {id: A-3, type: note,
     date: 2026-01-03}
"""


def test_linedict_key_lines_and_spans() -> None:
    tree = parse(LEDGER)
    assert isinstance(tree, LineDict)
    assert tree.key_lines == {"customer": 2, "entries": 8}
    header = tree["customer"]
    assert isinstance(header, LineDict)
    assert header.line == 3
    assert header.key_lines == {"id": 3, "name": 4, "tags": 5}
    lines = LEDGER.splitlines()
    assert header.spans["id"] == (2, 6, 2, 10)
    assert lines[2][6:10] == "acme"
    assert header.spans["name"] == (3, 8, 3, 18)  # includes the quotes
    assert lines[3][8:18] == '"Acme Ltd"'
    # a block list value: from its first item to the end of its last item, not onto "entries:"
    assert header.spans["tags"][0] == 5 and header.spans["tags"][2] == 6


def test_linelist_item_lines_and_spans() -> None:
    entries = parse(LEDGER)["entries"]
    assert isinstance(entries, LineList)
    assert entries.item_lines == [9, 11, 14]
    lines = LEDGER.splitlines()
    first = entries.item_spans[0]
    assert first[0] == first[2] == 8
    assert lines[8][first[1] : first[3]] == "{id: A-1, type: note, date: 2026-01-01, memo: hi}"
    block = entries.item_spans[1]
    assert (block[0], block[2]) == (10, 12)  # three lines, ends with its last value
    assert lines[12][: block[3]].endswith("2026-01-02")
    multi = entries.item_spans[2]
    assert (multi[0], multi[2]) == (13, 14)
    assert lines[14][: multi[3]].endswith("2026-01-03}")
    assert entries[1].key_lines == {"id": 11, "type": 12, "date": 13}
    tags = parse(LEDGER)["customer"]["tags"]
    assert tags.item_lines == [6, 7]
    assert tags.item_spans == [(5, 6, 5, 9), (6, 6, 6, 10)]
