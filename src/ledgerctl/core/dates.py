"""The dates the books accept: one plausible range for entries, due dates, reports and statements.

Python dates stop at 0001-01-01 and 9999-12-31, so a date near either end overflowed as
soon as terms, an aging window or a matching margin was added to it (exit 70). Every date
the tool reads, from a file, an option or a statement, is held to this range, and every
offset the tool adds is at most ten years, so no date arithmetic can leave Python's range.
"""

from __future__ import annotations

import datetime as dt

FIRST_DATE = dt.date(1900, 1, 1)
LAST_DATE = dt.date(2999, 12, 31)


def date_problem(day: dt.date) -> str | None:
    """Why ``day`` is not a date of the books, or None."""
    if FIRST_DATE <= day <= LAST_DATE:
        return None
    return f"{day.isoformat()} is outside the dates ledgerctl accepts ({FIRST_DATE} to {LAST_DATE})"
