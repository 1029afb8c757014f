"""`reconcile` and `close`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .common import AsOfOpt, BomOpt, BooksOpt, Format, FormatOpt, parse_date, today


def reconcile(
    customer: Annotated[str, typer.Argument(help="Customer id.", show_default=False)],
    as_of: AsOfOpt = None,
    apply: Annotated[bool, typer.Option("--apply", help="Write the suggested allocations (one commit).")] = False,
    statement: Annotated[
        Path | None,
        typer.Option(
            "--statement",
            help="CSV statement of the customer or the bank to match line by line.",
            show_default=False,
            dir_okay=False,
        ),
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option(
            "--encoding", help="Statement encoding (default: UTF-8 or GB18030, detected).", show_default=False
        ),
    ] = None,
    columns: Annotated[
        str | None,
        typer.Option(
            "--columns",
            help="Statement columns by header, e.g. date=交易日,debit=借方,credit=贷方,balance=余额.",
            show_default=False,
        ),
    ] = None,
    mirror: Annotated[
        bool,
        typer.Option(
            "--mirror", help="The statement is from the customer's own books (our invoices on their credit side)."
        ),
    ] = False,
    days: Annotated[int, typer.Option("--days", min=0, max=60, help="Date tolerance for matching by amount.")] = 3,
    balance: Annotated[
        str | None,
        typer.Option(
            "--balance", help="The balance the customer confirms; records it when it agrees.", show_default=False
        ),
    ] = None,
    format: FormatOpt = Format.table,
    bom: BomOpt = False,
    books: BooksOpt = None,
) -> None:
    """Agree a customer's ledger: open items and suggested allocations, a statement, or a confirmed balance.

    Exit 1 when anything differs. Examples: `ledgerctl reconcile hx-machinery --apply`,
    `ledgerctl reconcile hx-machinery --statement bank-2026-10.csv`, `ledgerctl reconcile hx-machinery --balance 6800.00 --as-of 2026-09-30`
    """
    from ..core.errors import UsageError
    from ..ops import reconcile as ops
    from ..ops.open import open_books, open_session
    from ..render import reconcile as render
    from ..render.output import emit_csv, emit_json, print_whole, say

    date = parse_date(as_of, "--as-of")
    if sum(x is not None for x in (statement, balance, apply or None)) > 1:
        raise UsageError("choose one of --apply, --statement and --balance")
    if statement is not None:
        cust, report = ops.statement(
            open_books(books), customer, statement, encoding=encoding, columns=columns, mirror=mirror, days=days
        )
        if format is Format.json:
            emit_json(render.statement_json(report, cust.currency))
        elif format is Format.csv:
            emit_csv(*render.statement_csv(report, cust.currency))
        else:
            print_whole(render.statement_tables(report, cust.currency))
        if not report.agrees:
            raise typer.Exit(1)
        return
    if balance is not None:
        with open_session(books, say) as session:
            agreed = ops.agree(session, customer, balance, date)
        agreement, posted, currency = agreed.agreement, agreed.posted, agreed.currency
        if posted is None:
            if format is Format.json:
                emit_json(render.agreement_json(agreement, currency))
            elif format is Format.csv:
                emit_csv(*render.agreement_csv(agreement, currency))
            else:
                print_whole(render.agreement_text(agreement, currency))
            raise typer.Exit(1)
        say(f"the balance agrees; recorded {posted.entry.id}")
        typer.echo(posted.entry.id)
        return
    if apply:
        with open_session(books, say) as session:
            applied, skipped = ops.apply_suggestions(session, customer, date)
        for s in applied:
            say(f"allocated {s.amount} of {s.credit} to {s.debit}: {s.explanation}")
        if skipped:
            say(f"skipped {len(skipped)} suggestion(s) on credits in the closed period")
        return
    view = ops.open_items(open_books(books), customer, date)
    if format is Format.json:
        emit_json(render.open_view_json(view, date))
    elif format is Format.csv:
        emit_csv(*render.open_view_csv(view, date))
    else:
        print_whole(render.open_view_table(view, date))


def close(
    date: Annotated[str, typer.Argument(help="Last day of the closed period, YYYY-MM-DD.", show_default=False)],
    reopen: Annotated[
        bool, typer.Option("--reopen", help="Move the closed date back to DATE (needs --reason).")
    ] = False,
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why a period is reopened (kept in the commit).", show_default=False)
    ] = None,
    books: BooksOpt = None,
) -> None:
    """Month-end close: runs `check`, sets closed_through, commits and tags closed/DATE.

    Nothing dated on or before DATE can then be added, voided, allocated or edited.
    Example: `ledgerctl close 2026-10-31`; to undo deliberately: `ledgerctl close --reopen 2026-09-30 --reason "late credit note"`
    """
    from ..ops.open import open_session
    from ..ops.reconcile import close as close_books
    from ..render.output import say

    closed = parse_date(date, "DATE")
    with open_session(books, say) as session:
        head = close_books(session, closed, today(), reopen=reopen, reason=reason)
    say(
        f"books {'reopened after' if reopen else 'closed through'} {closed}"
        + ("" if reopen else f" (tag closed/{closed})")
    )
    typer.echo(head)
