"""Stable pseudonyms for sharing books: a keyed hash (HMAC-SHA256 with a salt) of each identifying value.

The same value gets the same pseudonym in every export made with the same salt, so two exports can
be compared and a bug report can name a customer; without the salt the hash cannot be reversed or
checked against guesses (a plain hash of a customer id made from a name could be). Each kind of
value is hashed in its own domain ("customer-id", "memo", …), so equal texts in different fields
do not reveal each other. What is kept and what is replaced: docs/export.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Iterable, Sequence
from typing import Any

from .errors import UsageError
from .models import ID_PREFIXES, Contact, Customer, EntryBase


class Pseudonyms:
    """Pseudonyms under one salt; every one is valid where the original stood (ids match their patterns)."""

    def __init__(self, salt: str):
        self._key = salt.encode("utf-8")

    def digest(self, kind: str, value: str) -> str:
        return hmac.new(self._key, f"{kind}\x00{value}".encode(), hashlib.sha256).hexdigest()

    def customer_id(self, value: str) -> str:
        return "c-" + self.digest("customer-id", value)[:16]

    def entry_id(self, value: str, kind: str, day: dt.date | None = None, rank: int = 0) -> str:
        """Type prefix, date and rank within the day (all kept anyway), then the keyed hash of the original id.

        The engine breaks ties between items of one due date and date by id (SPEC 3.1, FIFO), so pseudonyms
        must sort within a day as the originals did, or the pool would pay another item first.
        """
        stamp = f"{day:%Y%m%d}-{rank:04d}-" if day is not None else ""
        return f"{ID_PREFIXES.get(kind, 'E')}-{stamp}{self.digest('entry-id', value)[:12].upper()}"

    def text(self, kind: str, value: str | None) -> str | None:
        return None if value is None else f"{kind} {self.digest(kind, value)[:12]}"

    def ref(self, value: str | None) -> str | None:
        return None if value is None else "ref-" + self.digest("ref", value)[:12]

    def email(self, value: str | None) -> str | None:
        return None if value is None else self.digest("email", value)[:12] + "@example.invalid"

    def bank_account(self, value: str) -> str:
        return "ACCT" + self.digest("bank-account", value)[:16].upper()

    def fingerprint(self, value: str | None) -> str | None:
        if value is None:
            return None
        source = value.split(":", 1)[0]  # bank: / invoice: says where an entry came from, nothing about whom
        return f"{source}:{self.digest('fingerprint', value)[:24]}"


def _unique(mapping: dict[str, str], what: str) -> dict[str, str]:
    if len(set(mapping.values())) != len(mapping):  # 64 bits of HMAC: never in practice, but never silently
        raise UsageError(f"two {what} got the same pseudonym with this salt", hint="export again with another --salt")
    return mapping


def entry_id_map(ledgers: Iterable[tuple[Customer, Sequence[EntryBase]]], names: Pseudonyms) -> dict[str, str]:
    """Every entry id of the books → its pseudonym (ids are unique across the books, so are these)."""
    by_day: dict[dt.date, list[EntryBase]] = {}
    for _, entries in ledgers:
        for entry in entries:
            by_day.setdefault(entry.date, []).append(entry)
    return _unique(
        {
            e.id: names.entry_id(e.id, e.type, day, rank)
            for day, entries in by_day.items()
            for rank, e in enumerate(sorted(entries, key=lambda e: e.id))
        },
        "entry ids",
    )


def customer_id_map(customers: Iterable[Customer], names: Pseudonyms) -> dict[str, str]:
    return _unique({c.id: names.customer_id(c.id) for c in customers}, "customer ids")


def anonymous_customer(customer: Customer, names: Pseudonyms, new_id: str) -> Customer:
    contact = customer.contact
    if contact is not None:
        contact = Contact(
            person=names.text("person", contact.person),
            phone=names.text("phone", contact.phone),
            email=names.email(contact.email),
            address=names.text("address", contact.address),
        )
    update = {
        "id": new_id,
        "name": names.text("customer", customer.name),
        "contact": contact,
        "notes": names.text("note", customer.notes),
        "aliases": [names.text("alias", alias) for alias in getattr(customer, "aliases", ())],
        "bank_accounts": [names.bank_account(account) for account in getattr(customer, "bank_accounts", ())],
    }
    return customer.model_copy(update={k: v for k, v in update.items() if k in type(customer).model_fields})


def anonymous_entry(entry: EntryBase, names: Pseudonyms, ids: dict[str, str]) -> EntryBase:
    def mapped(entry_id: str) -> str:
        return ids.get(entry_id) or names.entry_id(entry_id, "")

    update: dict[str, Any] = {"id": ids[entry.id], "memo": names.text("memo", entry.memo)}
    values = dict(entry)  # field -> value; which fields there are depends on the entry's type
    if "fingerprint" in values:
        update["fingerprint"] = names.fingerprint(values["fingerprint"])
    if "ref" in values:
        update["ref"] = names.ref(values["ref"])
    if "voids" in values:
        update["voids"] = mapped(values["voids"])
    if "invoices" in values:
        update["invoices"] = [mapped(i) for i in values["invoices"]]
    allocations = values.get("allocations")
    if allocations:
        update["allocations"] = {mapped(target): amount for target, amount in allocations.items()}
    return entry.model_copy(update=update)
