"""`export`: the whole books as of a date, for other tools (hledger, beancount, DuckDB, pandas), optionally anonymised.

The report holds the validated models (every field: memos, refs, tags, contacts), not the cache's lean
records; which balance assertions hold is decided here, with the engine, so the journals never carry an
assertion their tool would reject while ledgerctl's own figures stand.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core import engine
from ..core.anonymize import Pseudonyms, anonymous_customer, anonymous_entry, customer_id_map, entry_id_map
from ..core.models import Config, Customer, EntryBase
from ..store.books import LEDGER_DIR, Books
from ..store.ledgerfile import load_ledger
from .reading import report_rows


@dataclass(frozen=True)
class ExportedLedger:
    customer: Customer
    entries: tuple[EntryBase, ...]  # dated on or before the as-of date, in (date, id) order
    holding: frozenset[str] = frozenset()  # balance assertions that hold (and are not voided) as of the export


@dataclass(frozen=True)
class BooksExport:
    as_of: dt.date
    name: str
    config: dict[str, Any]  # what the figures depend on: defaults, aging, segments, dunning (JSON-ready)
    ledgers: tuple[ExportedLedger, ...]
    salt: str | None = None  # the salt of an anonymised export (given, or drawn for this run)
    voided: frozenset[str] = field(default_factory=frozenset)  # ids cancelled by a void dated on or before as_of


def _full_ledger(customer: Any, _entries: Sequence[Any], as_of: dt.date, root: str) -> ExportedLedger:
    # The cache keeps what reports need; an export needs every field, so the (already valid) file is read whole.
    relpath = f"{LEDGER_DIR}/{customer.id}.yaml"
    source, _ = load_ledger(Path(root) / relpath, relpath)
    assert source.customer is not None  # report_rows handed over only files that load
    entries = sorted((e for e in source.entries if e.date <= as_of), key=lambda e: (e.date, e.id))
    cancelled = engine.voided_ids(entries, as_of)
    holding = frozenset(
        e.id
        for e in entries
        if e.type == "balance" and e.id not in cancelled and engine.balance(entries, e.date) == e.amount  # type: ignore[attr-defined]
    )
    return ExportedLedger(source.customer, tuple(entries), holding)


def _config(config: Config) -> dict[str, Any]:
    # closed_through and import rules stay behind: the new books are open, and rules name payers.
    return config.model_dump(mode="json", by_alias=True, include={"defaults", "aging", "segments", "dunning"})


def export_books(books: Books, as_of: dt.date, *, anonymize: bool = False, salt: str | None = None) -> BooksExport:
    ledgers = sorted(report_rows(books, None, _full_ledger, as_of, str(books.root)), key=lambda led: led.customer.id)
    name = books.config.name
    if anonymize:
        salt = salt if salt is not None else secrets.token_hex(16)
        ledgers, name = _anonymised(ledgers, Pseudonyms(salt)), Pseudonyms(salt).text("books", name) or ""
    voided = frozenset(vid for led in ledgers for vid in engine.voided_ids(led.entries, as_of))
    return BooksExport(as_of, name, _config(books.config), tuple(ledgers), salt if anonymize else None, voided)


def _anonymised(ledgers: list[ExportedLedger], names: Pseudonyms) -> list[ExportedLedger]:
    customers = customer_id_map((led.customer for led in ledgers), names)
    ids = entry_id_map(((led.customer, led.entries) for led in ledgers), names)
    out = [
        ExportedLedger(
            anonymous_customer(led.customer, names, customers[led.customer.id]),
            tuple(sorted((anonymous_entry(e, names, ids) for e in led.entries), key=lambda e: (e.date, e.id))),
            frozenset(ids[i] for i in led.holding),
        )
        for led in ledgers
    ]
    return sorted(out, key=lambda led: led.customer.id)


def write_export(path: Path, text: str) -> None:
    """`--out FILE`: written atomically, so an interrupted export never leaves half a journal behind."""
    from ..core.errors import UsageError
    from ..store.atomic import atomic_write

    try:
        atomic_write(path, text.encode("utf-8"))
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
