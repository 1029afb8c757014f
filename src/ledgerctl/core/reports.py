"""Reports as data: computed once from the engine, rendered many ways elsewhere."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from . import engine
from .fx import Converted

if TYPE_CHECKING:  # reports compute from lean cache records; the models are only types here
    from .models import Customer, EntryBase


@dataclass(frozen=True, slots=True)
class BalanceRow:
    id: str
    name: str
    currency: str
    balance: Decimal
    credit_limit: Decimal | None

    @property
    def over_limit(self) -> bool:
        return engine.over_limit(self.balance, self.credit_limit)


@dataclass(frozen=True, slots=True)
class CurrencyTotal:
    currency: str
    balance: Decimal


@dataclass(frozen=True)
class BalanceReport:
    as_of: dt.date
    rows: list[BalanceRow]
    totals: list[CurrencyTotal]
    converted: Converted | None = None  # with a reporting currency: the grand total converted


def per_currency_totals(rows: Iterable[BalanceRow]) -> list[CurrencyTotal]:
    """Never add amounts of different currencies: one total per currency, sorted by code."""
    sums: dict[str, Decimal] = {}
    for row in rows:
        sums[row.currency] = sums.get(row.currency, Decimal(0)) + row.balance
    return [CurrencyTotal(currency, amount) for currency, amount in sorted(sums.items())]


def balance_row(customer: Customer, entries: Sequence[engine.EntryLike], as_of: dt.date) -> BalanceRow:
    return BalanceRow(
        customer.id, customer.name, customer.currency, engine.balance(entries, as_of), customer.credit_limit
    )


def balance_report(rows: Iterable[BalanceRow], as_of: dt.date) -> BalanceReport:
    ordered = sorted(rows, key=lambda r: r.id)
    return BalanceReport(as_of=as_of, rows=ordered, totals=per_currency_totals(ordered))


@dataclass(frozen=True)
class EntryLine:
    entry: EntryBase
    voided_by: str | None
    running: Decimal | None  # balance after this entry, for money entries that count at as_of


@dataclass(frozen=True)
class CustomerView:
    customer: Customer
    as_of: dt.date
    position: engine.Position
    lines: list[EntryLine]


@dataclass(frozen=True)
class CustomerList:
    """`customer list`: every selected customer (full header) and its balance."""

    as_of: dt.date
    customers: list[Customer]
    balances: dict[str, Decimal]


def customer_view(customer: Customer, entries: list[EntryBase], as_of: dt.date) -> CustomerView:
    """Every entry up to ``as_of`` with its void and a running balance of what counts."""
    pos = engine.position(entries, as_of, customer.terms_days)
    dated = sorted((e for e in entries if e.date <= as_of), key=lambda e: (e.date, e.id))
    voided_by = {e.voids: e.id for e in dated if getattr(e, "voids", None)}  # type: ignore[attr-defined]
    running = Decimal(0)
    lines = []
    for entry in dated:
        value = None
        if entry.sign and entry.id not in voided_by:
            running += entry.amount * entry.sign  # type: ignore[attr-defined]
            value = running
        lines.append(EntryLine(entry, voided_by.get(entry.id), value))
    return CustomerView(customer, as_of, pos, lines)
