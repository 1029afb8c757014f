"""Dunning (SPEC 5 `remind`): which customers get a letter, at which level, about which invoices.

Pure functions over a customer's entries; the open amounts come from
:func:`ledgerctl.core.engine.position`, so a letter never asks for money the
aging report does not show as open.

Levels are the configured ``dunning.levels`` in increasing ``after_days``,
numbered from 1. An open invoice is *due for* the highest level whose
``after_days`` it has reached (``days overdue >= after_days``; a negative
``after_days`` is reached that many days before the due date, and then
``days_overdue`` is negative too). A letter is due
when some invoice is due for a higher level than any reminder recorded for it
so far (a ``reminder`` entry naming it, dated on or before the as-of date and
not voided); the letter's level is the highest level any invoice it lists is
due for or was reminded at (a ladder never steps down), and it lists every
invoice that is due for a level, so the customer sees everything overdue in
one letter. Recording the letter (``remind --record``) posts one ``reminder``
entry with that level naming those invoices, so the same letter is not sent
twice and the next one escalates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from . import engine


@dataclass(frozen=True)
class Level:
    number: int
    after_days: int
    template: str


def numbered_levels(levels: Sequence[tuple[int, str]]) -> tuple[Level, ...]:
    """(after_days, template) pairs in any order → levels numbered 1, 2, … by increasing after_days."""
    ordered = sorted(levels, key=lambda level: level[0])
    return tuple(Level(number, after_days, template) for number, (after_days, template) in enumerate(ordered, start=1))


@dataclass(frozen=True)
class OverdueInvoice:
    id: str
    date: dt.date
    due: dt.date
    amount: Decimal
    open: Decimal
    ref: str | None
    days_overdue: int
    level: int  # the level it is due for (0: not overdue long enough for any)
    reminded: int  # the highest level recorded for it so far (0: none)


@dataclass(frozen=True)
class Notice:
    customer_id: str
    name: str
    currency: str
    level: Level
    invoices: tuple[OverdueInvoice, ...]  # every invoice due for a level, oldest due first
    balance: Decimal

    @property
    def overdue_total(self) -> Decimal:
        return sum((invoice.open for invoice in self.invoices), Decimal(0))


def level_for(days_overdue: int, levels: Sequence[Level]) -> int:
    """The highest level reached at ``days_overdue`` (negative: days before the due date).

    A negative ``after_days`` is a reminder before the due date (-5: from five days before it); a level at 0
    or more needs the invoice to be overdue at all, as it always did.
    """
    reached = [
        level.number
        for level in levels
        if days_overdue >= level.after_days and (days_overdue > 0 or level.after_days < 0)
    ]
    return max(reached, default=0)


def reminded_levels(entries: Sequence[engine.EntryLike], as_of: dt.date) -> dict[str, int]:
    """For each invoice id: the highest level of the live reminders naming it, dated on or before ``as_of``."""
    highest: dict[str, int] = {}
    for entry in engine.effective_entries(entries, as_of):
        if entry.type != "reminder":
            continue
        for invoice_id in entry.invoices or ():  # type: ignore[attr-defined]
            highest[invoice_id] = max(highest.get(invoice_id, 0), entry.level)  # type: ignore[attr-defined]
    return highest


class DunnedCustomer(Protocol):
    """What a letter needs of a customer: the model, or the cache's record of it."""

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def currency(self) -> str: ...
    @property
    def terms_days(self) -> int: ...


def notice(
    customer: DunnedCustomer, entries: Sequence[engine.EntryLike], as_of: dt.date, levels: Sequence[Level]
) -> Notice | None:
    """The letter ``customer`` is due at ``as_of``, or None."""
    if not levels:
        return None
    terms: int = customer.terms_days
    pos = engine.position(entries, as_of, terms)
    sent = reminded_levels(entries, as_of)
    invoices = []
    for item in pos.open_items:
        if item.type != "invoice":
            continue  # an open refund is money we owe back, not something to chase
        days = item.age(as_of, "due")
        level = level_for(days, levels)
        if level:
            invoices.append(
                OverdueInvoice(
                    item.id, item.date, item.due, item.amount, item.open, item.ref, days, level, sent.get(item.id, 0)
                )
            )
    if not any(invoice.level > invoice.reminded for invoice in invoices):
        return None
    # The ladder never steps down: a letter that lists an invoice already at (or reminded at) a level is
    # at least that level, even when what triggers it is a newer invoice reaching a lower one.
    top = min(max(max(invoice.level, invoice.reminded) for invoice in invoices), max(level.number for level in levels))
    return Notice(
        customer.id,
        customer.name,
        customer.currency,
        next(level for level in levels if level.number == top),
        tuple(invoices),
        pos.balance,
    )
