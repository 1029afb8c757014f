"""engine.settlement_dates answers its walk from one pass over the entries when it can: pinned to position()."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from ledgerctl.core import engine
from ledgerctl.core.models import Invoice, Payment, Void
from strategies import START, as_of_dates, ledgers

D = dt.date
DAY = dt.timedelta(days=1)


def walk_with_positions(entries, as_of, terms_days=30, since=None):  # type: ignore[no-untyped-def]
    """The walk as it was before the one pass: a position() on the eve of every closing day it visits."""
    final = engine.position(entries, as_of, terms_days)
    still_open = {item.id for item in final.open_items}
    live_debits = {e.id: e for e in engine.effective_entries(entries, as_of) if e.sign > 0}
    pending = {d for d in live_debits if d not in still_open}
    closing_days = {e.date for e in entries if e.date <= as_of and (e.sign < 0 or e.type == "void")}
    closing_days |= {live_debits[d].date for d in pending}
    settled = {}
    for day in sorted(closing_days, reverse=True):
        if not pending or (since is not None and day < since):
            break
        eve = {item.id for item in engine.position(entries, day - DAY, terms_days).open_items}
        for debit_id in list(pending):
            if live_debits[debit_id].date < day and debit_id not in eve:
                continue
            settled[debit_id] = day
            pending.discard(debit_id)
    return settled


days_lists = st.lists(st.integers(-5, 330), min_size=1, max_size=12, unique=True).map(
    lambda offsets: [START + dt.timedelta(days=d) for d in sorted(offsets)]
)


@settings(max_examples=400, deadline=None)
@given(ledgers(max_debits=8, max_credits=8, voids=False), days_lists, st.integers(0, 60))
def test_one_pass_open_ids_equal_position_on_every_day(entries, days, terms) -> None:  # type: ignore[no-untyped-def]
    found = engine._open_on_eves(entries, days, terms)
    # Without voids it steps aside only for a prepayment allocated to a later debit (up to the last day).
    last = days[-1]
    ahead = any(
        e.sign < 0
        and e.date <= last
        and any(d.id in (e.allocations or {}) and e.date < d.date <= last for d in entries if d.sign > 0)
        for e in entries
    )
    assert (found is None) == ahead
    if found is not None:
        assert found == {day: {i.id for i in engine.position(entries, day, terms).open_items} for day in days}


@settings(max_examples=400, deadline=None)
@given(ledgers(max_debits=6, max_credits=6, voids=True), days_lists, st.integers(0, 60))
def test_one_pass_with_voids_equal_position_on_every_day(entries, days, terms) -> None:  # type: ignore[no-untyped-def]
    found = engine._open_on_eves(entries, days, terms)
    if found is None:  # only a prepayment allocated to a later debit makes it step aside
        assert any(
            e.sign < 0 and any(d.id in (e.allocations or {}) and d.date > e.date for d in entries if d.sign > 0)
            for e in entries
        )
    else:
        assert found == {day: {i.id for i in engine.position(entries, day, terms).open_items} for day in days}


@settings(max_examples=300, deadline=None)
@given(
    ledgers(max_debits=8, max_credits=8, voids=False) | ledgers(max_debits=5, max_credits=5),
    as_of_dates,
    st.integers(-5, 200),
    st.integers(0, 60),
)
def test_settlement_dates_equal_the_walk_with_positions(entries, as_of, since_offset, terms) -> None:  # type: ignore[no-untyped-def]
    since = as_of - dt.timedelta(days=since_offset)
    assert engine.settlement_dates(entries, as_of, terms) == walk_with_positions(entries, as_of, terms)
    assert engine.settlement_dates(entries, as_of, terms, since=since) == walk_with_positions(
        entries, as_of, terms, since
    )


def _pay(pid: str, day: D, amount: str, **allocations: str) -> Payment:
    allocs = {k: Decimal(v) for k, v in allocations.items()} or None
    return Payment(id=pid, type="payment", date=day, amount=Decimal(amount), allocations=allocs)


def test_pool_reopened_by_an_earlier_due_debit_then_closed_again() -> None:
    entries = [
        Invoice(id="I2", type="invoice", date=D(2026, 1, 1), due=D(2026, 3, 1), amount=Decimal("100")),
        _pay("P1", D(2026, 1, 10), "100"),  # closes I2 through the pool
        Invoice(id="I1", type="invoice", date=D(2026, 1, 15), due=D(2026, 1, 20), amount=Decimal("100")),  # takes it
        _pay("P2", D(2026, 2, 1), "100"),  # closes I2 again
    ]
    assert engine._open_on_eves(entries, [D(2026, 1, 12), D(2026, 1, 16), D(2026, 2, 1)], 30) == {
        D(2026, 1, 12): set(),
        D(2026, 1, 16): {"I2"},
        D(2026, 2, 1): set(),
    }
    assert engine.settlement_dates(entries, D(2026, 3, 1)) == {"I1": D(2026, 1, 15), "I2": D(2026, 2, 1)}


def test_same_day_allocation_and_ahead_allocation() -> None:
    same_day = [
        _pay("A-PAY", D(2026, 2, 1), "50", **{"Z-INV": "50"}),  # sorts before its target on the same day
        Invoice(id="Z-INV", type="invoice", date=D(2026, 2, 1), due=D(2026, 3, 1), amount=Decimal("50")),
        # due first: pool money would go here, not to Z-INV
        Invoice(id="B-INV", type="invoice", date=D(2026, 1, 1), due=D(2026, 1, 31), amount=Decimal("50")),
    ]
    assert engine._open_on_eves(same_day, [D(2026, 2, 1)], 30) == {D(2026, 2, 1): {"B-INV"}}
    ahead = [_pay("P", D(2026, 1, 1), "50", I="50"), same_day[1].model_copy(update={"id": "I"})]
    assert engine._open_on_eves(ahead, [D(2026, 2, 1)], 30) is None
    voided = [*same_day, Void(id="V", type="void", date=D(2026, 2, 2), voids="A-PAY")]
    assert engine._open_on_eves(voided, [D(2026, 2, 1), D(2026, 2, 2)], 30) == {
        D(2026, 2, 1): {"B-INV"},
        D(2026, 2, 2): {"B-INV", "Z-INV"},  # the payment voided: its allocation undone from the start
    }
