"""What changed between two versions of one customer ledger: the audit trail's vocabulary.

Pure: versions are given as (customer header, entries) and the result is a list
of :class:`Change` records — entry added, voided, changed or deleted, header
field changed from → to. `history` lists them; `verify` and the merge driver use
:func:`entry_differences` to say what differs between two contents of one entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import compress
from operator import attrgetter, not_
from typing import Any

from .models import ENTRY_KEY_ORDER, Customer, EntryBase, Void
from .money import MoneyError, fmt_plain

NESTED_HEADER_FIELDS = ("contact", "segments")
_entry_id = attrgetter("id")


@dataclass(frozen=True, slots=True)
class Change:
    """One change to a ledger. ``kind`` is one of: customer-added, customer-deleted,
    header-changed, entry-added, entry-voided, entry-changed, entry-deleted, unreadable."""

    kind: str
    description: str
    entry: str | None = None  # the entry concerned (for entry-voided: the void's own id)
    voids: str | None = None  # entry-voided: the entry it cancels
    field: str | None = None  # header-changed / entry-changed: what changed
    before: str | None = None
    after: str | None = None

    def concerns(self, entry_id: str) -> bool:
        return entry_id in (self.entry, self.voids)


def show(value: Any, currency: str | None = None) -> str | None:
    """A field value as text: amounts with the currency's digits, dates ISO, lists and maps on one line."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        if currency:
            try:
                return fmt_plain(value, currency)
            except MoneyError:
                pass
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return ", ".join(f"{k}: {show(v, currency)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(str(show(v, currency)) for v in value)
    return str(value)


def _fields(entry: EntryBase) -> dict[str, Any]:
    data = entry.model_dump(exclude_none=True)
    return {key: data[key] for key in sorted(data, key=lambda k: (ENTRY_KEY_ORDER + (k,)).index(k))}


def entry_differences(old: EntryBase, new: EntryBase, currency: str | None) -> list[tuple[str, str | None, str | None]]:
    """(field, old text, new text) for every field that differs between two contents of one entry."""
    before, after = _fields(old), _fields(new)
    keys = list(before) + [k for k in after if k not in before]
    return [
        (k, show(before.get(k), currency), show(after.get(k), currency)) for k in keys if before.get(k) != after.get(k)
    ]


def describe_differences(diffs: Sequence[tuple[str, str | None, str | None]]) -> str:
    return "; ".join(f"{field} {before or '(none)'} → {after or '(none)'}" for field, before, after in diffs)


def describe_entry(entry: EntryBase, currency: str | None) -> str:
    """A short line for an entry: type, id, date, amount and what identifies it."""
    kind = str(getattr(entry, "type", "entry")).replace("_", " ")
    parts = [str(entry.date)]
    amount = getattr(entry, "amount", None)
    if amount is not None:
        parts.append(f"{show(amount, currency)} {currency or ''}".strip())
    for key in ("due", "by", "ref", "memo"):
        value = getattr(entry, key, None)
        if value:
            parts.append(f"{key} {show(value, currency)}")
    allocations = getattr(entry, "allocations", None)
    if allocations:
        parts.append(f"applied to {show(allocations, currency)}")
    return f"{kind} {entry.id} ({', '.join(parts)})"


def header_values(customer: Customer | None) -> dict[str, Any]:
    """Header fields flattened one level (contact.phone), as comparable values."""
    if customer is None:
        return {}
    flat: dict[str, Any] = {}
    for key, value in customer.model_dump(exclude_none=True).items():
        if key in NESTED_HEADER_FIELDS and isinstance(value, dict):
            flat.update({f"{key}.{sub}": v for sub, v in value.items()})
        elif value != [] or key != "tags":
            flat[key] = value
    return flat


def _shared(same: Any, limit: int) -> int:
    """The largest m <= limit with same(m) true (same(m) implies same(m - 1))."""
    if same(limit):
        return limit
    lo, hi = 0, limit
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if same(mid):
            lo = mid
        else:
            hi = mid
    return lo


def entry_changes(
    old_entries: Sequence[EntryBase], new_entries: Sequence[EntryBase]
) -> tuple[list[EntryBase], list[tuple[EntryBase, EntryBase]], list[EntryBase]]:
    """(added, changed as (old, new), deleted) between two versions of a ledger's entries.

    The unchanged beginning and end are skipped first; in the part between, entries are matched
    by id. Entry models are immutable, and a loader that reads a version next to the previous one
    hands back the very same objects for unchanged entries, so comparing long files that differ
    in a line costs next to nothing (list comparison tries identity before equality).
    """
    old_list, new_list = list(old_entries), list(new_entries)
    limit = min(len(old_list), len(new_list))
    head = _shared(lambda m: old_list[:m] == new_list[:m], limit)
    tail = _shared(lambda m: old_list[len(old_list) - m :] == new_list[len(new_list) - m :], limit - head)
    old_entries = old_list[head : len(old_list) - tail]
    new_entries = new_list[head : len(new_list) - tail]
    in_old, in_new = set(map(id, old_entries)), set(map(id, new_entries))
    gone = list(compress(old_entries, map(not_, map(in_new.__contains__, map(id, old_entries)))))
    came = list(compress(new_entries, map(not_, map(in_old.__contains__, map(id, new_entries)))))
    if not gone and not came:
        return [], [], []
    old_first: dict[str, EntryBase] = (
        dict(zip(map(_entry_id, reversed(old_entries)), reversed(old_entries), strict=True)) if came else {}
    )
    new_ids = set(map(_entry_id, new_entries)) if gone else set()
    added: list[EntryBase] = []
    changed: list[tuple[EntryBase, EntryBase]] = []
    deleted: list[EntryBase] = []
    reported: set[str] = set()
    for entry in came:
        if entry.id in reported:
            continue
        reported.add(entry.id)
        before = old_first.get(entry.id)
        if before is None:
            added.append(entry)
        elif id(before) not in in_new and before != entry:  # (still there: this one is an extra copy)
            changed.append((before, entry))
    for entry in gone:
        if entry.id not in new_ids and entry.id not in reported:
            reported.add(entry.id)
            deleted.append(entry)
    return added, changed, deleted


def diff_versions(
    old_customer: Customer | None,
    old_entries: Sequence[EntryBase],
    new_customer: Customer | None,
    new_entries: Sequence[EntryBase],
    *,
    exists_before: bool,
    exists_after: bool,
) -> list[Change]:
    """Every change from one version of a ledger to the next: header first, then entries in file order."""
    header = new_customer or old_customer
    currency = header.currency if header else None
    changes: list[Change] = []
    if not exists_after:
        return [Change("customer-deleted", f"customer file deleted ({len(old_entries)} entries)")]
    if not exists_before and new_customer is not None:
        changes.append(Change("customer-added", f"customer added: {new_customer.name} ({new_customer.currency})"))
    elif old_customer is not None and new_customer is not None and old_customer != new_customer:
        before, after = header_values(old_customer), header_values(new_customer)
        for key in list(before) + [k for k in after if k not in before]:
            if before.get(key) != after.get(key):
                old_text, new_text = show(before.get(key), currency), show(after.get(key), currency)
                changes.append(
                    Change(
                        "header-changed",
                        f"{key}: {old_text or '(none)'} → {new_text or '(none)'}",
                        field=key,
                        before=old_text,
                        after=new_text,
                    )
                )
    added, changed, deleted = entry_changes(old_entries, new_entries)
    for entry in added:
        changes.append(_added(entry, currency))
    for old, new in changed:
        diffs = entry_differences(old, new, currency)
        changes.append(
            Change(
                "entry-changed",
                f"{new.id} changed: {describe_differences(diffs)}",
                entry=new.id,
                field=", ".join(d[0] for d in diffs),
            )
        )
    for entry in deleted:
        changes.append(Change("entry-deleted", f"deleted: {describe_entry(entry, currency)}", entry=entry.id))
    return changes


def _added(entry: EntryBase, currency: str | None) -> Change:
    if isinstance(entry, Void):
        reason = f": {entry.memo}" if entry.memo else ""
        return Change(
            "entry-voided",
            f"{entry.voids} voided by {entry.id} on {entry.date}{reason}",
            entry=entry.id,
            voids=entry.voids,
        )
    return Change("entry-added", f"added {describe_entry(entry, currency)}", entry=entry.id)


def common_changes(per_parent: Sequence[Sequence[Change]]) -> list[Change]:
    """The changes a merge made itself: those it shows against every parent."""
    if not per_parent:
        return []
    rest = [set(changes) for changes in per_parent[1:]]
    return [change for change in per_parent[0] if all(change in other for other in rest)]
