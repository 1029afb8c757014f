"""The aging report as JSON and CSV rows; the terminal tables are in render/aging_table.py (rich loads only there)."""

from __future__ import annotations

from decimal import Decimal

from ..core.aging import AgingReport
from ..core.money import fmt_plain


def spreadsheet_bucket(name: str) -> str:
    """A bucket's name as CSV writes it: Excel turns a cell reading `1-30` into the date 30 January, `1-30 days`
    stays text. (JSON keeps the plain names.)"""
    return name if name == "current" else f"{name} days"


def aging_csv(report: AgingReport, detail: bool = False) -> tuple[list[str], list[list[object]], tuple[str, ...]]:
    """Header, rows and the columns that are numbers (see output.emit_csv)."""
    if detail:
        header = [
            "customer",
            "name",
            "currency",
            "entry",
            "type",
            "date",
            "due",
            "amount",
            "open",
            "days_overdue",
            "age",
            "bucket",
            "ref",
        ]
        rows: list[list[object]] = []
        for row in report.rows:
            cur = row.customer.currency
            for aged in row.items:
                item = aged.item
                rows.append(
                    [
                        row.customer.id,
                        row.customer.name,
                        cur,
                        item.id,
                        item.type,
                        item.date.isoformat(),
                        item.due.isoformat(),
                        fmt_plain(item.amount, cur),
                        fmt_plain(item.open, cur),
                        item.days_overdue(report.as_of),
                        aged.age,
                        spreadsheet_bucket(aged.bucket),
                        item.ref or "",
                    ]
                )
        return header, rows, ("amount", "open", "days_overdue", "age")
    buckets = [spreadsheet_bucket(n) for n in report.bucket_names]
    header = ["id", "name", "currency", *buckets, "unapplied", "total"]
    return (
        header,
        [
            [
                r.customer.id,
                r.customer.name,
                r.customer.currency,
                *(fmt_plain(r.buckets[n], r.customer.currency) for n in report.bucket_names),
                fmt_plain(r.unapplied, r.customer.currency),
                fmt_plain(r.total, r.customer.currency),
            ]
            for r in report.rows
        ],
        (*buckets, "unapplied", "total"),
    )


def aging_json(report: AgingReport, detail: bool = False) -> dict[str, object]:
    def amounts(values: dict[str, Decimal], currency: str) -> dict[str, str]:
        return {name: fmt_plain(values[name], currency) for name in report.bucket_names}

    customers = []
    for row in report.rows:
        cur = row.customer.currency
        data: dict[str, object] = {
            "id": row.customer.id,
            "name": row.customer.name,
            "currency": cur,
            "buckets": amounts(row.buckets, cur),
            "unapplied": fmt_plain(row.unapplied, cur),
            "total": fmt_plain(row.total, cur),
        }
        if detail:
            data["open_items"] = [
                {
                    "id": a.item.id,
                    "type": a.item.type,
                    "date": a.item.date.isoformat(),
                    "due": a.item.due.isoformat(),
                    "amount": fmt_plain(a.item.amount, cur),
                    "open": fmt_plain(a.item.open, cur),
                    "days_overdue": a.item.days_overdue(report.as_of),
                    "age": a.age,
                    "bucket": a.bucket,
                    "ref": a.item.ref,
                }
                for a in row.items
            ]
        customers.append(data)
    return {
        "as_of": report.as_of.isoformat(),
        "basis": report.basis,
        "buckets": list(report.bucket_names),
        "customers": customers,
        "totals": [
            {
                "currency": t.currency,
                "buckets": amounts(t.buckets, t.currency),
                "unapplied": fmt_plain(t.unapplied, t.currency),
                "total": fmt_plain(t.total, t.currency),
            }
            for t in report.totals
        ],
    } | ({} if report.converted is None else {"converted": _converted_json(report)})


def _converted_json(report: AgingReport) -> dict[str, object]:
    assert report.converted is not None
    conv, cur = report.converted, report.converted.currency
    return {
        "currency": cur,
        "as_of": conv.on.isoformat(),
        "rates": {c: str(r) for c, r in conv.rates.items()},
        "buckets": {n: fmt_plain(conv.figures[n], cur) for n in report.bucket_names},
        "unapplied": fmt_plain(conv.figures["unapplied"], cur),
        "total": fmt_plain(conv.figures["total"], cur),
    }
