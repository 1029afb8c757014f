"""SPEC 3.1 — balances, open items, unapplied credit and aging, in one place.

Every report (balance, aging, statement, reconcile, segment) calls
:func:`position`; nothing else re-implements this arithmetic. Pure functions:
no I/O and no clock — the as-of date is always an argument.

Entries are duck-typed (:class:`EntryLike`): the pydantic models of
:mod:`.models` and the lean records the cache decodes both qualify, so the bulk
read path need not rebuild validated models to compute a report.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from operator import attrgetter
from typing import NamedTuple, Protocol, TypeVar

from .kinds import SIGNS


class EntryLike(Protocol):
    """What the engine reads of an entry (money entries also have ``amount``).

    Read-only members: the frozen models and the frozen cache records both qualify.
    """

    @property
    def id(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def date(self) -> dt.date: ...
    @property
    def sign(self) -> int: ...  # +1 debit, -1 credit, 0 moves no money


#: an entry type that the engine hands back as it got it (a model stays a model, a cache record a record)
E = TypeVar("E", bound=EntryLike)


ZERO = Decimal(0)


class OpenItem(NamedTuple):
    """A debit with something still open at the as-of date.

    A named tuple, not a dataclass: a large books has hundreds of thousands of them
    and they are built on the hot path of every aging report.
    """

    id: str
    type: str
    date: dt.date
    due: dt.date
    amount: Decimal
    open: Decimal
    ref: str | None

    def age(self, as_of: dt.date, basis: str = "due") -> int:
        return (as_of - (self.due if basis == "due" else self.date)).days

    def days_overdue(self, as_of: dt.date) -> int:
        return days_overdue(self.due, as_of)


def days_overdue(due: dt.date, as_of: dt.date) -> int:
    """Days past the due date on ``as_of``; 0 while not yet due. The one copy of this rule."""
    return max(0, (as_of - due).days)


def over_limit(balance: Decimal, credit_limit: Decimal | None) -> bool:
    """A customer is over its credit limit when it owes more than the limit; no limit, never over."""
    return credit_limit is not None and balance > credit_limit


class LimitBreach(NamedTuple):
    """A new debit that leaves a customer over its credit limit (the figures the refusal shows)."""

    limit: Decimal
    balance: Decimal  # before the debit: every entry posted so far, whatever its date
    amount: Decimal

    @property
    def after(self) -> Decimal:
        return self.balance + self.amount


def limit_breach(entries: Sequence[EntryLike], credit_limit: Decimal | None, amount: Decimal) -> LimitBreach | None:
    """The breach a new debit of ``amount`` would cause, by :func:`over_limit`; None when it stays within the limit.

    The balance counts every entry already posted, future-dated ones too: a limit is about what the customer
    will owe, and an invoice dated next week is owed just the same.
    """
    if credit_limit is None:
        return None
    latest = max((e.date for e in entries), default=dt.date.min)
    before = balance(entries, latest)
    return LimitBreach(credit_limit, before, amount) if over_limit(before + amount, credit_limit) else None


@dataclass(frozen=True, slots=True)
class Position:
    """A customer's receivable at the end of ``as_of``."""

    as_of: dt.date
    balance: Decimal
    open_items: tuple[OpenItem, ...]
    unapplied: Decimal  # negative or zero: credit not yet used by any item
    debits: Decimal = ZERO
    credits: Decimal = ZERO

    @property
    def open_total(self) -> Decimal:
        return sum((item.open for item in self.open_items), ZERO)


DEBIT_TYPES = frozenset(kind for kind, sign in SIGNS.items() if sign > 0)
CREDIT_TYPES = frozenset(kind for kind, sign in SIGNS.items() if sign < 0)
_by_date_and_id = attrgetter("date", "id")


def due_date(entry: EntryLike, terms_days: int) -> dt.date:
    """An invoice's due date (explicit, else date + terms); a refund is due on its date."""
    if entry.type == "invoice":
        return entry.due or entry.date + dt.timedelta(days=terms_days)  # type: ignore[attr-defined]
    return entry.date


def voided_ids(entries: Iterable[EntryLike], as_of: dt.date | None = None) -> set[str]:
    """Ids cancelled by a void dated on or before ``as_of`` (all voids when None)."""
    return {e.voids for e in entries if e.type == "void" and (as_of is None or e.date <= as_of)}  # type: ignore[attr-defined]


def explicit_allocations(entries: Iterable[EntryLike]) -> dict[str, Decimal]:
    """What the credits that are not voided (of any date) allocate to each debit: the sums the allocation limits
    count (a debit is allocated at most its amount), and what `--apply` and `reconcile` leave room for."""
    entries = list(entries)
    cancelled = voided_ids(entries)
    allocated: dict[str, Decimal] = {}
    for entry in entries:
        allocations = getattr(entry, "allocations", None)
        if allocations and entry.id not in cancelled:
            for target, amount in allocations.items():
                allocated[target] = allocated.get(target, ZERO) + amount
    return allocated


def effective_entries(entries: Iterable[E], as_of: dt.date) -> list[E]:
    """Entries dated ≤ as_of, less those voided by then, in (date, id) order."""
    dated = [e for e in entries if e.date <= as_of]
    cancelled = voided_ids(dated, as_of)
    live = (
        [e for e in dated if e.type != "void" and e.id not in cancelled]
        if cancelled
        else [e for e in dated if e.type != "void"]
    )
    live.sort(key=_by_date_and_id)
    return live


class FinalPosition(NamedTuple):
    """A ledger's position after its last entry: valid for every later as-of date.

    Entries dated after ``as_of`` are the only thing an as-of date removes, so for
    any date on or after the last entry (voids included) the position is the same
    but for its ``as_of``. The cache stores one per file content, computed by
    :func:`position` itself, and hands it back on the entries it decodes
    (``entries.final``; ``entries.final_balance`` for :func:`balance` alone): a
    warm report then skips the arithmetic for the usual case, a report as of today.
    """

    last_date: dt.date
    terms_days: int
    position: Position

    def at(self, as_of: dt.date, terms_days: int) -> Position | None:
        """The position at ``as_of``, or None when this summary does not cover it."""
        if as_of < self.last_date or terms_days != self.terms_days:
            return None
        pos = self.position
        return (
            pos
            if pos.as_of == as_of
            else Position(as_of, pos.balance, pos.open_items, pos.unapplied, pos.debits, pos.credits)
        )


def final_position(entries: Sequence[EntryLike], terms_days: int) -> FinalPosition:
    last = max((e.date for e in entries), default=dt.date.min)
    return FinalPosition(last, terms_days, _position(entries, last, terms_days))


def _known(entries: Sequence[EntryLike], as_of: dt.date, terms_days: int) -> Position | None:
    """A position the entries already carry: their final one, or one kept from an earlier run (see position)."""
    final: FinalPosition | None = getattr(entries, "final", None)
    if final is not None and (known := final.at(as_of, terms_days)) is not None:
        return known
    kept: Callable[[dt.date, int], Position | None] | None = getattr(entries, "known_position", None)
    return kept(as_of, terms_days) if kept is not None else None


def position(entries: Sequence[EntryLike], as_of: dt.date, terms_days: int = 30) -> Position:
    """Balance, open items and unapplied credit at the end of ``as_of`` (SPEC 3.1).

    Entries read from the cache may carry positions computed by this function before (the final one, and
    those at month-ends, see store/positions.py) and are told of each new one through ``note_position``,
    so that a past month-end costs one computation per file content, not one per report.
    """
    known = _known(entries, as_of, terms_days)
    if known is not None:
        return known
    computed = _position(entries, as_of, terms_days)
    note: Callable[[Position, int], None] | None = getattr(entries, "note_position", None)
    if note is not None:
        note(computed, terms_days)
    return computed


def _position(entries: Sequence[EntryLike], as_of: dt.date, terms_days: int) -> Position:
    live = effective_entries(entries, as_of)
    debits = [e for e in live if e.type in DEBIT_TYPES]
    credits = [e for e in live if e.type in CREDIT_TYPES]

    open_amount: dict[str, Decimal] = {d.id: d.amount for d in debits}  # type: ignore[attr-defined]
    pool = ZERO
    for credit in credits:
        rest: Decimal = credit.amount  # type: ignore[attr-defined]
        allocations: Mapping[str, Decimal] | None = credit.allocations  # type: ignore[attr-defined]
        if allocations:
            for target, amount in allocations.items():
                remaining = open_amount.get(target)
                if remaining is None:
                    continue  # voided or not yet dated: the money joins the pool
                # Validation forbids over-allocation; clamping keeps the invariant even on bad data.
                used = min(amount, remaining, rest)
                open_amount[target] = remaining - used
                rest -= used
        pool += rest

    dues = {d.id: due_date(d, terms_days) for d in debits}
    order = sorted(debits, key=lambda d: (dues[d.id], d.date, d.id))
    for debit in order:
        if pool <= 0:
            break
        used = min(pool, open_amount[debit.id])
        open_amount[debit.id] -= used
        pool -= used

    items = tuple(
        OpenItem(d.id, d.type, d.date, dues[d.id], d.amount, open_amount[d.id], getattr(d, "ref", None))  # type: ignore[attr-defined]
        for d in order
        if open_amount[d.id] > 0
    )
    total_debits = sum([d.amount for d in debits], ZERO)  # type: ignore[attr-defined]
    total_credits = sum([c.amount for c in credits], ZERO)  # type: ignore[attr-defined]
    return Position(
        as_of=as_of,
        balance=total_debits - total_credits,
        open_items=items,
        unapplied=-pool,
        debits=total_debits,
        credits=total_credits,
    )


def balance(entries: Sequence[EntryLike], as_of: dt.date) -> Decimal:
    """Σ debits − Σ credits at the end of ``as_of`` (cheaper than a full position)."""
    # (last date, balance) after the last entry, as the cache keeps it (see FinalPosition).
    known: tuple[dt.date, Decimal] | None = getattr(entries, "final_balance", None)
    if known is not None and as_of >= known[0]:
        return known[1]
    live = effective_entries(entries, as_of)
    debits = sum([e.amount for e in live if e.type in DEBIT_TYPES], ZERO)  # type: ignore[attr-defined]
    return debits - sum([e.amount for e in live if e.type in CREDIT_TYPES], ZERO)  # type: ignore[attr-defined]


def settlement_dates(
    entries: Sequence[EntryLike],
    as_of: dt.date,
    terms_days: int = 30,
    since: dt.date | None = None,
    final: Position | None = None,
) -> dict[str, dt.date]:
    """For each debit with nothing open at the end of ``as_of``: the day from which it has stayed closed.

    A debit may close, reopen (its payment is voided, or a debit due earlier takes the pool
    money) and close again; its settlement date is the start of the last closed stretch.
    Only a credit or a void can close a debit that exists (a new debit only takes money
    from the pool), and a debit can be closed from its own date (a prepayment allocated to
    it). So the settlement date is the latest such day on whose eve the debit was not closed,
    and :func:`position` is asked only about those eves, walking back from ``as_of``: this
    helper cannot disagree with it. With ``since``, debits settled before ``since`` are left
    out and the walk stops there. ``final``: ``position(entries, as_of, terms_days)`` when
    the caller already has it.
    """
    final = final or position(entries, as_of, terms_days)
    still_open = {item.id for item in final.open_items}
    live_debits = {e.id: e for e in effective_entries(entries, as_of) if e.sign > 0}
    pending = {debit_id for debit_id in live_debits if debit_id not in still_open}
    closing_days = {e.date for e in entries if e.date <= as_of and (e.sign < 0 or e.type == "void")}
    closing_days |= {live_debits[debit_id].date for debit_id in pending}
    # The open ids on every eve the walk may ask about, in one pass when the ledger allows it (see _open_on_eves).
    one_pass = (
        _open_on_eves(
            entries, sorted({day - _DAY for day in closing_days if since is None or day >= since}), terms_days
        )
        if pending
        else None
    )
    settled: dict[str, dt.date] = {}
    for day in sorted(closing_days, reverse=True):
        if not pending or (since is not None and day < since):
            break  # whatever is still pending was settled before `since`
        open_on_eve: set[str] | None = None
        for debit_id in list(pending):
            if live_debits[debit_id].date < day:
                if open_on_eve is None:
                    if one_pass is not None:
                        open_on_eve = one_pass[day - _DAY]
                    else:
                        eve = position(entries, day - _DAY, terms_days)
                        open_on_eve = {item.id for item in eve.open_items}
                if debit_id not in open_on_eve:
                    continue  # already closed the day before: it was settled earlier
            settled[debit_id] = day
            pending.discard(debit_id)
    return settled


_DAY = dt.timedelta(days=1)


def _open_on_eves(
    entries: Sequence[EntryLike], days: Sequence[dt.date], terms_days: int
) -> dict[dt.date, set[str]] | None:
    """The ids of the open items of ``position(entries, day, terms_days)`` for each of ``days`` (ascending), in a
    pass over the entries per set of voids in force instead of a position per day; None when such a pass could
    disagree with :func:`position` (then the caller asks it day by day). tests/segments pins this to position().
    """
    voids = [e for e in entries if e.type == "void"]
    found: dict[dt.date, set[str]] = {}
    group: list[dt.date] = []
    cancelled: set[str] | None = None
    for day in [*days, None]:
        now = None if day is None else {e.voids for e in voids if e.date <= day}  # type: ignore[attr-defined]
        if group and now != cancelled:  # the voids in force only grow with the day: each group is one stretch
            part = _one_pass(entries, group, terms_days, cancelled or set())
            if part is None:
                return None
            found.update(part)
            group = []
        if day is not None:
            group.append(day)
            cancelled = now
    return found


def _one_pass(
    entries: Sequence[EntryLike], days: Sequence[dt.date], terms_days: int, cancelled: set[str]
) -> dict[dt.date, set[str]] | None:
    """:func:`_open_on_eves` over days with the same voids in force (``cancelled``: the ids they void).

    Those entries left out, a later entry never changes what an earlier one did, unless a credit allocates to a
    debit dated after it (its money leaves the pool when the debit arrives) or an id repeats: None for those.
    Otherwise each day adds its debits, then its credits' allocations in (date, id) order exactly as
    :func:`_position` applies them, and only the pool's share is redone per day.
    """
    last = days[-1]
    money = [
        e
        for e in entries
        if e.date <= last and (e.type in DEBIT_TYPES or e.type in CREDIT_TYPES) and e.id not in cancelled
    ]
    debit_dates = {e.id: e.date for e in money if e.type in DEBIT_TYPES}
    if len({e.id for e in money}) != len(money) or any(not e.amount > 0 for e in money):  # type: ignore[attr-defined]
        return None
    for e in money:
        allocations: Mapping[str, Decimal] | None = getattr(e, "allocations", None)
        if allocations and e.type in CREDIT_TYPES and any(debit_dates.get(t, e.date) > e.date for t in allocations):
            return None
        if allocations and not all(amount > 0 for amount in allocations.values()):
            return None
    # A day's debits before its credits: at the end of a day every debit of that day exists for every credit.
    money.sort(key=lambda e: (e.date, e.type in CREDIT_TYPES, e.id))
    open_amount: dict[str, Decimal] = {}
    # The debits with something left after the allocations, by (due, date, id) as _position pays them from the pool.
    # All amounts are positive (else None above), so a debit allocated in full stays closed: it leaves the list.
    order: list[tuple[dt.date, dt.date, str]] = []
    keys: dict[str, tuple[dt.date, dt.date, str]] = {}
    pool = ZERO
    found: dict[dt.date, set[str]] = {}
    index = 0
    for day in days:
        while index < len(money) and money[index].date <= day:
            entry = money[index]
            index += 1
            amount: Decimal = entry.amount  # type: ignore[attr-defined]
            if entry.type in DEBIT_TYPES:
                open_amount[entry.id] = amount
                key = keys[entry.id] = (due_date(entry, terms_days), entry.date, entry.id)
                bisect.insort(order, key)
                continue
            rest = amount
            for target, allocated in (getattr(entry, "allocations", None) or {}).items():
                remaining = open_amount.get(target)
                if remaining is None:
                    continue
                used = min(allocated, remaining, rest)
                open_amount[target] = remaining - used
                rest -= used
                if remaining and remaining == used:
                    del order[bisect.bisect_left(order, keys[target])]
            pool += rest
        # _position's pool loop: what the pool covers in full is closed, the rest (all of it positive) is open.
        left = pool
        at = 0
        while at < len(order) and left > 0:
            still = open_amount[order[at][2]]
            if left < still:
                break
            left -= still
            at += 1
        found[day] = {key[2] for key in order[at:]}
    return found


# --- aging -------------------------------------------------------------------------


class AgingSummary(NamedTuple):
    """A position's open items reduced to what bucket sums need, for any as-of date it stands for.

    For each basis, the items' reference days (due date or entry date, as ordinals, ascending) and the
    prefix sums of their open amounts (as text: the sums a bucket needs are read, not the rest). The
    open items of a bucket are a run of consecutive reference days, so its sum is a difference of two
    prefix sums: exact, as Decimal sums are at the money precision.
    """

    due_days: list[int]
    due_sums: list[str]
    date_days: list[int]
    date_sums: list[str]
    items: int  # how many open items (the aging row reports it)

    @classmethod
    def of(cls, position: Position) -> AgingSummary:
        def prefix(key: Callable[[OpenItem], dt.date]) -> tuple[list[int], list[str]]:
            items = sorted(position.open_items, key=key)
            total, sums = ZERO, [str(ZERO)]
            for item in items:
                total += item.open
                sums.append(str(total))
            return [key(item).toordinal() for item in items], sums

        due_days, due_sums = prefix(attrgetter("due"))
        date_days, date_sums = prefix(attrgetter("date"))
        return cls(due_days, due_sums, date_days, date_sums, len(position.open_items))

    def buckets(self, as_of: dt.date, limits: Sequence[int], basis: str, names: Sequence[str]) -> dict[str, Decimal]:
        """Σ open per bucket at ``as_of``: what :func:`bucket_of` over every open item would add up."""
        days, sums = (self.due_days, self.due_sums) if basis == "due" else (self.date_days, self.date_sums)
        today = as_of.toordinal()

        def before(day: int) -> Decimal:  # Σ open of the items whose reference day is before ``day``
            return Decimal(sums[bisect.bisect_left(days, day)])

        # age <= 0 (current) is a reference day >= as_of; age <= limit is a reference day >= as_of - limit.
        edges = [before(today), *(before(today - limit) for limit in limits)]
        found = dict.fromkeys(names, ZERO)
        found[names[0]] += Decimal(sums[-1]) - edges[0]
        for index in range(len(limits)):
            found[names[index + 1]] += edges[index] - edges[index + 1]
        found[names[-1]] += edges[-1]
        return found


def bucket_names(limits: Sequence[int]) -> list[str]:
    """Column names for bucket limits: [30, 60, 90] → current, 1-30, 31-60, 61-90, 90+."""
    names = ["current"]
    low = 1
    for limit in limits:
        names.append(f"{low}-{limit}")
        low = limit + 1
    names.append(f"{limits[-1]}+")
    return names


def bucket_of(age_days: int, limits: Sequence[int], names: Sequence[str] | None = None) -> str:
    """The bucket of an age: current when not past (≤ 0), then the first limit it does not exceed, else the last."""
    names = names or bucket_names(limits)
    return names[0] if age_days <= 0 else names[bisect.bisect_left(limits, age_days) + 1]
