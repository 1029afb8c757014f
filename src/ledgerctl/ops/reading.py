"""Whole-books reads for reports and `check`: streamed through the cache, filtered, refused when broken.

The task functions run in worker processes, so they are top-level and return
small results (a report row, a list of problems), never a whole ledger.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from decimal import Decimal
from typing import Any, TypeVar

import msgspec

from ..core.aging import AgingRow, aging_row
from ..core.errors import InvalidBooks, Problem
from ..core.models import Customer
from ..core.reports import BalanceRow, balance_row
from ..store.books import Books
from ..store.bulk import map_ledgers
from ..store.cache import CachedLedger

T = TypeVar("T")


@dataclass(frozen=True)
class Outcome:
    """A task's result for one file: nothing (filtered out), a value, or why the file did not load."""

    value: Any = None
    broken: tuple[Problem, ...] = ()


def _selected(record: CachedLedger, tags: frozenset[str]) -> bool:
    return record.customer is not None and tags <= set(record.customer.tags)


def _report_task(record: CachedLedger, tags: frozenset[str], compute: Callable[..., T], args: tuple[Any, ...]) -> Outcome:
    # Only a file that does not load makes a report wrong; rule findings are for `check`.
    if not record.loads:
        return Outcome(broken=tuple(record.to_problems()))
    if not _selected(record, tags):
        return Outcome()
    return Outcome(value=compute(record.customer, record.entries, *args))


def report_rows(books: Books, tags: Sequence[str] | None, compute: Callable[..., T], *args: Any) -> list[T]:
    """``compute(customer, entries, *args)`` for every selected customer; refuses if any file does not load."""
    relpaths = [books.relpath(p) for p in books.ledger_paths()]
    rows: list[T] = []
    problems: list[Problem] = []
    for _, outcome in map_ledgers(books.root, relpaths, _report_task, frozenset(tags or ()), compute, args):
        problems.extend(outcome.broken)
        if outcome.value is not None:
            rows.append(outcome.value)
    if problems:
        raise InvalidBooks("some ledger files do not load; the report would be wrong", problems=problems,
                           hint="fix them (see `ledgerctl check`), or restore them with `git checkout -- FILE`")
    return rows


def balance_rows(books_dir: Path | None, tags: Sequence[str] | None, as_of: dt.date) -> tuple[Books, list[BalanceRow]]:
    books = Books.open(books_dir)
    return books, report_rows(books, tags, balance_row, as_of)


def aging_rows(books: Books, tags: Sequence[str] | None, as_of: dt.date, limits: Sequence[int], basis: str) -> list[AgingRow]:
    return report_rows(books, tags, aging_row, as_of, limits, basis)


def _customer_row(customer: Any, entries: Sequence[Any], as_of: dt.date) -> tuple[Customer, Decimal]:
    # `customer list` shows every header field, so the full model is rebuilt (a few per customer, not per entry).
    from ..core import engine

    return Customer.model_validate(msgspec.structs.asdict(customer) | {"segments": customer.segments}), engine.balance(entries, as_of)


def customer_rows(books_dir: Path | None, tags: Sequence[str] | None, as_of: dt.date) -> list[tuple[Customer, Decimal]]:
    books = Books.open(books_dir)
    return sorted(report_rows(books, tags, _customer_row, as_of), key=lambda row: row[0].id)


@dataclass(frozen=True)
class CheckPart:
    """What `check` needs of one file: its own problems and its entry ids with their lines."""

    file: str
    stem: str
    problems: tuple[Problem, ...]
    ids: tuple[str, ...]
    lines: tuple[int, ...]
    entries: int


def _check_task(record: CachedLedger) -> CheckPart:
    return CheckPart(record.file, Path(record.file).stem, tuple(record.to_problems()),
                     tuple(e.id for e in record.entries), tuple(record.lines), len(record.entries))


def check_parts(books: Books) -> list[CheckPart]:
    relpaths = [books.relpath(p) for p in books.ledger_paths()]
    return [part for _, part in map_ledgers(books.root, relpaths, _check_task)]
