"""`import invoices`: plan the invoices and credit notes of an ERP or e-invoice export; post as `import bank` does."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from ..core import engine
from ..core.errors import UsageError
from ..core.invoiceimport import INVOICE_ROLES, InvoiceRow, read_invoices
from ..core.matching import normalise
from ..core.models import CreditNote, Invoice
from ..notices import warn
from ..store.books import Books
from ..store.tabular import read_grid
from .entries import limit_figures
from .importing import Context, FileReport, Imported, Plan, Unmatched, _money_problem


def over_limit_note(books: Books, plan: Plan, reason: str | None) -> tuple[str, str] | None:
    """The invoices of ``plan`` that take customers over their credit limit, as `add invoice` treats one: refused
    (exit 2, every such customer's figures, nothing imported) unless ``credit.on_limit: warn`` or a ``reason``;
    otherwise (the why for the commit subject, the figures for its body), or None when no limit is crossed."""
    found = []
    for cid, entries in sorted(plan.entries.items()):
        # What the import adds to the balance: its invoices less its credit notes (a red-letter one reverses).
        net = sum((e.amount for e in entries if isinstance(e, Invoice)), Decimal(0)) - sum(
            (e.amount for e in entries if isinstance(e, CreditNote)), Decimal(0)
        )
        if net <= 0:
            continue
        loaded = books.load(cid)
        customer = loaded.source.customer
        assert customer is not None
        breach = engine.limit_breach(loaded.source.entries, customer.credit_limit, net)
        if breach is not None:
            found.append(f"{cid}: {limit_figures(breach, customer.currency, 'these invoices')}")
    if not found:
        return None
    if reason is not None and not reason.strip():
        raise UsageError("--over-limit-reason: say why the limits may be exceeded")
    if reason is None and books.config.credit.on_limit == "refuse":
        raise UsageError(
            f"the import would take {len(found)} customer{'s' if len(found) != 1 else ''} over the "
            f"credit limit; nothing was imported: {'; '.join(found)}",
            hint="import anyway with --over-limit-reason TEXT (kept in the commit and in `history`), "
            "or set `credit: {on_limit: warn}` in ledgerctl.yaml",
        )
    if reason is None:
        for line in found:
            warn(f"warning: over the credit limit: {line}")
    why = " ".join(reason.split()) if reason else "credit.on_limit: warn"
    return why, "Over the credit limit:\n" + "\n".join(found)


def _unmatched(row: InvoiceRow, reason: str) -> Unmatched:
    return Unmatched(row.line, row.date, row.amount, row.customer or row.customer_id, row.memo, reason)


def plan_invoices(
    books: Books,
    files: Sequence[Path],
    *,
    columns: Sequence[str] | None = None,
    profile: str | None = None,
    encoding: str | None = None,
) -> Plan:
    """What importing these invoice exports would post; nothing is written. A bad file is a UsageError (exit 2)."""
    ctx = Context(books)
    explicit = ctx.columns(tuple(INVOICE_ROLES), profile, columns)
    parsed = []
    for path in files:
        rows, skipped, problems, _ = read_invoices(read_grid(path, encoding=encoding), explicit, str(path))
        if problems:
            raise UsageError(f"{path} has lines that cannot be read; nothing was imported", problems=problems)
        parsed.append((path, rows, skipped))
    # Invoices of this run by number, so a credit note in the same export can name one: (customer, id).
    numbers: dict[str, tuple[str, str]] = {}
    reports = []
    for path, rows, skipped in parsed:
        report = FileReport(str(path), "invoices", not_transactions=list(skipped))
        seen: dict[str, int] = {}
        # Blue invoices first: a red-letter one may reverse an invoice further down the same file.
        for row in sorted(rows, key=lambda r: (r.amount < 0, r.line)):
            if row.fingerprint in seen:
                again = f"invoice number {row.number} is also on line {seen[row.fingerprint]}"
                report.unmatched.append(_unmatched(row, again))
                continue
            seen[row.fingerprint] = row.line
            if row.fingerprint in ctx.fingerprints:
                report.already_imported += 1
                continue
            _plan_row(ctx, report, row, numbers)
        report.imported.sort(key=lambda i: i.line)
        report.unmatched.sort(key=lambda u: u.line)
        reports.append(report)
    return Plan("invoices", reports)


def _customer(ctx: Context, row: InvoiceRow) -> tuple[str | None, str]:
    if row.customer_id and row.customer_id in ctx.customers:
        return row.customer_id, "id"
    if row.customer in ctx.customers:
        return row.customer, "id"
    match = ctx.directory.match(row.customer)
    return match.customer, match.reason


def _plan_row(ctx: Context, report: FileReport, row: InvoiceRow, numbers: dict[str, tuple[str, str]]) -> None:
    cid, reason = _customer(ctx, row)
    if cid is None:
        report.unmatched.append(_unmatched(row, reason))
        return
    known = ctx.customers[cid]
    currency = known.payee.currency
    problem = (
        f"the invoice is in {row.currency}; {cid}'s ledger is in {currency}"
        if row.currency and row.currency != currency
        else _money_problem(abs(row.amount), currency)
    )
    if problem:
        report.unmatched.append(_unmatched(row, f"{cid}: {problem}"))
        return
    memo = row.memo or None
    if row.amount > 0:
        due = row.due or row.date + dt.timedelta(days=known.terms_days if row.terms is None else row.terms)
        if due < row.date:
            report.unmatched.append(_unmatched(row, f"{cid}: the due date {due} is before the invoice date {row.date}"))
            return
        entry_id = ctx.new_id("invoice", cid, row.date)
        entry: Invoice | CreditNote = Invoice(
            id=entry_id,
            type="invoice",
            date=row.date,
            due=due,
            amount=row.amount,
            ref=row.number,
            memo=memo,
            fingerprint=row.fingerprint,
        )
        numbers[normalise(row.number)] = (cid, entry_id)
        ctx.left[entry_id] = row.amount
    else:
        amount = -row.amount
        allocations: dict[str, Decimal] = {}
        target = _original(ctx, cid, row, numbers)
        if target is not None and ctx.left.get(target, Decimal(0)) > 0:
            allocations[target] = min(amount, ctx.left[target])
            ctx.left[target] -= allocations[target]
        entry = CreditNote(
            id=ctx.new_id("credit_note", cid, row.date),
            type="credit_note",
            date=row.date,
            amount=amount,
            ref=row.number,
            memo=memo,
            allocations=allocations or None,
            fingerprint=row.fingerprint,
        )
    ctx.fingerprints.add(row.fingerprint)
    report.imported.append(Imported(row.line, cid, entry, currency))


def _original(ctx: Context, cid: str, row: InvoiceRow, numbers: dict[str, tuple[str, str]]) -> str | None:
    """The customer's invoice the credit note names (its number as `ref`, or its entry id), if it names one."""
    if not row.original:
        return None
    wanted = normalise(row.original)
    planned = numbers.get(wanted)
    if planned is not None and planned[0] == cid:
        return planned[1]
    for payable in ctx.customers[cid].payables:
        if wanted in (normalise(payable.id), normalise(payable.ref or "")):
            return payable.id
    return None
