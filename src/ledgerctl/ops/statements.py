"""Statements of account (对账单): one customer's, or every customer's with a balance or activity in a period.

The whole-books run streams through :func:`ledgerctl.ops.reading.report_rows` (cache, both cores, the same
tag/segment selection and broken-file refusal as every report). The cache keeps only what figures need, so a
customer who gets a statement is then read in full (memos, contact) in the same worker.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core import engine
from ..core.errors import InvalidBooks
from ..core.models import Company
from ..core.selection import SegmentFilter
from ..core.statement import Statement, statement
from ..core.templates import TEMPLATES_DIR
from ..store.books import LEDGER_DIR, Books
from ..store.ledgerfile import load_ledger
from .lost import load_for_report
from .reading import aging_settings, report_rows


@dataclass(frozen=True)
class StatementRun:
    """What a `statement` run sends: the statements (by customer id), the letterhead, and where overrides live."""

    period_from: dt.date
    period_to: dt.date
    statements: list[Statement]
    company: Company | None
    templates: Path  # the books' templates/ folder: a statement.html.j2 there replaces the built-in one


def one(
    books: Books, customer_id: str, period_from: dt.date, period_to: dt.date, *, show_voids: bool = False
) -> StatementRun:
    loaded = load_for_report(books, customer_id)
    if loaded.source.problems or loaded.source.customer is None:
        raise InvalidBooks(f"{loaded.source.file} does not load", problems=loaded.source.problems)
    limits, basis = aging_settings(books)
    found = statement(
        loaded.source.customer,
        loaded.source.entries,
        period_from,
        period_to,
        books_name=books.config.name,
        limits=limits,
        basis=basis,
        show_voids=show_voids,
    )
    return StatementRun(period_from, period_to, [found], books.config.company, books.root / TEMPLATES_DIR)


def every(
    books: Books,
    period_from: dt.date,
    period_to: dt.date,
    *,
    tags: Sequence[str] | None = None,
    segments: SegmentFilter | None = None,
    show_voids: bool = False,
) -> StatementRun:
    """A statement for every selected customer with a balance at either end of the period or a movement in it."""
    limits, basis = aging_settings(books)
    found = report_rows(
        books,
        tags,
        _statement_task,
        str(books.root),
        period_from,
        period_to,
        books.config.name,
        limits,
        basis,
        show_voids,
        segments=segments,
    )
    return StatementRun(
        period_from,
        period_to,
        sorted((s for s in found if s is not None), key=lambda s: s.customer.id),
        books.config.company,
        books.root / TEMPLATES_DIR,
    )


def _moves(entry: Any) -> bool:
    return bool(entry.sign) or entry.type == "void"


def _statement_task(
    customer: Any,
    entries: Sequence[Any],
    root: str,
    period_from: dt.date,
    period_to: dt.date,
    books_name: str,
    limits: Sequence[int],
    basis: str,
    show_voids: bool,
) -> Statement | None:
    # Decided on the cached figures first: most customers of large books get no statement and are never parsed again.
    active = any(period_from <= e.date <= period_to and _moves(e) for e in entries)
    if (
        not active
        and not engine.balance(entries, period_to)
        and not engine.balance(entries, period_from - dt.timedelta(days=1))
    ):
        return None
    relpath = f"{LEDGER_DIR}/{customer.id}.yaml"
    source, _ = load_ledger(Path(root) / relpath, relpath)
    if source.problems or source.customer is None:  # changed on disk since the cache read it
        raise InvalidBooks(f"{relpath} does not load", problems=source.problems)
    found = statement(
        source.customer,
        source.entries,
        period_from,
        period_to,
        books_name=books_name,
        limits=limits,
        basis=basis,
        show_voids=show_voids,
    )
    if not found.lines and not found.opening and not found.closing:
        return None  # only a voided pair in the period, left out of the customer's copy: nothing to send
    return found
