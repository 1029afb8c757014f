"""Flows per period (`report`): opening, invoiced, credited, collected, written off, refunded, closing.

Pure: a function of (customer, entries, period boundaries), so a caller may cache it per ledger
content. Every period comes from one pass over the customer's entries for the flows and from
:func:`engine.position` at each period end for the closing balance and what is overdue (reused
unchanged across periods in which nothing was dated), never from a report per period.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from . import engine
from .aging import AgingReport
from .fx import RateTable
from .segments import SegmentReport

ZERO = Decimal(0)
TENTH = Decimal("0.1")
HUNDRED = Decimal(100)
STEPS = ("monthly", "quarterly", "yearly")
#: entry type → the flow it counts under (a void counts under its target's type, negated)
FLOWS = {
    "invoice": "invoiced",
    "credit_note": "credited",
    "payment": "collected",
    "write_off": "written_off",
    "refund": "refunded",
}
FLOW_NAMES = ("invoiced", "credited", "collected", "written_off", "refunded")


@dataclass(frozen=True, slots=True)
class Period:
    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def _next_start(day: dt.date, months: int) -> dt.date:
    """The first day of the calendar month/quarter/year after the one holding ``day``."""
    index = day.year * 12 + day.month - 1
    index = (index // months + 1) * months
    return dt.date(index // 12, index % 12 + 1, 1)


def periods(start: dt.date, end: dt.date, step: str = "monthly") -> list[Period]:
    """Calendar periods covering [start, end]; the first and last may be partial."""
    months = {"monthly": 1, "quarterly": 3, "yearly": 12}[step]
    found: list[Period] = []
    day = start
    while day <= end:
        following = _next_start(day, months)
        last = min(end, following - dt.timedelta(days=1))
        found.append(Period(day, last))
        day = following
    return found


#: how many periods a report shows when --from is not given
DEFAULT_COUNT = {"monthly": 12, "quarterly": 4, "yearly": 3}


def default_start(end: dt.date, step: str = "monthly", count: int | None = None) -> dt.date:
    """The first day of the ``count`` whole calendar periods that end with the one holding ``end``."""
    months = {"monthly": 1, "quarterly": 3, "yearly": 12}[step]
    count = DEFAULT_COUNT[step] if count is None else count
    index = (end.year * 12 + end.month - 1) // months * months - (count - 1) * months
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True, slots=True)
class Flows:
    """One customer's (or one currency's) figures for one period."""

    opening: Decimal = ZERO
    invoiced: Decimal = ZERO
    credited: Decimal = ZERO
    collected: Decimal = ZERO
    written_off: Decimal = ZERO
    refunded: Decimal = ZERO
    closing: Decimal = ZERO
    overdue: Decimal = ZERO  # open items past due at the end (due basis): aging's non-current buckets
    current: Decimal = ZERO  # open items not yet due at the end: aging's current bucket

    def __add__(self, other: Flows) -> Flows:
        # Spelled out: totals add up thousands of these, and a getattr loop costs several times more.
        return Flows(
            self.opening + other.opening,
            self.invoiced + other.invoiced,
            self.credited + other.credited,
            self.collected + other.collected,
            self.written_off + other.written_off,
            self.refunded + other.refunded,
            self.closing + other.closing,
            self.overdue + other.overdue,
            self.current + other.current,
        )

    @property
    def moved(self) -> bool:
        return any(getattr(self, name) for name in self.__slots__)


def dso(flows: Flows, days: int) -> Decimal | None:
    """Days sales outstanding: closing ÷ invoiced × days in the period; None when nothing was invoiced."""
    if flows.invoiced == 0:
        return None
    return (flows.closing / flows.invoiced * days).quantize(TENTH, rounding=ROUND_HALF_UP)


def cei(flows: Flows) -> Decimal | None:
    """Collection effectiveness index, in %: (opening + invoiced − closing) ÷ (opening + invoiced − current) × 100.

    None when the divisor is zero or negative (nothing was there to collect).
    """
    divisor = flows.opening + flows.invoiced - flows.current
    if divisor <= 0:
        return None
    return ((flows.opening + flows.invoiced - flows.closing) / divisor * HUNDRED).quantize(
        TENTH, rounding=ROUND_HALF_UP
    )


def average_days(weighted_days: Decimal, amount: Decimal) -> Decimal | None:
    return None if amount == 0 else (weighted_days / amount).quantize(TENTH, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class CustomerPeriods:
    """A customer's figures for every period (small: it travels back from a worker process)."""

    id: str
    name: str
    currency: str
    credit_limit: Decimal | None
    flows: tuple[Flows, ...]
    # Per period: Σ amount × days from invoice date to settlement, and Σ amount, of the invoices settled in it.
    paid_days: tuple[Decimal, ...] = ()
    paid_amount: tuple[Decimal, ...] = ()

    def days_to_pay(self, index: int) -> Decimal | None:
        if not self.paid_amount:
            return None
        return average_days(self.paid_days[index], self.paid_amount[index])


def _flows_by_period(
    entries: Sequence[engine.EntryLike], starts: Sequence[dt.date], last_end: dt.date
) -> list[dict[str, Decimal]]:
    """Σ amount per flow per period, in one pass; a void moves its target's amount back on the void's own date.

    An entry is live on [its date, the date of its first void): it counts + on the first day and − on the
    second, so a void dated on or before its target cancels it without a trace, as in :func:`engine.effective_entries`.
    """
    sums = [dict.fromkeys(FLOW_NAMES, ZERO) for _ in starts]
    first = starts[0]
    money = {e.id: e for e in entries if e.sign != 0}
    first_void: dict[str, dt.date] = {}
    for e in entries:
        if e.type == "void":
            target = e.voids  # type: ignore[attr-defined]
            if target in money and (target not in first_void or e.date < first_void[target]):
                first_void[target] = e.date

    def add(day: dt.date, flow: str, amount: Decimal) -> None:
        if first <= day <= last_end:
            sums[bisect.bisect_right(starts, day) - 1][flow] += amount

    for e in money.values():
        flow = FLOWS.get(e.type)
        if flow is None:
            continue
        void_date = first_void.get(e.id)
        if void_date is not None and void_date <= e.date:
            continue  # never live
        add(e.date, flow, e.amount)  # type: ignore[attr-defined]
        if void_date is not None:
            add(void_date, flow, -e.amount)  # type: ignore[attr-defined]
    return sums


def _split(pos: engine.Position, end: dt.date) -> tuple[Decimal, Decimal]:
    """(overdue, current) of the open items at ``end`` on the due basis: aging's non-current and current buckets."""
    overdue = current = ZERO
    for item in pos.open_items:
        if item.age(end, "due") <= 0:  # engine.bucket_of's "current": not past due
            current += item.open
        else:
            overdue += item.open
    return overdue, current


def customer_periods(
    customer: Any, entries: Sequence[engine.EntryLike], bounds: Sequence[Period], days_to_pay: bool = False
) -> CustomerPeriods:
    """``customer``'s figures for each of ``bounds`` (consecutive periods); ``customer`` is a header or a cache record.

    Entries read from the cache may carry the flows of periods computed by an earlier run for the same content
    (``known_flows``, see store/positions.py) and are told of new ones (``note_flows``): a report over the same
    month-ends then reads a few figures per customer instead of walking every entry.
    """
    terms = customer.terms_days
    known = getattr(entries, "known_flows", None)
    if known is not None and not days_to_pay:
        found = [known(p.start, p.end, terms) for p in bounds]
        if all(flows is not None for flows in found):
            return CustomerPeriods(customer.id, customer.name, customer.currency, customer.credit_limit, tuple(found))
    starts = [p.start for p in bounds]
    sums = _flows_by_period(entries, starts, bounds[-1].end)
    # Only money entries and voids change a position; notes, reminders and assertions do not.
    dates = sorted({e.date for e in entries if e.sign != 0 or e.type == "void"})
    opening = engine.balance(entries, bounds[0].start - dt.timedelta(days=1))
    result: list[Flows] = []
    pos: engine.Position | None = None
    previous_end = bounds[0].start - dt.timedelta(days=1)
    for period, flows in zip(bounds, sums, strict=True):
        # Nothing moved in (previous end, end]: the same live entries, so the same open items (only older).
        moved = bisect.bisect_right(dates, period.end) != bisect.bisect_right(dates, previous_end)
        if pos is None or moved:
            pos = engine.position(entries, period.end, terms)
        overdue, current = _split(pos, period.end)
        result.append(
            Flows(
                opening,
                flows["invoiced"],
                flows["credited"],
                flows["collected"],
                flows["written_off"],
                flows["refunded"],
                pos.balance,
                overdue,
                current,
            )
        )
        opening = pos.balance
        previous_end = period.end
    note = getattr(entries, "note_flows", None)
    if note is not None:
        for period, figures in zip(bounds, result, strict=True):
            note(period.start, period.end, terms, figures)
    paid_days: tuple[Decimal, ...] = ()
    paid_amount: tuple[Decimal, ...] = ()
    if days_to_pay:
        paid_days, paid_amount = _days_to_pay(entries, bounds, terms, pos)
    return CustomerPeriods(
        customer.id, customer.name, customer.currency, customer.credit_limit, tuple(result), paid_days, paid_amount
    )


def _days_to_pay(
    entries: Sequence[engine.EntryLike], bounds: Sequence[Period], terms: int, final: engine.Position | None
) -> tuple[tuple[Decimal, ...], tuple[Decimal, ...]]:
    """Invoices by the period of their settlement date (the engine's, as of the last period's end)."""
    end = bounds[-1].end
    starts = [p.start for p in bounds]
    days = [ZERO] * len(bounds)
    amounts = [ZERO] * len(bounds)
    live = {e.id: e for e in engine.effective_entries(entries, end) if e.type == "invoice"}
    settled = engine.settlement_dates(entries, end, terms, since=bounds[0].start, final=final)
    for debit_id, day in settled.items():
        invoice = live.get(debit_id)
        if invoice is None or day < bounds[0].start:
            continue
        index = bisect.bisect_right(starts, day) - 1
        amount: Decimal = invoice.amount  # type: ignore[attr-defined]
        days[index] += amount * (day - invoice.date).days
        amounts[index] += amount
    return tuple(days), tuple(amounts)


@dataclass(frozen=True)
class CurrencyPeriod:
    currency: str
    flows: Flows
    days: int

    @property
    def dso(self) -> Decimal | None:
        return dso(self.flows, self.days)

    @property
    def cei(self) -> Decimal | None:
        return cei(self.flows)


@dataclass(frozen=True)
class PeriodReport:
    step: str
    periods: list[Period]
    customers: list[CustomerPeriods]  # sorted by id; every selected customer, whether it moved or not
    by_customer: bool = False
    totals: list[list[CurrencyPeriod]] = field(default_factory=list)  # per period, per currency (sorted)
    converted: list[CurrencyPeriod] | None = None  # with a reporting currency: per period, all currencies converted

    def currencies(self) -> list[str]:
        return sorted({c.currency for c in self.customers})


def assemble(
    rows: Iterable[CustomerPeriods], bounds: Sequence[Period], step: str, by_customer: bool = False
) -> PeriodReport:
    """Totals per period and currency (never across currencies) from the customers' rows."""
    customers = sorted(rows, key=lambda r: r.id)
    currencies = sorted({c.currency for c in customers})
    totals: list[list[CurrencyPeriod]] = []
    for index, period in enumerate(bounds):
        sums = {cur: Flows() for cur in currencies}
        for row in customers:
            sums[row.currency] = sums[row.currency] + row.flows[index]
        totals.append([CurrencyPeriod(cur, sums[cur], period.days) for cur in currencies])
    return PeriodReport(step, list(bounds), customers, by_customer, totals)


def converted_trend(report: PeriodReport, rates: RateTable) -> PeriodReport:
    """Each period's totals in the reporting currency, at the rate in force on the period's last day (a trend
    of what the books were worth then); every figure is converted, then summed (see core/fx.py)."""
    trend = []
    for period, totals in zip(report.periods, report.totals, strict=True):
        rates.require((t.currency for t in totals), period.end)
        flows = Flows()
        for total in totals:
            flows = flows + Flows(
                *(rates.convert(getattr(total.flows, name), total.currency, period.end) for name in Flows.__slots__)
            )
        trend.append(CurrencyPeriod(rates.reporting, flows, period.days))
    return replace(report, converted=trend)


@dataclass(frozen=True)
class Event:
    """A write-off or a reminder dated in a period (for the month-end pack)."""

    customer: str
    name: str
    currency: str
    id: str
    type: str
    date: dt.date
    amount: Decimal | None = None
    ref: str | None = None
    level: int | None = None
    invoices: tuple[str, ...] = ()


def period_events(
    customer: Any, entries: Sequence[engine.EntryLike], start: dt.date, end: dt.date
) -> tuple[Event, ...]:
    """Live write-offs and reminders dated in [start, end], as they stand at ``end`` (voided ones left out)."""
    found = [
        Event(
            customer.id,
            customer.name,
            customer.currency,
            e.id,
            e.type,
            e.date,
            getattr(e, "amount", None),
            getattr(e, "ref", None),
            getattr(e, "level", None),
            tuple(getattr(e, "invoices", None) or ()),
        )
        for e in engine.effective_entries(entries, end)
        if e.date >= start and e.type in ("write_off", "reminder")
    ]
    return tuple(found)


@dataclass(frozen=True)
class MonthEndPack:
    books_name: str
    report: PeriodReport  # its last period is "the month"
    aging: AgingReport  # at the end of the last period, the books' buckets and basis
    segments: SegmentReport  # computed at the end, every customer (classes never depend on a filter)
    events: list[Event]  # write-offs and reminders dated in the last period

    @property
    def end(self) -> dt.date:
        return self.report.periods[-1].end

    @property
    def month_start(self) -> dt.date:
        return self.report.periods[-1].start
