"""One reporting currency: the rate in force on a date, and exact conversion. Pure.

A rate says what 1 unit of a currency is worth in the reporting currency. The rate in force on a
date is the latest dated on or before it. Converted = amount × rate, quantized to the reporting
currency's minor unit, half-up (each converted figure is rounded once; a converted total is the
sum of the rounded converted figures, so the parts add up to the total on the page). A currency
without a rate in force is an error, never a silent zero.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .errors import UsageError
from .money import minor_digits

ZERO = Decimal(0)


@dataclass(frozen=True)
class RateTable:
    """Rates into ``reporting`` by currency, each list sorted by date."""

    reporting: str
    rates: Mapping[str, tuple[tuple[dt.date, Decimal], ...]] = field(default_factory=dict)
    source: str = "rates.yaml"

    @classmethod
    def of(cls, reporting: str, rates: Iterable[object], source: str = "rates.yaml") -> RateTable:
        """From the models of the rates file (``date``, ``currency``, ``rate``)."""
        by_currency: dict[str, list[tuple[dt.date, Decimal]]] = {}
        for rate in rates:
            by_currency.setdefault(rate.currency, []).append((rate.date, rate.rate))  # type: ignore[attr-defined]
        return cls(reporting, {cur: tuple(sorted(found)) for cur, found in by_currency.items()}, source)

    def rate(self, currency: str, on: dt.date) -> Decimal:
        if currency == self.reporting:
            return Decimal(1)
        found = self.rates.get(currency, ())
        at = bisect.bisect_right([day for day, _ in found], on)
        if not at:
            first = f" (its first rate is dated {found[0][0]})" if found else ""
            raise UsageError(
                f"no {currency} → {self.reporting} rate in force on {on} in {self.source}{first}",
                hint=f'add a line `- {{date: {on}, currency: {currency}, rate: "…"}}` to {self.source}',
            )
        return found[at - 1][1]

    def convert(self, amount: Decimal, currency: str, on: dt.date) -> Decimal:
        """``amount`` in the reporting currency: exact product, one half-up rounding to its minor unit."""
        quantum = Decimal(1).scaleb(-minor_digits(self.reporting))
        return (amount * self.rate(currency, on)).quantize(quantum, rounding=ROUND_HALF_UP)

    def require(self, currencies: Iterable[str], on: dt.date) -> None:
        """Refuse up front (exit 2) when any used currency has no rate in force: never a partial conversion."""
        for currency in sorted(set(currencies)):
            self.rate(currency, on)

    def total(self, amounts: Mapping[str, Decimal], on: dt.date) -> Decimal:
        """The converted grand total of per-currency amounts."""
        return sum((self.convert(amount, cur, on) for cur, amount in sorted(amounts.items())), ZERO)


@dataclass(frozen=True)
class Converted:
    """A report's grand totals in the reporting currency (the per-currency totals stay as they are)."""

    currency: str
    on: dt.date
    rates: dict[str, Decimal]  # the rate used for each currency converted
    figures: dict[str, Decimal]  # figure name (balance; an aging bucket, unapplied, total) -> converted sum


def convert_totals(table: RateTable, totals: Mapping[str, Mapping[str, Decimal]], on: dt.date) -> Converted:
    """``totals``: {currency: {figure: amount}} → each figure converted per currency, then summed."""
    table.require(totals, on)
    figures: dict[str, Decimal] = {}
    for currency, amounts in sorted(totals.items()):
        for name, amount in amounts.items():
            figures[name] = figures.get(name, ZERO) + table.convert(amount, currency, on)
    rates = {cur: table.rate(cur, on) for cur in sorted(totals) if cur != table.reporting}
    return Converted(table.reporting, on, rates, figures)
