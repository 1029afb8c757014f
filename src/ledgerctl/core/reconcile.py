"""Reconciliation, pure: allocation suggestions, statement matching, balance agreement.

Everything works on the entries of one customer and the numbers of SPEC 3.1
(:mod:`.engine`); nothing here reads files or the clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from . import engine
from .models import EntryBase

ZERO = Decimal(0)


# --- suggested allocations -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Suggestion:
    credit: str
    debit: str
    amount: Decimal
    reason: str  # why: "ref", "amount" or "oldest"
    explanation: str


def explicit_open(entries: Sequence[EntryBase], as_of: dt.date) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """Per debit live at ``as_of``: its amount less every explicit allocation to it; per credit live at
    ``as_of``: its amount not yet allocated.

    SPEC 3's limits count the allocations of every credit that is not voided, whatever its
    date, so these do too: a suggestion can then never break them. The FIFO pool is what
    pays the rest implicitly; a suggestion makes that explicit.
    """
    cancelled = engine.voided_ids(entries)
    live = engine.effective_entries(entries, as_of)
    allocated = engine.explicit_allocations(entries)
    debit_open = {
        e.id: max(e.amount - allocated.get(e.id, ZERO), ZERO)  # type: ignore[attr-defined]
        for e in live
        if e.sign > 0
    }
    credit_left: dict[str, Decimal] = {}
    for credit in (e for e in live if e.sign < 0 and e.id not in cancelled):
        left = credit.amount - sum((credit.allocations or {}).values(), ZERO)  # type: ignore[attr-defined]
        if left > 0:
            credit_left[credit.id] = left
    return debit_open, credit_left


def suggest_allocations(entries: Sequence[EntryBase], as_of: dt.date, terms_days: int = 30) -> list[Suggestion]:
    """For every credit with an unallocated rest: by reference, else by exact amount, else oldest first."""
    debit_open, credit_left = explicit_open(entries, as_of)
    by_id = {e.id: e for e in entries}
    debits = sorted((by_id[i] for i in debit_open), key=lambda d: (engine.due_date(d, terms_days), d.date, d.id))
    suggestions: list[Suggestion] = []
    for credit in sorted((by_id[i] for i in credit_left), key=lambda c: (c.date, c.id)):
        left = credit_left[credit.id]
        # A debit this credit already names keeps its allocation as it is: --apply never changes one.
        named = set(getattr(credit, "allocations", None) or {})
        open_debits = [d for d in debits if debit_open[d.id] > 0 and d.id not in named]
        ref = (getattr(credit, "ref", None) or "").strip()
        by_ref = [d for d in open_debits if ref and ref in (d.id, (getattr(d, "ref", None) or "").strip())]
        if by_ref:
            target = by_ref[0]
            amount = min(left, debit_open[target.id])
            suggestions.append(
                Suggestion(credit.id, target.id, amount, "ref", f"the credit's ref {ref!r} names {target.id}")
            )
            debit_open[target.id] -= amount
            left -= amount
        if left > 0 and not by_ref:
            exact = [d for d in open_debits if debit_open[d.id] == left]
            if len(exact) == 1:
                target = exact[0]
                suggestions.append(
                    Suggestion(
                        credit.id,
                        target.id,
                        left,
                        "amount",
                        f"the credit's {left} equals the open amount of {target.id} exactly",
                    )
                )
                debit_open[target.id] = ZERO
                left = ZERO
        for target in open_debits:
            if left <= 0:
                break
            amount = min(left, debit_open[target.id])
            if amount <= 0:
                continue
            suggestions.append(
                Suggestion(
                    credit.id,
                    target.id,
                    amount,
                    "oldest",
                    f"oldest open item first (due {engine.due_date(target, terms_days)})",
                )
            )
            debit_open[target.id] -= amount
            left -= amount
    return suggestions


# --- statement matching --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StatementLine:
    number: int  # line in the file
    date: dt.date
    ref: str
    description: str
    amount: Decimal  # signed from our side: + raises what the customer owes, − lowers it
    balance: Decimal | None = None


@dataclass(frozen=True, slots=True)
class LedgerItem:
    id: str
    type: str
    date: dt.date
    ref: str | None
    amount: Decimal  # signed like StatementLine.amount


@dataclass
class StatementReport:
    matched: list[tuple[StatementLine, LedgerItem, str]] = field(default_factory=list)  # (line, entry, how)
    amount_differences: list[tuple[StatementLine, LedgerItem]] = field(default_factory=list)
    only_in_statement: list[StatementLine] = field(default_factory=list)
    only_in_ledger: list[LedgerItem] = field(default_factory=list)
    last_date: dt.date | None = None
    statement_balance: Decimal | None = None
    ledger_balance: Decimal | None = None

    @property
    def balance_difference(self) -> Decimal | None:
        if self.statement_balance is None or self.ledger_balance is None:
            return None
        return self.ledger_balance - self.statement_balance

    @property
    def agrees(self) -> bool:
        return not (self.amount_differences or self.only_in_statement or self.only_in_ledger or self.balance_difference)


def ledger_items(entries: Sequence[EntryBase], start: dt.date, end: dt.date) -> list[LedgerItem]:
    """Money entries that count at ``end`` and are dated in [start, end]."""
    return [
        LedgerItem(e.id, e.type, e.date, getattr(e, "ref", None), e.amount * e.sign)  # type: ignore[attr-defined]
        for e in engine.effective_entries(entries, end)
        if e.sign and start <= e.date <= end
    ]


def _mentions(line: StatementLine, item: LedgerItem) -> bool:
    tokens = {t for t in (item.id, item.ref) if t and len(t.strip()) >= 3}
    texts = (line.ref.strip(), line.description)
    return any(token == line.ref.strip() or token in text for token in tokens for text in texts if text)


def match_statement(lines: Sequence[StatementLine], entries: Sequence[EntryBase], *, days: int = 3) -> StatementReport:
    """One-to-one matching: by reference first, then by exact amount within ± ``days``."""
    report = StatementReport()
    if not lines:
        return report
    start, end = min(line.date for line in lines), max(line.date for line in lines)
    margin = dt.timedelta(days=days)
    # Entries just outside the statement's dates may match its first or last lines;
    # unmatched, only those inside its dates are "missing from the statement".
    free = ledger_items(entries, start - margin, end + margin)
    pending: list[StatementLine] = []
    for line in sorted(lines, key=lambda x: (x.date, x.number)):
        by_ref = [item for item in free if _mentions(line, item)]
        if by_ref:
            item = min(by_ref, key=lambda i: (i.amount != line.amount, abs((i.date - line.date).days)))
            free.remove(item)
            if item.amount == line.amount:
                report.matched.append((line, item, "reference"))
            else:
                report.amount_differences.append((line, item))
        else:
            pending.append(line)
    for line in pending:
        candidates = [i for i in free if i.amount == line.amount and abs((i.date - line.date).days) <= days]
        if candidates:
            item = min(candidates, key=lambda i: (abs((i.date - line.date).days), i.date, i.id))
            free.remove(item)
            report.matched.append((line, item, f"amount, {abs((item.date - line.date).days)} day(s) apart"))
        else:
            report.only_in_statement.append(line)
    report.only_in_ledger = sorted((i for i in free if start <= i.date <= end), key=lambda i: (i.date, i.id))
    report.last_date = end
    last_with_balance = [line for line in sorted(lines, key=lambda x: (x.date, x.number)) if line.balance is not None]
    if last_with_balance:
        report.statement_balance = last_with_balance[-1].balance
        report.last_date = last_with_balance[-1].date
        report.ledger_balance = engine.balance(entries, report.last_date)
    return report


# --- balance agreement ---------------------------------------------------------------


@dataclass(frozen=True)
class BalanceAgreement:
    as_of: dt.date
    ours: Decimal
    theirs: Decimal
    since: dt.date | None  # the last agreed (asserted) balance before as_of
    candidates: list[EntryBase]  # entries after it, which could explain a difference

    @property
    def difference(self) -> Decimal:
        return self.ours - self.theirs


def agree_balance(entries: Sequence[EntryBase], as_of: dt.date, theirs: Decimal) -> BalanceAgreement:
    ours = engine.balance(entries, as_of)
    cancelled = engine.voided_ids(entries, as_of)
    agreed = [e.date for e in entries if e.type == "balance" and e.date < as_of and e.id not in cancelled]
    since = max(agreed) if agreed else None
    candidates = sorted(
        (e for e in engine.effective_entries(entries, as_of) if e.sign and (since is None or e.date > since)),
        key=lambda e: (e.date, e.id),
    )
    return BalanceAgreement(as_of, ours, theirs, since, candidates)
