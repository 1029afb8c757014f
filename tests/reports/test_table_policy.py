"""One table policy for every command: at any width, no id, date, amount or file:line is cut or folded.

Each command's table is printed at 60, 80 and 120 columns and every id and amount its JSON output carries
must appear whole in it (amounts as the table writes them, with thousands separators).
"""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from tests.conftest import BooksFixture

AMOUNT_KEYS = {"balance", "total", "open", "amount", "closing", "opening"}
ID_KEYS = {"id", "entry", "credit", "debit"}
COMMANDS = {
    "balance": ["balance"],
    "aging": ["aging"],
    "aging-detail": ["aging", "--detail"],
    "customer-list": ["customer", "list"],
    "customer-show": ["customer", "show", "hx-machinery"],
    "statement": ["statement", "hx-machinery", "--from", "2026-08-01", "--to", "2026-11-30"],
    "reconcile": ["reconcile", "hx-machinery"],
    "remind": ["remind"],
    "history": ["history", "hx-machinery"],
}
TEXT_FORMAT = {"statement": "text"}
# The letters table sums each customer's overdue invoices; the invoices themselves are in the letters.
KEYS = {"remind": ({"overdue"}, {"customer"})}


def _grouped(text: str) -> str:
    value = Decimal(text)
    places = -value.as_tuple().exponent if value.as_tuple().exponent < 0 else 0  # type: ignore[operator]
    return f"{value:,.{places}f}"


def _wanted(data: object, amount_keys: set[str], id_keys: set[str], key: str | None = None) -> set[str]:
    found: set[str] = set()
    if isinstance(data, dict):
        for k, v in data.items():
            found |= _wanted(v, amount_keys, id_keys, k)
    elif isinstance(data, list):
        for v in data:
            found |= _wanted(v, amount_keys, id_keys, key)
    elif isinstance(data, str):
        if re.fullmatch(r"-?\d+(\.\d+)?", data):
            if key in amount_keys:
                found.add(_grouped(data))
        elif key in id_keys and re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._/-]*", data):
            found.add(data)
    return found


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_ids_and_amounts_are_never_cut_at_any_width(sample_books: BooksFixture, name: str) -> None:
    args = COMMANDS[name]
    as_json = sample_books.run(*args, "--format", "json")
    assert as_json.exit_code == 0, as_json.output
    amount_keys, id_keys = KEYS.get(name, (AMOUNT_KEYS | {"credit", "debit"}, ID_KEYS))
    wanted = _wanted(json.loads(as_json.stdout), amount_keys, id_keys)
    assert wanted, "the JSON output names no ids or amounts to look for"
    for width in (60, 80, 120):
        table = sample_books.run(*args, "--format", TEXT_FORMAT.get(name, "table"), env={"LEDGERCTL_WIDTH": str(width)})
        assert table.exit_code == 0, table.output
        words = set(re.split(r"[\s│┃|()]+", table.stdout))
        # Credits show as negative amounts in some tables.
        missing = sorted(w for w in wanted if w not in words and f"-{w}" not in words)
        assert not missing, f"{name} at {width} columns cuts or folds: {missing[:8]}"


def test_check_and_verify_tables_keep_file_line_and_ids_whole(sample_books: BooksFixture) -> None:
    ledger = sample_books.ledger("hx-machinery")
    text = ledger.read_text(encoding="utf-8")
    ledger.write_text(
        text.replace("amount: '42300.00'", "amount: '42300.001'", 1).replace(
            'amount: "42300.00"', 'amount: "42300.001"', 1
        ),
        encoding="utf-8",
    )
    as_json = sample_books.run("check", "--format", "json")
    problems = json.loads(as_json.stdout)["problems"]
    assert problems, as_json.output
    for width in (60, 80):
        table = sample_books.run("check", env={"LEDGERCTL_WIDTH": str(width)})
        words = set(re.split(r"[\s│┃|()]+", table.stdout))
        for problem in problems:
            assert f"{problem['file']}:{problem['line']}" in words, (width, table.stdout)
            if problem["entry"]:
                assert problem["entry"] in words, (width, table.stdout)
