"""core.dunning: levels at their exact boundaries, escalation, and what counts as a reminder sent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from ledgerctl.core import engine
from ledgerctl.core.dunning import level_for, notice, numbered_levels, reminded_levels
from ledgerctl.core.models import Customer, Invoice, Payment, Refund, Reminder, Void
from strategies import as_of_dates, ledgers

D = dt.date
CUSTOMER = Customer(id="acme", name="华兴机械有限公司", currency="CNY", terms_days=30)
LEVELS = numbered_levels([(30, "firm"), (7, "gentle"), (60, "final")])  # any order in the config


def invoice(number: int, due: dt.date, amount: str = "100.00") -> Invoice:
    return Invoice(
        id=f"INV-{number}", type="invoice", date=due - dt.timedelta(days=30), due=due, amount=Decimal(amount)
    )


def reminder(number: int, date: dt.date, level: int, *invoices: str) -> Reminder:
    return Reminder(id=f"RM-{number}", type="reminder", date=date, level=level, invoices=list(invoices))


def test_levels_are_numbered_by_increasing_after_days() -> None:
    assert [(lv.number, lv.after_days, lv.template) for lv in LEVELS] == [
        (1, 7, "gentle"),
        (2, 30, "firm"),
        (3, 60, "final"),
    ]


def test_a_level_applies_from_its_after_days_on() -> None:
    assert [level_for(days, LEVELS) for days in (0, 1, 6, 7, 8, 29, 30, 59, 60, 400)] == [0, 0, 0, 1, 1, 1, 2, 2, 3, 3]
    zero = numbered_levels([(0, "gentle")])
    assert level_for(0, zero) == 0 and level_for(1, zero) == 1  # due today is not overdue


def test_letter_level_is_the_highest_level_reached_and_lists_every_overdue_invoice() -> None:
    as_of = D(2026, 11, 30)
    entries = [
        invoice(1, as_of - dt.timedelta(days=60)),
        invoice(2, as_of - dt.timedelta(days=7)),
        invoice(3, as_of - dt.timedelta(days=6)),
    ]
    found = notice(CUSTOMER, entries, as_of, LEVELS)
    assert found is not None and found.level.number == 3 and found.level.template == "final"
    assert [(i.id, i.days_overdue, i.level) for i in found.invoices] == [("INV-1", 60, 3), ("INV-2", 7, 1)]
    assert found.overdue_total == Decimal("200.00") and found.balance == Decimal("300.00")


def test_no_second_letter_at_the_same_level_and_escalation_later() -> None:
    due = D(2026, 10, 1)
    entries = [invoice(1, due), reminder(1, D(2026, 10, 8), 1, "INV-1")]
    assert notice(CUSTOMER, entries, D(2026, 10, 30), LEVELS) is None  # 29 days: still level 1, already sent
    later = notice(CUSTOMER, entries, D(2026, 10, 31), LEVELS)  # 30 days: level 2
    assert later is not None and later.level.number == 2 and [i.reminded for i in later.invoices] == [1]


def test_a_letter_never_steps_down_below_a_level_its_invoices_reached() -> None:
    """Issue 11 item 1: a new invoice rising to level 1 must not send the final-noticed ones a gentle letter."""
    as_of = D(2026, 12, 31)
    old = invoice(1, as_of - dt.timedelta(days=113))
    entries = [old, invoice(2, as_of - dt.timedelta(days=25)), reminder(1, D(2026, 11, 30), 3, "INV-1")]
    found = notice(CUSTOMER, entries, as_of, LEVELS)
    assert found is not None and found.level.number == 3 and found.level.template == "final"
    assert [(i.id, i.level, i.reminded) for i in found.invoices] == [("INV-1", 3, 3), ("INV-2", 1, 0)]
    # A reminder recorded at a level the config no longer has still keeps the letter at the top configured one.
    two = numbered_levels([(7, "gentle"), (30, "firm")])
    stale = notice(
        CUSTOMER, [old, invoice(2, as_of - dt.timedelta(days=25)), reminder(1, D(2026, 11, 30), 3, "INV-1")], as_of, two
    )
    assert stale is not None and stale.level.number == 2


def test_voided_and_future_reminders_do_not_count() -> None:
    due = D(2026, 10, 1)
    voided = [
        invoice(1, due),
        reminder(1, D(2026, 10, 8), 1, "INV-1"),
        Void(id="VD-1", type="void", date=D(2026, 10, 9), voids="RM-1"),
    ]
    assert reminded_levels(voided, D(2026, 10, 20)) == {}
    assert notice(CUSTOMER, voided, D(2026, 10, 20), LEVELS) is not None
    future = [invoice(1, due), reminder(1, D(2026, 10, 25), 1, "INV-1")]
    assert notice(CUSTOMER, future, D(2026, 10, 20), LEVELS) is not None


def test_paid_invoices_and_refunds_get_no_letter() -> None:
    due = D(2026, 10, 1)
    entries = [
        invoice(1, due),
        Payment(
            id="PAY-1",
            type="payment",
            date=D(2026, 10, 5),
            amount=Decimal("100.00"),
            allocations={"INV-1": Decimal("100.00")},
        ),
        Refund(id="RF-1", type="refund", date=D(2026, 9, 1), amount=Decimal("50.00")),
    ]
    assert [item.id for item in engine.position(entries, D(2026, 12, 31), 30).open_items] == ["RF-1"]
    assert notice(CUSTOMER, entries, D(2026, 12, 31), LEVELS) is None


@given(ledgers(), as_of_dates)
def test_letters_ask_only_for_what_aging_shows_open_and_overdue(entries, as_of) -> None:
    found = notice(CUSTOMER, entries, as_of, LEVELS)
    pos = engine.position(entries, as_of, CUSTOMER.terms_days)
    overdue = {item.id: item.open for item in pos.open_items if item.type == "invoice" and item.age(as_of) >= 7}
    if found is None:
        return
    assert {i.id: i.open for i in found.invoices} == overdue
    assert found.overdue_total <= max(pos.balance, Decimal(0)) + sum(overdue.values())


@settings(max_examples=400)
@given(ledgers(voids=False), as_of_dates, st.integers(min_value=1, max_value=120))
def test_the_ladder_never_steps_down(entries, first, later) -> None:
    """Record whatever letter is due, then look again later: a letter naming an invoice already dunned is not lower."""
    sent = notice(CUSTOMER, entries, first, LEVELS)
    if sent is None:
        return
    recorded = [*entries, reminder(999, first, sent.level.number, *(i.id for i in sent.invoices))]
    again = notice(CUSTOMER, recorded, first + dt.timedelta(days=later), LEVELS)
    if again is not None and {i.id for i in again.invoices} & {i.id for i in sent.invoices}:
        assert again.level.number >= sent.level.number
