"""Customer headers: add a customer, edit its header fields, tag it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from ..core.errors import UsageError
from ..core.models import Customer
from ..core.money import MoneyError, currency_problem, fmt_plain, parse_amount
from ..core.validate import SourcedLedger
from ..gitops.repo import commit_message
from ..store.books import LoadedLedger, check_customer_id
from ..store.ledgerfile import describe_validation_error
from ..store.yamlload import parse
from ..store.yamlwrite import Quoted, render_new_ledger, set_header_field
from .session import WriteSession

CONTACT_KEYS = ("person", "phone", "email", "address")
LIST_KEYS = ("aliases", "bank_accounts")  # edit takes add_KEY / remove_KEY lists for these


def _check_header(header: dict[str, Any]) -> None:
    try:
        Customer.model_validate(header)
    except ValidationError as exc:
        raise UsageError(describe_validation_error(exc.errors()[0])) from None


def _credit_limit(text: str | None, currency: str) -> Quoted | None:
    if text is None:
        return None
    try:
        return Quoted(fmt_plain(parse_amount(text, currency, allow_zero=True), currency))
    except MoneyError as exc:
        raise UsageError(f"--credit-limit: {exc}") from None


def _currency(code: str) -> str:
    code = code.upper()
    problem = currency_problem(code)
    if problem:
        raise UsageError(problem)
    return code


def add_customer(
    session: WriteSession,
    customer_id: str,
    *,
    name: str,
    currency: str | None = None,
    terms_days: int | None = None,
    credit_limit: str | None = None,
    tags: list[str] | None = None,
    contact: dict[str, str | None] | None = None,
    notes: str | None = None,
    aliases: list[str] | None = None,
    bank_accounts: list[str] | None = None,
    commit: bool = True,
) -> Customer:
    check_customer_id(customer_id)
    path = session.books.ledger_path(customer_id)
    if path.exists():
        raise UsageError(
            f"customer {customer_id!r} already exists", hint=f"change it with `ledgerctl customer edit {customer_id}`"
        )
    defaults = session.books.config.defaults
    currency = _currency(currency or defaults.currency)
    header: dict[str, Any] = {
        "id": customer_id,
        "name": name,
        "currency": currency,
        "terms_days": defaults.terms_days if terms_days is None else terms_days,
        "credit_limit": _credit_limit(credit_limit, currency),
        "tags": sorted(set(tags or [])),
        "contact": {k: v for k, v in (contact or {}).items() if v} or None,
        "notes": notes,
        "aliases": list(dict.fromkeys(aliases or [])),
        "bank_accounts": list(dict.fromkeys(bank_accounts or [])),
    }
    _check_header({k: v for k, v in header.items() if v not in (None, [])})
    text = render_new_ledger(header)
    relpath = session.books.relpath(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    source = session.validated(LoadedLedger(SourcedLedger(relpath, customer_id, None), None), text).source
    message = commit_message(f"add customer {customer_id}: {name}", [customer_id])
    session.commit([(relpath, text, None)], message, commit=commit)
    assert source.customer is not None
    return source.customer


def edit_customer(
    session: WriteSession, customer_id: str, changes: dict[str, Any], *, commit: bool = True, subject: str | None = None
) -> Customer:
    """Apply header changes ({field: new value or None to remove}); contact keys merge into contact."""
    loaded = session.books.load(customer_id)
    session.books.require_valid(loaded)
    session.ensure_clean(loaded.source.file)
    customer = loaded.source.customer
    assert customer is not None and loaded.parsed is not None
    current = customer.model_dump(exclude_none=True)

    updates: dict[str, Any] = {}
    for key in LIST_KEYS:  # --alias adds, --remove-alias removes: the list itself is never retyped
        add, remove = changes.pop(f"add_{key}", None) or [], changes.pop(f"remove_{key}", None) or []
        if add or remove:
            what = {"aliases": "alias"}.get(key, "bank account")
            changes[key] = _edited_list(list(current.get(key, [])), add, remove, what, customer_id)
    contact_changes = {k: changes.pop(k) for k in CONTACT_KEYS if k in changes}
    if contact_changes:
        contact = dict(current.get("contact", {}))
        for key, value in contact_changes.items():
            if value:
                contact[key] = value
            else:
                contact.pop(key, None)
        updates["contact"] = {k: contact[k] for k in CONTACT_KEYS if k in contact} or None
    for key, value in changes.items():
        if key == "currency":
            value = _currency(value)
            if loaded.source.entries and value != customer.currency:
                raise UsageError("the currency of a customer with entries cannot change (every amount is in it)")
        if key == "credit_limit":
            value = _credit_limit(value, customer.currency) if value not in (None, "", "none") else None
        updates[key] = value
    updates = {k: v for k, v in updates.items() if _differs(current.get(k), v)}
    if not updates:
        raise UsageError(
            f"nothing to change for {customer_id}", hint="pass at least one option that differs, see --help"
        )

    text = loaded.parsed.text
    for key, value in updates.items():  # re-parse between edits: each one moves the spans after it
        text = set_header_field(text, parse(text), key, value)
    result = session.validated(loaded, text)
    fields = ", ".join(sorted(updates))
    message = commit_message(subject or f"edit customer {customer_id}: {fields}", [customer_id])
    session.commit([(loaded.source.file, text, loaded.parsed.raw)], message, commit=commit)
    assert result.source.customer is not None
    return result.source.customer


def _edited_list(current: list[str], add: list[str], remove: list[str], what: str, customer_id: str) -> list[str]:
    missing = [v for v in remove if v not in current]
    if missing:
        raise UsageError(
            f"{customer_id} has no {what} {', '.join(repr(v) for v in missing)}",
            hint=f"it has: {', '.join(current) or 'none'}",
        )
    kept = [v for v in current if v not in remove]
    return kept + [v for v in dict.fromkeys(add) if v not in kept]


def _differs(old: object, new: object) -> bool:
    if isinstance(new, Quoted) and old is not None:
        return Decimal(new) != old
    return old != new


def set_tags(
    session: WriteSession, customer_id: str, tags: list[str], *, remove: bool, commit: bool = True
) -> Customer:
    loaded = session.books.load(customer_id)
    session.books.require_valid(loaded)
    customer = loaded.source.customer
    assert customer is not None
    current = list(customer.tags)
    if remove:
        missing = [t for t in tags if t not in current]
        if missing:
            raise UsageError(f"{customer_id} has no tag {', '.join(missing)}")
        new = [t for t in current if t not in tags]
        verb = "untag"
    else:
        new = current + [t for t in dict.fromkeys(tags) if t not in current]
        verb = "tag"
    if new == current:
        raise UsageError(f"{customer_id} already has {'these tags' if len(tags) > 1 else 'that tag'}")
    return edit_customer(
        session, customer_id, {"tags": new}, commit=commit, subject=f"{verb} {customer_id}: {' '.join(tags)}"
    )
