"""Probable duplicates, the warnings of `check`: an entry posted twice, a customer kept twice. Pure.

Warnings, not errors: two equal invoices three days apart can be real. A bookkeeper who reviewed
a pair records it (`check --ignore`) and it is not reported again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import Problem
from .matching import account_key, normalise

WINDOW_DAYS = 3  # the same amount this many days apart (or fewer) is suspect
ENTRY_CODE = "probable-duplicate-entry"
CUSTOMER_CODE = "probable-duplicate-customer"


def pair_key(a: str, b: str) -> str:
    """The one spelling of a pair, whatever order it was found or typed in: `A+B`, sorted."""
    first, second = sorted((a, b))
    return f"{first}+{second}"


def ignored(key: str, ignore: Iterable[str]) -> bool:
    """A reviewed pair: listed as the pair (either order) or by one of its ids (every pair naming it)."""
    members = set(key.split("+"))
    for item in ignore:
        parts = [p.strip() for p in item.split("+")]
        if len(parts) == 2 and pair_key(*parts) == key:
            return True
        if len(parts) == 1 and parts[0] in members:
            return True
    return False


def _voided(entries: Sequence[Any]) -> set[str]:
    return {e.voids for e in entries if e.type == "void" and e.voids}


def _same_ref(a: Any, b: Any) -> bool:
    return a.ref is None or b.ref is None or a.ref == b.ref


def _distinct_sources(a: Any, b: Any) -> bool:
    # Two imported entries from two different lines of the bank's or the invoicing system's export:
    # the source says there were two (an import never posts one line twice).
    return bool(a.fingerprint and b.fingerprint and a.fingerprint != b.fingerprint)


def duplicate_entries(entries: Sequence[Any]) -> list[tuple[Any, Any]]:
    """(earlier, later) pairs of live money entries: same type and amount, ≤ 3 days apart, the same or no ref.

    A voided entry is no suspect: the void is how a duplicate is corrected.
    """
    voided = _voided(entries)
    groups: dict[tuple[str, Any], list[Any]] = {}
    for entry in entries:
        if entry.sign == 0 or entry.id in voided or getattr(entry, "amount", None) is None:
            continue
        groups.setdefault((entry.type, entry.amount), []).append(entry)
    pairs = []
    for group in groups.values():
        group.sort(key=lambda e: (e.date, e.id))
        for i, later in enumerate(group):
            for earlier in group[:i]:
                if (
                    (later.date - earlier.date).days <= WINDOW_DAYS
                    and _same_ref(earlier, later)
                    and not _distinct_sources(earlier, later)
                ):
                    pairs.append((earlier, later))
    return pairs


def entry_warnings(file: str, entries: Sequence[Any], lines: Sequence[int], currency: str) -> list[Problem]:
    """One warning per suspect pair, at the later entry's line; the pair's key is what `--ignore` takes."""
    from .money import fmt_plain

    line_of = dict(zip((e.id for e in entries), lines, strict=True))
    found = []
    for earlier, later in duplicate_entries(entries):
        days = (later.date - earlier.date).days
        when = "the same day" if days == 0 else f"{days} day{'s' if days != 1 else ''} earlier"
        found.append(
            Problem(
                ENTRY_CODE,
                f"{later.type.replace('_', ' ')} {later.id} looks like {earlier.id}: {fmt_plain(later.amount, currency)} "
                f"{currency}, {when}, {'ref ' + repr(later.ref or earlier.ref) if later.ref or earlier.ref else 'no ref'}; "
                f"void one, or record the review with `ledgerctl check --ignore {pair_key(earlier.id, later.id)}`",
                file,
                line_of.get(later.id),
                pair_key(earlier.id, later.id),
                severity="warning",
            )
        )
    return found


@dataclass(frozen=True)
class CustomerKeys:
    """What identifies a customer outside its id: normalised names, tax id and bank accounts."""

    id: str
    file: str
    names: frozenset[str]
    tax_id: str | None
    accounts: frozenset[str]

    @classmethod
    def of(cls, customer: Any, file: str) -> CustomerKeys:
        names = {normalise(n) for n in (customer.name, *customer.aliases)}
        accounts = {account_key(a) for a in customer.bank_accounts}
        tax = normalise(customer.tax_id) if getattr(customer, "tax_id", None) else ""
        return cls(
            customer.id, file, frozenset(n for n in names if n), tax or None, frozenset(a for a in accounts if a)
        )


def customer_warnings(customers: Sequence[CustomerKeys]) -> list[Problem]:
    """Pairs of customers sharing a normalised name or alias, a tax id or a bank account."""
    index: dict[tuple[str, str], list[CustomerKeys]] = {}
    for keys in customers:
        for name in keys.names:
            index.setdefault(("name", name), []).append(keys)
        if keys.tax_id:
            index.setdefault(("tax id", keys.tax_id), []).append(keys)
        for account in keys.accounts:
            index.setdefault(("bank account", account), []).append(keys)
    shared: dict[tuple[str, str], set[str]] = {}
    by_id = {k.id: k for k in customers}
    for (what, _), holders in index.items():
        for i, a in enumerate(holders):
            for b in holders[i + 1 :]:
                if a.id != b.id:
                    shared.setdefault((a.id, b.id) if a.id < b.id else (b.id, a.id), set()).add(what)
    found = []
    for (first, second), whats in sorted(shared.items()):
        found.append(
            Problem(
                CUSTOMER_CODE,
                f"customers {first} and {second} share a {', a '.join(sorted(whats))}: the same customer kept twice? merge "
                f"them with `ledgerctl customer merge {second} {first}`, or record the review with "
                f"`ledgerctl check --ignore {first}+{second}`",
                by_id[second].file,
                None,
                pair_key(first, second),
                severity="warning",
            )
        )
    return found
