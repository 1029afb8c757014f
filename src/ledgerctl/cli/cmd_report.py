"""`report`: flows per period (table, JSON, CSV) and the month-end pack (HTML)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from .common import BomOpt, BooksOpt, SegmentOpt, TagOpt, optional_date, segment_filter, today


class ReportFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    html = "html"


def report(
    date_from: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="First day (default: twelve months, four quarters or three years ending with --to's).",
            show_default=False,
        ),
    ] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Last day (default: today).", show_default=False)] = None,
    monthly: Annotated[bool, typer.Option("--monthly", help="One period per calendar month (the default).")] = False,
    quarterly: Annotated[bool, typer.Option("--quarterly", help="One period per calendar quarter.")] = False,
    yearly: Annotated[bool, typer.Option("--yearly", help="One period per calendar year.")] = False,
    tag: TagOpt = None,
    segment: SegmentOpt = None,
    customer: Annotated[
        list[str] | None, typer.Option("--customer", help="Only this customer (repeatable).", show_default=False)
    ] = None,
    by_customer: Annotated[
        bool,
        typer.Option(
            "--by-customer", help="Add a row per customer (with its average days to pay) under each currency's totals."
        ),
    ] = False,
    format: Annotated[
        ReportFormat,
        typer.Option("--format", "-O", help="Output format; html is the month-end pack.", case_sensitive=False),
    ] = ReportFormat.table,
    html: Annotated[
        Path | None,
        typer.Option(
            "--html", help="Write the month-end pack (HTML) to this file.", show_default=False, dir_okay=False
        ),
    ] = None,
    out_file: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write to this file instead of stdout.", show_default=False, dir_okay=False),
    ] = None,
    bom: BomOpt = False,
    books: BooksOpt = None,
) -> None:
    """Flows per period: opening, invoiced, credited, collected, written off, refunded, closing, overdue, DSO, CEI.

    Totals per currency; `--by-customer` adds each customer. `--format html` (or `--html FILE`) is the month-end
    pack: aging, trends, top overdue customers, segments, credit-limit breaches, write-offs and reminders, with charts.

    Example: `ledgerctl report --to 2026-11-30 --quarterly --by-customer --format json`
    """
    from ..core.errors import UsageError
    from ..core.periods import default_start
    from ..ops.open import open_books

    steps = [name for name, given in (("monthly", monthly), ("quarterly", quarterly), ("yearly", yearly)) if given]
    if len(steps) > 1:
        raise UsageError(f"give one of --monthly, --quarterly, --yearly (not --{' and --'.join(steps)})")
    if html is not None and out_file is not None:
        raise UsageError("--html FILE already names the file; leave out --out")
    if out_file is not None and html is None and format is ReportFormat.table:
        raise UsageError("--out writes json, csv or html; a table is for the terminal")
    step = steps[0] if steps else "monthly"
    end = optional_date(date_to, "--to") or today()
    start = optional_date(date_from, "--from") or default_start(end, step)
    if end < start:
        raise UsageError(f"--to {end} is before --from {start}")
    opened = open_books(books)
    wanted = segment_filter(segment)
    if html is not None or format is ReportFormat.html:
        from ..ops.report import month_end_pack
        from ..render.pack import pack_html

        pack = month_end_pack(opened, start, end, step=step, tags=tag, segments=wanted, customers=customer)
        _write(pack_html(pack), html or out_file)
        return
    from ..ops.report import period_report

    result = period_report(
        opened, start, end, step=step, tags=tag, segments=wanted, customers=customer, by_customer=by_customer
    )
    if format is ReportFormat.json:
        import json

        from ..render.output import emit_json
        from ..render.report import report_json

        if out_file is None:
            emit_json(report_json(result))
        else:
            _write(json.dumps(report_json(result), ensure_ascii=False, indent=2) + "\n", out_file)
    elif format is ReportFormat.csv:
        from ..render.output import csv_document
        from ..render.report import report_csv

        _write(csv_document(*report_csv(result)), out_file)
    else:
        from ..render.output import out, print_whole
        from ..render.report import report_table

        print_whole(report_table(result, out().width))


def _write(text: str, out_file: Path | None) -> None:
    if out_file is None:
        typer.echo(text, nl=False)
        return
    out_file.write_text(text, encoding="utf-8")
    typer.echo(str(out_file))
