"""Read-only use cases: open books in, a report object out (balance, aging, customer list and show).

Each applies the books' defaults (aging buckets and basis from ledgerctl.yaml), selects the customers,
computes through core and returns data; the CLI only renders what it gets. Usable without the CLI.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..core.aging import SORT_KEYS, AgingReport, assemble_aging
from ..core.engine import bucket_names
from ..core.errors import InvalidBooks, UsageError
from ..core.fx import convert_totals
from ..core.selection import SegmentFilter
from ..core.suggest import require_known
from ..store.books import Books, LoadedLedger
from ..store.rates import rate_table
from . import reading
from .lost import load_for_report

if TYPE_CHECKING:
    from ..core.reports import BalanceReport, CustomerList, CustomerView


def balance(
    books: Books,
    as_of: dt.date,
    *,
    customers: Sequence[str] | None = None,
    tags: Sequence[str] | None = None,
    segments: SegmentFilter | None = None,
    archived: bool = False,
) -> BalanceReport:
    rows = reading.balance_rows(books, tags, as_of, segments, archived=archived or bool(customers))
    if customers:
        require_known("customer", customers, (r.id for r in rows), hint="see `ledgerctl customer list`")
        rows = [r for r in rows if r.id in customers]
    from ..core.reports import balance_report  # aging and the other reports never load it

    report = balance_report(rows, as_of)
    table = rate_table(books.root, books.config)
    if table is None:
        return report
    converted = convert_totals(table, {t.currency: {"balance": t.balance} for t in report.totals}, as_of)
    return dataclasses.replace(report, converted=converted)


def aging(
    books: Books,
    as_of: dt.date,
    *,
    limits: Sequence[int] | None = None,
    basis: str | None = None,
    tags: Sequence[str] | None = None,
    segments: SegmentFilter | None = None,
    include_all: bool = False,
    sort: str = "id",
    detail: bool = False,
) -> AgingReport:
    """Buckets and basis default to ledgerctl.yaml's ``aging:``; ``sort`` is id, name, total or a bucket name."""
    chosen_limits, chosen_basis = reading.aging_settings(books, limits, basis)
    names = bucket_names(chosen_limits)
    if sort not in (*SORT_KEYS, *names):
        raise UsageError(f"invalid value for --sort: {sort!r}: sort by id, name, total or one of {', '.join(names)}")
    rows = reading.aging_rows(
        books, tags, as_of, chosen_limits, chosen_basis, segments=segments, detail=detail, archived=include_all
    )
    report = assemble_aging(rows, as_of, limits=chosen_limits, basis=chosen_basis, include_all=include_all, sort=sort)
    table = rate_table(books.root, books.config)
    if table is None:
        return report
    totals = {t.currency: {**t.buckets, "unapplied": t.unapplied, "total": t.total} for t in report.totals}
    return dataclasses.replace(report, converted=convert_totals(table, totals, as_of))


def customer_list(
    books: Books,
    as_of: dt.date,
    *,
    tags: Sequence[str] | None = None,
    segments: SegmentFilter | None = None,
    archived: bool = False,
) -> CustomerList:
    listed = reading.customer_rows(books, tags, as_of, segments, archived=archived)
    from ..core.reports import CustomerList

    return CustomerList(as_of, [c for c, _ in listed], {c.id: balance for c, balance in listed})


def loaded_for_report(books: Books, customer_id: str) -> LoadedLedger:
    """One customer's ledger for a report: refused when it does not load, a warning when it lost posted entries."""
    loaded = load_for_report(books, customer_id)
    if loaded.source.problems or loaded.source.customer is None:
        raise InvalidBooks(f"{loaded.source.file} does not load", problems=loaded.source.problems)
    return loaded


def customer_show(books: Books, customer_id: str, as_of: dt.date) -> CustomerView:
    loaded = loaded_for_report(books, customer_id)
    assert loaded.source.customer is not None
    from ..core.reports import customer_view

    return customer_view(loaded.source.customer, loaded.source.entries, as_of)
