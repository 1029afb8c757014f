"""Reports as data: computed once from the engine, rendered many ways elsewhere."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from . import engine
from .models import Customer, EntryBase
from .money import fmt_plain


@dataclass(frozen=True, slots=True)
class BalanceRow:
    id: str
    name: str
    currency: str
    balance: Decimal
    credit_limit: Decimal | None

    @property
    def over_limit(self) -> bool:
        return self.credit_limit is not None and self.balance > self.credit_limit


@dataclass(frozen=True, slots=True)
class CurrencyTotal:
    currency: str
    balance: Decimal


@dataclass(frozen=True)
class BalanceReport:
    as_of: dt.date
    rows: list[BalanceRow]
    totals: list[CurrencyTotal]

    def to_json(self) -> dict[str, object]:
        return {
            "as_of": self.as_of.isoformat(),
            "customers": [
                {"id": r.id, "name": r.name, "currency": r.currency, "balance": fmt_plain(r.balance, r.currency)}
                for r in self.rows
            ],
            "totals": [{"currency": t.currency, "balance": fmt_plain(t.balance, t.currency)} for t in self.totals],
        }


def per_currency_totals(rows: Iterable[BalanceRow]) -> list[CurrencyTotal]:
    """Never add amounts of different currencies: one total per currency, sorted by code."""
    sums: dict[str, Decimal] = {}
    for row in rows:
        sums[row.currency] = sums.get(row.currency, Decimal(0)) + row.balance
    return [CurrencyTotal(currency, amount) for currency, amount in sorted(sums.items())]


def balance_row(customer: Customer, entries: Sequence[engine.EntryLike], as_of: dt.date) -> BalanceRow:
    return BalanceRow(customer.id, customer.name, customer.currency, engine.balance(entries, as_of), customer.credit_limit)


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

    def to_json(self) -> dict[str, object]:
        cur = self.customer.currency
        pos = self.position
        return {
            "as_of": self.as_of.isoformat(),
            "customer": self.customer.model_dump(mode="json", exclude_none=True),
            "balance": fmt_plain(pos.balance, cur),
            "unapplied": fmt_plain(pos.unapplied, cur),
            "over_limit": self.customer.credit_limit is not None and pos.balance > self.customer.credit_limit,
            "open_items": [
                {"id": i.id, "type": i.type, "date": i.date.isoformat(), "due": i.due.isoformat(),
                 "amount": fmt_plain(i.amount, cur), "open": fmt_plain(i.open, cur),
                 "days_overdue": max(0, i.age(self.as_of)), "ref": i.ref}
                for i in pos.open_items
            ],
            "entries": [
                {**line.entry.model_dump(mode="json", exclude_none=True),
                 **({"amount": fmt_plain(line.entry.amount, cur)} if hasattr(line.entry, "amount") else {}),  # type: ignore[attr-defined]
                 "voided_by": line.voided_by,
                 "running_balance": None if line.running is None else fmt_plain(line.running, cur)}
                for line in self.lines
            ],
        }

    def entry_rows(self) -> tuple[list[str], list[list[str]]]:
        cur = self.customer.currency
        header = ["id", "type", "date", "amount", "running_balance", "voided_by", "ref", "memo"]
        rows = []
        for line in self.lines:
            amount = getattr(line.entry, "amount", None)
            rows.append([
                line.entry.id, line.entry.type, line.entry.date.isoformat(),  # type: ignore[attr-defined]
                "" if amount is None else fmt_plain(amount, cur),
                "" if line.running is None else fmt_plain(line.running, cur),
                line.voided_by or "", getattr(line.entry, "ref", None) or "", line.entry.memo or "",
            ])
        return header, rows


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
