"""`customer show` for the terminal."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from ..core.money import fmt_grouped
from ..core.reports import CustomerView


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
        over = pos.balance > c.credit_limit
        head.add_row("credit limit", Text(fmt_grouped(c.credit_limit, cur) + ("  ⚠ over limit" if over else ""),
                                          style="red" if over else ""))
    if c.tags:
        head.add_row("tags", " ".join(c.tags))
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
        overdue = max(0, item.age(view.as_of))
        items.add_row(item.id, str(item.date), str(item.due), fmt_grouped(item.amount, cur), fmt_grouped(item.open, cur),
                      Text(str(overdue), style="red" if overdue > 0 else ""), item.ref or "")

    entries = Table(title="Entries", title_justify="left")
    for name in ("date", "entry", "type", "amount", "balance", "ref / memo"):
        entries.add_column(name, justify="right" if name in ("amount", "balance") else "left")
    for line in view.lines:
        e = line.entry
        amount = getattr(e, "amount", None)
        style = "dim strike" if line.voided_by else ""
        note = " · ".join(x for x in (getattr(e, "ref", None), e.memo, f"voided by {line.voided_by}" if line.voided_by else None,
                                     f"voids {e.voids}" if getattr(e, "voids", None) else None) if x)  # type: ignore[attr-defined]
        entries.add_row(str(e.date), Text(e.id, style=style), e.type,  # type: ignore[attr-defined]
                        Text("" if amount is None else fmt_grouped(amount * (e.sign or 1), cur), style=style),
                        "" if line.running is None else fmt_grouped(line.running, cur), note)
    return Group(head, Text(""), items, entries)
