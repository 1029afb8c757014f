"""reconcile (suggestions, --apply, --balance) and close: invariants and closed-period enforcement."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from hypothesis import given, settings

from ledgerctl.core import engine
from ledgerctl.core.models import CreditBase, Customer
from ledgerctl.core.reconcile import suggest_allocations
from ledgerctl.core.validate import SourcedLedger, compare_posted, validate_ledger
from strategies import as_of_dates, ledgers


@settings(max_examples=200, deadline=None)
@given(ledgers(), as_of_dates)
def test_applying_suggestions_never_changes_a_balance_and_keeps_the_rules(entries, as_of) -> None:  # type: ignore[no-untyped-def]
    customer = Customer(id="c", name="C", currency="CNY")
    src = SourcedLedger("ledgers/c.yaml", "c", customer, entries)
    if validate_ledger(src):
        return  # the generator may make void-after-void etc.; suggestions are for valid ledgers
    suggestions = suggest_allocations(entries, as_of)
    extra: dict[str, dict[str, Decimal]] = {}
    for s in suggestions:
        extra.setdefault(s.credit, {})
        extra[s.credit][s.debit] = extra[s.credit].get(s.debit, Decimal(0)) + s.amount
    applied = [
        e.model_copy(
            update={
                "allocations": {
                    **(e.allocations or {}),
                    **{k: (e.allocations or {}).get(k, 0) + v for k, v in extra[e.id].items()},
                }
            }
        )
        if isinstance(e, CreditBase) and e.id in extra
        else e
        for e in entries
    ]
    after_src = SourcedLedger("ledgers/c.yaml", "c", customer, applied)
    assert validate_ledger(after_src) == []
    assert compare_posted(entries, applied, after_src, None) == []  # gaining allocations is not an edit
    for day in (as_of, as_of + dt.timedelta(days=400)):
        before, after = engine.position(entries, day), engine.position(applied, day)
        assert before.balance == after.balance
        assert after.open_total + after.unapplied == after.balance
    assert suggest_allocations(applied, as_of) == []  # nothing left to suggest


def test_suggestion_reasons(books) -> None:  # type: ignore[no-untyped-def]
    for kind, amount, date, extra in [
        ("invoice", "100.00", "2026-10-01", ["--id", "I1", "--ref", "FP-9"]),
        ("invoice", "250.00", "2026-10-02", ["--id", "I2"]),
        ("invoice", "400.00", "2026-10-03", ["--id", "I3"]),
        ("payment", "100.00", "2026-10-10", ["--id", "P-REF", "--ref", "FP-9"]),
        ("payment", "400.00", "2026-10-11", ["--id", "P-AMT"]),
        ("payment", "50.00", "2026-10-12", ["--id", "P-OLD"]),
    ]:
        assert books.run("add", kind, "acme", amount, "--date", date, *extra).exit_code == 0
    data = json.loads(books.run("reconcile", "acme", "--format", "json").stdout)
    assert [(s["credit"], s["debit"], s["amount"], s["reason"]) for s in data["suggestions"]] == [
        ("P-REF", "I1", "100.00", "ref"),
        ("P-AMT", "I3", "400.00", "amount"),
        ("P-OLD", "I2", "50.00", "oldest"),
    ]
    balance = books.run("balance", "--format", "json").stdout
    commits = books.commit_count()
    assert books.run("reconcile", "acme", "--apply").exit_code == 0
    assert books.commit_count() == commits + 1 and books.run("balance", "--format", "json").stdout == balance
    diff = books.git("diff", "HEAD~1", "--", "ledgers/acme.yaml")
    assert diff.count("\n-  - ") == 3 and 'allocations: {I1: "100.00"}' in diff
    assert books.run("check").exit_code == 0
    assert books.run("reconcile", "acme", "--apply").exit_code == 2  # nothing left: says so, changes nothing


def test_apply_never_changes_an_existing_allocation(books) -> None:  # type: ignore[no-untyped-def]
    for kind, amount, extra in [
        ("invoice", "100.00", ["--id", "I1"]),
        ("invoice", "100.00", ["--id", "I2"]),
        ("payment", "150.00", ["--id", "P1", "--apply", "I2=60"]),
    ]:
        assert books.run("add", kind, "acme", amount, "--date", "2026-10-01", *extra).exit_code == 0
    assert books.run("reconcile", "acme", "--apply").exit_code == 0
    text = books.ledger("acme").read_text(encoding="utf-8")
    assert 'allocations: {I2: "60.00", I1: "90.00"}' in text


def test_balance_agreement(books) -> None:  # type: ignore[no-untyped-def]
    assert books.run("add", "invoice", "acme", "500.00", "--date", "2026-09-01").exit_code == 0
    assert books.run("add", "payment", "acme", "120.00", "--date", "2026-09-20", "--id", "P9").exit_code == 0
    before = books.snapshot()
    result = books.run("reconcile", "acme", "--balance", "500.00", "--as-of", "2026-09-30", "--format", "json")
    data = json.loads(result.stdout)
    assert result.exit_code == 1 and data["difference"] == "-120.00" and "P9" in data["entries"]
    assert books.snapshot() == before
    result = books.run("reconcile", "acme", "--balance", "380.00", "--as-of", "2026-09-30")
    assert result.exit_code == 0, result.output
    assert "type: balance, date: 2026-09-30" in books.ledger("acme").read_text(encoding="utf-8")
    assert books.run("check").exit_code == 0


@pytest.fixture
def closed(books):  # type: ignore[no-untyped-def]
    assert books.run("add", "invoice", "acme", "100.00", "--date", "2026-09-10", "--id", "OLD-INV").exit_code == 0
    assert books.run("add", "payment", "acme", "40.00", "--date", "2026-09-15", "--id", "OLD-PAY").exit_code == 0
    result = books.run("close", "2026-09-30")
    assert result.exit_code == 0, result.output
    return books


def test_close_commits_and_tags(closed) -> None:  # type: ignore[no-untyped-def]
    assert "closed_through: 2026-09-30" in (closed.root / "ledgerctl.yaml").read_text(encoding="utf-8")
    assert closed.git("tag", "--list", "closed/*").split() == ["closed/2026-09-30"]
    assert closed.git("log", "-1", "--format=%s").strip() == "close books through 2026-09-30"


@pytest.mark.parametrize(
    "args",
    [
        ("add", "invoice", "acme", "10", "--date", "2026-09-30"),
        ("add", "note", "acme", "late note", "--date", "2026-09-01"),
        ("void", "OLD-INV", "--reason", "wrong"),
        ("void", "OLD-PAY", "--reason", "wrong", "--date", "2026-10-05"),
        ("reconcile", "acme", "--apply"),
        ("reconcile", "acme", "--balance", "60.00", "--as-of", "2026-09-30"),
        ("close", "2026-09-15"),
        ("close", "2026-09-30"),
    ],
)
def test_closed_period_is_enforced_by_every_writing_command(closed, args) -> None:  # type: ignore[no-untyped-def]
    before = closed.snapshot()
    result = closed.run(*args)
    assert result.exit_code == 2, (args, result.output)
    assert "2026-09-30" in result.output and "Traceback" not in result.output
    assert closed.snapshot() == before


def test_commit_refuses_hand_edits_in_the_closed_period(closed) -> None:  # type: ignore[no-untyped-def]
    path = closed.ledger("acme")
    path.write_text(
        path.read_text(encoding="utf-8") + '  - {id: HAND-1, type: invoice, date: 2026-09-20, amount: "5.00"}\n',
        encoding="utf-8",
    )
    result = closed.run("commit")
    assert result.exit_code == 2 and "2026-09-30" in result.output
    closed.git("checkout", "--", "ledgers/acme.yaml")
    path.write_text(
        path.read_text(encoding="utf-8") + '  - {id: HAND-2, type: invoice, date: 2026-10-20, amount: "5.00"}\n',
        encoding="utf-8",
    )
    assert closed.run("commit").exit_code == 0


def test_close_refuses_when_check_fails(books) -> None:  # type: ignore[no-untyped-def]
    assert books.run("add", "invoice", "acme", "100.00", "--date", "2026-09-10").exit_code == 0
    path = books.ledger("acme")
    path.write_text(
        path.read_text(encoding="utf-8") + '  - {id: BAL-X, type: balance, date: 2026-09-20, amount: "1.00"}\n',
        encoding="utf-8",
    )
    books.git("commit", "-qam", "a wrong balance assertion, by hand")
    before = books.snapshot()
    result = books.run("close", "2026-09-30")
    assert result.exit_code == 1 and "balance-mismatch" in result.output
    assert books.snapshot() == before


def test_reopen_is_deliberate_and_recorded(closed) -> None:  # type: ignore[no-untyped-def]
    assert closed.run("close", "--reopen", "2026-08-31").exit_code == 2  # no reason
    assert closed.run("close", "--reopen", "2026-10-31", "--reason", "x").exit_code == 2  # not backwards
    result = closed.run("close", "--reopen", "2026-08-31", "--reason", "late credit note from the customer")
    assert result.exit_code == 0, result.output
    assert "late credit note" in closed.git("log", "-1", "--format=%s")
    assert closed.run("add", "credit-note", "acme", "5.00", "--date", "2026-09-20").exit_code == 0
    assert closed.run("close", "2026-11-30").exit_code == 2  # the future
