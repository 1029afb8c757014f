"""Rule tests on ledgers written in the test's own text (tests/fast.py): one home per rule, no git, no files."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fast import load_doc
from ledgerctl.core import engine
from ledgerctl.core.aging import aging_row
from ledgerctl.core.validate import validate_books, validate_ledger

pytestmark = pytest.mark.fast

ACME = """
    customer: {id: acme, name: 华兴机械有限公司, currency: CNY, terms_days: 30, credit_limit: "100.00"}
    entries:
      - {id: INV-1, type: invoice, date: 2026-09-01, amount: "80.00"}
      - {id: INV-2, type: invoice, date: 2026-10-15, amount: "50.00"}
      - {id: PAY-1, type: payment, date: 2026-10-20, amount: "30.00", allocations: {INV-1: "30.00"}}
"""


def test_a_ledger_loads_from_text_with_its_lines() -> None:
    source = load_doc(ACME)
    assert source.problems == [] and source.customer is not None
    assert [e.id for e in source.entries] == ["INV-1", "INV-2", "PAY-1"]
    assert validate_ledger(source, {}) == []


def test_days_overdue_is_zero_until_due_then_counts_days() -> None:
    source = load_doc(ACME)
    pos = engine.position(source.entries, dt.date(2026, 11, 23), 30)
    assert {i.id: i.days_overdue(dt.date(2026, 11, 23)) for i in pos.open_items} == {"INV-1": 53, "INV-2": 9}
    assert {i.id: i.days_overdue(dt.date(2026, 10, 1)) for i in pos.open_items} == {"INV-1": 0, "INV-2": 0}


def test_over_limit_means_owing_more_than_the_limit() -> None:
    source = load_doc(ACME)
    assert source.customer is not None
    row = aging_row(source.customer, source.entries, dt.date(2026, 11, 23), [30, 60, 90], "due")
    assert row.total == Decimal("100.00") and not row.over_limit  # exactly at the limit is not over it
    assert engine.over_limit(Decimal("100.01"), Decimal("100.00")) and not engine.over_limit(Decimal("1e9"), None)


def test_an_id_in_two_files_is_one_duplicate_problem_in_the_later_file() -> None:
    other = load_doc(
        """
        customer: {id: beta, name: Beta, currency: CNY}
        entries:
          - {id: INV-1, type: invoice, date: 2026-09-02, amount: "10.00"}
    """,
        customer="beta",
    )
    [problem] = validate_books([load_doc(ACME), other])
    assert (problem.code, problem.file, problem.entry) == ("duplicate-id", "ledgers/beta.yaml", "INV-1")


def test_a_broken_document_is_problems_not_an_exception() -> None:
    source = load_doc(
        "customer: {id: acme, name: A, currency: CNY}\nentries:\n  - {id: X, type: invoice, date: 2026-13-01}\n"
    )
    assert source.problems and all(p.file == "ledgers/acme.yaml" for p in source.problems)
