"""One flat row per entry with its customer's fields: the shape of `export --format csv|jsonl`, and its way back.

Both directions live here so they cannot drift: :func:`rows_of` makes the rows, :func:`ledgers_of` rebuilds
validated models from them (`init --from-export`). Amounts are text with the currency's digits, as in
every JSON of ledgerctl; a customer without entries is one row of ``kind`` ``customer``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from pydantic import TypeAdapter, ValidationError

from .errors import UsageError
from .models import Customer, Entry, EntryBase
from .money import fmt_plain

# The first line of a jsonl export names its format and version; `init --from-export` reads only what it knows.
EXPORT_FORMAT = "ledgerctl-export"
EXPORT_VERSION = 1

SEGMENT_DIMENSIONS = ("value", "frequency", "size", "credit", "status")
CUSTOMER_COLUMNS = (
    "customer_id",
    "customer_name",
    "currency",
    "terms_days",
    "credit_limit",
    "customer_tags",
    *(f"segment_{d}" for d in SEGMENT_DIMENSIONS),
    "contact_person",
    "contact_phone",
    "contact_email",
    "contact_address",
    "notes",
    "aliases",
    "bank_accounts",
)
ENTRY_COLUMNS = (
    "entry_id",
    "type",
    "date",
    "due",
    "amount",
    "voids",
    "level",
    "invoices",
    "ref",
    "memo",
    "allocations",
    "tags",
    "fingerprint",
    "by",
)  # by: a promise's day (last: older readers' columns stay put)
COLUMNS = ("kind", *CUSTOMER_COLUMNS, *ENTRY_COLUMNS)
NUMBER_COLUMNS = ("terms_days", "credit_limit", "amount", "level")  # written as they are in CSV (never "'-50.00")


def _customer_fields(customer: Customer) -> dict[str, Any]:
    contact = customer.contact
    segments = customer.segments
    return {
        "customer_id": customer.id,
        "customer_name": customer.name,
        "currency": customer.currency,
        "terms_days": customer.terms_days,
        "credit_limit": None if customer.credit_limit is None else fmt_plain(customer.credit_limit, customer.currency),
        "customer_tags": list(customer.tags),
        **{f"segment_{d}": getattr(segments, d) if segments else None for d in SEGMENT_DIMENSIONS},
        **{f"contact_{k}": getattr(contact, k) if contact else None for k in ("person", "phone", "email", "address")},
        "notes": customer.notes,
        "aliases": list(getattr(customer, "aliases", ())),
        "bank_accounts": list(getattr(customer, "bank_accounts", ())),
    }


def _entry_fields(entry: EntryBase, currency: str) -> dict[str, Any]:
    amount = getattr(entry, "amount", None)
    allocations = getattr(entry, "allocations", None)
    return {
        "entry_id": entry.id,
        "type": entry.type,
        "date": entry.date.isoformat(),
        "due": getattr(entry, "due", None) and entry.due.isoformat(),  # type: ignore[attr-defined]
        "amount": None if amount is None else fmt_plain(amount, currency),
        "voids": getattr(entry, "voids", None),
        "level": getattr(entry, "level", None),
        "invoices": getattr(entry, "invoices", None),
        "ref": getattr(entry, "ref", None),
        "memo": entry.memo,
        "allocations": {k: fmt_plain(v, currency) for k, v in allocations.items()} if allocations else None,
        "tags": entry.tags,
        "fingerprint": getattr(entry, "fingerprint", None),
        "by": getattr(entry, "by", None) and entry.by.isoformat(),  # type: ignore[attr-defined]
    }


def rows_of(ledgers: Iterable[tuple[Customer, Sequence[EntryBase]]]) -> Iterator[dict[str, Any]]:
    """Rows in the order given: a customer's entries in (date, id) order, or one ``customer`` row."""
    empty = dict.fromkeys(ENTRY_COLUMNS)
    for customer, entries in ledgers:
        header = _customer_fields(customer)
        if not entries:
            yield {"kind": "customer", **header, **empty}
        for entry in entries:
            yield {"kind": "entry", **header, **_entry_fields(entry, customer.currency)}


_ENTRY = TypeAdapter(Entry)


def _message(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"] if not isinstance(part, int)) or "row"
    return f"{where}: {error['msg'].removeprefix('Value error, ')}"


def customer_of(row: Mapping[str, Any]) -> Customer:
    segments = {d: row.get(f"segment_{d}") for d in SEGMENT_DIMENSIONS if row.get(f"segment_{d}") is not None}
    contact = {
        k: row.get(f"contact_{k}")
        for k in ("person", "phone", "email", "address")
        if row.get(f"contact_{k}") is not None
    }
    data = {
        "id": row.get("customer_id"),
        "name": row.get("customer_name"),
        "currency": row.get("currency"),
        "terms_days": row.get("terms_days"),
        "credit_limit": row.get("credit_limit"),
        "tags": row.get("customer_tags") or [],
        "segments": segments or None,
        "contact": contact or None,
        "notes": row.get("notes"),
        "aliases": row.get("aliases") or [],
        "bank_accounts": row.get("bank_accounts") or [],
    }
    try:
        return Customer.model_validate(
            {k: v for k, v in data.items() if v is not None and k in Customer.model_fields}, strict=False
        )
    except ValidationError as exc:
        raise UsageError(f"customer {row.get('customer_id')!r}: {_message(exc)}") from None


def entry_of(row: Mapping[str, Any]) -> EntryBase:
    data = {"id": row.get("entry_id"), **{k: row.get(k) for k in ENTRY_COLUMNS if k != "entry_id"}}
    try:
        return _ENTRY.validate_python({k: v for k, v in data.items() if v is not None}, strict=False)
    except ValidationError as exc:
        raise UsageError(f"entry {row.get('entry_id')!r}: {_message(exc)}") from None


def ledgers_of(rows: Iterable[Mapping[str, Any]]) -> list[tuple[Customer, list[EntryBase]]]:
    """Customers (the header of their first row; every row of a customer must agree) with their entries."""
    found: dict[str, tuple[Customer, list[EntryBase]]] = {}
    for row in rows:
        customer = customer_of(row)
        known = found.setdefault(customer.id, (customer, []))
        if known[0] != customer:
            raise UsageError(f"customer {customer.id!r}: its rows disagree on the customer's fields")
        if row.get("kind") == "entry":
            known[1].append(entry_of(row))
        elif row.get("kind") != "customer":
            raise UsageError(
                f"customer {customer.id!r}: a row of kind {row.get('kind')!r} (entry or customer expected)"
            )
    return [found[key] for key in sorted(found)]
