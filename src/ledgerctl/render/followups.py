"""`followups` as a table, JSON and CSV: each line says what to do next and the command that does it."""

from __future__ import annotations

import datetime as dt
import shlex
from collections.abc import Sequence
from typing import Any

from ..core.followups import FollowUp, FollowupsReport
from ..core.money import fmt_grouped, fmt_plain

# The --by a broken promise's renewal suggests: a week, the usual "by next Friday" of a phone call.
RENEWAL_DAYS = 7


def action(item: FollowUp, as_of: dt.date) -> str:
    """What to do, in a sentence with the figures."""
    cur = item.currency

    def money(amount: Any) -> str:
        return f"{fmt_grouped(amount, cur)} {cur}"

    if item.kind == "promise-broken":
        return (
            f"call: {item.entry} promised {money(item.amount)} more by {item.date} ({item.days} d ago); "
            "record the new promise"
        )
    if item.kind == "promise-due":
        when = "today" if item.days == 0 else f"in {item.days} d"
        return f"expect {money(item.amount)} by {item.date} ({when}, {item.entry}); check it arrived"
    if item.kind == "dunning":
        timing = (
            f"{item.days} d overdue" if item.days > 0 else f"due in {-item.days} d" if item.days < 0 else "due today"
        )
        count = len(item.invoices)
        return (
            f"send the level {item.level} ({item.template}) letter: {count} invoice{'s' if count != 1 else ''}, "
            f"{money(item.amount)}, oldest {timing}"
        )
    if item.kind == "over-limit":
        return (
            f"ask for payment before new invoices: balance {money(item.balance)} is {money(item.amount)} over "
            f"the limit {money(item.limit)}"
        )
    if item.kind == "balance-mismatch":
        return (
            f"balance on {item.date} differs from {item.entry} ({money(item.expected)}) by {money(item.amount)}: "
            "agree it with the customer"
        )
    if item.kind == "unapplied-credit":
        if item.has_open_items:
            return f"apply {money(item.amount)} of credit unapplied for over {item.days} d to the open invoices"
        return f"refund {money(item.amount)} of credit unapplied for over {item.days} d, or agree to keep it"
    raise ValueError(item.kind)  # pragma: no cover - KINDS and this function are kept in step


def command(item: FollowUp, as_of: dt.date, tags: Sequence[str] = (), segments: Sequence[str] = ()) -> str:
    """The exact command line that does it (customer ids and dates need no quoting; tags and segments are quoted)."""
    cid = item.customer
    if item.kind == "promise-broken":
        by = as_of + dt.timedelta(days=RENEWAL_DAYS)
        return f"ledgerctl add promise {cid} {fmt_plain(item.amount, item.currency)} --by {by} --date {as_of}"
    if item.kind == "promise-due":
        return f"ledgerctl customer show {cid} --as-of {item.date}"
    if item.kind == "dunning":
        # remind selects by tag and segment, not by customer: the same selection as this list, so the same letters.
        selection = "".join(f" --tag {shlex.quote(t)}" for t in tags)
        selection += "".join(f" --segment {shlex.quote(s)}" for s in segments)
        return f"ledgerctl remind --as-of {as_of}{selection} --out letters/{as_of} --record"
    if item.kind == "over-limit":
        return f"ledgerctl statement {cid} --to {as_of} --format pdf --out {cid}-{as_of}.pdf"
    if item.kind == "balance-mismatch":
        assert item.expected is not None  # a balance-mismatch always carries the asserted balance
        return f"ledgerctl reconcile {cid} --as-of {item.date} --balance {fmt_plain(item.expected, item.currency)}"
    if item.kind == "unapplied-credit":
        if item.has_open_items:
            return f"ledgerctl reconcile {cid} --as-of {as_of} --apply"
        return f"ledgerctl add refund {cid} {fmt_plain(item.amount, item.currency)} --date {as_of}"
    raise ValueError(item.kind)  # pragma: no cover


def _money(amount: Any, currency: str) -> str | None:
    return None if amount is None else fmt_plain(amount, currency)


def followups_json(report: FollowupsReport, tags: Sequence[str] = (), segments: Sequence[str] = ()) -> dict[str, Any]:
    as_of = report.as_of
    return {
        "as_of": as_of.isoformat(),
        "days": report.days,
        "items": [
            {
                "rank": rank,
                "kind": i.kind,
                "customer": i.customer,
                "name": i.name,
                "currency": i.currency,
                "amount": fmt_plain(i.amount, i.currency),
                "date": i.date.isoformat() if i.date else None,
                "days": i.days,
                "entry": i.entry,
                "level": i.level,
                "template": i.template,
                "invoices": list(i.invoices),
                "balance": fmt_plain(i.balance, i.currency),
                "limit": _money(i.limit, i.currency),
                "expected": _money(i.expected, i.currency),
                "action": action(i, as_of),
                "command": command(i, as_of, tags, segments),
            }
            for rank, i in enumerate(report.items, start=1)
        ],
    }


CSV_HEADER = [
    "rank",
    "kind",
    "customer",
    "name",
    "currency",
    "amount",
    "date",
    "days",
    "entry",
    "level",
    "invoices",
    "balance",
    "limit",
    "action",
    "command",
]


def followups_csv(
    report: FollowupsReport, tags: Sequence[str] = (), segments: Sequence[str] = ()
) -> tuple[list[str], list[list[object]], tuple[str, ...]]:
    as_of = report.as_of
    rows: list[list[object]] = [
        [
            rank,
            i.kind,
            i.customer,
            i.name,
            i.currency,
            fmt_plain(i.amount, i.currency),
            i.date.isoformat() if i.date else "",
            i.days,
            i.entry or "",
            i.level or "",
            " ".join(i.invoices),
            fmt_plain(i.balance, i.currency),
            _money(i.limit, i.currency) or "",
            action(i, as_of),
            command(i, as_of, tags, segments),
        ]
        for rank, i in enumerate(report.items, start=1)
    ]
    return CSV_HEADER, rows, ("rank", "amount", "days", "level", "balance", "limit")


def followups_table(report: FollowupsReport, tags: Sequence[str] = (), segments: Sequence[str] = ()) -> Any:
    from rich import box
    from rich.table import Table

    from .output import keep_whole

    as_of = report.as_of
    table = Table(title=f"Follow-ups as of {as_of}", title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("customer", no_wrap=True)
    table.add_column("what", no_wrap=True)
    table.add_column("to do, and the command that does it", overflow="fold")
    for rank, i in enumerate(report.items, start=1):
        table.add_row(str(rank), i.customer, i.kind, f"{action(i, as_of)}\n$ {command(i, as_of, tags, segments)}")
    return keep_whole(table)
