"""`followups`: the day's collection work list over the selected customers, streamed through the cache."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ..core.errors import UsageError
from ..core.followups import FollowupsReport, customer_followups, ordered
from ..core.segments import SegmentFilter
from ..store.books import Books
from .dunning import levels_of
from .reading import report_rows


def followups(
    books: Books,
    as_of: dt.date,
    days: int = 7,
    tags: Sequence[str] | None = None,
    segments: SegmentFilter | None = None,
) -> FollowupsReport:
    """Broken and due promises, letters due, customers over their limit, failing assertions, stale credit."""
    if days < 0:
        raise UsageError(f"--days {days}: give a number of days ≥ 0")
    rows = report_rows(books, tags, customer_followups, as_of, days, levels_of(books), segments=segments)
    return FollowupsReport(as_of, days, ordered(rows))
