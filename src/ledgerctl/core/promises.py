"""Promises to pay: kept, broken or open at a date (the one copy of this rule; docs/file-format.md).

A promise (``type: promise``) moves no money. At the end of ``as_of`` it is

- **kept** when the customer's payments dated from the promise's date to its ``by`` (both included,
  as the books stand at ``as_of``: a payment voided since does not count) reach its amount, or when it
  names invoices and every one of them is settled by ``by`` (nothing open, by the engine's position);
- **broken** when ``by`` is before ``as_of`` and it is not kept;
- **open** otherwise (``by`` not yet passed).

Pure: entries are :class:`ledgerctl.core.engine.EntryLike` (models or cache records), the date an argument.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from . import engine

State = Literal["kept", "broken", "open"]


@dataclass(frozen=True)
class PromiseState:
    id: str
    date: dt.date
    by: dt.date
    amount: Decimal
    invoices: tuple[str, ...]
    paid: Decimal  # payments dated from the promise's date to min(by, as_of)
    state: State

    @property
    def shortfall(self) -> Decimal:
        return max(self.amount - self.paid, Decimal(0))

    def days_left(self, as_of: dt.date) -> int:
        """Days from ``as_of`` to ``by`` (negative once it has passed)."""
        return (self.by - as_of).days


def promise_states(entries: Sequence[engine.EntryLike], as_of: dt.date, terms_days: int = 30) -> list[PromiseState]:
    """Every live promise dated on or before ``as_of``, with its state, in (date, id) order."""
    live = engine.effective_entries(entries, as_of)
    promises = [e for e in live if e.type == "promise"]
    if not promises:
        return []
    payments = [e for e in live if e.type == "payment"]
    found = []
    for promise in promises:
        by: dt.date = promise.by  # type: ignore[attr-defined]
        end = min(by, as_of)
        paid = sum((p.amount for p in payments if promise.date <= p.date <= end), Decimal(0))  # type: ignore[attr-defined]
        invoices = tuple(promise.invoices or ())  # type: ignore[attr-defined]
        amount: Decimal = promise.amount  # type: ignore[attr-defined]
        if paid >= amount or (invoices and _all_settled(live, invoices, end, terms_days)):
            state: State = "kept"
        elif by < as_of:
            state = "broken"
        else:
            state = "open"
        found.append(PromiseState(promise.id, promise.date, by, amount, invoices, paid, state))
    return found


def _all_settled(live: Sequence[engine.EntryLike], invoices: Sequence[str], end: dt.date, terms_days: int) -> bool:
    # `live`: the entries as they stand at as_of (voids applied), so a payment that bounced since settles nothing.
    entries = list(live)
    # Settled by `end`: a live debit with nothing open at the end of that day (the keys engine.settlement_dates
    # would date; the dates themselves are not needed, so one position instead of its walk back).
    live_debits = {e.id for e in engine.effective_entries(entries, end) if e.sign > 0}
    still_open = {item.id for item in engine.position(entries, end, terms_days).open_items}
    return all(invoice in live_debits and invoice not in still_open for invoice in invoices)
