"""SPEC 3.1 — balances, open items, unapplied credit and aging, in one place.

Every report (balance, aging, statement, reconcile, segment) calls
:func:`position`; nothing else re-implements this arithmetic. Pure functions:
no I/O and no clock — the as-of date is always an argument.

Entries are duck-typed (:class:`EntryLike`): the pydantic models of
:mod:`.models` and the lean records the cache decodes both qualify, so the bulk
read path need not rebuild validated models to compute a report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol


class EntryLike(Protocol):
    """What the engine reads of an entry (money entries also have ``amount``)."""

    id: str
    type: str
    date: dt.date

    @property
    def sign(self) -> int: ...  # +1 debit, -1 credit, 0 moves no money

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class OpenItem:
    """A debit with something still open at the as-of date."""

    id: str
    type: str
    date: dt.date
    due: dt.date
    amount: Decimal
    open: Decimal
    ref: str | None

    def age(self, as_of: dt.date, basis: str = "due") -> int:
        return (as_of - (self.due if basis == "due" else self.date)).days


@dataclass(frozen=True, slots=True)
class Position:
    """A customer's receivable at the end of ``as_of``."""

    as_of: dt.date
    balance: Decimal
    open_items: tuple[OpenItem, ...]
    unapplied: Decimal  # negative or zero: credit not yet used by any item
    debits: Decimal = ZERO
    credits: Decimal = ZERO
    applied: dict[str, Decimal] = field(default_factory=dict)  # debit id -> credited to it

    @property
    def open_total(self) -> Decimal:
        return sum((item.open for item in self.open_items), ZERO)


def due_date(entry: EntryLike, terms_days: int) -> dt.date:
    """An invoice's due date (explicit, else date + terms); a refund is due on its date."""
    if entry.type == "invoice":
        return entry.due or entry.date + dt.timedelta(days=terms_days)  # type: ignore[attr-defined]
    return entry.date


def voided_ids(entries: Iterable[EntryLike], as_of: dt.date | None = None) -> set[str]:
    """Ids cancelled by a void dated on or before ``as_of`` (all voids when None)."""
    return {e.voids for e in entries if e.type == "void" and (as_of is None or e.date <= as_of)}  # type: ignore[attr-defined]


def effective_entries(entries: Iterable[EntryLike], as_of: dt.date) -> list[EntryLike]:
    """Entries dated ≤ as_of, less those voided by then, in (date, id) order."""
    dated = [e for e in entries if e.date <= as_of]
    cancelled = voided_ids(dated, as_of)
    live = [e for e in dated if e.id not in cancelled and e.type != "void"]
    live.sort(key=lambda e: (e.date, e.id))
    return live


def position(entries: Sequence[EntryLike], as_of: dt.date, terms_days: int = 30) -> Position:
    """Balance, open items and unapplied credit at the end of ``as_of`` (SPEC 3.1)."""
    live = effective_entries(entries, as_of)
    debits = [e for e in live if e.sign > 0]
    credits = [e for e in live if e.sign < 0]

    open_amount: dict[str, Decimal] = {d.id: d.amount for d in debits}  # type: ignore[attr-defined]
    applied: dict[str, Decimal] = {}
    pool = ZERO
    for credit in credits:
        rest: Decimal = credit.amount  # type: ignore[attr-defined]
        allocations: Mapping[str, Decimal] = credit.allocations or {}  # type: ignore[attr-defined]
        for target, amount in allocations.items():
            remaining = open_amount.get(target)
            if remaining is None:
                continue  # voided or not yet dated: the money joins the pool
            # Validation forbids over-allocation; clamping keeps the invariant even on bad data.
            used = min(amount, remaining, rest)
            open_amount[target] = remaining - used
            applied[target] = applied.get(target, ZERO) + used
            rest -= used
        pool += rest

    order = sorted(debits, key=lambda d: (due_date(d, terms_days), d.date, d.id))
    for debit in order:
        if pool <= 0:
            break
        used = min(pool, open_amount[debit.id])
        open_amount[debit.id] -= used
        applied[debit.id] = applied.get(debit.id, ZERO) + used
        pool -= used

    items = tuple(
        OpenItem(
            id=d.id,
            type=d.type,  # type: ignore[attr-defined]
            date=d.date,
            due=due_date(d, terms_days),
            amount=d.amount,  # type: ignore[attr-defined]
            open=open_amount[d.id],
            ref=getattr(d, "ref", None),
        )
        for d in order
        if open_amount[d.id] > 0
    )
    total_debits = sum((d.amount for d in debits), ZERO)  # type: ignore[attr-defined]
    total_credits = sum((c.amount for c in credits), ZERO)  # type: ignore[attr-defined]
    return Position(
        as_of=as_of,
        balance=total_debits - total_credits,
        open_items=items,
        unapplied=-pool,
        debits=total_debits,
        credits=total_credits,
        applied=applied,
    )


def balance(entries: Sequence[EntryLike], as_of: dt.date) -> Decimal:
    """Σ debits − Σ credits at the end of ``as_of`` (cheaper than a full position)."""
    return sum((e.amount * e.sign for e in effective_entries(entries, as_of) if e.sign), ZERO)  # type: ignore[attr-defined]


# --- aging -------------------------------------------------------------------------


def bucket_names(limits: Sequence[int]) -> list[str]:
    """Column names for bucket limits: [30, 60, 90] → current, 1-30, 31-60, 61-90, 90+."""
    names = ["current"]
    low = 1
    for limit in limits:
        names.append(f"{low}-{limit}")
        low = limit + 1
    names.append(f"{limits[-1]}+")
    return names


def bucket_of(age_days: int, limits: Sequence[int]) -> str:
    names = bucket_names(limits)
    if age_days <= 0:
        return names[0]
    for index, limit in enumerate(limits):
        if age_days <= limit:
            return names[index + 1]
    return names[-1]
