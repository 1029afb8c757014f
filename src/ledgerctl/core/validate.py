"""Every rule of SPEC 3, as plain functions that return problems (never raise).

The store turns files into :class:`SourcedLedger` values (models plus the lines
they came from); these functions look only at those values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

from . import engine
from .errors import Problem
from .money import MAX_INTEGER_DIGITS, MoneyError, check_digits, currency_problem, fmt_plain, minor_digits

if TYPE_CHECKING:  # the rules read the models' fields, never their classes: a cold read needs no pydantic
    from .models import Customer, EntryBase


@dataclass
class SourcedLedger:
    """A customer ledger as loaded: the valid parts, and where each came from."""

    file: str
    stem: str
    customer: Customer | None
    entries: list[EntryBase] = field(default_factory=list)
    entry_lines: dict[str, int] = field(default_factory=dict)
    header_lines: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)  # found while loading

    @property
    def currency(self) -> str | None:
        return self.customer.currency if self.customer else None

    def problem(self, code: str, message: str, entry: str | None = None, key: str | None = None) -> Problem:
        line = self.entry_lines.get(entry) if entry else self.header_lines.get(key or "", None)
        return Problem(code=code, message=message, file=self.file, line=line, entry=entry)


def validate_ledger(
    src: SourcedLedger, owners: Mapping[str, str] | None = None, entries: Sequence[Any] | None = None
) -> list[Problem]:
    """Rules of one customer's file; ``owners`` (entry id → customer) names whose entry a stray reference is.

    ``entries`` (default ``src.entries``) may be the models or the cache's lean records: the rules read only
    fields both have, and tell the types apart by ``type``, not by class.
    """
    problems: list[Problem] = []
    customer = src.customer
    if customer is None:
        return problems
    rows: Sequence[Any] = src.entries if entries is None else entries
    if customer.id != src.stem:
        problems.append(
            src.problem(
                "id-mismatch", f"customer.id {customer.id!r} differs from the file name {src.stem!r}.yaml", key="id"
            )
        )
    currency = customer.currency
    not_money = currency_problem(currency)
    if not_money:
        problems.append(src.problem("unknown-currency", not_money, key="currency"))
        return problems  # every amount check below needs a real currency
    if customer.credit_limit is not None:
        _digits(problems, src, customer.credit_limit, currency, None, "credit_limit")

    fewest = -minor_digits(currency)
    quantum = _quantum(fewest)
    exact = True  # no sum of these amounts rounds: balances may be added up in any order (see _balances_at)
    by_id: dict[str, Any] = {}
    for entry in rows:
        entry_id = entry.id
        if entry_id in by_id:
            problems.append(src.problem("duplicate-id", f"entry id {entry_id} is used twice in this file", entry_id))
        else:
            by_id[entry_id] = entry
        kind = entry.type
        if kind in _WITH_AMOUNT:
            # (By type, not getattr: a missing attribute of a model costs an exception in pydantic's __getattr__.)
            amount = entry.amount
            if not amount.same_quantum(quantum):  # (as written in files: the currency's digits, no check needed)
                exponent = amount.as_tuple().exponent
                if exponent < fewest:  # else it has no more digits than the currency: no problem
                    _digits(problems, src, amount, currency, entry_id)
                exact = exact and exponent >= -_EXACT_DECIMALS
            exact = exact and -_EXACT_LIMIT < amount < _EXACT_LIMIT
        if kind == "invoice" and entry.due is not None and entry.due < entry.date:
            problems.append(
                src.problem(
                    "due-before-date", f"due date {entry.due} is before the invoice date {entry.date}", entry_id
                )
            )

    unknown = _UnknownTarget(src, owners or {})
    problems += _check_voids(src, rows, by_id, unknown)
    problems += _check_allocations(src, rows, by_id, currency, unknown)
    problems += _check_reminders(src, rows, by_id)
    problems += _check_balances(src, rows, currency, exact)
    return problems


@cache
def _quantum(exponent: int) -> Decimal:
    return Decimal(1).scaleb(exponent)


# Amounts below 10**15 with at most 6 decimals: any sum of up to 10**30 of them has at most 51 digits, within the
# 60 of MONEY_PRECISION, so it is exact whatever the order of the additions.
_EXACT_LIMIT = Decimal(10) ** MAX_INTEGER_DIGITS
_EXACT_DECIMALS = 6


#: entry types with an amount (the others have no such field)
_WITH_AMOUNT = frozenset(("invoice", "refund", "payment", "credit_note", "write_off", "promise", "balance"))
_CREDITS = frozenset(("payment", "credit_note", "write_off"))
_DEBITS = frozenset(("invoice", "refund"))


def _digits(
    problems: list[Problem],
    src: SourcedLedger,
    amount: Decimal,
    currency: str,
    entry: str | None,
    key: str | None = None,
) -> None:
    try:
        check_digits(amount, currency)
    except MoneyError as exc:
        problems.append(src.problem("amount-digits", str(exc), entry, key))


@dataclass
class _UnknownTarget:
    src: SourcedLedger
    owners: Mapping[str, str]

    def __call__(self, code: str, what: str, target: str, entry: str) -> Problem:
        other = self.owners.get(target)
        if other is not None and other != self.src.stem:
            return self.src.problem(
                "other-customer", f"{what} {target}, which belongs to customer {other}, not to this one", entry
            )
        return self.src.problem(code, f"{what} {target}, which is not an entry of this customer", entry)


def _check_voids(
    src: SourcedLedger, entries: Sequence[Any], by_id: dict[str, Any], unknown: _UnknownTarget
) -> list[Problem]:
    problems = []
    voided_by: dict[str, str] = {}
    for entry in entries:
        if entry.type != "void":
            continue
        target = by_id.get(entry.voids)
        if target is None:
            problems.append(unknown("void-unknown", f"void {entry.id} cancels", entry.voids, entry.id))
            continue
        if target.type == "void":
            problems.append(
                src.problem("void-of-void", f"{entry.voids} is itself a void and cannot be voided", entry.id)
            )
        if entry.date < target.date:
            problems.append(
                src.problem(
                    "void-before-entry",
                    f"void dated {entry.date} is before the entry it cancels ({target.date})",
                    entry.id,
                )
            )
        if entry.voids in voided_by:
            problems.append(
                src.problem("already-voided", f"{entry.voids} is already voided by {voided_by[entry.voids]}", entry.id)
            )
        voided_by.setdefault(entry.voids, entry.id)
    return problems


def _check_allocations(
    src: SourcedLedger, entries: Sequence[Any], by_id: dict[str, Any], currency: str, unknown: _UnknownTarget
) -> list[Problem]:
    problems: list[Problem] = []
    fewest = -minor_digits(currency)
    credits = [entry for entry in entries if entry.type in _CREDITS and entry.allocations]
    for entry in credits:
        total = Decimal(0)
        for target_id, amount in entry.allocations.items():
            if amount.as_tuple().exponent < fewest:
                _digits(problems, src, amount, currency, entry.id)
            total += amount
            target = by_id.get(target_id)
            if target is None:
                problems.append(unknown("allocation-unknown", "allocation to", target_id, entry.id))
                continue
            if target.type not in _DEBITS:
                problems.append(
                    src.problem(
                        "allocation-not-debit",
                        f"allocation to {target_id}, a {target.type} (only invoices and refunds can be paid)",
                        entry.id,
                    )
                )
        if total > entry.amount:
            problems.append(
                src.problem(
                    "allocation-exceeds-credit",
                    f"allocations sum to {fmt_plain(total, currency)}, more than the {entry.type}'s {fmt_plain(entry.amount, currency)}",
                    entry.id,
                )
            )
    if not credits:
        return problems  # nothing allocates: no debit can be over-allocated
    # Only voids and allocating credits count: the same sums, in the same order, without a pass over every entry.
    counted = [entry for entry in entries if entry.type == "void" or (entry.type in _CREDITS and entry.allocations)]
    for target_id, total in engine.explicit_allocations(counted).items():
        if target_id not in by_id or by_id[target_id].type not in _DEBITS:
            continue  # reported above
        debit_amount = by_id[target_id].amount
        if total > debit_amount:
            problems.append(
                src.problem(
                    "allocation-exceeds-debit",
                    f"allocations to {target_id} sum to {fmt_plain(total, currency)}, more than its {fmt_plain(debit_amount, currency)}",
                    target_id,
                )
            )
    return problems


def _check_reminders(src: SourcedLedger, entries: Sequence[Any], by_id: dict[str, Any]) -> list[Problem]:
    problems = []
    for entry in entries:
        kind = entry.type
        if kind == "reminder":
            for invoice_id in entry.invoices:
                target = by_id.get(invoice_id)
                if target is None or target.type != "invoice":
                    problems.append(
                        src.problem(
                            "reminder-unknown-invoice",
                            f"reminder names {invoice_id}, which is not an invoice of this customer",
                            entry.id,
                        )
                    )
        elif kind == "promise":
            if entry.by < entry.date:
                problems.append(
                    src.problem(
                        "promise-by-before-date",
                        f"promise to pay by {entry.by}, before the promise itself ({entry.date})",
                        entry.id,
                    )
                )
            for invoice_id in entry.invoices:
                target = by_id.get(invoice_id)
                if target is None or target.type != "invoice":
                    problems.append(
                        src.problem(
                            "promise-unknown-invoice",
                            f"promise names {invoice_id}, which is not an invoice of this customer",
                            entry.id,
                        )
                    )
    return problems


def _check_balances(src: SourcedLedger, entries: Sequence[Any], currency: str, exact: bool) -> list[Problem]:
    problems: list[Problem] = []
    assertions = [entry for entry in entries if entry.type == "balance"]
    if not assertions:
        return problems
    computed_at = _balances_at(entries, assertions) if exact else None
    for number, entry in enumerate(assertions):
        if computed_at is not None:
            computed = computed_at[number]
            if computed is None:
                continue
        elif entry.id in engine.voided_ids(entries, entry.date):
            continue
        else:
            computed = engine.balance(entries, entry.date)
        if computed != entry.amount:
            problems.append(
                src.problem(
                    "balance-mismatch",
                    f"balance on {entry.date} is {fmt_plain(computed, currency)}, the assertion says {fmt_plain(entry.amount, currency)} "
                    f"(difference {fmt_plain(computed - entry.amount, currency)})",
                    entry.id,
                )
            )
    return problems


_MOVES = _DEBITS | _CREDITS | {"void"}


def _balances_at(entries: Sequence[Any], assertions: Sequence[Any]) -> list[Decimal | None]:
    """``engine.balance`` at each assertion's date, or None where a void dated by then cancels the assertion: one pass
    over the entries in date order instead of one per assertion.

    Only for amounts whose sums never round (validate_ledger checks): then a running total equals the engine's sums
    of the same entries exactly. An entry counts from its date until a void dated on or before the as-of date names
    its id (the engine's effective_entries), so a void takes back what that id added so far, and the id adds nothing
    after.
    """
    moves = sorted((entry for entry in entries if entry.type in _MOVES), key=_by_date)
    found: list[Decimal | None] = [None] * len(assertions)
    total = Decimal(0)
    cancelled: set[str] = set()
    added: dict[str, list[Decimal]] = {}
    at = 0
    for number in sorted(range(len(assertions)), key=lambda n: assertions[n].date):
        day = assertions[number].date
        while at < len(moves) and moves[at].date <= day:
            entry = moves[at]
            at += 1
            if entry.type == "void":
                if entry.voids not in cancelled:
                    cancelled.add(entry.voids)
                    for signed in added.pop(entry.voids, ()):
                        total -= signed
            elif entry.id not in cancelled:
                signed = entry.amount if entry.type in _DEBITS else -entry.amount
                total += signed
                added.setdefault(entry.id, []).append(signed)
        if assertions[number].id not in cancelled:
            found[number] = total
    return found


def _by_date(entry: Any) -> Any:
    return entry.date


H = TypeVar("H")


def first_holders(
    uses: Iterable[tuple[str, H]],
    file_of: Callable[[H], object] = lambda holder: holder,
) -> tuple[dict[str, H], list[tuple[str, H, H]]]:
    """The one rule that an entry id is used once in the whole books: each id's first holder, and every use in
    another file (``file_of`` the holder; a repeat within one file is validate_ledger's) as (id, its holder, the
    first holder). ``check``, ``validate_books`` and the write path all ask this."""
    first: dict[str, H] = {}
    collisions: list[tuple[str, H, H]] = []
    for entry_id, holder in uses:
        earlier = first.setdefault(entry_id, holder)
        if file_of(earlier) is not file_of(holder):
            collisions.append((entry_id, holder, earlier))
    return first, collisions


def ids_taken(added: Iterable[str], owners: Mapping[str, str], stem: str) -> list[tuple[str, str]]:
    """Ids a change adds to customer ``stem`` that another customer already holds: (id, that customer)."""
    return [(entry_id, owners[entry_id]) for entry_id in added if owners.get(entry_id, stem) != stem]


def also_used_in(entry_id: str, other_file: str) -> str:
    return f"entry id {entry_id} is also used in {other_file}"


def already_used_by(entry_id: str, customer: str) -> str:
    return f"entry id {entry_id} is already used by customer {customer}"


def validate_books(ledgers: Sequence[SourcedLedger]) -> list[Problem]:
    """Every rule of SPEC 3 over the whole books: loading problems, per-file rules, unique ids."""
    first, collisions = first_holders((entry.id, src) for src in ledgers for entry in src.entries)
    problems = [
        src.problem("duplicate-id", also_used_in(entry_id, earlier.file), entry_id)
        for entry_id, src, earlier in collisions
    ]
    owners = {entry_id: src.stem for entry_id, src in first.items()}
    for src in ledgers:
        problems += src.problems
        problems += validate_ledger(src, owners)
    return problems


# --- posted entries: what may change between two versions of the books ---------------


def only_gained_allocations(old: EntryBase, new: EntryBase) -> bool:
    """A credit may gain allocations later (`reconcile --apply`); what it had never changes.

    Allocations move open amounts between items, never the balance, so making the FIFO
    pool's choice explicit is not an edit of what was posted.
    """
    from .models import CreditBase

    if not isinstance(old, CreditBase) or not isinstance(new, CreditBase):
        return False
    before, after = old.allocations or {}, new.allocations or {}
    if any(after.get(target) != amount for target, amount in before.items()):
        return False
    return old.model_copy(update={"allocations": new.allocations}) == new


def voids_into_closed_period(
    added: Iterable[EntryBase], entries: Iterable[EntryBase], closed_through: dt.date
) -> list[tuple[EntryBase, dt.date]]:
    """Added voids dated after ``closed_through`` that cancel an entry dated on or before it, with that date.

    SPEC 3: nothing in a closed period may be voided, whatever the void's own date. (An
    added entry dated in the closed period is refused on its own date already.)
    """
    voids = [e for e in added if e.type == "void" and e.date > closed_through]
    if not voids:
        return []
    dates = {e.id: e.date for e in entries}
    found = []
    for void in voids:
        target = dates.get(void.voids)  # type: ignore[attr-defined]
        if target is not None and target <= closed_through:
            found.append((void, target))
    return found


def correction(entry_id: str, entry_date: dt.date, closed_through: dt.date | None) -> str:
    """How a bookkeeper corrects a posted entry: a void and a new entry, unless the entry lies in a closed period,
    which nothing may touch: then a credit note (or a new invoice) dated after the closed date."""
    if closed_through is not None and entry_date <= closed_through:
        return (
            f"{entry_id} is in the closed period (closed through {closed_through}), so it can be neither voided "
            "nor edited: post a credit note (or a new invoice) dated after the closed date for the difference"
        )
    return f"cancel it with `ledgerctl void {entry_id} --reason ...` and add the corrected entry"


def compare_posted(
    before: Sequence[EntryBase],
    after: Sequence[EntryBase],
    src: SourcedLedger,
    closed_through: dt.date | None,
) -> list[Problem]:
    """Posted entries are never edited or deleted (a credit may gain allocations); nothing new on or before
    a closed date, and no allocation added to a credit dated in the closed period."""
    problems = []
    now = {e.id: e for e in after}
    for old in before:
        new = now.get(old.id)
        if new is None:
            problems.append(
                src.problem(
                    "posted-deleted",
                    f"posted entry {old.id} ({old.type}, {old.date}) is missing: posted entries are never deleted; "
                    f"restore it with `git checkout -- {src.file}`; to correct it: "
                    f"{correction(old.id, old.date, closed_through)}",
                    old.id,
                )
            )
        elif new != old and not only_gained_allocations(old, new):
            problems.append(
                src.problem(
                    "posted-changed",
                    f"posted entry {old.id} was changed: posted entries are never edited; restore it with "
                    f"`git checkout -- {src.file}`; to correct it: {correction(old.id, old.date, closed_through)}",
                    old.id,
                )
            )
    if closed_through is not None:
        known = {e.id: e for e in before}
        for entry in after:
            gained = entry.id in known and entry != known[entry.id]
            if (entry.id not in known or gained) and entry.date <= closed_through:
                problems.append(
                    src.problem(
                        "closed-period",
                        f"{entry.id} is dated {entry.date}, in the closed period (closed through {closed_through})",
                        entry.id,
                    )
                )
        added = [e for e in after if e.id not in known]
        for void, target in voids_into_closed_period(added, (*before, *after), closed_through):
            problems.append(
                src.problem(
                    "closed-period",
                    f"void {void.id} cancels {void.voids}, dated {target}, in the closed period (closed through "  # type: ignore[attr-defined]
                    f"{closed_through}); a closed period is reopened only with `ledgerctl close --reopen`",
                    void.id,
                )
            )
    return problems
