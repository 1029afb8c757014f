"""`customer show` and `customer list`: the terminal panel, the JSON document, the CSV rows."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from ..core.engine import over_limit
from ..core.money import fmt_grouped, fmt_plain
from ..core.reports import CustomerList, CustomerView


def customer_panel(view: CustomerView) -> Group:
    c = view.customer
    cur = c.currency
    pos = view.position
    head = Table.grid(padding=(0, 2))
    head.add_column(style="bold")
    head.add_column()
    head.add_row("customer", f"{c.id} — {c.name}")
    head.add_row("currency / terms", f"{cur}, {c.terms_days} days")
    if c.credit_limit is not None:
        over = over_limit(pos.balance, c.credit_limit)
        head.add_row(
            "credit limit",
            Text(fmt_grouped(c.credit_limit, cur) + ("  ⚠ over limit" if over else ""), style="red" if over else ""),
        )
    if c.tags:
        head.add_row("tags", " ".join(c.tags))
    if c.aliases:
        head.add_row("aliases", " · ".join(c.aliases))
    if c.bank_accounts:
        head.add_row("bank accounts", " · ".join(c.bank_accounts))
    if c.segments:
        head.add_row("segments", " ".join(f"{k}={v}" for k, v in c.segments.model_dump(exclude_none=True).items()))
    if c.contact:
        head.add_row("contact", " · ".join(v for v in c.contact.model_dump(exclude_none=True).values()))
    if c.notes:
        head.add_row("notes", c.notes)
    head.add_row(f"balance {view.as_of}", Text(fmt_grouped(pos.balance, cur), style="bold"))
    if pos.unapplied:
        head.add_row("unapplied credit", fmt_grouped(pos.unapplied, cur))

    items = Table(title="Open items", title_justify="left")
    for name in ("entry", "date", "due", "amount", "open", "days overdue", "ref"):
        items.add_column(name, justify="right" if name in ("amount", "open", "days overdue") else "left")
    for item in pos.open_items:
        overdue = item.days_overdue(view.as_of)
        items.add_row(
            item.id,
            str(item.date),
            str(item.due),
            fmt_grouped(item.amount, cur),
            fmt_grouped(item.open, cur),
            Text(str(overdue), style="red" if overdue > 0 else ""),
            item.ref or "",
        )

    entries = Table(title="Entries", title_justify="left")
    for name in ("date", "entry", "type", "amount", "balance", "ref / memo"):
        entries.add_column(name, justify="right" if name in ("amount", "balance") else "left")
    for line in view.lines:
        e = line.entry
        amount = getattr(e, "amount", None)
        style = "dim strike" if line.voided_by else ""
        # A promise's amount is promised, not posted: its day says so next to it.
        promised = f"promised by {e.by}" if getattr(e, "by", None) else None  # type: ignore[attr-defined]
        note = " · ".join(
            x
            for x in (
                promised,
                getattr(e, "ref", None),
                e.memo,
                f"voided by {line.voided_by}" if line.voided_by else None,
                f"voids {e.voids}" if getattr(e, "voids", None) else None,  # type: ignore[attr-defined]
            )
            if x
        )
        entries.add_row(
            str(e.date),
            Text(e.id, style=style),
            e.type,
            Text("" if amount is None else fmt_grouped(amount * (e.sign or 1), cur), style=style),
            "" if line.running is None else fmt_grouped(line.running, cur),
            note,
        )
    return Group(head, Text(""), items, entries)


def customer_json(view: CustomerView) -> dict[str, object]:
    cur = view.customer.currency
    pos = view.position
    return {
        "as_of": view.as_of.isoformat(),
        "customer": view.customer.model_dump(mode="json", exclude_none=True),
        "balance": fmt_plain(pos.balance, cur),
        "unapplied": fmt_plain(pos.unapplied, cur),
        "over_limit": over_limit(pos.balance, view.customer.credit_limit),
        "open_items": [
            {
                "id": i.id,
                "type": i.type,
                "date": i.date.isoformat(),
                "due": i.due.isoformat(),
                "amount": fmt_plain(i.amount, cur),
                "open": fmt_plain(i.open, cur),
                "days_overdue": i.days_overdue(view.as_of),
                "ref": i.ref,
            }
            for i in pos.open_items
        ],
        "entries": [
            {
                **line.entry.model_dump(mode="json", exclude_none=True),
                **({"amount": fmt_plain(line.entry.amount, cur)} if hasattr(line.entry, "amount") else {}),
                "voided_by": line.voided_by,
                "running_balance": None if line.running is None else fmt_plain(line.running, cur),
            }
            for line in view.lines
        ],
    }


def customer_entries_csv(view: CustomerView) -> tuple[list[str], list[list[str]], tuple[str, ...]]:
    """(header, rows, number columns) of `customer show --format csv`: every entry with its running balance."""
    cur = view.customer.currency
    header = ["id", "type", "date", "amount", "running_balance", "voided_by", "ref", "memo"]
    rows = []
    for line in view.lines:
        amount = getattr(line.entry, "amount", None)
        rows.append(
            [
                line.entry.id,
                line.entry.type,
                line.entry.date.isoformat(),
                "" if amount is None else fmt_plain(amount, cur),
                "" if line.running is None else fmt_plain(line.running, cur),
                line.voided_by or "",
                getattr(line.entry, "ref", None) or "",
                line.entry.memo or "",
            ]
        )
    return header, rows, ("amount", "running_balance")


def _listed(listed: CustomerList) -> list[dict[str, object]]:
    return [
        {**c.model_dump(mode="json", exclude_none=True), "balance": fmt_plain(listed.balances[c.id], c.currency)}
        for c in listed.customers
    ]


def customer_list_json(listed: CustomerList) -> dict[str, object]:
    return {"as_of": listed.as_of.isoformat(), "customers": _listed(listed)}


def customer_list_csv(listed: CustomerList) -> tuple[list[str], list[list[object]], tuple[str, ...]]:
    rows = _listed(listed)
    return (
        ["id", "name", "currency", "terms_days", "credit_limit", "balance", "tags", "segments"],
        [
            [
                r["id"],
                r["name"],
                r["currency"],
                r["terms_days"],
                r.get("credit_limit", ""),
                r["balance"],
                " ".join(r.get("tags", [])),  # type: ignore[arg-type]
                " ".join(f"{k}={v}" for k, v in r.get("segments", {}).items()),  # type: ignore[attr-defined]
            ]
            for r in rows
        ],
        ("terms_days", "credit_limit", "balance"),
    )
