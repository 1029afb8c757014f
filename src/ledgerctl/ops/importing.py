"""`import bank` and `import invoices`: plan what a file adds (read-only, also the dry run), then post it in one commit.

Planning reads every customer once through the cache (names, aliases, accounts, the
fingerprints already imported, the open items a memo may name); posting goes through
:meth:`WriteSession.post_entries`, so the batch is validated and committed like any other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..core import engine
from ..core.bankimport import BankLine, NotTransaction, read_statement
from ..core.errors import UsageError
from ..core.matching import Directory, Payable, Payee, Rule, allocate_by_memo
from ..core.models import EntryBase, Payment, Refund
from ..core.money import MoneyError, check_digits
from ..core.tabular import parse_columns
from ..gitops.repo import commit_message
from ..store.books import Books
from ..store.tabular import read_grid
from .entries import OVER_LIMIT_TRAILER, new_entry_id
from .reading import report_rows
from .session import WriteSession

FAR_FUTURE = dt.date(9999, 12, 31)  # open items after every entry: what is open now, whatever the dates


@dataclass(frozen=True)
class Known:
    """What importing needs of one customer, computed in the cache's workers."""

    payee: Payee
    terms_days: int
    ids: frozenset[str]
    fingerprints: frozenset[str]
    payables: tuple[Payable, ...]
    unapplied: Decimal  # ≥ 0: credit not used by any open item


def _known(customer: Any, entries: Sequence[Any]) -> Known:
    pos = engine.position(entries, FAR_FUTURE, customer.terms_days)
    return Known(
        Payee(customer.id, customer.name, customer.currency, tuple(customer.aliases), tuple(customer.bank_accounts)),
        customer.terms_days,
        frozenset(e.id for e in entries),
        frozenset(e.fingerprint for e in entries if e.fingerprint),
        tuple(Payable(i.id, i.ref, i.open) for i in pos.open_items),
        -pos.unapplied,
    )


@dataclass(frozen=True)
class Imported:
    line: int
    customer: str
    entry: EntryBase
    currency: str

    @property
    def allocated_to(self) -> dict[str, Decimal]:
        return dict(getattr(self.entry, "allocations", None) or {})


@dataclass(frozen=True)
class Unmatched:
    line: int
    date: dt.date | None
    amount: Decimal | None
    counterparty: str
    memo: str
    reason: str
    account: str = ""


@dataclass
class FileReport:
    file: str
    kind: str  # bank | invoices
    imported: list[Imported] = field(default_factory=list)
    already_imported: int = 0
    unmatched: list[Unmatched] = field(default_factory=list)
    outgoing_skipped: int = 0
    not_transactions: list[NotTransaction] = field(default_factory=list)


@dataclass
class Plan:
    kind: str
    reports: list[FileReport]
    commit: str | None = None

    @property
    def entries(self) -> dict[str, list[EntryBase]]:
        batch: dict[str, list[EntryBase]] = {}
        for report in self.reports:
            for item in report.imported:
                batch.setdefault(item.customer, []).append(item.entry)
        return batch

    @property
    def complete(self) -> bool:
        return not any(r.unmatched for r in self.reports)


class Context:
    """The customers as importing sees them, and what this run has taken so far (ids, fingerprints, open amounts)."""

    def __init__(self, books: Books):
        config = books.config.import_
        self.profiles = {name: dict(p.columns) for name, p in config.profiles.items()}
        known = report_rows(books, None, _known)
        self.customers = {k.payee.id: k for k in known}
        rules = [Rule(r.match, r.field, r.customer) for r in config.rules]
        self.directory = Directory.of((k.payee for k in known), rules)
        self.fingerprints = set().union(*(k.fingerprints for k in known)) if known else set()
        # Ids are unique across the books: a new one avoids every id of every customer and of this run.
        self.taken: set[str] = set().union(*(k.ids for k in known)) if known else set()
        self.left = {p.id: p.open for k in known for p in k.payables}
        self.unapplied = {k.payee.id: k.unapplied for k in known}

    def new_id(self, kind: str, customer: str, date: dt.date) -> str:
        entry_id = new_entry_id(kind, date, self.taken)
        self.taken.add(entry_id)
        return entry_id

    def columns(self, roles: Sequence[str], profile: str | None, spec: Sequence[str] | None) -> dict[str, str]:
        explicit: dict[str, str] = {}
        if profile is not None:
            if profile not in self.profiles:
                raise UsageError(
                    f"--profile {profile}: no such profile in ledgerctl.yaml (import.profiles)",
                    hint=f"profiles: {', '.join(sorted(self.profiles)) or 'none defined'}",
                )
            explicit.update(self.profiles[profile])
            unknown = sorted(set(explicit) - set(roles))
            if unknown:
                raise UsageError(
                    f"import.profiles.{profile}: unknown role {', '.join(unknown)}; roles are {', '.join(roles)}"
                )
        explicit.update(parse_columns(spec, roles))
        return explicit


def _money_problem(amount: Decimal, currency: str) -> str | None:
    try:
        check_digits(amount, currency)
    except MoneyError as exc:
        return str(exc)
    return None


def plan_bank(
    books: Books,
    files: Sequence[Path],
    *,
    columns: Sequence[str] | None = None,
    profile: str | None = None,
    encoding: str | None = None,
    refunds: bool = False,
) -> Plan:
    """What importing these bank exports would post; nothing is written. A bad file is a UsageError (exit 2)."""
    from ..core.bankimport import BANK_ROLES

    ctx = Context(books)
    explicit = ctx.columns(tuple(BANK_ROLES), profile, columns)
    statements = []
    for path in files:
        statement, problems = read_statement(read_grid(path, encoding=encoding), explicit, str(path))
        if problems:
            raise UsageError(f"{path} has lines that cannot be read; nothing was imported", problems=problems)
        statements.append((path, statement))
    reports = []
    for path, statement in statements:
        report = FileReport(str(path), "bank", not_transactions=list(statement.not_transactions))
        for line in statement.lines:
            if line.fingerprint in ctx.fingerprints:
                report.already_imported += 1
            elif line.amount > 0:
                _incoming(ctx, report, line)
            elif refunds and line.amount < 0:
                _outgoing(ctx, report, line)
            else:
                report.outgoing_skipped += 1
        reports.append(report)
    return Plan("bank", reports)


def _unmatched(line: BankLine, reason: str) -> Unmatched:
    return Unmatched(line.line, line.date, line.amount, line.counterparty, line.memo, reason, line.account)


def _customer_for(ctx: Context, report: FileReport, line: BankLine) -> Known | None:
    match = ctx.directory.match(line.counterparty, line.account, line.memo)
    if match.customer is None:
        report.unmatched.append(_unmatched(line, match.reason))
        return None
    known = ctx.customers[match.customer]
    currency = known.payee.currency
    problem = (
        f"the line is in {line.currency}; {known.payee.id}'s ledger is in {currency}"
        if line.currency and line.currency != currency
        else _money_problem(line.amount, currency)
    )
    if problem:
        report.unmatched.append(_unmatched(line, f"{known.payee.id}: {problem}"))
        return None
    return known


def _memo(line: BankLine) -> str | None:
    return " · ".join(part for part in (line.counterparty, line.memo) if part) or None


def _incoming(ctx: Context, report: FileReport, line: BankLine) -> None:
    known = _customer_for(ctx, report, line)
    if known is None:
        return
    cid = known.payee.id
    allocations = allocate_by_memo(line.memo, line.amount, known.payables, ctx.left)
    for debit, amount in allocations.items():
        ctx.left[debit] -= amount
    entry = Payment(
        id=ctx.new_id("payment", cid, line.date),
        type="payment",
        date=line.date,
        amount=line.amount,
        ref=line.serial or None,
        memo=_memo(line),
        allocations=allocations or None,
        fingerprint=line.fingerprint,
    )
    ctx.fingerprints.add(line.fingerprint)
    report.imported.append(Imported(line.line, cid, entry, known.payee.currency))


def _outgoing(ctx: Context, report: FileReport, line: BankLine) -> None:
    match = ctx.directory.match(line.counterparty, line.account, line.memo)
    if match.customer is None or ctx.unapplied.get(match.customer, Decimal(0)) <= 0:
        report.outgoing_skipped += 1  # money out to someone who is no customer with credit: not ours to book
        return
    known = _customer_for(ctx, report, line)
    if known is None:
        return
    amount = -line.amount
    cid = known.payee.id
    if amount > ctx.unapplied[cid]:
        report.unmatched.append(
            _unmatched(line, f"{cid}: a refund of {amount} is more than its unapplied credit ({ctx.unapplied[cid]})")
        )
        return
    ctx.unapplied[cid] -= amount
    entry = Refund(
        id=ctx.new_id("refund", cid, line.date),
        type="refund",
        date=line.date,
        amount=amount,
        ref=line.serial or None,
        memo=_memo(line),
        fingerprint=line.fingerprint,
    )
    ctx.fingerprints.add(line.fingerprint)
    report.imported.append(Imported(line.line, cid, entry, known.payee.currency))


def post(
    session: WriteSession,
    plan: Plan,
    files: Sequence[Path],
    *,
    commit: bool = True,
    over_limit: tuple[str, str] | None = None,
) -> str | None:
    """Post every planned entry in one transaction and one commit; None when there is nothing to post.

    ``over_limit``: (why, figures) when invoices go over credit limits (invoice_import.over_limit_note): the why
    joins the subject (what `history` shows), the figures the body, the why a Ledger-Over-Limit-Reason trailer."""
    batch = plan.entries
    if not batch:
        return None
    entries = [e for items in batch.values() for e in items]
    kinds = [e.type for e in entries]
    counts = {kind: kinds.count(kind) for kind in ("payment", "refund", "invoice", "credit_note")}
    words = {"payment": "payments", "refund": "refunds", "invoice": "invoices", "credit_note": "credit notes"}
    what = " and ".join(f"{n} {words[k] if n != 1 else k.replace('_', ' ')}" for k, n in counts.items() if n)
    names = ", ".join(p.name for p in files)
    subject = f"import {plan.kind} {names}: {what} for {len(batch)} customer{'s' if len(batch) != 1 else ''}"
    if over_limit is not None:
        subject += f", over the credit limit: {over_limit[0]}"
    message = commit_message(subject, sorted(batch), [e.id for e in entries], body=over_limit[1] if over_limit else "")
    if over_limit is not None:
        message += f"{OVER_LIMIT_TRAILER}: {over_limit[0]}\n"

    _, head = session.post_entries(batch, message, commit=commit)
    plan.commit = head
    return head
