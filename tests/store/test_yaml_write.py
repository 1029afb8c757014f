"""store/yamlwrite.py through the CLI: a hand-formatted file keeps every byte it did not have to change."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from ledgerctl.core.models import ENTRY_CLASSES
from ledgerctl.store.ledgerfile import load_ledger, parse_bytes
from ledgerctl.store.yamlload import parse
from ledgerctl.store.yamlwrite import insert_entry, set_header_field

FLOW_LEDGER = """\
# yaml-language-server: $schema=../schemas/ledger.schema.json
# ACME ledger, kept by hand since 2025.
#   Do not reorder the entries!

customer:
  id:   acme                 # equals the file name
  name: "Acme Trading Co."   # legal name
  currency: CNY
  terms_days:    30
  credit_limit: "50000.00"     # raised in May
  tags:
    - vip          # big one
    - region:east
  contact:
    person: Mr. Wang       # AP manager
    phone: "+86 21 5555 0101"
    email: ap@acme.example
  notes: >-
    folded notes,
    two lines

entries:      # ordered by (date, id)
  # --- 2026-08 ---
  - {id: INV-20260801-AAAA, type: invoice,  date: 2026-08-01, due: 2026-08-31, amount: "12000.00", ref: PO-1}   # first order

  - {id: PAY-20260820-BBBB, type: payment, date: 2026-08-20,   amount: "5000.00", allocations: {INV-20260801-AAAA: "5000.00"}}
  # --- 2026-09 ---
  - {id: NT-20260911-CCCC, type: note, date: 2026-09-11, memo: "promised: end of month"}   # phone call
# trailing comment
"""

BLOCK_LEDGER = """\
# block-style entries, a zero-indented sequence
customer:
  id: acme
  name: Acme Trading Co.
  currency: CNY
entries:
- id: INV-20260801-AAAA     # first
  type: invoice
  date: 2026-08-01
  due: 2026-08-31
  amount: "12000.00"

# a comment between entries
- id: NT-20260911-CCCC
  type: note
  date: 2026-09-11
  memo: call back      # last line of the last entry
# the end
"""

EMPTY_LEDGER = """\
# nothing posted yet
customer: {id: acme, name: Acme, currency: CNY}   # flow header
entries:   # none yet
# keep this comment
"""


def place(books, text: str, customer: str = "acme", *, newline: str | None = None) -> None:  # type: ignore[no-untyped-def]
    data = text.encode() if newline is None else text.replace("\n", newline).encode()
    books.ledger(customer).write_bytes(data)
    books.git("add", "--", f"ledgers/{customer}.yaml")
    books.git("commit", "-q", "-m", f"hand-written {customer}")
    assert books.run("check").exit_code == 0


def removed_and_added(books, customer: str = "acme") -> tuple[list[str], list[str]]:  # type: ignore[no-untyped-def]
    diff = books.git("diff", "--unified=0", "HEAD~1", "HEAD", "--", f"ledgers/{customer}.yaml")
    lines = diff.splitlines()
    removed = [line for line in lines if line.startswith("-") and not line.startswith("---")]
    added = [line[1:] for line in lines if line.startswith("+") and not line.startswith("+++")]
    return removed, added


def add(books, *args: str) -> str:  # type: ignore[no-untyped-def]
    result = books.run("add", *args)
    assert result.exit_code == 0, result.output
    return result.stdout.strip().splitlines()[-1]


def inserted_between(books, old: str, customer: str = "acme") -> tuple[str, str, str]:  # type: ignore[no-untyped-def]
    """The one added line, and its neighbours; everything else is the old text."""
    new_lines = books.ledger(customer).read_text().splitlines()
    old_lines = old.splitlines()
    assert len(new_lines) == len(old_lines) + 1
    index = next((i for i, (a, b) in enumerate(zip(old_lines, new_lines, strict=False)) if a != b), len(old_lines))
    assert new_lines[:index] + new_lines[index + 1 :] == old_lines
    before = new_lines[index - 1] if index else ""
    after = new_lines[index + 1] if index + 1 < len(new_lines) else ""
    return before, new_lines[index], after


def entry_ids(books, customer: str = "acme") -> list[str]:  # type: ignore[no-untyped-def]
    return [e["id"] for e in parse(books.ledger(customer).read_text())["entries"]]


# --- unchanged is unchanged -----------------------------------------------------------------


@pytest.mark.parametrize("text", [FLOW_LEDGER, BLOCK_LEDGER, EMPTY_LEDGER])
def test_load_then_save_unchanged_is_byte_identical(books, text: str) -> None:  # type: ignore[no-untyped-def]
    place(books, text)
    raw = books.ledger("acme").read_bytes()
    source, parsed = load_ledger(books.ledger("acme"), "ledgers/acme.yaml")
    assert not source.problems
    assert parsed is not None and parsed.text.encode() == raw
    # re-writing a header field with the value it already has changes nothing
    assert set_header_field(parsed.text, parsed.tree, "currency", "CNY") == parsed.text
    before = books.snapshot()
    for command in (("check",), ("balance",), ("customer", "show", "acme"), ("customer", "list")):
        assert books.run(*command).exit_code == 0
    assert books.snapshot() == before


# --- add: only added lines, at the (date, id) place ----------------------------------------------


@pytest.mark.parametrize(
    ("date", "before_line", "after_line"),
    [
        ("2026-07-15", "  # --- 2026-08 ---", "  - {id: INV-20260801-AAAA"),
        ("2026-08-10", "  - {id: INV-20260801-AAAA", ""),
        ("2026-08-20", "  - {id: INV-20260801-AAAA", ""),  # same date as PAY-…: INV-… sorts before it by id
        ("2026-11-23", "  - {id: NT-20260911-CCCC", "# trailing comment"),
    ],
)
def test_add_invoice_flow_file_only_adds_one_line_in_place(books, date: str, before_line: str, after_line: str) -> None:  # type: ignore[no-untyped-def]
    place(books, FLOW_LEDGER)
    new_id = add(books, "invoice", "acme", "1200.50", "--date", date, "--memo", "备注: 配件")
    removed, added = removed_and_added(books)
    assert removed == []
    assert len(added) == 1 and new_id in added[0]
    before, line, after = inserted_between(books, FLOW_LEDGER)
    assert before.startswith(before_line)
    assert after.startswith(after_line) if after_line else after == ""
    assert re.match(r"^  - \{id: INV-\d{8}-\w{4}, type: invoice, date: " + date, line), line
    ids = entry_ids(books)
    loaded = parse(books.ledger("acme").read_text())["entries"]
    keys = [(str(e["date"]), e["id"]) for e in loaded]
    assert keys == sorted(keys)
    assert new_id in ids
    assert books.run("check").exit_code == 0


def test_add_payment_with_allocation_flow_file(books) -> None:  # type: ignore[no-untyped-def]
    place(books, FLOW_LEDGER)
    new_id = add(books, "payment", "acme", "7000.00", "--date", "2026-10-01", "--apply", "INV-20260801-AAAA")
    removed, added = removed_and_added(books)
    assert removed == []
    assert added == [
        f'  - {{id: {new_id}, type: payment, date: 2026-10-01, amount: "7000.00", '
        f'allocations: {{INV-20260801-AAAA: "7000.00"}}}}'
    ]
    before, _, after = inserted_between(books, FLOW_LEDGER)
    assert before.startswith("  - {id: NT-20260911-CCCC")
    assert after == "# trailing comment"


@pytest.mark.parametrize(
    ("date", "before_line", "after_line"),
    [
        ("2026-07-01", "entries:", "- id: INV-20260801-AAAA"),
        ("2026-09-01", '  amount: "12000.00"', ""),
        ("2026-11-23", "  memo: call back", "# the end"),
    ],
)
def test_add_block_file_adds_a_block_entry_in_place(books, date: str, before_line: str, after_line: str) -> None:  # type: ignore[no-untyped-def]
    place(books, BLOCK_LEDGER)
    old_lines = BLOCK_LEDGER.splitlines()
    new_id = add(books, "invoice", "acme", "300.00", "--date", date, "--ref", "PO-9")
    removed, added = removed_and_added(books)
    assert removed == []
    assert added[0] == f"- id: {new_id}"
    assert added[1:] == [
        "  type: invoice",
        f"  date: {date}",
        f"  due: {(dt.date.fromisoformat(date) + dt.timedelta(days=30)).isoformat()}",
        '  amount: "300.00"',
        "  ref: PO-9",
    ]
    new_lines = books.ledger("acme").read_text().splitlines()
    start = new_lines.index(added[0])
    assert new_lines[start - 1].startswith(before_line)
    following = new_lines[start + len(added)] if start + len(added) < len(new_lines) else ""
    assert following.startswith(after_line) if after_line else following == ""
    assert new_lines[:start] + new_lines[start + len(added) :] == old_lines
    assert books.run("check").exit_code == 0


def test_add_into_empty_entries(books) -> None:  # type: ignore[no-untyped-def]
    place(books, EMPTY_LEDGER)
    new_id = add(books, "invoice", "acme", "88.00", "--date", "2026-11-01")
    removed, added = removed_and_added(books)
    assert removed == []
    assert len(added) == 1 and added[0].startswith(f"  - {{id: {new_id}, type: invoice")
    before, _, after = inserted_between(books, EMPTY_LEDGER)
    assert before == "entries:   # none yet"
    assert after == "# keep this comment"
    second = add(books, "payment", "acme", "8.00", "--date", "2026-10-01")
    removed, added = removed_and_added(books)
    assert removed == [] and len(added) == 1
    assert entry_ids(books) == [second, new_id]


def test_add_to_the_fixture_books_two_customers(books) -> None:  # type: ignore[no-untyped-def]
    """A file the tool itself created: each add is one added line, JPY without decimals."""
    first = add(books, "invoice", "nippon", "120000", "--date", "2026-11-02")
    second = add(books, "invoice", "nippon", "5000", "--date", "2026-11-01")
    removed, added = removed_and_added(books, "nippon")
    assert removed == [] and len(added) == 1 and '"5000"' in added[0]
    assert entry_ids(books, "nippon") == [second, first]


def test_append_to_file_without_final_newline() -> None:
    text = BLOCK_LEDGER.rstrip("\n")
    note = ENTRY_CLASSES["note"].model_validate(
        {"id": "NT-20261123-ZZZZ", "type": "note", "date": dt.date(2026, 11, 23), "memo": "last"}
    )
    parsed = parse_bytes(Path("acme.yaml"), text.encode())
    new = insert_entry(parsed.text, parsed.tree, note, "CNY")
    assert new.startswith(text[: text.rindex("\n") + 1])
    assert parse(new)["entries"][-1]["id"] == "NT-20261123-ZZZZ"
    assert parse(new)["entries"][1]["memo"] == "call back"


# --- customer edit: only the lines of the changed fields -----------------------------------------


def test_edit_name_changes_only_its_line(books) -> None:  # type: ignore[no-untyped-def]
    place(books, FLOW_LEDGER)
    result = books.run("customer", "edit", "acme", "--name", "Acme Trading Co., Ltd")
    assert result.exit_code == 0, result.output
    removed, added = removed_and_added(books)
    assert removed == ['-  name: "Acme Trading Co."   # legal name']
    assert added == ['  name: "Acme Trading Co., Ltd"   # legal name']


def test_edit_credit_limit_changes_only_its_line(books) -> None:  # type: ignore[no-untyped-def]
    place(books, FLOW_LEDGER)
    result = books.run("customer", "edit", "acme", "--credit-limit", "80000")
    assert result.exit_code == 0, result.output
    removed, added = removed_and_added(books)
    assert removed == ['-  credit_limit: "50000.00"     # raised in May']
    assert added == ['  credit_limit: "80000.00"     # raised in May']


def test_edit_person_in_block_contact_changes_only_that_line(books) -> None:  # type: ignore[no-untyped-def]
    place(books, FLOW_LEDGER)
    result = books.run("customer", "edit", "acme", "--person", "王经理")
    assert result.exit_code == 0, result.output
    removed, added = removed_and_added(books)
    assert removed == ["-    person: Mr. Wang       # AP manager"]
    assert added == ["    person: 王经理       # AP manager"]


def test_edit_person_in_flow_contact_changes_only_the_contact_line(books) -> None:  # type: ignore[no-untyped-def]
    text = FLOW_LEDGER.replace(
        '  contact:\n    person: Mr. Wang       # AP manager\n    phone: "+86 21 5555 0101"\n    email: ap@acme.example\n',
        '  contact: {person: Mr. Wang, phone: "+86 21 5555 0101"}   # AP\n',
    )
    place(books, text)
    assert books.run("customer", "edit", "acme", "--person", "Ms. Li").exit_code == 0
    removed, added = removed_and_added(books)
    assert removed == ['-  contact: {person: Mr. Wang, phone: "+86 21 5555 0101"}   # AP']
    assert added == ['  contact: {person: Ms. Li, phone: "+86 21 5555 0101"}   # AP']


def test_tag_on_block_tags_list_keeps_other_lines(books) -> None:  # type: ignore[no-untyped-def]
    place(books, FLOW_LEDGER)
    result = books.run("tag", "acme", "export")
    assert result.exit_code == 0, result.output
    removed, added = removed_and_added(books)
    assert removed == []
    assert added == ["    - export"]


def test_edit_adds_a_missing_field_as_one_line(books) -> None:  # type: ignore[no-untyped-def]
    place(books, BLOCK_LEDGER)
    assert books.run("customer", "edit", "acme", "--credit-limit", "1000").exit_code == 0
    removed, added = removed_and_added(books)
    assert removed == []
    assert added == ['  credit_limit: "1000.00"']
    assert parse(books.ledger("acme").read_text())["customer"]["credit_limit"] == "1000.00"


# --- CRLF ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [FLOW_LEDGER, BLOCK_LEDGER, EMPTY_LEDGER])
def test_crlf_files_stay_crlf(books, text: str) -> None:  # type: ignore[no-untyped-def]
    place(books, text, newline="\r\n")
    add(books, "invoice", "acme", "10.00", "--date", "2026-09-01")
    add(books, "note", "acme", "called", "--date", "2026-11-23")
    if "credit_limit" in text:
        assert books.run("customer", "edit", "acme", "--credit-limit", "9", "--name", "Acme 2").exit_code == 0
    raw = books.ledger("acme").read_bytes()
    assert raw.count(b"\n") == raw.count(b"\r\n")
    assert b"\r\r" not in raw
    original = text.replace("\n", "\r\n").encode()
    assert len(raw) > len(original)
    assert books.run("check").exit_code == 0


# --- quoting ------------------------------------------------------------------------------------

TRICKY = [
    "memo: with colon",
    "ends with colon:",
    "#hash",
    "a #comment-like",
    "- leading dash",
    "-",
    "[bracket]",
    "{brace}",
    "007",
    "12.10",
    "1e3",
    ".nan",
    "true",
    "False",
    "yes",
    "no",
    "on",
    "off",
    "null",
    "~",
    "",
    " pad ",
    "trailing ",
    "2026-01-01",
    "'single'",
    '"double"',
    "@at",
    "`tick",
    "%pct",
    "!bang",
    "&amp",
    "*star",
    "|pipe",
    ">gt",
    "?q",
    "a, b",
    "50%",
    "中文：全角冒号",
    '引号 "quoted"',
    "back\\slash",
    "tab\there",
    "new\nline",
    "\u00a0nbsp",
]


@pytest.mark.parametrize("memo", TRICKY)
def test_tricky_text_round_trips_through_insert_and_load(memo: str) -> None:
    parsed = parse_bytes(Path("acme.yaml"), FLOW_LEDGER.encode())
    fields = {"id": "NT-20261001-QQQQ", "type": "note", "date": dt.date(2026, 10, 1), "memo": memo}
    if not memo:
        fields.pop("memo")
    note = ENTRY_CLASSES["note"].model_validate(fields)
    new = insert_entry(parsed.text, parsed.tree, note, "CNY")
    entry = next(e for e in parse(new)["entries"] if e["id"] == "NT-20261001-QQQQ")
    assert entry.get("memo") == (memo or None)
    assert type(entry.get("memo")) is (str if memo else type(None))


@pytest.mark.parametrize("text", ["memo: x", "#tag", "- dash", "[x]", "007", "true", "1e3", "12.10", "null", " pad"])
def test_tricky_text_round_trips_through_the_cli(books, text: str) -> None:  # type: ignore[no-untyped-def]
    place(books, BLOCK_LEDGER)
    new_id = add(books, "invoice", "acme", "1.00", "--memo", text, "--ref", text)
    entry = next(e for e in parse(books.ledger("acme").read_text())["entries"] if e["id"] == new_id)
    assert entry["memo"] == text and entry["ref"] == text
    assert books.run("customer", "edit", "acme", "--name", text).exit_code == 0
    assert parse(books.ledger("acme").read_text())["customer"]["name"] == text
    removed, added = removed_and_added(books)
    assert removed == ["-  name: Acme Trading Co."] and len(added) == 1
