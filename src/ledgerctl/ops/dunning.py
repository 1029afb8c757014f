"""`remind`: the letters due and (``--record``) one reminder entry per letter in one commit; render.letters writes them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from ..core.dunning import Level, Notice, notice, numbered_levels
from ..core.errors import UsageError
from ..core.models import Reminder
from ..core.selection import SegmentFilter
from ..gitops.repo import commit_message
from ..store.books import Books, LoadedLedger
from .entries import new_entry_id
from .reading import report_rows
from .session import WriteSession

# A reminder entry's highest level, as the model allows it (SPEC 3).
MAX_LEVELS = next(m.le for m in Reminder.model_fields["level"].metadata if getattr(m, "le", None) is not None)


def levels_of(books: Books) -> tuple[Level, ...]:
    """The configured dunning levels, numbered by increasing after_days."""
    levels = numbered_levels([(level.after_days, level.template) for level in books.config.dunning.levels])
    if len(levels) > MAX_LEVELS:
        raise UsageError(f"ledgerctl.yaml: {len(levels)} dunning levels; at most {MAX_LEVELS} can be recorded")
    return levels


def notices(
    books: Books, levels: Sequence[Level], as_of: dt.date, tags: Sequence[str] | None, segments: SegmentFilter | None
) -> list[Notice]:
    # report_rows keeps only the customers for whom notice() returns a letter.
    return sorted(report_rows(books, tags, notice, as_of, levels, segments=segments), key=lambda n: n.customer_id)


def letter_contacts(books: Books, found: Sequence[Notice]) -> dict[str, Any]:
    """Each letter's customer's contact (or None): read from its ledger, only for the customers who get a letter."""
    contacts: dict[str, Any] = {}
    for n in found:
        customer = books.load(n.customer_id).source.customer
        contacts[n.customer_id] = customer.contact if customer is not None else None
    return contacts


def record_reminders(
    session: WriteSession, found: Sequence[Notice], as_of: dt.date, *, commit: bool = True
) -> tuple[list[Reminder], str | None]:
    """Post one ``reminder`` entry per letter (its level, the invoices it lists), all in one commit."""
    if not found:
        return [], None
    session.ensure_open_period(as_of, "the reminders")

    def reminder(n: Notice) -> Callable[[LoadedLedger], list[Reminder]]:
        return lambda loaded: [
            Reminder(
                id=new_entry_id("reminder", as_of, {e.id for e in loaded.source.entries}),
                type="reminder",
                date=as_of,
                level=n.level.number,
                invoices=[i.id for i in n.invoices],
                memo=f"{n.level.template} letter",
            )
        ]

    def message(posted: dict[str, list[Any]]) -> str:
        count = f"{len(found)} customer{'s' if len(found) != 1 else ''}"
        return commit_message(
            f"remind as of {as_of}: {count}",
            [n.customer_id for n in found],
            [e.id for n in found for e in posted[n.customer_id]],
            body="\n".join(
                f"{n.customer_id}: level {n.level.number} ({n.level.template}), {', '.join(i.id for i in n.invoices)}"
                for n in found
            ),
        )

    posted, head = session.post_entries({n.customer_id: reminder(n) for n in found}, message, commit=commit)
    return [e for n in found for e in posted[n.customer_id]], head  # type: ignore[misc]
