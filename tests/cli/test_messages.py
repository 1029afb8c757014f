"""Messages speak the user's language: no library text, and the nearest known name for a mistyped one."""

from __future__ import annotations

import pytest
from tests.conftest import BooksFixture, run_cli


def _said(result) -> str:  # type: ignore[no-untyped-def]
    return " ".join(result.output.replace("│", " ").split())


def test_a_negative_amount_says_amounts_are_positive(sample_books: BooksFixture) -> None:
    before = sample_books.snapshot()
    result = sample_books.run("add", "invoice", "hx-machinery", "-500")
    assert result.exit_code == 2
    said = _said(result)
    assert "No such option" not in said
    assert "amounts are positive" in said and "credit-note" in said
    assert sample_books.snapshot() == before


def test_a_negative_balance_assertion_after_double_dash_is_accepted(books: BooksFixture) -> None:
    assert books.run("add", "refund", "acme", "500.00", "--date", "2026-11-01").exit_code == 0
    assert books.run("add", "payment", "acme", "900.00", "--date", "2026-11-02").exit_code == 0
    result = run_cli("add", "balance", "acme", "--date", "2026-11-02", "--books", str(books.root), "--", "-400.00")
    assert result.exit_code == 0, result.output


def test_an_impossible_day_is_called_one(sample_books: BooksFixture) -> None:
    said = _said(sample_books.run("add", "invoice", "hx-machinery", "5.00", "--date", "2026-11-31"))
    assert "no such day" in said and "write YYYY-MM-DD" not in said


def test_a_pattern_is_explained_not_quoted(empty_books: BooksFixture) -> None:
    result = empty_books.run("customer", "add", "acme", "--name", "Acme", "--tag", "Bad")
    assert result.exit_code == 2
    said = _said(result)
    assert "should match pattern" not in said and "^[a-z0-9]" not in said
    assert "lowercase letters" in said


@pytest.mark.parametrize(
    "args", [["customer", "show", "hx-machinary"], ["balance", "hx-machinary"], ["statement", "hx-machinary"]]
)
def test_an_unknown_customer_gets_the_nearest_one(sample_books: BooksFixture, args: list[str]) -> None:
    result = sample_books.run(*args)
    assert result.exit_code == 2
    assert "did you mean 'hx-machinery'?" in _said(result)


@pytest.mark.parametrize("command", [["balance"], ["aging"], ["customer", "list"], ["segment"], ["remind"]])
def test_an_unknown_tag_is_refused_with_the_nearest_one(sample_books: BooksFixture, command: list[str]) -> None:
    result = sample_books.run(*command, "--tag", "electronic")
    assert result.exit_code == 2, result.output
    assert "did you mean 'electronics'?" in _said(result)


def test_a_known_tag_that_selects_nobody_with_another_is_still_an_empty_report(sample_books: BooksFixture) -> None:
    result = sample_books.run("balance", "--tag", "vip", "--tag", "electronics", "--format", "json")
    assert result.exit_code == 0, result.output
