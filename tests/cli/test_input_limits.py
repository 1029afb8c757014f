"""Issue 11 (items 3, 4, 19): amounts, dates, names and currencies at the edges are refused with a message.

Each bad value is refused on input (exit 2, books unchanged) and, written by hand, reported by `check`
with file and line; no report crashes (exit 70) on it.
"""

from __future__ import annotations

import json
import re

import pytest

from conftest import BooksFixture, Result, run_cli


def assert_refused(books: BooksFixture, *args: str, says: str, code: int = 2) -> Result:
    before = books.snapshot()
    if "--" in args:  # --books must come before the `--` that lets an amount start with a minus
        cut = args.index("--")
        result = run_cli(*args[:cut], "--books", str(books.root), *args[cut:])
    else:
        result = books.run(*args)
    assert result.exit_code == code, f"exit {result.exit_code}, expected {code}:\n{result.output}"
    assert "Traceback" not in result.output and "internal error" not in result.output, result.output
    assert "Value error" not in result.output, result.output
    flat = re.sub(r"[\s│]+", " ", result.output)  # Typer boxes (and wraps) usage errors
    assert says in flat, f"{says!r} not in:\n{result.output}"
    assert books.snapshot() == before, "a refused command changed the books"
    return result


def hand_written(books: BooksFixture, entries: str, currency: str = "CNY", name: str = "Acme") -> None:
    """acme's ledger replaced by hand (header on lines 1-4, entries from line 6) and committed with plain git."""
    text = f"customer:\n  id: acme\n  name: {name}\n  currency: {currency}\nentries:\n{entries}"
    books.ledger("acme").write_text(text, encoding="utf-8")
    books.git("commit", "-q", "-am", "hand edit")


def check_problems(books: BooksFixture) -> list[dict]:
    result = books.run("check", "--format", "json")
    assert result.exit_code == 1, result.output
    return json.loads(result.stdout)["problems"]


# --- item 3: the largest amount ------------------------------------------------------------------------------------

TOO_LARGE = [
    "1000000000000000",
    "99999999999999999999999999.99",
    "1234567890123456789012345678901",
    "-1000000000000000",
]


@pytest.mark.parametrize("amount", TOO_LARGE)
def test_amount_over_15_integer_digits_is_refused_on_add(books, amount):
    kind = "balance" if amount.startswith("-") else "invoice"
    assert_refused(books, "add", kind, "acme", "--", amount, says="at most 15 digits before the decimal point")


def test_credit_limit_over_15_integer_digits_is_refused(books):
    assert_refused(books, "customer", "edit", "acme", "--credit-limit", "1000000000000000", says="at most 15 digits")


def test_largest_accepted_amounts_add_up_exactly_in_every_report(books):
    for _ in range(3):
        assert books.run("add", "invoice", "acme", "999999999999999.99", "--date", "2026-11-01").exit_code == 0
    assert books.run("add", "invoice", "nippon", "999999999999999", "--date", "2026-11-01").exit_code == 0
    balance = json.loads(books.run("balance", "--format", "json").stdout)
    assert "2999999999999999.97" in json.dumps(balance)
    for args in (("aging",), ("statement", "acme"), ("segment",), ("check",)):
        result = books.run(*args)
        assert result.exit_code == 0, (args, result.output)
    assert "2,999,999,999,999,999.97" in books.run("aging").stdout


def test_check_reports_a_hand_written_amount_that_is_too_large(books):
    hand_written(
        books,
        '  - {id: X1, type: invoice, date: 2026-11-01, amount: "99999999999999999999999999.99"}\n'
        "  - {id: X2, type: invoice, date: 2026-11-02, amount: 99999999999999999999999999.99}\n",
    )
    found = [p for p in check_problems(books) if "at most 15 digits" in p["message"]]
    assert {(p["file"], p["line"], p["entry"]) for p in found} == {
        ("ledgers/acme.yaml", 6, "X1"),
        ("ledgers/acme.yaml", 7, "X2"),
    }
    for args in (("balance",), ("aging",), ("statement", "acme")):
        assert_refused(books, *args, says="ledgers/acme.yaml")


# --- item 4: dates ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("add", "invoice", "acme", "10", "--date", "9999-12-31"),
        ("add", "invoice", "acme", "10", "--date", "0001-01-01"),
        ("add", "invoice", "acme", "10", "--date", "1899-12-31"),
        ("add", "invoice", "acme", "10", "--date", "2026-11-01", "--due", "3000-01-01"),
        ("add", "payment", "acme", "10", "--date", "3000-01-01"),
        ("void", "X1", "--reason", "typo", "--date", "9999-12-31"),
        ("segment", "--as-of", "0001-01-02"),
        ("balance", "--as-of", "9999-12-31"),
        ("aging", "--as-of", "0001-01-01"),
        ("statement", "acme", "--from", "0001-01-01"),
        ("close", "0001-01-01"),
    ],
)
def test_dates_outside_1900_to_2999_are_refused(books, args):
    assert books.run("add", "invoice", "acme", "10", "--date", "2026-11-01", "--id", "X1").exit_code == 0
    assert_refused(books, *args, says="outside the dates ledgerctl accepts (1900-01-01 to 2999-12-31)")


def test_the_first_and_last_accepted_dates_work(books):
    assert books.run("add", "invoice", "acme", "10", "--date", "1900-01-01").exit_code == 0
    result = books.run("add", "invoice", "acme", "10", "--date", "2999-12-01", "--due", "2999-12-31")
    assert result.exit_code == 0, result.output
    for args in (("aging", "--as-of", "2999-12-31"), ("segment", "--as-of", "1900-01-01"), ("check",)):
        assert books.run(*args).exit_code == 0, args


def test_hand_written_extreme_dates_are_problems_not_crashes(books):
    hand_written(
        books,
        '  - {id: X1, type: invoice, date: 9999-12-31, amount: "10.00"}\n'
        '  - {id: X2, type: invoice, date: 2026-11-01, due: 0001-01-01, amount: "10.00"}\n',
    )
    found = [p for p in check_problems(books) if "outside the dates" in p["message"]]
    assert {(p["line"], p["entry"]) for p in found} == {(6, "X1"), (7, "X2")}
    for args in (("balance",), ("aging",), ("segment",), ("statement", "acme")):
        assert_refused(books, *args, says="ledgers/acme.yaml")


def test_statement_file_with_an_extreme_date_is_refused(books, tmp_path):
    statement = tmp_path / "bank.csv"
    statement.write_text("date,amount,ref\n9999-12-31,10.00,x\n", encoding="utf-8")
    assert_refused(books, "reconcile", "acme", "--statement", str(statement), says="outside the dates")


# --- item 19: digits, names, currencies ----------------------------------------------------------------------------


@pytest.mark.parametrize("amount", ["１２", "١٢", "۱۲", "12.５0", "１２.00"])
def test_only_ascii_digits_are_an_amount(books, amount):
    assert_refused(books, "add", "invoice", "acme", amount, says="not an amount")


def test_check_reports_non_ascii_digits_in_a_hand_written_amount(books):
    hand_written(
        books,
        '  - {id: X1, type: invoice, date: 2026-11-01, amount: "１２"}\n'
        "  - {id: X2, type: invoice, date: 2026-11-01, amount: １２}\n",
    )
    found = [p for p in check_problems(books) if "not an amount" in p["message"]]
    assert {(p["line"], p["entry"]) for p in found} == {(6, "X1"), (7, "X2")}


@pytest.mark.parametrize("name", [" ", "   ", "\t", "\u3000", "\u00a0 "])
def test_a_blank_name_is_refused(books, name):
    assert_refused(books, "customer", "add", "blank", "--name", name, says="name: must not be blank")
    assert_refused(books, "customer", "edit", "acme", "--name", name, says="name: must not be blank")


def test_check_reports_a_hand_written_blank_name(books):
    hand_written(books, "", name='"   "')
    found = [p for p in check_problems(books) if "must not be blank" in p["message"]]
    assert [(p["file"], p["line"]) for p in found] == [("ledgers/acme.yaml", 3)]


@pytest.mark.parametrize("code", ["XXX", "XTS", "XAU", "XDR", "CLF", "xts"])
def test_currencies_that_are_not_money_are_refused(books, code):
    assert_refused(books, "customer", "add", "metal", "--name", "Metal", "--currency", code, says="not money")


def test_check_reports_a_hand_written_currency_that_is_not_money(books):
    hand_written(books, '  - {id: X1, type: invoice, date: 2026-11-01, amount: "12.00"}\n', currency="XXX")
    found = [p for p in check_problems(books) if "not money" in p["message"]]
    assert [(p["file"], p["line"]) for p in found] == [("ledgers/acme.yaml", 4)]


def test_init_refuses_a_default_currency_that_is_not_money(tmp_path):
    result = run_cli("init", str(tmp_path / "new"), "--currency", "XTS")
    assert result.exit_code == 2 and "not money" in result.output, result.output
    assert not (tmp_path / "new").exists()


def test_check_reports_a_default_currency_that_is_not_money(books):
    config = books.root / "ledgerctl.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("currency: CNY", "currency: XXX"), encoding="utf-8")
    books.git("commit", "-q", "-am", "hand edit")
    found = [p for p in check_problems(books) if "not money" in p["message"]]
    assert [p["file"] for p in found] == ["ledgerctl.yaml"] and found[0]["line"], found
