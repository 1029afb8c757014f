"""The aging report (SPEC 3.1 step 5, SPEC 5.1 JSON), built only from :func:`engine.position`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from . import engine
from .fx import Converted

if TYPE_CHECKING:  # reports compute from lean cache records; the models are only types here
    from .models import Customer

ZERO = Decimal(0)
SORT_KEYS = ("id", "name", "total")  # plus any bucket name, e.g. "90+"


@dataclass(frozen=True, slots=True)
class AgedItem:
    item: engine.OpenItem
    age: int
    bucket: str


@dataclass(frozen=True)
class AgingRow:
    customer: Customer
    buckets: dict[str, Decimal]
    unapplied: Decimal
    total: Decimal
    items: list[AgedItem]  # empty unless computed with detail
    open_count: int = 0

    @property
    def over_limit(self) -> bool:
        return engine.over_limit(self.total, self.customer.credit_limit)


@dataclass(frozen=True)
class CurrencyAging:
    currency: str
    buckets: dict[str, Decimal]
    unapplied: Decimal
    total: Decimal

    def shares(self) -> dict[str, Decimal]:
        """Each bucket's share of the open items (unapplied credit is not a bucket)."""
        gross = sum(self.buckets.values(), ZERO)
        return {name: (amount / gross if gross else ZERO) for name, amount in self.buckets.items()}


@dataclass(frozen=True)
class AgingReport:
    as_of: dt.date
    basis: str
    limits: tuple[int, ...]
    bucket_names: list[str]
    rows: list[AgingRow]
    totals: list[CurrencyAging]
    converted: Converted | None = None  # with a reporting currency: buckets, unapplied and total converted


def aging_row(
    customer: Customer,
    entries: Sequence[engine.EntryLike],
    as_of: dt.date,
    limits: Sequence[int],
    basis: str,
    detail: bool = True,
) -> AgingRow:
    """One customer's aging; without ``detail`` the open items are summed but not kept (smaller to ship).

    Entries read from the cache carry, for dates after their last entry, a summary of the final position's open
    items (``aging_summary``, see :class:`engine.AgingSummary`): the buckets then come from a few prefix sums
    instead of every open item; a hypothesis test holds the two to the same figures.
    """
    names = engine.bucket_names(limits)
    summarised = getattr(entries, "aging_summary", None)
    known = summarised(as_of, customer.terms_days) if summarised is not None and not detail else None
    if known is not None:
        balance, unapplied, summary = known
        return AgingRow(customer, summary.buckets(as_of, limits, basis, names), unapplied, balance, [], summary.items)
    pos = engine.position(entries, as_of, customer.terms_days)
    buckets = dict.fromkeys(names, ZERO)
    items = []
    for item in pos.open_items:
        age = item.age(as_of, basis)
        bucket = engine.bucket_of(age, limits, names)
        buckets[bucket] += item.open
        if detail:
            items.append(AgedItem(item, age, bucket))
    return AgingRow(customer, buckets, pos.unapplied, pos.balance, items, len(pos.open_items))


def aging_report(
    ledgers: Iterable[tuple[Customer, Sequence[engine.EntryLike]]],
    as_of: dt.date,
    *,
    limits: Sequence[int] = (30, 60, 90),
    basis: str = "due",
    include_all: bool = False,
    sort: str = "id",
) -> AgingReport:
    rows = (aging_row(customer, entries, as_of, limits, basis) for customer, entries in ledgers)
    return assemble_aging(rows, as_of, limits=limits, basis=basis, include_all=include_all, sort=sort)


def assemble_aging(
    all_rows: Iterable[AgingRow],
    as_of: dt.date,
    *,
    limits: Sequence[int],
    basis: str,
    include_all: bool = False,
    sort: str = "id",
) -> AgingReport:
    """The report from per-customer rows (computed anywhere, e.g. in worker processes)."""
    names = engine.bucket_names(limits)
    rows = [row for row in all_rows if include_all or row.total != 0 or row.open_count]
    rows.sort(key=lambda r: r.customer.id)
    if sort == "name":
        rows.sort(key=lambda r: r.customer.name)
    # Amounts of different currencies are never compared: by amount means by currency, then amount within it.
    elif sort == "total":
        rows.sort(key=lambda r: (r.customer.currency, -r.total))  # stable: ties stay in id order
    elif sort in names:
        rows.sort(key=lambda r: (r.customer.currency, -r.buckets[sort]))
    totals: dict[str, CurrencyAging] = {}
    for row in rows:
        cur = row.customer.currency
        before = totals.get(cur) or CurrencyAging(cur, {n: ZERO for n in names}, ZERO, ZERO)
        totals[cur] = CurrencyAging(
            cur,
            {n: before.buckets[n] + row.buckets[n] for n in names},
            before.unapplied + row.unapplied,
            before.total + row.total,
        )
    return AgingReport(as_of, basis, tuple(limits), names, rows, [totals[c] for c in sorted(totals)])
