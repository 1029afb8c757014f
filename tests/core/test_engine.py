"""SPEC 3.1 — the engine's arithmetic and its invariants."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from ledgerctl.core import engine
from ledgerctl.core.aging import aging_row
from ledgerctl.core.models import (
    BalanceAssertion,
    CreditNote,
    Customer,
    Invoice,
    Payment,
    Refund,
    Reminder,
    Void,
    WriteOff,
)
from strategies import as_of_dates, ledgers

D = dt.date
CUSTOMER = Customer(id="hx-machinery", name="华兴机械有限公司", currency="CNY")


def spec_example() -> list:
    """The example file of SPEC 3."""
    return [
        Invoice(
            id="INV-20260801-7KQ2", type="invoice", date=D(2026, 8, 1), due=D(2026, 8, 31), amount=Decimal("12000.00")
        ),
        Payment(
            id="PAY-20260820-M3XA",
            type="payment",
            date=D(2026, 8, 20),
            amount=Decimal("5000.00"),
            allocations={"INV-20260801-7KQ2": Decimal("5000.00")},
        ),
        CreditNote(id="CN-20260825-Q9TD", type="credit_note", date=D(2026, 8, 25), amount=Decimal("200.00")),
        Refund(id="RF-20260902-2HWE", type="refund", date=D(2026, 9, 2), amount=Decimal("50.00")),
        Void(id="VD-20260903-PLK7", type="void", date=D(2026, 9, 3), voids="RF-20260902-2HWE"),
        Reminder(id="RM-20260910-C4RB", type="reminder", date=D(2026, 9, 10), level=1, invoices=["INV-20260801-7KQ2"]),
        BalanceAssertion(id="BAL-20260930-F2ZS", type="balance", date=D(2026, 9, 30), amount=Decimal("6800.00")),
        WriteOff(
            id="WO-20261031-8DMY",
            type="write_off",
            date=D(2026, 10, 31),
            amount=Decimal("800.00"),
            allocations={"INV-20260801-7KQ2": Decimal("800.00")},
        ),
    ]


def test_spec_example_aging_matches_spec_5_1() -> None:
    pos = engine.position(spec_example(), D(2026, 10, 31))
    assert pos.balance == Decimal("6000.00")
    assert [(i.id, i.open) for i in pos.open_items] == [("INV-20260801-7KQ2", Decimal("6000.00"))]
    row = aging_row(CUSTOMER, spec_example(), D(2026, 10, 31), [30, 60, 90], "due")
    assert row.buckets == {"current": 0, "1-30": 0, "31-60": 0, "61-90": Decimal("6000.00"), "90+": 0}
    assert row.unapplied == 0 and row.total == Decimal("6000.00")


def test_refund_counts_until_voided() -> None:
    entries = spec_example()
    assert engine.balance(entries, D(2026, 9, 2)) == Decimal("12000") - 5000 - 200 + 50
    assert engine.balance(entries, D(2026, 9, 3)) == Decimal("6800.00")


def test_allocation_to_debit_dated_after_as_of_goes_to_pool() -> None:
    entries = [
        Invoice(id="A", type="invoice", date=D(2026, 1, 1), due=D(2026, 1, 31), amount=Decimal("100")),
        Invoice(id="B", type="invoice", date=D(2026, 3, 1), due=D(2026, 3, 31), amount=Decimal("100")),
        Payment(id="P", type="payment", date=D(2026, 2, 1), amount=Decimal("50"), allocations={"B": Decimal("50")}),
    ]
    feb = engine.position(entries, D(2026, 2, 15))
    assert [(i.id, i.open) for i in feb.open_items] == [("A", Decimal("50"))]
    mar = engine.position(entries, D(2026, 3, 15))
    assert {i.id: i.open for i in mar.open_items} == {"A": Decimal("100"), "B": Decimal("50")}


def test_pool_pays_oldest_due_first_and_leaves_unapplied() -> None:
    entries = [
        Invoice(id="LATE-DUE", type="invoice", date=D(2026, 1, 1), due=D(2026, 3, 1), amount=Decimal("100")),
        Invoice(id="EARLY-DUE", type="invoice", date=D(2026, 1, 5), due=D(2026, 1, 20), amount=Decimal("100")),
        Payment(id="P", type="payment", date=D(2026, 2, 1), amount=Decimal("150")),
    ]
    pos = engine.position(entries, D(2026, 2, 1))
    assert [(i.id, i.open) for i in pos.open_items] == [("LATE-DUE", Decimal("50"))]
    over = engine.position(
        entries + [Payment(id="P2", type="payment", date=D(2026, 2, 2), amount=Decimal("80"))], D(2026, 2, 2)
    )
    assert over.open_items == () and over.unapplied == Decimal("-30") and over.balance == Decimal("-30")


def test_bucket_names_and_edges() -> None:
    assert engine.bucket_names([30, 60, 90]) == ["current", "1-30", "31-60", "61-90", "90+"]
    assert engine.bucket_names([15, 45]) == ["current", "1-15", "16-45", "45+"]
    cases = {
        -5: "current",
        0: "current",
        1: "1-30",
        30: "1-30",
        31: "31-60",
        60: "31-60",
        61: "61-90",
        90: "61-90",
        91: "90+",
    }
    for age, bucket in cases.items():
        assert engine.bucket_of(age, [30, 60, 90]) == bucket


@settings(max_examples=300, deadline=None)
@given(ledgers(), as_of_dates)
def test_open_items_plus_unapplied_equal_balance(entries, as_of) -> None:
    pos = engine.position(entries, as_of)
    assert pos.open_total + pos.unapplied == pos.balance
    assert pos.balance == engine.balance(entries, as_of)
    assert pos.unapplied <= 0
    assert all(0 < item.open <= item.amount for item in pos.open_items)
    if pos.unapplied < 0:
        assert pos.open_items == ()  # the pool pays every open item before any credit is left over
    for limits, basis in (([30, 60, 90], "due"), ([7], "date"), ([15, 45, 120, 365], "due")):
        row = aging_row(CUSTOMER, entries, as_of, limits, basis)
        assert sum(row.buckets.values()) + row.unapplied == pos.balance == row.total


@settings(max_examples=200, deadline=None)
@given(ledgers(), as_of_dates, st.randoms(use_true_random=False))
def test_result_does_not_depend_on_entry_order(entries, as_of, rnd: random.Random) -> None:
    shuffled = list(entries)
    rnd.shuffle(shuffled)
    assert engine.position(shuffled, as_of) == engine.position(entries, as_of)


@settings(max_examples=200, deadline=None)
@given(ledgers(voids=False), st.data())
def test_voiding_equals_never_posting_from_the_void_date_on(entries, data) -> None:
    if not entries:
        return
    target = data.draw(st.sampled_from(entries))
    void_date = target.date + dt.timedelta(days=data.draw(st.integers(0, 30)))
    void = Void(id="VD-X", type="void", date=void_date, voids=target.id)
    as_of = data.draw(as_of_dates)
    with_void = engine.position(entries + [void], as_of)
    without_target = [e for e in entries if e.id != target.id]
    expected = engine.position(without_target if as_of >= void_date else entries, as_of)
    assert (with_void.balance, with_void.open_items, with_void.unapplied) == (
        expected.balance,
        expected.open_items,
        expected.unapplied,
    )


class _CarryingFinal(list):  # what the cache hands the engine: entries plus their final position
    final: engine.FinalPosition
    final_balance: tuple


@given(ledgers(), as_of_dates, st.integers(min_value=0, max_value=90))
def test_final_position_stands_for_every_later_date(entries, as_of, terms_days) -> None:
    final = engine.final_position(entries, terms_days)
    carrying = _CarryingFinal(entries)
    carrying.final = final
    carrying.final_balance = (final.last_date, final.position.balance)
    later = max(as_of, final.last_date)
    assert engine.position(carrying, later, terms_days) == engine.position(list(entries), later, terms_days)
    assert engine.balance(carrying, later) == engine.balance(list(entries), later)
    # Before the last entry, or under other terms, the summary must not be used.
    assert engine.position(carrying, as_of, terms_days + 1) == engine.position(list(entries), as_of, terms_days + 1)
    if as_of < final.last_date:
        assert final.at(as_of, terms_days) is None
        assert engine.position(carrying, as_of, terms_days) == engine.position(list(entries), as_of, terms_days)


def test_explicit_allocations_count_every_live_credit_of_any_date_and_no_voided_one() -> None:
    from fast import load_doc
    from ledgerctl.core.engine import explicit_allocations

    ledger = load_doc("""
customer: {id: acme, name: Acme, currency: CNY}
entries:
  - {id: I1, type: invoice, date: 2026-01-01, amount: "100.00"}
  - {id: P1, type: payment, date: 2026-01-05, amount: "30.00", allocations: {I1: "30.00"}}
  - {id: P2, type: payment, date: 2026-03-05, amount: "20.00", allocations: {I1: "20.00"}}
  - {id: P3, type: payment, date: 2026-01-06, amount: "50.00", allocations: {I1: "50.00"}}
  - {id: V1, type: void, date: 2026-01-07, voids: P3}
""")
    assert explicit_allocations(ledger.entries) == {"I1": Decimal("50.00")}
