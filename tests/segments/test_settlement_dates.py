"""engine.settlement_dates: when each closed debit became closed for good — checked against position() day by day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from ledgerctl.core import engine
from ledgerctl.core.models import Invoice, Payment, Void
from strategies import START, as_of_dates, ledgers

D = dt.date


def day_by_day(entries, as_of: dt.date, since: dt.date | None = None) -> dict[str, dt.date]:  # type: ignore[no-untyped-def]
    """The definition, the slow way: the first day of the last closed stretch, asking position() about every day."""
    if not entries:
        return {}
    first = min(e.date for e in entries)
    final = engine.position(entries, as_of)
    live = {e.id: e for e in engine.effective_entries(entries, as_of) if e.sign > 0}
    closed = [d for d in live if d not in {i.id for i in final.open_items}]
    result: dict[str, dt.date] = {}
    for debit_id in closed:
        day = as_of
        while day >= first:
            open_ids = {i.id for i in engine.position(entries, day).open_items}
            if live[debit_id].date > day or debit_id in open_ids:
                break
            day -= dt.timedelta(days=1)
        settled = day + dt.timedelta(days=1)
        if since is None or settled >= since:
            result[debit_id] = settled
    return result


@settings(max_examples=250, deadline=None)
@given(ledgers(max_debits=5, max_credits=5), as_of_dates, st.integers(-5, 120))
def test_settlement_dates_match_the_day_by_day_definition(entries, as_of, since_offset) -> None:  # type: ignore[no-untyped-def]
    since = as_of - dt.timedelta(days=since_offset)
    assert engine.settlement_dates(entries, as_of) == day_by_day(entries, as_of)
    assert engine.settlement_dates(entries, as_of, since=since) == day_by_day(entries, as_of, since)


@settings(max_examples=100, deadline=None)
@given(ledgers(), as_of_dates)
def test_settled_debits_are_exactly_the_live_debits_with_nothing_open(entries, as_of) -> None:  # type: ignore[no-untyped-def]
    pos = engine.position(entries, as_of)
    live = {e.id for e in engine.effective_entries(entries, as_of) if e.sign > 0}
    settled = engine.settlement_dates(entries, as_of)
    assert set(settled) == live - {i.id for i in pos.open_items}
    assert all(day <= as_of for day in settled.values())


def test_reopened_by_a_void_then_settled_again() -> None:
    entries = [
        Invoice(id="I", type="invoice", date=D(2026, 1, 1), due=D(2026, 1, 31), amount=Decimal("100")),
        Payment(id="P1", type="payment", date=D(2026, 1, 20), amount=Decimal("100"), allocations={"I": Decimal("100")}),
        Void(id="V", type="void", date=D(2026, 2, 3), voids="P1"),
        Payment(id="P2", type="payment", date=D(2026, 3, 10), amount=Decimal("100")),
    ]
    assert engine.settlement_dates(entries, D(2026, 1, 25)) == {"I": D(2026, 1, 20)}
    assert engine.settlement_dates(entries, D(2026, 2, 10)) == {}
    assert engine.settlement_dates(entries, D(2026, 12, 31)) == {"I": D(2026, 3, 10)}
    assert engine.settlement_dates(entries, D(2026, 12, 31), since=D(2026, 3, 11)) == {}


def test_prepaid_invoice_is_settled_on_its_own_date() -> None:
    entries = [
        Payment(id="P", type="payment", date=START, amount=Decimal("100"), allocations={"I": Decimal("100")}),
        Invoice(
            id="I",
            type="invoice",
            date=START + dt.timedelta(days=9),
            due=START + dt.timedelta(days=39),
            amount=Decimal("100"),
        ),
    ]
    assert engine.settlement_dates(entries, START + dt.timedelta(days=100)) == {"I": START + dt.timedelta(days=9)}


def test_partly_paid_is_not_settled_until_the_last_amount() -> None:
    entries = [
        Invoice(id="I", type="invoice", date=D(2026, 8, 1), due=D(2026, 8, 31), amount=Decimal("12000.00")),
        Payment(
            id="P1",
            type="payment",
            date=D(2026, 8, 20),
            amount=Decimal("5000.00"),
            allocations={"I": Decimal("5000.00")},
        ),
        Payment(id="P2", type="payment", date=D(2026, 9, 30), amount=Decimal("7000.00")),
    ]
    before = engine.position(entries, D(2026, 10, 31))
    assert engine.settlement_dates(entries, D(2026, 9, 29)) == {}
    assert engine.settlement_dates(entries, D(2026, 10, 31)) == {"I": D(2026, 9, 30)}
    assert engine.position(entries, D(2026, 10, 31)) == before
