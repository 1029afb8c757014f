"""Three-way merge of one customer ledger, decided on the models. Pure.

Entries: the union by id (nothing is ever lost: a deletion on one side does not
win, posted entries are never deleted); the same id with two different contents
is a conflict — except a credit that only gained allocations (`reconcile
--apply`) on either side, whose allocations merge when they name different debits. Header: a field changed on one side only takes that side's
value; changed on both sides to different values, it is a conflict. ``contact``
and ``segments`` merge key by key, ``tags`` as a set. The store turns the plan
into text (:mod:`ledgerctl.ops.mergedriver`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .changes import NESTED_HEADER_FIELDS, entry_differences, show
from .models import CreditBase, Customer, EntryBase
from .validate import only_gained_allocations


@dataclass(frozen=True)
class Conflict:
    kind: str  # "entry" or "header"
    key: str  # the entry id or the header field
    message: str


@dataclass
class MergePlan:
    header: dict[str, Any] = field(default_factory=dict)  # field -> value to set in ours (None: remove)
    add: list[EntryBase] = field(default_factory=list)  # theirs' entries ours lacks, in (date, id) order
    allocations: dict[str, dict[str, Any]] = field(default_factory=dict)  # credit id -> allocations theirs gained
    conflicts: list[Conflict] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.conflicts


@dataclass(frozen=True)
class Side:
    customer: Customer | None
    entries: Sequence[EntryBase]


_UNSET = object()


def _three_way(base: Any, ours: Any, theirs: Any) -> Any:
    """The merged value, or _UNSET when both sides changed it differently."""
    if ours == theirs or theirs == base:
        return ours
    if ours == base:
        return theirs
    return _UNSET


def _merge_tags(base: list[str], ours: list[str], theirs: list[str]) -> list[str]:
    dropped = (set(base) - set(ours)) | (set(base) - set(theirs))
    merged = [t for t in ours if t not in dropped]
    return merged + [t for t in theirs if t not in merged and t not in dropped]


def _merge_header(base: Customer | None, ours: Customer, theirs: Customer, plan: MergePlan) -> None:
    b = base.model_dump(exclude_none=True) if base is not None else {}
    o = ours.model_dump(exclude_none=True)
    t = theirs.model_dump(exclude_none=True)
    for key in [*o, *(k for k in t if k not in o)]:
        if key == "tags":
            merged: Any = _merge_tags(b.get(key, []), o.get(key, []), t.get(key, []))
        elif key in NESTED_HEADER_FIELDS:
            bs, os_, ts = b.get(key) or {}, o.get(key) or {}, t.get(key) or {}
            merged = {}
            for sub in [*os_, *(k for k in ts if k not in os_)]:
                value = _three_way(bs.get(sub), os_.get(sub), ts.get(sub))
                if value is _UNSET:
                    merged = _UNSET
                    break
                if value is not None:
                    merged[sub] = value
            if merged is not _UNSET:
                merged = merged or None
        else:
            merged = _three_way(b.get(key), o.get(key), t.get(key))
        if merged is _UNSET:
            currency = ours.currency
            plan.conflicts.append(
                Conflict(
                    "header",
                    key,
                    f"customer {key} was changed on both sides: ours "
                    f"{show(o.get(key), currency) or '(none)'}, theirs {show(t.get(key), currency) or '(none)'}",
                )
            )
        elif merged != o.get(key):
            plan.header[key] = merged


def _gained(base: EntryBase | None, ours: EntryBase, theirs: EntryBase) -> dict[str, Any] | None:
    """A credit that only gained allocations on one side or both (`reconcile --apply`) merges: the
    allocations theirs gained that ours lacks. None when the two contents really disagree."""
    if base is None or not isinstance(ours, CreditBase) or not isinstance(theirs, CreditBase):
        return None
    if not (ours == base or only_gained_allocations(base, ours)) or not (
        theirs == base or only_gained_allocations(base, theirs)
    ):
        return None
    mine, other = ours.allocations or {}, theirs.allocations or {}
    if any(mine[k] != v for k, v in other.items() if k in mine):
        return None  # both allocated to the same debit, differently
    return {k: v for k, v in other.items() if k not in mine}


def plan_merge(base: Side | None, ours: Side, theirs: Side) -> MergePlan:
    """What to change in ours to merge theirs in (ours and theirs must have headers)."""
    assert ours.customer is not None and theirs.customer is not None
    plan = MergePlan()
    _merge_header(base.customer if base else None, ours.customer, theirs.customer, plan)
    currency = ours.customer.currency
    ours_by_id: dict[str, EntryBase] = {}
    for entry in ours.entries:
        ours_by_id.setdefault(entry.id, entry)
    base_by_id: dict[str, EntryBase] = {}
    for entry in base.entries if base else ():
        base_by_id.setdefault(entry.id, entry)
    added: dict[str, EntryBase] = {}
    for entry in theirs.entries:
        mine = ours_by_id.get(entry.id)
        if mine is None:
            added.setdefault(entry.id, entry)
        elif mine != entry and entry.id not in plan.allocations and not any(c.key == entry.id for c in plan.conflicts):
            gained = _gained(base_by_id.get(entry.id), mine, entry)
            if gained is not None:
                if gained:
                    plan.allocations[entry.id] = gained
                continue
            diffs = "; ".join(
                f"{name} {a or '(none)'} (ours) vs {b or '(none)'} (theirs)"
                for name, a, b in entry_differences(mine, entry, currency)
            )
            plan.conflicts.append(Conflict("entry", entry.id, f"entry {entry.id} has two different contents: {diffs}"))
    plan.add = sorted(added.values(), key=lambda e: (e.date, e.id))
    return plan
