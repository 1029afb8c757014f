"""What an import added, found already there, could not match or skipped: table, JSON, CSV, the --unmatched file."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from rich.console import Group
from rich.table import Table
from rich.text import Text

from ..core.money import fmt_grouped, fmt_plain

if TYPE_CHECKING:  # named for the checker only: render calls no use case
    from ..ops.importing import FileReport, Imported, Plan, Unmatched

UNMATCHED_HEADER = ("file", "line", "date", "amount", "counterparty", "account", "memo", "reason")


def _amount(value: Decimal | None, currency: str | None = None) -> str | None:
    if value is None:
        return None
    return fmt_plain(value, currency) if currency else format(value, "f")


def _imported_json(item: Imported) -> dict[str, object]:
    cur = item.currency
    return {
        "line": item.line,
        "customer": item.customer,
        "id": item.entry.id,
        "type": item.entry.type,
        "date": item.entry.date.isoformat(),
        "amount": fmt_plain(item.entry.amount, cur),  # type: ignore[attr-defined]
        "currency": cur,
        "allocated_to": {k: fmt_plain(v, cur) for k, v in item.allocated_to.items()},
    }


def _unmatched_json(item: Unmatched) -> dict[str, object]:
    return {
        "line": item.line,
        "date": item.date.isoformat() if item.date else None,
        "amount": _amount(item.amount),
        "counterparty": item.counterparty,
        "memo": item.memo,
        "reason": item.reason,
    }


def file_json(report: FileReport) -> dict[str, object]:
    return {
        "file": report.file,
        "imported": [_imported_json(i) for i in report.imported],
        "already_imported": report.already_imported,
        "unmatched": [_unmatched_json(u) for u in report.unmatched],
        "outgoing_skipped": report.outgoing_skipped,
        "not_transactions": [{"line": n.line, "reason": n.reason} for n in report.not_transactions],
    }


def plan_json(plan: Plan) -> object:
    """One object for one file; a list of them, in the order given, for several."""
    objects = [file_json(r) for r in plan.reports]
    return objects[0] if len(objects) == 1 else objects


CSV_HEADER = (
    "file",
    "line",
    "status",
    "customer",
    "id",
    "type",
    "date",
    "amount",
    "currency",
    "allocated_to",
    "counterparty",
    "memo",
    "reason",
)


def plan_csv(plan: Plan) -> tuple[Sequence[str], list[list[object]], Sequence[str]]:
    rows: list[list[object]] = []
    for r in plan.reports:
        for i in r.imported:
            data = _imported_json(i)
            rows.append(
                [
                    r.file,
                    i.line,
                    "imported",
                    i.customer,
                    i.entry.id,
                    data["type"],
                    data["date"],
                    data["amount"],
                    i.currency,
                    " ".join(f"{k}={v}" for k, v in data["allocated_to"].items()),  # type: ignore[attr-defined]
                    "",
                    getattr(i.entry, "memo", None) or "",
                    "",
                ]
            )
        for u in r.unmatched:
            rows.append(
                [
                    r.file,
                    u.line,
                    "unmatched",
                    "",
                    "",
                    "",
                    u.date.isoformat() if u.date else "",
                    _amount(u.amount) or "",
                    "",
                    "",
                    u.counterparty,
                    u.memo,
                    u.reason,
                ]
            )
        for n in r.not_transactions:
            rows.append([r.file, n.line, "not a transaction", "", "", "", "", "", "", "", "", "", n.reason])
    return CSV_HEADER, rows, ("line", "amount")


def unmatched_rows(plan: Plan) -> list[list[object]]:
    """The --unmatched file: every line to fix (add an alias, a bank account or a rule), then import again."""
    return [
        [
            r.file,
            u.line,
            u.date.isoformat() if u.date else "",
            _amount(u.amount) or "",
            u.counterparty,
            u.account,
            u.memo,
            u.reason,
        ]
        for r in plan.reports
        for u in r.unmatched
    ]


def summary(report: FileReport, dry_run: bool) -> str:
    verb = "would import" if dry_run else "imported"
    parts = [
        f"{verb} {len(report.imported)}",
        f"{report.already_imported} already imported",
        f"{len(report.unmatched)} unmatched",
    ]
    if report.kind == "bank":
        parts.append(f"{report.outgoing_skipped} outgoing skipped")
    parts.append(f"{len(report.not_transactions)} not transactions")
    return f"{report.file}: " + ", ".join(parts)


#: Above this many posted lines a terminal gets one row per customer: ten thousand rows are read by nobody (and
#: took Rich longer to draw than the import took to run); --format csv or json lists every line.
LISTED_LINES = 200


def _posted_by_customer(imported: Sequence[Imported], dry_run: bool) -> Table:
    totals: dict[tuple[str, str], tuple[int, Decimal]] = {}
    for item in imported:
        count, amount = totals.get((item.customer, item.currency), (0, Decimal(0)))
        totals[(item.customer, item.currency)] = (count + 1, amount + item.entry.amount)  # type: ignore[attr-defined]
    table = Table(
        title=f"{'would be posted' if dry_run else 'posted'}: {len(imported)} lines, by customer",
        title_justify="left",
        caption="each line: --format csv or json",
        caption_justify="left",
    )
    for name in ("customer", "lines", "amount"):
        table.add_column(name, justify="left" if name == "customer" else "right", no_wrap=True)
    for (customer, currency), (count, amount) in sorted(totals.items()):
        table.add_row(customer, str(count), f"{fmt_grouped(amount, currency)} {currency}")
    return table


def plan_tables(plan: Plan, dry_run: bool) -> Group:
    parts: list[object] = []
    for report in plan.reports:
        parts.append(Text(summary(report, dry_run), style="bold"))
        if len(report.imported) > LISTED_LINES:
            parts.append(_posted_by_customer(report.imported, dry_run))
        elif report.imported:
            table = Table(title="would be posted" if dry_run else "posted", title_justify="left")
            for name in ("line", "customer", "id", "date", "amount", "allocated to"):
                table.add_column(
                    name, justify="right" if name in ("line", "amount") else "left", no_wrap=name != "allocated to"
                )
            for i in report.imported:
                entry = i.entry
                table.add_row(
                    str(i.line),
                    i.customer,
                    entry.id,
                    entry.date.isoformat(),
                    f"{fmt_grouped(entry.amount, i.currency)} {i.currency}",  # type: ignore[attr-defined]
                    ", ".join(f"{k} {fmt_plain(v, i.currency)}" for k, v in i.allocated_to.items()),
                )
            parts.append(table)
        if report.unmatched:
            table = Table(
                title="not imported: add an alias, a bank account or an import rule, then import again",
                title_justify="left",
            )
            for name in ("line", "date", "amount", "counterparty", "memo", "reason"):
                table.add_column(
                    name,
                    justify="right" if name in ("line", "amount") else "left",
                    no_wrap=name in ("line", "date", "amount"),
                )
            for u in report.unmatched:
                table.add_row(
                    str(u.line),
                    u.date.isoformat() if u.date else "",
                    _amount(u.amount) or "",
                    u.counterparty,
                    u.memo,
                    u.reason,
                )
            parts.append(table)
    return Group(*parts)  # type: ignore[arg-type]
