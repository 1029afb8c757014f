"""`remind` as a table and CSV rows: one line per letter due."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from rich import box
from rich.table import Table

from ..core.dunning import Notice
from ..core.money import fmt_grouped, fmt_plain
from .output import keep_whole


def notices_table(found: Sequence[Notice], as_of: dt.date) -> Table:
    table = Table(title=f"Letters due as of {as_of}", title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("customer", no_wrap=True)
    table.add_column("name", overflow="fold")
    table.add_column("level", no_wrap=True)
    table.add_column("invoices", justify="right", no_wrap=True)
    table.add_column("overdue", justify="right", no_wrap=True)
    table.add_column("cur", no_wrap=True)
    table.add_column("oldest", justify="right", no_wrap=True)
    for n in found:
        oldest = max(i.days_overdue for i in n.invoices)
        table.add_row(
            n.customer_id,
            n.name,
            f"{n.level.number} {n.level.template}",
            str(len(n.invoices)),
            fmt_grouped(n.overdue_total, n.currency),
            n.currency,
            f"{oldest} d",
        )
    return keep_whole(table)


def notices_csv(found: Sequence[Notice]) -> tuple[list[str], list[list[object]], tuple[str, ...]]:
    header = [
        "customer",
        "name",
        "currency",
        "level",
        "template",
        "invoice",
        "due",
        "open",
        "days_overdue",
        "invoice_level",
        "reminded",
    ]
    rows: list[list[object]] = []
    for n in found:
        for i in n.invoices:
            rows.append(
                [
                    n.customer_id,
                    n.name,
                    n.currency,
                    n.level.number,
                    n.level.template,
                    i.id,
                    i.due.isoformat(),
                    fmt_plain(i.open, n.currency),
                    i.days_overdue,
                    i.level,
                    i.reminded,
                ]
            )
    return header, rows, ("level", "open", "days_overdue", "invoice_level", "reminded")


def notice_json(notice: Notice) -> dict[str, object]:
    cur = notice.currency
    return {
        "customer": notice.customer_id,
        "name": notice.name,
        "currency": cur,
        "level": notice.level.number,
        "template": notice.level.template,
        "balance": fmt_plain(notice.balance, cur),
        "overdue": fmt_plain(notice.overdue_total, cur),
        "invoices": [
            {
                "id": i.id,
                "date": i.date.isoformat(),
                "due": i.due.isoformat(),
                "amount": fmt_plain(i.amount, cur),
                "open": fmt_plain(i.open, cur),
                "days_overdue": i.days_overdue,
                "level": i.level,
                "reminded": i.reminded,
                "ref": i.ref,
            }
            for i in notice.invoices
        ],
    }


def remind_json(
    as_of: dt.date, found: Sequence[Notice], written: Sequence[object], recorded: object, head: str | None
) -> dict[str, object]:
    """`remind --format json`: the letters due, the files written, what --record recorded and its commit."""
    return {
        "as_of": as_of.isoformat(),
        "letters": [notice_json(n) for n in found],
        "written": [str(p) for p in written],
        "recorded": recorded,
        "commit": head,
    }
