"""Issue 11 item 18: free text the tool accepts is read back exactly as it was given, or refused.

For every text the models accept in a memo, a ref, a name or notes, the YAML the writer produces
reads back identical through the store's loader (libyaml events + the models) and through ruamel.yaml,
an independent YAML 1.2 parser. Text no file can hold (bytes that are not UTF-8) is refused.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from ruamel.yaml import YAML

from conftest import BooksFixture
from ledgerctl.core.models import ENTRY_CLASSES, Customer
from ledgerctl.store.ledgerfile import load_ledger, parse_bytes
from ledgerctl.store.yamlwrite import insert_entry, render_new_ledger, set_header_field

FLOW = (
    "customer:\n  id: acme\n  name: Acme\n  currency: CNY\nentries:\n"
    '  - {id: INV-20260801-AAAA, type: invoice, date: 2026-08-01, amount: "10.00"}\n'
)
BLOCK = (
    "customer:\n  id: acme\n  name: Acme\n  currency: CNY\nentries:\n"
    '  - id: INV-20260801-AAAA\n    type: invoice\n    date: 2026-08-01\n    amount: "10.00"\n'
)

# Line breaks YAML folds (CR, LF, NEL, LS, PS), characters it may not hold raw (C0/C1 controls, DEL, BOM,
# U+FFFE), and the characters that make a plain scalar mean something else.
AWKWARD = st.sampled_from(
    list("\n\r\x85\u2028\u2029\t\x00\x01\x1b\x7f\x80\x9f\ufeff\ufffe\uffff \u3000\xa0")
    + list(":#-?,[]{}&*!|>'\"%@`\\")
    + ["\r\n", ": ", " #", "---", "..."]
)
TEXTS = st.one_of(st.text(), st.lists(st.one_of(AWKWARD, st.text(max_size=3)), max_size=8).map("".join))
TRAILING = [
    "trailing newline\n",
    "two\n\n",
    "\n",
    "crlf\r\n",
    "nel\x85",
    "\x85",
    "ls\u2028ps\u2029",
    "del\x7f",
    "bom\ufeff",
    "c1\x80\x9f",
    "nul\x00",
    "esc\x1b[31m",
    "  indented\n  lines",
    "tab\t",
    "a\rb",
    "\ufffe",
]


def ruamel_load(text: str):  # type: ignore[no-untyped-def]
    return YAML(typ="safe", pure=True).load(text)


def read_back_memo(text: str, entry_id: str) -> tuple[object, object]:
    src, _ = load_ledger(Path("acme.yaml"), "ledgers/acme.yaml", text.encode("utf-8"))
    assert src.problems == [], src.problems
    ours = next(e for e in src.entries if e.id == entry_id)
    theirs = next(e for e in ruamel_load(text)["entries"] if e["id"] == entry_id)
    return ours.memo, theirs.get("memo")  # type: ignore[attr-defined]


def accepted_note(memo: str):  # type: ignore[no-untyped-def]
    try:
        return ENTRY_CLASSES["note"].model_validate(
            {"id": "NT-20261001-QQQQ", "type": "note", "date": dt.date(2026, 10, 1), "memo": memo}
        )
    except ValidationError:
        return None


@settings(max_examples=400, deadline=None)
@given(memo=TEXTS)
@example(memo="trailing newline\n")
@example(memo="nel\x85here")
@example(memo="del\x7f")
@example(memo="<<")
def test_every_accepted_memo_reads_back_identical(memo: str) -> None:
    note = accepted_note(memo)
    if note is None:
        return  # refused: allowed, as long as nothing is written
    for ledger in (FLOW, BLOCK):
        parsed = parse_bytes(Path("acme.yaml"), ledger.encode())
        new = insert_entry(parsed.text, parsed.tree, note, "CNY")
        assert new.startswith(ledger) and new.count("\n") == ledger.count("\n") + (1 if ledger is FLOW else 4)
        ours, theirs = read_back_memo(new, note.id)
        assert ours == memo, (memo, new)
        assert theirs == memo, (memo, new)


@settings(max_examples=300, deadline=None)
@given(value=TEXTS)
@example(value="name\n")
@example(value="\x85")
@example(value="=")  # ruamel reads a plain = as YAML 1.1's "value" tag and refuses it
def test_every_accepted_header_text_reads_back_identical(value: str) -> None:
    header = {"id": "acme", "name": value, "currency": "CNY", "notes": value}
    try:
        Customer.model_validate(header)
    except ValidationError:
        return
    new_file = render_new_ledger(header)
    parsed = parse_bytes(Path("acme.yaml"), FLOW.encode())
    edited = set_header_field(parsed.text, parsed.tree, "name", value)
    for text in (new_file, edited):
        src, _ = load_ledger(Path("acme.yaml"), "ledgers/acme.yaml", text.encode("utf-8"))
        assert src.problems == [] and src.customer is not None, (value, text, src.problems)
        assert src.customer.name == value, (value, text)
        assert ruamel_load(text)["customer"]["name"] == value, (value, text)


def test_text_that_is_not_utf8_is_refused_by_the_models() -> None:
    assert accepted_note("bad \udcff byte") is None
    with pytest.raises(ValidationError, match="not UTF-8"):
        Customer.model_validate({"id": "acme", "name": "A\udc80", "currency": "CNY"})


@pytest.mark.parametrize("text", TRAILING)
def test_cli_writes_text_that_reads_back_byte_identical(books: BooksFixture, text: str) -> None:
    before = books.ledger("acme").read_bytes()
    result = books.run("add", "invoice", "acme", "1.00", "--memo", text, "--ref", text, "--id", "X1")
    assert result.exit_code == 0, result.output
    assert books.ledger("acme").read_bytes().count(b"\n") == before.count(b"\n") + 1, "the entry is not one line"
    assert books.run("customer", "edit", "acme", "--notes", text, "--person", text).exit_code == 0
    written = books.ledger("acme").read_text(encoding="utf-8")
    src, _ = load_ledger(books.ledger("acme"), "ledgers/acme.yaml")
    assert src.problems == []
    entry = next(e for e in src.entries if e.id == "X1")
    assert (entry.memo, entry.ref) == (text, text)  # type: ignore[attr-defined]
    assert src.customer is not None and src.customer.notes == text and src.customer.contact.person == text  # type: ignore[union-attr]
    theirs = ruamel_load(written)
    assert theirs["customer"]["notes"] == text and theirs["customer"]["contact"]["person"] == text
    assert next(e for e in theirs["entries"] if e["id"] == "X1")["memo"] == text
    assert books.run("check").exit_code == 0


def test_cli_refuses_text_that_is_not_utf8(books: BooksFixture) -> None:
    before = books.snapshot()
    result = books.run("add", "note", "acme", "bad \udcff byte")
    assert result.exit_code == 2 and "not UTF-8" in result.output, result.output
    assert "internal error" not in result.output
    assert books.snapshot() == before
