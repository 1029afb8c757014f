"""`followups`: the day's collection work for one customer, most urgent first (docs/numbers.md#follow-ups).

One pure function of ``(customer, entries, …)`` so ``ops/reading.report_rows`` can run it over the cache
in worker processes. Every figure comes from the one copy of its rule: promises from
:mod:`.promises`, letters from :func:`.dunning.notice`, the limit from :func:`.engine.over_limit`,
balances and unapplied credit from :func:`.engine.position`. What to say and which command to run
is the renderer's (render/followups.py): here is only what was found.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from . import engine
from .dunning import Level, notice
from .promises import promise_states

# Most urgent first: a promise already broken, one about to fall due, letters, the limit, data that disagrees.
KINDS = ("promise-broken", "promise-due", "dunning", "over-limit", "balance-mismatch", "unapplied-credit")
UNAPPLIED_AFTER_DAYS = 30


@dataclass(frozen=True)
class FollowUp:
    kind: str  # one of KINDS
    customer: str
    name: str
    currency: str
    amount: Decimal  # what the line is about: the shortfall, the promise, the overdue, the excess, the difference, the credit
    date: dt.date | None  # the promise's by, the oldest due date, the assertion's date, …
    days: int  # late (+) or left (-) against `date`; see each kind
    entry: str | None = None  # the promise or balance assertion
    level: int | None = None  # dunning: the letter's level and template
    template: str | None = None
    invoices: tuple[str, ...] = ()
    balance: Decimal = Decimal(0)
    limit: Decimal | None = None
    expected: Decimal | None = None  # balance-mismatch: what the assertion says
    has_open_items: bool = False  # unapplied-credit: there is something to apply it to

    def sort_key(self) -> tuple[Any, ...]:
        # Within a kind: the later (or the sooner due), the higher the letter, the earlier in the list.
        urgency = -self.days if self.kind != "promise-due" else self.days
        return KINDS.index(self.kind), -(self.level or 0), urgency, self.customer, self.entry or ""


def customer_followups(
    customer: Any, entries: Sequence[engine.EntryLike], as_of: dt.date, days: int, levels: Sequence[Level]
) -> tuple[FollowUp, ...] | None:
    """What to do about ``customer`` on ``as_of`` (None: nothing), each line with its figures.

    Kept per file content, date and settings like segment's figures (``entries.known``/``note``).
    """
    ladder = [(level.number, level.after_days, level.template) for level in levels]
    key = ("followups", days, ladder, as_of, customer.terms_days)
    known = getattr(entries, "known", None)
    found: tuple[FollowUp, ...] | None = known(key) if known is not None else None
    if found is None:
        found = _followups(customer, entries, as_of, days, levels)
        note = getattr(entries, "note", None)
        if note is not None:
            note(key, found)
    return found or None


def _followups(
    customer: Any, entries: Sequence[engine.EntryLike], as_of: dt.date, days: int, levels: Sequence[Level]
) -> tuple[FollowUp, ...]:
    terms: int = customer.terms_days
    pos = engine.position(entries, as_of, terms)
    found: list[FollowUp] = []

    def line(kind: str, amount: Decimal, date: dt.date | None, late: int, **more: Any) -> None:
        found.append(
            FollowUp(
                kind, customer.id, customer.name, customer.currency, amount, date, late, balance=pos.balance, **more
            )
        )

    promises = promise_states(entries, as_of, terms)
    for p in promises:
        if p.state == "broken" and pos.balance > 0 and not any(q.date > p.date for q in promises):
            # Listed until it is followed up: a newer promise replaces it, or nothing is owed any more.
            line("promise-broken", p.shortfall, p.by, (as_of - p.by).days, entry=p.id, invoices=p.invoices)
        elif p.state == "open" and p.days_left(as_of) <= days:
            line("promise-due", p.shortfall, p.by, p.days_left(as_of), entry=p.id, invoices=p.invoices)

    letter = notice(customer, entries, as_of, levels)
    if letter is not None:
        oldest = min(letter.invoices, key=lambda i: (i.due, i.id))
        line(
            "dunning",
            letter.overdue_total,
            oldest.due,
            oldest.days_overdue,
            level=letter.level.number,
            template=letter.level.template,
            invoices=tuple(i.id for i in letter.invoices),
        )

    limit = customer.credit_limit
    if engine.over_limit(pos.balance, limit):
        line("over-limit", pos.balance - limit, None, 0, limit=limit)

    for entry in engine.effective_entries(entries, as_of):
        if entry.type == "balance":
            computed = engine.balance(entries, entry.date)
            asserted: Decimal = entry.amount  # type: ignore[attr-defined]
            if computed != asserted:
                line(
                    "balance-mismatch",
                    computed - asserted,
                    entry.date,
                    (as_of - entry.date).days,
                    entry=entry.id,
                    expected=asserted,
                )

    if pos.unapplied < 0:
        earlier = engine.position(entries, as_of - dt.timedelta(days=UNAPPLIED_AFTER_DAYS), terms)
        # The part that was already unapplied a month ago and still is.
        stale = min(-pos.unapplied, -earlier.unapplied)
        if stale > 0:
            line("unapplied-credit", stale, None, UNAPPLIED_AFTER_DAYS, has_open_items=bool(pos.open_items))

    return tuple(found)


@dataclass(frozen=True)
class FollowupsReport:
    as_of: dt.date
    days: int
    items: list[FollowUp]  # most urgent first


def ordered(rows: Sequence[Sequence[FollowUp]]) -> list[FollowUp]:
    """Every customer's lines as one list, most urgent first."""
    return sorted((item for row in rows for item in row), key=FollowUp.sort_key)
