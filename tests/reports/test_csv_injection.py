"""Issue 11 item 16: no CSV of any command hands a spreadsheet a formula from the books' text."""

from __future__ import annotations

import csv
import io
import re

import pytest

TODAY = {"LEDGERCTL_TODAY": "2026-11-30"}
HYPERLINK = '=HYPERLINK("http://evil.example","click")'
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"-?\d+(\.\d+)?")


def ok(books, *args: str):  # type: ignore[no-untyped-def]
    result = books.run(*args, env=TODAY)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def hostile(books):  # type: ignore[no-untyped-def]
    """Text that a spreadsheet would run, in a name, a ref and a memo; and a negative balance."""
    ok(books, "customer", "add", "evil", "--name", HYPERLINK, "--currency", "CNY")
    ok(
        books,
        "add",
        "invoice",
        "evil",
        "50.00",
        "--date",
        "2026-08-01",
        "--ref",
        "@SUM(A1:A9)",
        "--memo",
        "+cmd|' /C calc'!A0",
    )
    ok(books, "add", "invoice", "evil", "30.00", "--date", "2026-09-01", "--ref", "-2+3")
    ok(books, "customer", "add", "owed", "--name", "Owed Ltd", "--currency", "CNY")
    ok(books, "customer", "edit", "owed", "--name", "+credit")  # history: from "Owed Ltd" to "+credit"
    ok(books, "add", "credit-note", "owed", "10.00", "--date", "2026-11-01", "--memo", "\tpad")
    return books


COMMANDS = [
    ("balance",),
    ("aging",),
    ("aging", "--detail"),
    ("customer", "list"),
    ("customer", "show", "evil"),
    ("segment",),
    ("history",),
    ("remind",),
]
SHOWN = {("customer", "show", "evil"): "'@SUM(A1:A9)", ("history",): "'+credit"}  # no name column in these


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_text_cells_are_neutralised_and_numbers_are_not(hostile, command) -> None:  # type: ignore[no-untyped-def]
    result = ok(hostile, *command, "--format", "csv")
    rows = list(csv.reader(io.StringIO(result.stdout)))
    cells = [cell for row in rows for cell in row]
    assert cells, result.output
    for cell in cells:
        assert NUMBER.fullmatch(cell) or not cell.startswith(FORMULA_START), (command, cell)
    assert SHOWN.get(command, f"'{HYPERLINK}") in cells, cells


def test_a_negative_amount_stays_a_number(hostile) -> None:  # type: ignore[no-untyped-def]
    for command in (("balance",), ("aging",), ("customer", "list")):
        rows = list(csv.reader(io.StringIO(ok(hostile, *command, "--format", "csv").stdout)))
        owed = next(row for row in rows if row[0] == "owed")
        assert owed[1] == "'+credit" and "-10.00" in owed, (command, owed)
    detail = list(csv.DictReader(io.StringIO(ok(hostile, "customer", "show", "owed", "--format", "csv").stdout)))
    assert [(r["amount"], r["running_balance"], r["memo"]) for r in detail] == [("10.00", "-10.00", "'\tpad")]
