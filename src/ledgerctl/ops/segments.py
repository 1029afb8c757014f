"""`segment`: compute every customer's classes, explain one, apply them to the headers in one commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from ..core.errors import InvalidBooks
from ..core.segments import (
    SegmentFilter,
    SegmentReport,
    SegmentRow,
    Settled,
    classify,
    customer_figures,
    settled_invoices,
    window_start,
)
from ..store.books import Books
from ..store.rates import rate_table
from .reading import report_rows

if TYPE_CHECKING:  # only --apply writes: a report loads neither the YAML writer, the models nor git
    from ..store.books import LoadedLedger
    from .session import WriteSession

_TENTH = Decimal("0.1")


def compute(books: Books, as_of: dt.date) -> SegmentReport:
    """Every customer's classes: figures per customer in the cache's workers, then ABC across all of them.

    Filters are applied afterwards (:meth:`SegmentReport.select`), so a customer's class never
    depends on which other customers a `--tag` happens to show.
    """
    config = books.config.segments
    figures = report_rows(books, None, customer_figures, as_of, config.window_days, positions_at=(as_of,))
    return classify(figures, as_of, config, rate_table(books.root, books.config))


def segment_report(
    books: Books, as_of: dt.date, tags: Sequence[str] | None, segments: SegmentFilter | None
) -> SegmentReport:
    return compute(books, as_of).select(tags, segments)


@dataclass(frozen=True)
class Explanation:
    row: SegmentRow
    as_of: dt.date
    start: dt.date
    settled: list[Settled]


def explain(books: Books, customer_id: str, as_of: dt.date) -> Explanation:
    loaded = books.load(customer_id)
    if loaded.source.problems or loaded.source.customer is None:
        raise InvalidBooks(f"{loaded.source.file} does not load", problems=loaded.source.problems)
    report = compute(books, as_of)
    row = next(r for r in report.rows if r.id == customer_id)
    customer = loaded.source.customer
    start = window_start(as_of, books.config.segments.window_days)
    settled = settled_invoices(loaded.source.entries, as_of, customer.terms_days, start)
    return Explanation(row, as_of, start, settled)


def describe(row: SegmentRow) -> str:
    """One line per changed customer: "hx-machinery: value B → A, status normal → overdue"."""
    parts = [f"{dim} {old or '—'} → {new or '—'}" for dim, (old, new) in row.differences().items()]
    return f"{row.id}: {', '.join(parts)}"


def apply_segments(
    session: WriteSession,
    as_of: dt.date,
    tags: Sequence[str] | None,
    segments: SegmentFilter | None,
    *,
    commit: bool = True,
) -> tuple[SegmentReport, str | None]:
    """Write the computed segments into the header of every selected customer whose segments changed; one commit.

    Returns the selected report (its changed rows are what was written) and the new commit, if any.
    """
    from ..gitops.repo import commit_message
    from ..store.yamlload import parse
    from ..store.yamlwrite import set_header_field

    report = compute(session.books, as_of).select(tags, segments)
    changed = [row for row in report.rows if row.changed]
    if not changed:
        return report, None

    def write(row: SegmentRow) -> Callable[[LoadedLedger], str]:
        def edit(loaded: LoadedLedger) -> str:
            assert loaded.parsed is not None
            text = loaded.parsed.text
            return set_header_field(text, parse(text), "segments", row.computed or None)

        return edit

    changes = session.edit_ledgers({row.id: write(row) for row in changed})
    count = f"{len(changed)} customer{'s' if len(changed) != 1 else ''}"
    message = commit_message(
        f"segment as of {as_of}: {count} changed", [r.id for r in changed], body="\n".join(describe(r) for r in changed)
    )
    return report, session.commit(changes, message, commit=commit)
