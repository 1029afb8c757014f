"""Statement of account (对账单): opening, movements with a running balance, closing, open items.

Built from the engine: opening = balance(from − 1 day), closing = balance(to), and the
movements in between reconcile the two exactly. An entry and its void both in the period
cancel out and are left out of the customer's copy (``show_voids`` keeps them, as a line
reversing the cancelled entry); a void of an entry from before the period is always shown,
since the opening balance the customer agreed included that entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from . import engine
from .aging import AgingRow, aging_row
from .models import Customer, EntryBase, Void

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class StatementLine:
    date: dt.date
    id: str
    type: str
    ref: str | None
    memo: str | None
    debit: Decimal  # raises what the customer owes
    credit: Decimal  # lowers it
    balance: Decimal  # running balance after this line
    voided_by: str | None = None  # a void in or after the period cancels this entry
    voids: str | None = None  # this line is a void of that entry


@dataclass(frozen=True)
class Statement:
    customer: Customer
    books_name: str
    period_from: dt.date
    period_to: dt.date
    opening: Decimal
    lines: list[StatementLine]
    closing: Decimal
    aging: AgingRow

    @property
    def total_debits(self) -> Decimal:
        return sum((line.debit for line in self.lines), ZERO)

    @property
    def total_credits(self) -> Decimal:
        return sum((line.credit for line in self.lines), ZERO)


def statement(
    customer: Customer,
    entries: Sequence[EntryBase],
    period_from: dt.date,
    period_to: dt.date,
    *,
    books_name: str = "",
    limits: Sequence[int],
    basis: str,
    show_voids: bool = False,
) -> Statement:
    # limits and basis have no defaults: they come from the books' one aging setting (ops.reading.aging_settings),
    # so the statement can never age on a basis the aging report does not use.
    if period_to < period_from:
        raise ValueError("the period ends before it starts")
    opening = engine.balance(entries, period_from - dt.timedelta(days=1))
    by_id = {e.id: e for e in entries}
    voided_by = {e.voids: e.id for e in entries if isinstance(e, Void) and e.date <= period_to}
    in_period = sorted((e for e in entries if period_from <= e.date <= period_to), key=lambda e: (e.date, e.id))
    if not show_voids:
        ids = {e.id for e in in_period}
        pairs = [(e.id, e.voids) for e in in_period if isinstance(e, Void) and e.voids in ids]
        hidden = {entry_id for pair in pairs for entry_id in pair}
        in_period = [e for e in in_period if e.id not in hidden]  # each pair nets to zero: the balances still agree
    running = opening
    lines = []
    for entry in in_period:
        debit = credit = ZERO
        if isinstance(entry, Void):
            target = by_id.get(entry.voids)
            if target is None or not target.sign:
                continue  # cancelling a note or a reminder moves no money
            amount = target.amount  # type: ignore[attr-defined]
            # A reversal: cancelling a debit credits the customer, and the other way round.
            debit, credit = (ZERO, amount) if target.sign > 0 else (amount, ZERO)
            running += debit - credit
            lines.append(_line(entry, debit, credit, running, voids=entry.voids))
            continue
        if entry.sign > 0:
            debit = entry.amount  # type: ignore[attr-defined]
        elif entry.sign < 0:
            credit = entry.amount  # type: ignore[attr-defined]
        else:
            continue  # notes, reminders and balance assertions are internal records
        running += debit - credit
        lines.append(_line(entry, debit, credit, running, voided_by=voided_by.get(entry.id)))
    closing = engine.balance(entries, period_to)
    assert running == closing, "statement movements must reconcile opening and closing"
    return Statement(
        customer,
        books_name,
        period_from,
        period_to,
        opening,
        lines,
        closing,
        aging_row(customer, entries, period_to, limits, basis),
    )


def _line(
    entry: EntryBase,
    debit: Decimal,
    credit: Decimal,
    balance: Decimal,
    *,
    voided_by: str | None = None,
    voids: str | None = None,
) -> StatementLine:
    return StatementLine(
        entry.date,
        entry.id,
        entry.type,
        getattr(entry, "ref", None),
        entry.memo,
        debit,
        credit,
        balance,
        voided_by,
        voids,
    )
