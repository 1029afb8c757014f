"""The books as an hledger or a beancount journal (`export --format hledger|beancount`).

One account per customer under ``Assets:Receivable``, one counter-account per entry type, amounts with the
currency's minor digits. A void is the reversing transaction of what it voids, on the void's own date, so
either tool's balance at any date equals `ledgerctl balance` there. A ``balance`` entry becomes the tool's
balance assertion only where it holds in the books (ops/export.py decides) and is not voided: hledger's
``=`` is checked after the postings of its date (so it is written after them), beancount's ``balance``
at the START of its date (so it is dated the next day). Other assertions, notes and reminders are kept as
comments (hledger) or ``note`` directives (beancount), with their ids.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING

from ..core.models import EntryBase
from ..core.money import fmt_plain, minor_digits

if TYPE_CHECKING:
    from ..ops.export import BooksExport, ExportedLedger

COUNTER = {
    "invoice": "Income:Sales",
    "payment": "Assets:Bank",
    "credit_note": "Income:Returns",
    "write_off": "Expenses:BadDebt",
    "refund": "Assets:Bank",
}
RECEIVABLE = "Assets:Receivable"
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def _one_line(text: str) -> str:
    return _CONTROL.sub(" ", text).strip()


def _money_entries(led: ExportedLedger) -> dict[str, EntryBase]:
    return {e.id: e for e in led.entries if e.type in COUNTER}


def _signed(entry: EntryBase) -> Decimal:
    return entry.amount * entry.sign  # type: ignore[attr-defined, no-any-return]


def _events(export: BooksExport) -> Iterator[tuple[dt.date, int, str, ExportedLedger, EntryBase]]:
    """Every entry in journal order: by date; money and voids before the day's assertions; then customer, id."""
    for led in export.ledgers:
        for entry in led.entries:
            yield entry.date, 1 if entry.type == "balance" else 0, led.customer.id, led, entry


def _ordered(export: BooksExport) -> list[tuple[dt.date, int, str, ExportedLedger, EntryBase]]:
    return sorted(_events(export), key=lambda event: (event[0], event[1], event[2], event[4].id))


# --- hledger -----------------------------------------------------------------------


def _hledger_text(text: str) -> str:
    # A description ends at ";" and a tag value at ",": both kept as their full-width forms.
    return _one_line(text).replace(";", "；").replace(",", "，")


def hledger_account(customer_id: str) -> str:
    return f"{RECEIVABLE}:{customer_id}"  # customer ids ([a-z0-9._-]) are valid hledger account names as they are


def _hledger_amount(amount: Decimal, currency: str) -> str:
    return f"{fmt_plain(amount, currency)} {currency}"


def _hledger_tags(pairs: list[tuple[str, object]]) -> list[str]:
    return [f"    ; {key}: {_hledger_text(str(value))}" for key, value in pairs if value not in (None, "", [])]


def _entry_tags(led: ExportedLedger, entry: EntryBase) -> list[tuple[str, object]]:
    invoices = getattr(entry, "invoices", None)
    return [
        ("entry", entry.id),
        ("type", entry.type),
        ("customer", led.customer.id),
        ("ref", getattr(entry, "ref", None)),
        ("due", getattr(entry, "due", None)),
        ("voids", getattr(entry, "voids", None)),
        ("level", getattr(entry, "level", None)),
        ("invoices", " ".join(invoices) if invoices else None),
        ("tags", " ".join(entry.tags) if entry.tags else None),
    ]


def _postings(led: ExportedLedger, entry: EntryBase, receivable: str) -> list[tuple[str, Decimal]]:
    """(account, signed amount) of an entry; a void's are those of what it voids, negated."""
    target = _money_entries(led).get(getattr(entry, "voids", "")) if entry.type == "void" else entry
    if target is None or target.type not in COUNTER:
        return []
    amount = _signed(target) * (-1 if entry.type == "void" else 1)
    return [(receivable, amount), (COUNTER[target.type], -amount)]


def hledger_journal(export: BooksExport) -> str:
    currencies = sorted({led.customer.currency for led in export.ledgers})
    out = [
        f"; ledgerctl export of {_hledger_text(export.name)} as of {export.as_of}: `hledger -f FILE bal {RECEIVABLE}`",
        "decimal-mark .",
        "",
    ]
    # "1000." for a currency without minor units: hledger wants the decimal mark said even then
    out += [
        f"commodity {fmt_plain(Decimal(1000), code)}{'' if minor_digits(code) else '.'} {code}" for code in currencies
    ]
    out.append("")
    for led in export.ledgers:
        out.append(f"account {hledger_account(led.customer.id)}")
        out += _hledger_tags(
            [("customer_id", led.customer.id), ("name", led.customer.name), ("currency", led.customer.currency)]
        )
    out += [f"account {name}" for name in sorted(set(COUNTER.values()))] + [""]
    for day, _, _, led, entry in _ordered(export):
        currency = led.customer.currency
        what = entry.memo or entry.type.replace("_", " ")
        if entry.type == "balance":
            holds = entry.id in led.holding and entry.id not in export.voided
            amount = _hledger_amount(entry.amount, currency)  # type: ignore[attr-defined]
            if not holds:
                out += [
                    f"; {day} {entry.id}: balance of {led.customer.id} asserted {amount}, not exported as an "
                    "assertion (voided, or it does not hold in the books: see `ledgerctl check`)",
                    "",
                ]
                continue
            out.append(f"{day} * {_hledger_text(led.customer.name)} | {_hledger_text(what)}")
            out += _hledger_tags(_entry_tags(led, entry))
            out += [f"    {hledger_account(led.customer.id)}    {_hledger_amount(Decimal(0), currency)} = {amount}", ""]
            continue
        out.append(f"{day} * {_hledger_text(led.customer.name)} | {_hledger_text(what)}")
        out += _hledger_tags(_entry_tags(led, entry) + [("memo", entry.memo)])
        out += [
            f"    {account}    {_hledger_amount(amount, currency)}"
            for account, amount in _postings(led, entry, hledger_account(led.customer.id))
        ]
        out.append("")
    return "\n".join(out) + "\n"


# --- beancount -----------------------------------------------------------------------


def beancount_account(customer_id: str) -> str:
    """A valid beancount account component, one-to-one: ids are lowercase, so capitals can mark what was changed.

    The first letter is capitalised (a component starts with a capital or a digit); "." becomes "D" and "_"
    becomes "U" (beancount allows only letters, digits and "-"). No two ids give the same name.
    """
    head, rest = customer_id[0].upper(), customer_id[1:]
    return f"{RECEIVABLE}:{head}{rest.replace('.', 'D').replace('_', 'U')}"


def _quoted(text: str) -> str:
    return '"' + _one_line(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _meta(pairs: list[tuple[str, object]]) -> list[str]:
    return [f"  {key}: {_quoted(str(value))}" for key, value in pairs if value not in (None, "", [])]


def beancount_journal(export: BooksExport) -> str:
    first = min((e.date for led in export.ledgers for e in led.entries), default=export.as_of)
    out = [f"; ledgerctl export as of {export.as_of}: `bean-check FILE`", f'option "title" {_quoted(export.name)}', ""]
    for code in sorted({led.customer.currency for led in export.ledgers}):
        out += [f"{first} commodity {code}", f"  minor_digits: {minor_digits(code)}"]
    out.append("")
    for led in export.ledgers:
        out.append(f"{first} open {beancount_account(led.customer.id)} {led.customer.currency}")
        out += _meta([("customer_id", led.customer.id), ("name", led.customer.name)])
    out += [f"{first} open {name}" for name in sorted(set(COUNTER.values()))] + [""]
    for day, _, _, led, entry in _ordered(export):
        account = beancount_account(led.customer.id)
        currency = led.customer.currency
        meta = _meta(_entry_tags(led, entry))
        postings = _postings(led, entry, account)
        if entry.type == "balance":
            amount = f"{fmt_plain(entry.amount, currency)} {currency}"  # type: ignore[attr-defined]
            if entry.id in led.holding and entry.id not in export.voided:
                out += [f"{day + dt.timedelta(days=1)} balance {account} {amount}", *meta, ""]
            else:
                out += [
                    f"; {day} {entry.id}: balance of {led.customer.id} asserted {amount}, not exported as an "
                    "assertion (voided, or it does not hold in the books)",
                    "",
                ]
        elif postings:
            out.append(f"{day} * {_quoted(led.customer.name)} {_quoted(entry.memo or entry.type.replace('_', ' '))}")
            out += meta
            out += [f"  {name}  {fmt_plain(amount, currency)} {currency}" for name, amount in postings] + [""]
        else:  # notes, reminders, voids of them: no money moves
            out += [f"{day} note {account} {_quoted(entry.memo or entry.type)}", *meta, ""]
    return "\n".join(out) + "\n"
