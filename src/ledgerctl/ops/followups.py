"""`followups`: the day's collection work list over the selected customers, streamed through the cache."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ..core.dunning import Level, numbered_levels
from ..core.errors import UsageError
from ..core.followups import FollowupsReport, customer_followups, ordered
from ..core.selection import SegmentFilter
from ..store.books import Books
from .reading import report_rows

# A ladder this short can always be recorded (reminder levels go up to ops.dunning.MAX_LEVELS, read from the
# Reminder model; tests/followups pin this below it): only a longer one loads the models to check it.
CERTAINLY_RECORDABLE = 9


def followup_levels(books: Books) -> tuple[Level, ...]:
    """The dunning levels as `remind` numbers them (ops.dunning.levels_of), without the models when it can."""
    levels = numbered_levels([(level.after_days, level.template) for level in books.config.dunning.levels])
    if len(levels) <= CERTAINLY_RECORDABLE:
        return levels
    from .dunning import levels_of

    return levels_of(books)


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
    levels = followup_levels(books)
    rows = report_rows(books, tags, customer_followups, as_of, days, levels, segments=segments, positions_at=(as_of,))
    return FollowupsReport(as_of, days, ordered(rows))
