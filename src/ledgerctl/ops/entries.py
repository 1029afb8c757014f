"""Posting entries: add one, void one. Each is validated, then one commit."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from ..core import engine
from ..core.errors import UsageError
from ..core.models import ENTRY_CLASSES, ENTRY_ID_PATTERN, ID_PREFIXES, EntryBase
from ..core.money import MoneyError, fmt_plain, parse_amount
from ..core.validate import correction
from ..gitops.repo import commit_message
from ..notices import warn
from ..store.ledgerfile import describe_validation_error
from ..store.yamlwrite import insert_entry
from .session import WriteSession

_SUFFIX_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U


def new_entry_id(kind: str, date: dt.date, taken: set[str]) -> str:
    """PREFIX-YYYYMMDD-XXXX: random, so clones adding entries at once never collide on merge."""
    for _ in range(1000):
        suffix = "".join(secrets.choice(_SUFFIX_ALPHABET) for _ in range(4))
        candidate = f"{ID_PREFIXES[kind]}-{date:%Y%m%d}-{suffix}"
        if candidate not in taken:
            return candidate
    raise UsageError("could not find a free entry id; pass one with --id")  # pragma: no cover


FRESH_ID_DRAWS = 20


def fresh_entry_id(session: WriteSession, kind: str, date: dt.date, own: set[str]) -> str:
    """A new id held by no ledger of the books (``own``: the ids of the ledger it goes into).

    A draw some other ledger holds (or may hold, as the books' id index says) is drawn again rather
    than refused; the session remembers the answer, so validating the change does not search again.
    """
    taken = set(own)
    for _ in range(FRESH_ID_DRAWS):
        candidate = new_entry_id(kind, date, taken)
        if session.is_free(candidate):
            return candidate
        taken.add(candidate)
    raise UsageError("could not find a free entry id; pass one with --id")  # pragma: no cover


@dataclass(frozen=True)
class Posted:
    entry: EntryBase
    customer: str
    currency: str
    commit: str | None


def parse_apply(specs: list[str]) -> list[tuple[str, str | None]]:
    """--apply DEBIT[=AMOUNT] values, as (debit id, amount text or None)."""
    result = []
    for spec in specs:
        target, _, amount = spec.partition("=")
        target = target.strip()
        if not target:
            raise UsageError(f"--apply {spec!r}: name the invoice or refund, e.g. --apply INV-20260801-7KQ2=500.00")
        result.append((target, amount.strip() or None))
    return result


def _allocations(
    credit_amount: Decimal,
    applies: list[tuple[str, str | None]],
    entries: list[EntryBase],
    currency: str,
    customer_id: str,
    owners: dict[str, str],
) -> dict[str, Decimal]:
    by_id = {e.id: e for e in entries}
    already = engine.explicit_allocations(entries)
    allocations: dict[str, Decimal] = {}
    left = credit_amount
    for target, amount_text in applies:
        debit = by_id.get(target)
        if debit is None:
            other = owners.get(target)
            if other is not None:
                raise UsageError(f"--apply {target}: that entry belongs to customer {other}, not to {customer_id}")
            raise UsageError(f"--apply {target}: {customer_id} has no such invoice or refund")
        if not debit.is_debit:
            raise UsageError(f"--apply {target}: that is a {debit.type}; only invoices and refunds can be paid")
        if amount_text is None:
            amount = min(left, debit.amount - already.get(target, Decimal(0)))  # type: ignore[attr-defined]
            if amount <= 0:
                raise UsageError(f"--apply {target}: nothing is left to apply (to it, or of this credit)")
        else:
            try:
                amount = parse_amount(amount_text, currency)
            except MoneyError as exc:
                raise UsageError(f"--apply {target}={amount_text}: {exc}") from None
        allocations[target] = allocations.get(target, Decimal(0)) + amount
        left -= amount
    return allocations


OVER_LIMIT_TRAILER = "Ledger-Over-Limit-Reason"


def limit_figures(breach: engine.LimitBreach, cur: str, what: str = "this invoice") -> str:
    return (
        f"limit {fmt_plain(breach.limit, cur)} {cur}, balance {fmt_plain(breach.balance, cur)} {cur}, "
        f"{what} {fmt_plain(breach.amount, cur)} {cur} (would owe {fmt_plain(breach.after, cur)} {cur})"
    )


def credit_limit_gate(config: Any, customer: Any, entries: Any, amount: Decimal, reason: str | None) -> str | None:
    """Refuse an invoice that takes ``customer`` over its limit (exit 2), unless ``credit.on_limit: warn`` (a warning)
    or a ``reason`` is given; returns the figures to record in the commit when it is posted over the limit."""
    breach = engine.limit_breach(entries, customer.credit_limit, amount)
    if breach is None:
        return None
    figures = limit_figures(breach, customer.currency)
    if reason is not None and not reason.strip():
        raise UsageError("--over-limit-reason: say why the limit may be exceeded")
    if reason is None and config.credit.on_limit == "refuse":
        raise UsageError(
            f"{customer.id} would go over its credit limit: {figures}",
            hint="post it anyway with --over-limit-reason TEXT (kept in the commit and in `history`), "
            "or set `credit: {on_limit: warn}` in ledgerctl.yaml",
        )
    if reason is None:
        warn(f"warning: {customer.id} goes over its credit limit: {figures}")
    return figures


def add_entry(
    session: WriteSession,
    kind: str,
    customer_id: str,
    fields: dict[str, Any],
    *,
    entry_id: str | None = None,
    applies: list[str] | None = None,
    commit: bool = True,
    over_limit_reason: str | None = None,
) -> Posted:
    """Post one entry of ``kind`` (invoice, payment, …) for a customer."""
    loaded = session.books.load(customer_id)
    session.books.require_valid(loaded)
    session.ensure_clean(loaded.source.file)
    customer = loaded.source.customer
    assert customer is not None and loaded.parsed is not None
    currency = customer.currency
    date: dt.date = fields["date"]
    session.ensure_open_period(date, f"the {kind.replace('_', ' ')}")

    data = {k: v for k, v in fields.items() if v is not None and v != []}
    if "amount" in data:
        try:
            data["amount"] = parse_amount(
                data["amount"], currency, allow_negative=kind == "balance", allow_zero=kind == "balance"
            )
        except MoneyError as exc:
            raise UsageError(f"amount: {exc}") from None
    if kind == "invoice":
        data.setdefault("due", date + dt.timedelta(days=customer.terms_days))
        if data["due"] < date:
            raise UsageError(f"the due date {data['due']} is before the invoice date {date}")
        over_limit = credit_limit_gate(
            session.books.config, customer, loaded.source.entries, data["amount"], over_limit_reason
        )
    elif over_limit_reason is not None:
        raise UsageError("--over-limit-reason is for invoices")
    else:
        over_limit = None
    if applies:
        if kind not in ("payment", "credit_note", "write_off"):
            raise UsageError("--apply is for payments, credit notes and write-offs")
        targets = parse_apply(applies)
        own = {e.id for e in loaded.source.entries}
        data["allocations"] = _allocations(
            data["amount"],
            targets,
            loaded.source.entries,
            currency,
            customer.id,
            session.owners_of(t for t, _ in targets if t not in own),  # only to name another owner
        )
    if entry_id is not None:
        if not re.match(ENTRY_ID_PATTERN, entry_id):
            raise UsageError(f"{entry_id!r} is not a valid entry id (letters, digits, . _ / -; up to 64 characters)")
        owner = session.owners_of([entry_id]).get(entry_id)
        if owner is not None:
            raise UsageError(f"entry id {entry_id} is already used (customer {owner})")
    # A random suffix: clones adding entries at once never collide; validated() still checks the books.
    data["id"] = entry_id or fresh_entry_id(session, kind, date, {e.id for e in loaded.source.entries})
    data["type"] = kind
    entry = _build(kind, data)

    new_text = insert_entry(loaded.parsed.text, loaded.parsed.tree, entry, currency)
    session.validated(loaded, new_text)
    amount = getattr(entry, "amount", None)
    money = f": {fmt_plain(amount, currency)} {currency}" if amount is not None else ""
    subject = f"add {kind.replace('_', ' ')} {entry.id} for {customer.id}{money}"
    body, trailers = "", []
    if over_limit is not None:
        # The subject is what `history` shows as the command: the reason goes there, the figures into the body.
        why = " ".join(over_limit_reason.split()) if over_limit_reason else "credit.on_limit: warn"
        subject += f", over the credit limit: {why}"
        body = f"Over the credit limit: {over_limit}"
        trailers = [f"{OVER_LIMIT_TRAILER}: {why}"]
    message = commit_message(subject, [customer.id], [entry.id], body=body)
    if trailers:
        message = message.rstrip("\n") + "\n" + "\n".join(trailers) + "\n"
    head = session.commit([(loaded.source.file, new_text, loaded.parsed.raw)], message, commit=commit)
    return Posted(entry, customer.id, currency, head)


def _build(kind: str, data: dict[str, Any]) -> EntryBase:
    try:
        return ENTRY_CLASSES[kind].model_validate(data)
    except ValidationError as exc:
        raise UsageError(describe_validation_error(exc.errors()[0])) from None


def void_entry(
    session: WriteSession, entry_id: str, reason: str, date: dt.date | None, *, today: dt.date, commit: bool = True
) -> Posted:
    """Cancel a posted entry with a void dated ``date`` (default: today, or the entry's date if later)."""
    # The entry is searched for in the books' text anyway, so the void's own id is drawn now and that
    # one search also tells whether any ledger holds it (as it would be dated unless the entry is later).
    drawn = new_entry_id("void", date or today, {entry_id})
    found = session.owners_of([entry_id, drawn], held=True)
    owner = found.get(entry_id)
    if owner is None:
        raise UsageError(f"no entry {entry_id!r} in the books", hint="see `ledgerctl customer show CUSTOMER`")
    loaded = session.books.load(owner)
    session.books.require_valid(loaded)
    session.ensure_clean(loaded.source.file)
    customer = loaded.source.customer
    assert customer is not None and loaded.parsed is not None
    target = next(e for e in loaded.source.entries if e.id == entry_id)
    if target.type == "void":
        raise UsageError(f"{entry_id} is itself a void; a void cannot be voided (post the entry again instead)")
    existing = [e for e in loaded.source.entries if getattr(e, "voids", None) == entry_id]
    if existing:
        raise UsageError(f"{entry_id} is already voided by {existing[0].id}")
    if not reason.strip():
        raise UsageError("give the reason for the void with --reason")
    void_date = date or max(today, target.date)
    if void_date < target.date:
        raise UsageError(f"the void is dated {void_date}, before the entry it cancels ({target.date})")
    session.ensure_open_period(
        target.date, f"{entry_id}", hint=correction(entry_id, target.date, session.books.config.closed_through)
    )
    session.ensure_open_period(void_date, "the void")
    void = _build(
        "void",
        {
            "id": drawn
            if drawn not in found and void_date == (date or today)
            else fresh_entry_id(session, "void", void_date, {e.id for e in loaded.source.entries}),
            "type": "void",
            "date": void_date,
            "voids": entry_id,
            "memo": reason.strip(),
        },
    )
    new_text = insert_entry(loaded.parsed.text, loaded.parsed.tree, void, customer.currency)
    session.validated(loaded, new_text)
    message = commit_message(
        f"void {entry_id} for {customer.id}: {reason.strip().splitlines()[0]}", [customer.id], [void.id, entry_id]
    )
    head = session.commit([(loaded.source.file, new_text, loaded.parsed.raw)], message, commit=commit)
    return Posted(void, customer.id, customer.currency, head)
