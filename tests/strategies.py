"""Hypothesis strategies: random but valid customer ledgers of every entry type."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import strategies as st

from ledgerctl.core.models import CreditNote, EntryBase, Invoice, Payment, Refund, Void, WriteOff

START = dt.date(2026, 1, 1)
CREDIT_TYPES = (Payment, CreditNote, WriteOff)

cents = st.integers(min_value=1, max_value=5_000_000).map(lambda c: Decimal(c).scaleb(-2))
day = st.integers(min_value=0, max_value=300)


@st.composite
def ledgers(draw: st.DrawFn, max_debits: int = 8, max_credits: int = 8, voids: bool = True) -> list[EntryBase]:
    entries: list[EntryBase] = []
    debits = []
    for number in range(draw(st.integers(0, max_debits))):
        date = START + dt.timedelta(days=draw(day))
        amount = draw(cents)
        if draw(st.booleans()) or number == 0:
            due = date + dt.timedelta(days=draw(st.integers(0, 90)))
            debit: EntryBase = Invoice(id=f"INV-{number:03d}", type="invoice", date=date, due=due, amount=amount)
        else:
            debit = Refund(id=f"RF-{number:03d}", type="refund", date=date, amount=amount)
        debits.append(debit)
        entries.append(debit)
    allocated: dict[str, Decimal] = {}
    for number in range(draw(st.integers(0, max_credits))):
        kind = draw(st.sampled_from(CREDIT_TYPES))
        date = START + dt.timedelta(days=draw(day))
        amount = draw(cents)
        allocations: dict[str, Decimal] = {}
        left = amount
        for debit in draw(st.lists(st.sampled_from(debits), max_size=3, unique_by=lambda d: d.id)) if debits else []:
            room = min(left, debit.amount - allocated.get(debit.id, Decimal(0)))  # type: ignore[attr-defined]
            if room <= 0:
                continue
            share = draw(st.integers(1, int(room * 100))) / Decimal(100)
            allocations[debit.id] = share
            allocated[debit.id] = allocated.get(debit.id, Decimal(0)) + share
            left -= share
        prefix = {"payment": "PAY", "credit_note": "CN", "write_off": "WO"}[
            kind.model_fields["type"].annotation.__args__[0]
        ]
        entries.append(
            kind(
                id=f"{prefix}-{number:03d}",
                type=kind.model_fields["type"].annotation.__args__[0],
                date=date,
                amount=amount,
                allocations=allocations or None,
            )
        )
    if voids and entries:
        for number, target in enumerate(draw(st.lists(st.sampled_from(entries), max_size=3, unique_by=lambda e: e.id))):
            date = target.date + dt.timedelta(days=draw(st.integers(0, 60)))
            entries.append(Void(id=f"VD-{number:03d}", type="void", date=date, voids=target.id))
    return entries


as_of_dates = st.integers(min_value=-10, max_value=400).map(lambda d: START + dt.timedelta(days=d))
