"""Reports: `balance`, `aging` (`statement` is in cmd_statement)."""

from __future__ import annotations

from enum import Enum
from itertools import pairwise
from typing import Annotated

import typer

from .common import AsOfOpt, BomOpt, BooksOpt, Format, FormatOpt, SegmentOpt, TagOpt, parse_date, segment_filter


def balance(
    customers: Annotated[
        list[str] | None, typer.Argument(help="Customer ids (default: all).", show_default=False)
    ] = None,
    as_of: AsOfOpt = None,
    tag: TagOpt = None,
    segment: SegmentOpt = None,
    format: FormatOpt = Format.table,
    bom: BomOpt = False,
    all_customers: Annotated[bool, typer.Option("--all", help="Also archived customers with a zero balance.")] = False,
    books: BooksOpt = None,
) -> None:
    """Balances per customer as of a date, with totals per currency (and converted, with a reporting currency).

    Example: `ledgerctl balance --as-of 2026-10-31 --tag vip --format json`
    """
    from ..ops import reports
    from ..ops.open import open_books
    from ..render.output import emit_csv, emit_json, print_whole
    from ..render.tables import balance_csv, balance_json, balance_table

    date = parse_date(as_of, "--as-of")
    wanted = segment_filter(segment)
    report = reports.balance(
        open_books(books), date, customers=customers, tags=tag, segments=wanted, archived=all_customers
    )
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
        raise typer.BadParameter(
            f"{text!r}: give increasing whole numbers of days, e.g. 30,60,90", param_hint="--buckets"
        ) from None
    if not limits or any(a >= b for a, b in pairwise(limits)) or limits[0] <= 0:
        raise typer.BadParameter(
            f"{text!r}: give increasing positive numbers of days, e.g. 30,60,90", param_hint="--buckets"
        )
    return limits


class Basis(str, Enum):
    due = "due"
    date = "date"


def aging(
    as_of: AsOfOpt = None,
    basis: Annotated[
        Basis | None,
        typer.Option(
            "--basis",
            help="Age from the due date or the entry date (default: ledgerctl.yaml, else due).",
            show_default=False,
        ),
    ] = None,
    buckets: Annotated[
        str | None,
        typer.Option(
            "--buckets", help="Bucket limits in days, e.g. 30,60,90 (default: ledgerctl.yaml).", show_default=False
        ),
    ] = None,
    tag: TagOpt = None,
    segment: SegmentOpt = None,
    all_customers: Annotated[
        bool, typer.Option("--all", help="Also customers with nothing open (archived ones too).")
    ] = False,
    detail: Annotated[bool, typer.Option("--detail", help="List the open items under each customer.")] = False,
    sort: Annotated[
        str, typer.Option("--sort", help="Row order: id, name, total, or a bucket name such as 90+.")
    ] = "id",
    format: FormatOpt = Format.table,
    bom: BomOpt = False,
    books: BooksOpt = None,
) -> None:
    """The aging report: open items by how long they are overdue, per customer, totals per currency.

    Example: `ledgerctl aging --as-of 2026-10-31 --buckets 30,60,90 --sort 90+ --format json`
    """
    from ..ops import reports
    from ..ops.open import open_books
    from ..render.aging import aging_csv, aging_json
    from ..render.output import emit_csv, emit_json, out, print_whole

    date = parse_date(as_of, "--as-of")
    wanted = segment_filter(segment)
    given = _bucket_limits(buckets)
    report = reports.aging(
        open_books(books),
        date,
        limits=given,
        basis=basis.value if basis else None,
        tags=tag,
        segments=wanted,
        include_all=all_customers,
        sort=sort,
        detail=detail,
    )
    if format is Format.json:
        emit_json(aging_json(report, detail=detail))
    elif format is Format.csv:
        emit_csv(*aging_csv(report, detail))
    else:
        from ..render.aging_table import aging_detail, aging_table

        console = out()
        print_whole(aging_detail(report, console.width) if detail else aging_table(report, console.width))
