"""`reconcile` (open items and allocations, statements, balances) and `close`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ..core import engine
from ..core.errors import Findings, InvalidBooks, UsageError
from ..core.models import Customer, EntryBase
from ..core.money import MoneyError, fmt_plain, parse_amount
from ..core.reconcile import (
    BalanceAgreement,
    StatementReport,
    Suggestion,
    agree_balance,
    match_statement,
    suggest_allocations,
)
from ..gitops.repo import commit_message
from ..store.books import CONFIG_NAME, Books, LoadedLedger
from ..store.ledgerfile import load_config, read_file
from ..store.statement_csv import read_statement
from ..store.yamlload import parse
from ..store.yamlwrite import Quoted, add_allocations, set_top_level
from .checking import check_books
from .entries import Posted, add_entry
from .lost import load_for_report
from .session import WriteSession


def _loaded(books: Books, customer_id: str, *, report: bool = False) -> tuple[LoadedLedger, Customer]:
    # A report (not a write, which refuses an edited file anyway) warns when the file lost posted entries.
    loaded = load_for_report(books, customer_id) if report else books.load(customer_id)
    if loaded.source.problems or loaded.source.customer is None:
        raise InvalidBooks(f"{loaded.source.file} does not load", problems=loaded.source.problems)
    return loaded, loaded.source.customer


@dataclass(frozen=True)
class OpenView:
    customer: Customer
    position: engine.Position
    suggestions: list[Suggestion]
    entries: list[EntryBase]


def open_items(books: Books, customer_id: str, as_of: dt.date) -> OpenView:
    loaded, customer = _loaded(books, customer_id, report=True)
    entries = loaded.source.entries
    return OpenView(
        customer,
        engine.position(entries, as_of, customer.terms_days),
        suggest_allocations(entries, as_of, customer.terms_days),
        entries,
    )


def apply_suggestions(
    session: WriteSession, customer_id: str, as_of: dt.date
) -> tuple[list[Suggestion], list[Suggestion]]:
    """Write the suggestions as explicit allocations in one commit; returns (applied, skipped as closed)."""
    loaded, customer = _loaded(session.books, customer_id)
    session.ensure_clean(loaded.source.file)
    assert loaded.parsed is not None
    suggestions = suggest_allocations(loaded.source.entries, as_of, customer.terms_days)
    by_id = {e.id: e for e in loaded.source.entries}
    closed = session.books.config.closed_through
    skipped = [s for s in suggestions if closed is not None and by_id[s.credit].date <= closed]
    applied = [s for s in suggestions if s not in skipped]
    if not suggestions:
        raise UsageError(f"nothing to apply: every credit of {customer_id} is allocated or nothing is open")
    if not applied:
        raise UsageError(f"every suggested allocation is on a credit in the closed period (closed through {closed})")
    grouped: dict[str, dict[str, Decimal]] = {}
    for s in applied:
        grouped.setdefault(s.credit, {})
        grouped[s.credit][s.debit] = grouped[s.credit].get(s.debit, Decimal(0)) + s.amount
    text = loaded.parsed.text
    for credit_id, allocations in grouped.items():
        text = add_allocations(
            text, parse(text), credit_id, {k: Quoted(fmt_plain(v, customer.currency)) for k, v in allocations.items()}
        )
    result = session.validated(loaded, text)
    before = engine.position(loaded.source.entries, as_of, customer.terms_days).balance
    after = engine.position(result.source.entries, as_of, customer.terms_days).balance
    assert before == after, "allocations never change a balance"
    count = len(grouped)
    message = commit_message(
        f"reconcile {customer_id}: allocate {count} credit{'s' if count != 1 else ''}", [customer_id], list(grouped)
    )
    session.commit([(loaded.source.file, text, loaded.parsed.raw)], message)
    return applied, skipped


def statement(
    books: Books, customer_id: str, path: Path, *, encoding: str | None, columns: str | None, mirror: bool, days: int
) -> tuple[Customer, StatementReport]:
    loaded, customer = _loaded(books, customer_id, report=True)
    lines = read_statement(path, customer.currency, encoding=encoding, columns=columns, mirror=mirror)
    if not lines:
        raise UsageError(f"{path} has no statement lines")
    return customer, match_statement(lines, loaded.source.entries, days=days)


@dataclass(frozen=True)
class Agreed:
    agreement: BalanceAgreement
    posted: Posted | None  # the recorded `balance` entry; None when the figures differ
    currency: str  # the customer's, to show the figures in


def agree(session: WriteSession, customer_id: str, amount_text: str, as_of: dt.date) -> Agreed:
    """Equal → a `balance` entry is recorded (one commit); different → the caller reports it (exit 1)."""
    loaded, customer = _loaded(session.books, customer_id)
    try:
        theirs = parse_amount(amount_text, customer.currency, allow_zero=True, allow_negative=True)
    except MoneyError as exc:
        raise UsageError(f"--balance: {exc}") from None
    agreement = agree_balance(loaded.source.entries, as_of, theirs)
    if agreement.difference != 0:
        return Agreed(agreement, None, customer.currency)
    posted = add_entry(
        session, "balance", customer_id, {"date": as_of, "amount": amount_text, "memo": "agreed with the customer"}
    )
    return Agreed(agreement, posted, customer.currency)


def close(
    session: WriteSession, date: dt.date, today: dt.date, *, reopen: bool = False, reason: str | None = None
) -> str:
    """Set closed_through (forward, after a clean check) or, deliberately, back; commit and tag."""
    books = session.books
    current = books.config.closed_through
    if reopen:
        if not reason or not reason.strip():
            raise UsageError("say why the period is reopened: --reason TEXT")
        if current is None or date >= current:
            raise UsageError(
                f"--reopen moves the closed date back; the books are closed through {current or 'nothing yet'}"
            )
    else:
        if current is not None and date <= current:
            raise UsageError(
                f"the books are already closed through {current}; close never moves the date back",
                hint="to reopen a period: ledgerctl close --reopen DATE --reason TEXT",
            )
        if date > today:
            raise UsageError(f"{date} is in the future; close a period that has ended")
        result = check_books(books, session.repo)
        if not result.ok:
            raise Findings(f"not closed: `check` found {len(result.problems)} problem(s)", problems=result.problems)
    session.ensure_clean(CONFIG_NAME)
    parsed = read_file(books.root / CONFIG_NAME)
    text = set_top_level(parsed.text, parsed.tree, "closed_through", date)
    _, problems = load_config(books.root / CONFIG_NAME, raw=text.encode("utf-8"))
    if problems:
        raise InvalidBooks("the configuration would not be valid", problems=problems)
    if reopen:
        subject = f"reopen books after {date} (were closed through {current}): {reason.strip().splitlines()[0]}"  # type: ignore[union-attr]
    else:
        subject = f"close books through {date}"
    # The tag travels in the journal: a crash after the commit leaves it for recovery to create.
    tag = None if reopen else (f"closed/{date}", f"books closed through {date}")
    if tag and session.repo.has_tag(tag[0]):
        tag = None  # closed through this date before a reopen: that tag stays, tags never move
    head = session.commit(
        [(CONFIG_NAME, text, parsed.raw)], commit_message(subject, reopen_reason=reason if reopen else None), tag=tag
    )
    return head or ""
