"""`report`: flows per period, and the month-end pack that adds aging, segments, write-offs and reminders."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

from ..core.aging import assemble_aging
from ..core.errors import UsageError
from ..core.periods import (
    MonthEndPack,
    PeriodReport,
    assemble,
    converted_trend,
    customer_periods,
    period_events,
    periods,
)
from ..core.selection import SegmentFilter
from ..core.suggest import require_known
from ..store.books import Books
from ..store.rates import rate_table
from .reading import aging_rows, aging_settings, report_rows


def period_report(
    books: Books,
    start: dt.date,
    end: dt.date,
    *,
    step: str = "monthly",
    tags: Sequence[str] | None = None,
    segments: SegmentFilter | None = None,
    customers: Sequence[str] | None = None,
    by_customer: bool = False,
) -> PeriodReport:
    """Every period of [start, end] from one pass per ledger, in the cache's workers."""
    if end < start:
        raise UsageError(f"--to {end} is before --from {start}")
    bounds = periods(start, end, step)
    rows = report_rows(
        books, tags, customer_periods, bounds, by_customer, segments=segments, positions_at=[p.end for p in bounds]
    )
    if customers:
        require_known("customer", customers, (r.id for r in rows), hint="see `ledgerctl customer list`")
        wanted = set(customers)
        rows = [r for r in rows if r.id in wanted]
    report = assemble(rows, bounds, step, by_customer)
    table = rate_table(books.root, books.config)
    return report if table is None else converted_trend(report, table)


def month_end_pack(
    books: Books,
    start: dt.date,
    end: dt.date,
    *,
    step: str = "monthly",
    tags: Sequence[str] | None = None,
    segments: SegmentFilter | None = None,
    customers: Sequence[str] | None = None,
) -> MonthEndPack:
    from . import segments as segment_ops

    report = period_report(
        books, start, end, step=step, tags=tags, segments=segments, customers=customers, by_customer=True
    )
    ids = {row.id for row in report.customers}
    limits, basis = aging_settings(books)
    aged = [row for row in aging_rows(books, tags, end, limits, basis, segments=segments) if row.customer.id in ids]
    aging = assemble_aging(aged, end, limits=limits, basis=basis, sort="total")
    classes = segment_ops.compute(books, end).select(tags, segments)
    classes = replace(classes, rows=[r for r in classes.rows if r.id in ids])
    month = report.periods[-1]
    found = report_rows(books, tags, period_events, month.start, month.end, segments=segments)
    events = sorted(
        (e for batch in found for e in batch if e.customer in ids), key=lambda e: (e.date, e.customer, e.id)
    )
    return MonthEndPack(books.config.name, report, aging, classes, events)
