"""Reports: `balance`, `aging`, `statement`."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from .common import (BomOpt, AsOfOpt, BooksOpt, Format, FormatOpt, SegmentOpt, TagOpt, optional_date, parse_date, segment_filter,
                     today)


def balance(customers: Annotated[list[str] | None, typer.Argument(help="Customer ids (default: all).", show_default=False)] = None,
            as_of: AsOfOpt = None, tag: TagOpt = None, segment: SegmentOpt = None, format: FormatOpt = Format.table, bom: BomOpt = False,
            books: BooksOpt = None) -> None:
    """Balances per customer as of a date, with totals per currency.

    Example: `ledgerctl balance --as-of 2026-10-31 --tag vip --format json`
    """
    from ..ops import reports
    from ..ops.open import open_books
    from ..render.output import emit_csv, emit_json, print_whole
    from ..render.tables import balance_csv, balance_json, balance_table

    date = parse_date(as_of, "--as-of")
    wanted = segment_filter(segment)
    report = reports.balance(open_books(books), date, customers=customers, tags=tag, segments=wanted)
    if format is Format.json:
        emit_json(balance_json(report))
    elif format is Format.csv:
        emit_csv(*balance_csv(report))
    else:
        print_whole(balance_table(report))


def _bucket_limits(text: str | None) -> list[int] | None:
    if text is None:
        return None
    try:
        limits = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise typer.BadParameter(f"{text!r}: give increasing whole numbers of days, e.g. 30,60,90", param_hint="--buckets") from None
    if not limits or any(a >= b for a, b in zip(limits, limits[1:])) or limits[0] <= 0:
        raise typer.BadParameter(f"{text!r}: give increasing positive numbers of days, e.g. 30,60,90", param_hint="--buckets")
    return limits


class Basis(str, Enum):
    due = "due"
    date = "date"


def aging(as_of: AsOfOpt = None,
          basis: Annotated[Basis | None, typer.Option("--basis", help="Age from the due date or the entry date "
                                                      "(default: ledgerctl.yaml, else due).", show_default=False)] = None,
          buckets: Annotated[str | None, typer.Option("--buckets", help="Bucket limits in days, e.g. 30,60,90 "
                                                      "(default: ledgerctl.yaml).", show_default=False)] = None,
          tag: TagOpt = None,
          segment: SegmentOpt = None,
          all_customers: Annotated[bool, typer.Option("--all", help="Also customers with nothing open.")] = False,
          detail: Annotated[bool, typer.Option("--detail", help="List the open items under each customer.")] = False,
          sort: Annotated[str, typer.Option("--sort", help="Row order: id, name, total, or a bucket name such as 90+.")] = "id",
          format: FormatOpt = Format.table, bom: BomOpt = False,
          books: BooksOpt = None) -> None:
    """The aging report: open items by how long they are overdue, per customer, totals per currency.

    Example: `ledgerctl aging --as-of 2026-10-31 --buckets 30,60,90 --sort 90+ --format json`
    """
    from ..ops import reports
    from ..ops.open import open_books
    from ..render.aging import aging_csv, aging_detail, aging_json, aging_table
    from ..render.output import emit_csv, emit_json, out, print_whole

    date = parse_date(as_of, "--as-of")
    wanted = segment_filter(segment)
    given = _bucket_limits(buckets)
    report = reports.aging(open_books(books), date, limits=given, basis=basis.value if basis else None, tags=tag,
                           segments=wanted, include_all=all_customers, sort=sort, detail=detail)
    if format is Format.json:
        emit_json(aging_json(report, detail=detail))
    elif format is Format.csv:
        emit_csv(*aging_csv(report, detail))
    else:
        console = out()
        print_whole(aging_detail(report, console.width) if detail else aging_table(report, console.width))


class StatementFormat(str, Enum):
    text = "text"
    html = "html"
    json = "json"
    csv = "csv"


def _last_full_month(day: dt.date) -> tuple[dt.date, dt.date]:
    end = day.replace(day=1) - dt.timedelta(days=1)
    return end.replace(day=1), end


def statement(customer: Annotated[str, typer.Argument(help="Customer id.", show_default=False)],
              date_from: Annotated[str | None, typer.Option("--from", help="First day (default: first day of last month).",
                                                            show_default=False)] = None,
              date_to: Annotated[str | None, typer.Option("--to", help="Last day (default: last day of last month).",
                                                          show_default=False)] = None,
              format: Annotated[StatementFormat, typer.Option("--format", "-O", help="Output format.",
                                                              case_sensitive=False)] = StatementFormat.text,
              bom: BomOpt = False,
              out_file: Annotated[Path | None, typer.Option("--out", "-o", help="Write to this file instead of stdout.",
                                                            show_default=False, dir_okay=False)] = None,
              books: BooksOpt = None) -> None:
    """A statement of account (对账单) to send to the customer: opening, entries, closing, open items, aging.

    Example: `ledgerctl statement hx-machinery --from 2026-10-01 --to 2026-10-31 --format html -o hx-2026-10.html`
    """
    import json

    from ..core.errors import InvalidBooks, UsageError
    from ..core.statement import statement as build
    from ..ops.lost import load_for_report
    from ..ops.reading import aging_settings
    from ..render.output import print_whole
    from ..render.statement import statement_html, statement_text
    from ..store.books import Books

    default_from, default_to = _last_full_month(today())
    start = optional_date(date_from, "--from") or default_from
    end = optional_date(date_to, "--to") or (default_to if date_from is None else today())
    if end < start:
        raise UsageError(f"--to {end} is before --from {start}")
    opened = Books.open(books)
    loaded = load_for_report(opened, customer)
    if loaded.source.problems or loaded.source.customer is None:
        raise InvalidBooks(f"{loaded.source.file} does not load", problems=loaded.source.problems)
    limits, basis = aging_settings(opened)
    result = build(loaded.source.customer, loaded.source.entries, start, end, books_name=opened.config.name,
                   limits=limits, basis=basis)
    if format is StatementFormat.text:
        if out_file is None:
            print_whole(statement_text(result))
            return
        from ..render.terminal import SafeConsole

        with out_file.open("w", encoding="utf-8") as handle:  # a file that is `cat` later: escaped like the terminal
            SafeConsole(file=handle, width=120, color_system=None).print(statement_text(result))
        typer.echo(str(out_file))
        return
    if format is StatementFormat.csv:
        from ..render.output import csv_document
        from ..render.statement import statement_csv

        text = csv_document(*statement_csv(result))
    elif format is StatementFormat.html:
        text = statement_html(result)
    else:
        text = json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n"
    if out_file is None:
        typer.echo(text, nl=False)
    else:
        out_file.write_text(text, encoding="utf-8")
        typer.echo(str(out_file))
