"""`followups`: the day's collection work list, each line with what to do and the command that does it."""

from __future__ import annotations

from typing import Annotated

import typer

from .common import AsOfOpt, BomOpt, BooksOpt, Format, FormatOpt, SegmentOpt, TagOpt, parse_date, segment_filter


def followups(
    as_of: AsOfOpt = None,
    days: Annotated[
        int, typer.Option("--days", min=0, max=3650, help="List promises falling due within this many days.")
    ] = 7,
    tag: TagOpt = None,
    segment: SegmentOpt = None,
    format: FormatOpt = Format.table,
    bom: BomOpt = False,
    books: BooksOpt = None,
) -> None:
    """The day's collection work, most urgent first, each line with the next step and its command.

    Broken promises, promises due within --days, invoices that reached a dunning level (also before
    the due date, for a negative after_days), customers over their credit limit, balance assertions
    that fail, credit left unapplied for more than 30 days.

    Example: `ledgerctl followups --as-of 2026-11-30 --days 3 --tag vip`
    """
    from ..ops.followups import followups as compute
    from ..ops.open import open_books
    from ..render.followups import followups_csv, followups_json, followups_table
    from ..render.output import emit_csv, emit_json, print_whole, say

    date = parse_date(as_of, "--as-of")
    report = compute(open_books(books), date, days, tag, segment_filter(segment))
    selection = (tag or [], segment or [])
    if format is Format.json:
        emit_json(followups_json(report, *selection))
    elif format is Format.csv:
        emit_csv(*followups_csv(report, *selection))
    elif report.items:
        print_whole(followups_table(report, *selection))
    else:
        say(f"nothing to follow up as of {date}")
