"""Hints send users the right way: a closed period is corrected by a credit note; one syntax error is one problem."""

from __future__ import annotations

import json

import pytest
from tests.conftest import BooksFixture


@pytest.fixture
def closed_sample(sample_books: BooksFixture) -> BooksFixture:
    result = sample_books.run("close", "2026-09-30")
    assert result.exit_code == 0, result.output
    return sample_books


def test_void_of_an_entry_in_the_closed_period_points_to_a_credit_note(closed_sample: BooksFixture) -> None:
    before = closed_sample.snapshot()
    result = closed_sample.run("void", "INV-20260907-Q7XQ", "--reason", "wrong amount", "--date", "2026-11-20")
    assert result.exit_code == 2
    message = " ".join(result.output.split())
    assert "credit note" in message
    assert "date it after" not in message
    assert closed_sample.snapshot() == before


def test_check_hint_for_an_edited_closed_period_entry_is_a_credit_note_not_a_void(closed_sample: BooksFixture) -> None:
    ledger = closed_sample.ledger("hx-machinery")
    ledger.write_text(
        ledger.read_text(encoding="utf-8").replace(
            'amount: "135000.00", ref: FP-2026-00587', 'amount: "130000.00", ref: FP-2026-00587'
        ),
        encoding="utf-8",
    )
    result = closed_sample.run("check", "--format", "json")
    changed = [p for p in json.loads(result.stdout)["problems"] if p["code"] == "posted-changed"]
    assert changed and "credit note" in changed[0]["message"]
    assert "ledgerctl void" not in changed[0]["message"]


def test_check_hint_for_an_edited_open_period_entry_is_a_void(sample_books: BooksFixture) -> None:
    ledger = sample_books.ledger("hx-machinery")
    ledger.write_text(
        ledger.read_text(encoding="utf-8").replace(
            'amount: "135000.00", ref: FP-2026-00587', 'amount: "130000.00", ref: FP-2026-00587'
        ),
        encoding="utf-8",
    )
    result = sample_books.run("check", "--format", "json")
    changed = [p for p in json.loads(result.stdout)["problems"] if p["code"] == "posted-changed"]
    assert changed and "ledgerctl void INV-20260907-Q7XQ" in changed[0]["message"]


def test_one_yaml_syntax_error_is_one_problem(sample_books: BooksFixture) -> None:
    ledger = sample_books.ledger("hx-machinery")
    ledger.write_text(
        ledger.read_text(encoding="utf-8").replace("entries:\n", "entries:\n  - {id: [broken\n", 1), encoding="utf-8"
    )
    result = sample_books.run("check", "--format", "json")
    assert result.exit_code == 1
    problems = [p for p in json.loads(result.stdout)["problems"] if p["file"] == "ledgers/hx-machinery.yaml"]
    assert len(problems) == 1, problems
    assert problems[0]["code"] != "posted-deleted"
