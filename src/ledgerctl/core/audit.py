"""The rules a commit must keep, judged from two versions of a ledger. Pure.

The same rules as :func:`ledgerctl.core.validate.compare_posted` (and the same
problem codes), worded for history: posted entries are never edited or
deleted — a credit may only gain allocations (`reconcile --apply`) — and
nothing is added, voided or allocated on or before the ``closed_through`` in
force. The caller sets ``commit`` on the problems.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from .changes import describe_differences, describe_entry, entry_changes, entry_differences
from .errors import Problem
from .models import EntryBase
from .validate import SourcedLedger, only_gained_allocations, voids_into_closed_period


def audit_posted(
    before: Sequence[EntryBase],
    after: SourcedLedger,
    closed_through: dt.date | None,
    currency: str | None,
    *,
    file_deleted: bool = False,
) -> list[Problem]:
    problems: list[Problem] = []
    added, changed, deleted = entry_changes(before, after.entries)
    for old in deleted:
        how = "the file was deleted" if file_deleted else "it was removed"
        problems.append(
            Problem(
                "posted-deleted",
                f"posted {describe_entry(old, currency)} was deleted ({how}); "
                "posted entries are never deleted, a correction is a void",
                after.file,
                None,
                old.id,
            )
        )
    for old, new in changed:
        diffs = describe_differences(entry_differences(old, new, currency))
        if not only_gained_allocations(old, new):
            problems.append(
                after.problem(
                    "posted-changed",
                    f"posted entry {old.id} was edited: {diffs}; posted "
                    "entries are never edited, a correction is a void plus a new entry",
                    old.id,
                )
            )
        elif closed_through is not None and new.date <= closed_through:
            problems.append(
                after.problem(
                    "closed-period",
                    f"{old.id}, dated {new.date}, gained allocations in the "
                    f"closed period (closed through {closed_through}): {diffs}",
                    old.id,
                )
            )
    if closed_through is None or not added:
        return problems
    for entry in added:
        if entry.date <= closed_through:
            problems.append(
                after.problem(
                    "closed-period",
                    f"{describe_entry(entry, currency)} was added in the closed "
                    f"period (closed through {closed_through})",
                    entry.id,
                )
            )
    for void, target in voids_into_closed_period(added, (*before, *after.entries), closed_through):
        problems.append(
            after.problem(
                "closed-period",
                f"void {void.id} cancels {void.voids}, dated {target}, "  # type: ignore[attr-defined]
                f"in the closed period (closed through {closed_through})",
                void.id,
            )
        )
    return problems


def new_problems(after: Iterable[Problem], *befores: Iterable[Problem]) -> list[Problem]:
    """Problems of the new version that no earlier version had (what this commit broke)."""
    old = {(p.code, p.entry, p.message) for before in befores for p in before}
    return [p for p in after if (p.code, p.entry, p.message) not in old]


def later(*dates: dt.date | None) -> dt.date | None:
    known = [d for d in dates if d is not None]
    return max(known) if known else None
