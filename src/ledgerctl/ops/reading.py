"""Whole-books reads for reports and `check`: streamed through the cache, filtered, refused when broken.

The task functions run in worker processes, so they are top-level and return
small results (a report row, a list of problems), never a whole ledger.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import msgspec

from ..core.aging import AgingRow, aging_row
from ..core.errors import InvalidBooks, Problem
from ..core.selection import SegmentFilter, selected
from ..core.suggest import require_known
from ..notices import warn
from ..store.books import Books
from ..store.bulk import map_ledgers
from ..store.cache import CachedLedger
from .lost import lost_since_commit

if TYPE_CHECKING:
    from ..core.models import Customer
    from ..core.reports import BalanceRow

T = TypeVar("T")


@dataclass(frozen=True)
class Outcome:
    """A task's result for one file: nothing (filtered out), a value, or why the file did not load."""

    value: Any = None
    broken: tuple[Problem, ...] = ()
    blob: str = ""  # the file's blob id, to compare the books read with the last commit
    tags: tuple[str, ...] = ()  # the customer's tags, selected or not: an unknown --tag is refused, not an empty report


def _selected(record: CachedLedger, tags: frozenset[str], segments: SegmentFilter | None = None) -> bool:
    """Customers with all the tags whose applied segments (header) match every ``--segment`` dimension."""
    return record.customer is not None and selected(record.customer.tags, record.customer.segments, tags, segments)


def _settled_archive(record: CachedLedger) -> bool:
    """An archived customer whose balance after its last entry is zero: out of reports unless --all."""
    if record.customer is None or not record.customer.archived:
        return False
    final = record.entries.final_balance
    return final is None or not final[1]


def _report_task(
    record: CachedLedger,
    tags: frozenset[str],
    compute: Callable[..., T],
    args: tuple[Any, ...],
    segments: SegmentFilter | None = None,
    archived: bool = False,
) -> Outcome:
    # Only a file that does not load makes a report wrong; rule findings are for `check`.
    if not record.loads:
        return Outcome(broken=tuple(record.to_problems()), blob=record.blob)
    known = tuple(record.customer.tags) if record.customer is not None else ()
    if not _selected(record, tags, segments) or (not archived and _settled_archive(record)):
        return Outcome(blob=record.blob, tags=known)
    return Outcome(value=compute(record.customer, record.entries, *args), blob=record.blob, tags=known)


def report_rows(
    books: Books,
    tags: Sequence[str] | None,
    compute: Callable[..., T | None],
    *args: Any,
    segments: SegmentFilter | None = None,
    archived: bool = False,
    positions_at: Sequence[dt.date] = (),
) -> list[T]:
    """``compute(customer, entries, *args)`` for every selected customer; refuses if any file does not load.

    ``positions_at``: the as-of dates ``compute`` asks positions for (month-ends among them are kept for
    the next run, see store/positions.py).

    Selected: every tag in ``tags`` and, per dimension of ``segments`` ({dim: values}), an applied segment among
    the values (see :func:`ledgerctl.core.segments.parse_filters`). Archived customers with a zero balance
    (`customer archive`) are left out unless ``archived``.
    """
    relpaths = books.ledger_relpaths()
    rows: list[T] = []
    problems: list[Problem] = []
    blobs: dict[str, str] = {}
    known_tags: set[str] = set()
    for relpath, outcome in map_ledgers(
        books.root,
        relpaths,
        _report_task,
        frozenset(tags or ()),
        compute,
        args,
        dict(segments) if segments else None,
        archived,
        positions_at=positions_at,
    ):
        problems.extend(outcome.broken)
        blobs[relpath] = outcome.blob
        known_tags.update(outcome.tags)
        if outcome.value is not None:
            rows.append(outcome.value)
    lost = lost_since_commit(books, blobs)
    if lost is not None:
        warn(lost.message())
    if tags and not problems:
        require_known("tag", tags, known_tags, hint="see the tags column of `ledgerctl customer list`")
    if problems:
        raise InvalidBooks(
            "some ledger files do not load; the report would be wrong",
            problems=problems,
            hint="fix them (see `ledgerctl check`), or restore them with `git checkout -- FILE`",
        )
    return rows


def balance_rows(
    books: Books,
    tags: Sequence[str] | None,
    as_of: dt.date,
    segments: SegmentFilter | None = None,
    archived: bool = False,
) -> list[BalanceRow]:
    from ..core.reports import balance_row  # only balance and customer list build these rows

    return report_rows(books, tags, balance_row, as_of, segments=segments, archived=archived)


def aging_settings(
    books: Books, limits: Sequence[int] | None = None, basis: str | None = None
) -> tuple[list[int], str]:
    """The bucket limits and basis of every aging figure (aging, statement): a command's options, else ``aging:``."""
    return list(limits or books.config.aging.buckets), basis or books.config.aging.basis


def aging_rows(
    books: Books,
    tags: Sequence[str] | None,
    as_of: dt.date,
    limits: Sequence[int],
    basis: str,
    segments: SegmentFilter | None = None,
    detail: bool = False,
    archived: bool = False,
) -> list[AgingRow]:
    # Without --detail the open items stay in the worker: only the bucket sums travel back.
    return report_rows(
        books,
        tags,
        aging_row,
        as_of,
        limits,
        basis,
        detail,
        segments=segments,
        archived=archived,
        positions_at=(as_of,),
    )


def _customer_row(customer: Any, entries: Sequence[Any], as_of: dt.date) -> tuple[Customer, Decimal]:
    # `customer list` shows every header field, so the full model is rebuilt (a few per customer, not per entry).
    from ..core import engine
    from ..core.models import Customer

    return Customer.model_validate(msgspec.structs.asdict(customer) | {"segments": customer.segments}), engine.balance(
        entries, as_of
    )


def customer_rows(
    books: Books,
    tags: Sequence[str] | None,
    as_of: dt.date,
    segments: SegmentFilter | None = None,
    archived: bool = False,
) -> list[tuple[Customer, Decimal]]:
    return sorted(
        report_rows(books, tags, _customer_row, as_of, segments=segments, archived=archived), key=lambda row: row[0].id
    )


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
    return CheckPart(
        record.file,
        Path(record.file).stem,
        tuple(record.to_problems()),
        tuple(e.id for e in record.entries),
        tuple(record.lines),
        len(record.entries),
    )


def check_parts(books: Books) -> list[CheckPart]:
    relpaths = books.ledger_relpaths()
    return [part for _, part in map_ledgers(books.root, relpaths, _check_task)]
