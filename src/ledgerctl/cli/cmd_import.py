"""`import bank` and `import invoices`: post a bank export's payments or an invoice export's bills, one commit each."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .common import BomOpt, BooksOpt, Format, FormatOpt, NoCommitOpt, new_app

if TYPE_CHECKING:
    from ..store.books import Books

import_app = new_app("Import payments from a bank export, or invoices from an ERP / e-invoice export.")

FilesArg = Annotated[
    list[Path],
    typer.Argument(
        help="CSV (UTF-8 or GB18030), .xlsx or .xls files.", show_default=False, dir_okay=False, metavar="FILE"
    ),
]
DryRunOpt = Annotated[bool, typer.Option("--dry-run", help="Print what would be imported; change nothing.")]
ColumnsOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--columns",
        metavar="ROLE=HEADER",
        show_default=False,
        help="Name a column instead of detecting it, e.g. date=记账日期 or counterparty=对方户名,memo=附言 (repeatable).",
    ),
]
ProfileOpt = Annotated[
    str | None,
    typer.Option("--profile", show_default=False, help="A column layout named in ledgerctl.yaml (import.profiles)."),
]
EncodingOpt = Annotated[
    str | None,
    typer.Option("--encoding", show_default=False, help="CSV encoding (default: UTF-8 or GB18030, detected)."),
]
UnmatchedOpt = Annotated[
    Path | None,
    typer.Option(
        "--unmatched",
        metavar="OUT.csv",
        dir_okay=False,
        show_default=False,
        help="Also write the lines not imported to this CSV file.",
    ),
]


def _finish(plan, files: list[Path], fmt: Format, dry_run: bool, unmatched: Path | None) -> None:  # type: ignore[no-untyped-def]
    from ..render import importing as render
    from ..render.output import csv_document, emit_csv, emit_json, print_whole, say

    if unmatched is not None:
        try:
            unmatched.write_text(
                csv_document(render.UNMATCHED_HEADER, render.unmatched_rows(plan), ("line", "amount")), encoding="utf-8"
            )
        except OSError as exc:
            say(f"warning: cannot write {unmatched}: {exc.strerror}")
    if fmt is Format.json:
        emit_json(render.plan_json(plan))
    elif fmt is Format.csv:
        emit_csv(*render.plan_csv(plan))
    else:
        print_whole(render.plan_tables(plan, dry_run))
    if not dry_run and plan.commit:
        say(f"committed {plan.commit[:12]}")
    if not plan.complete:
        say(
            "some lines were not imported (see above); add an alias (`customer edit ID --alias NAME`), a bank account "
            "or an import rule, then import the file again: what is already imported is skipped"
        )
        raise typer.Exit(1)


@import_app.command("bank")
def bank(
    files: FilesArg,
    dry_run: DryRunOpt = False,
    columns: ColumnsOpt = None,
    profile: ProfileOpt = None,
    encoding: EncodingOpt = None,
    refunds: Annotated[
        bool,
        typer.Option(
            "--refunds",
            help="Import money paid out to a customer with unapplied "
            "credit as a `refund` (default: outgoing lines are skipped).",
        ),
    ] = False,
    unmatched: UnmatchedOpt = None,
    format: FormatOpt = Format.table,
    bom: BomOpt = False,
    books: BooksOpt = None,
    no_commit: NoCommitOpt = False,
) -> None:
    """Post the incoming payments of bank exports: each line matched to a customer by name, alias, account or rule.

    A memo naming an open invoice (its id or ref) pays it; otherwise the payment joins the FIFO pool.
    Importing a file again adds only what is not yet imported. Exit 1 when a line is unmatched or
    ambiguous (the rest is imported), 2 on a file that cannot be read (nothing is imported).
    Example: `ledgerctl import bank 招商银行-2026-11.xlsx --dry-run`
    """
    from ..ops import importing
    from ..ops.open import open_books
    from ..ops.session import write_session
    from ..render.output import say

    def plan_of(opened: Books) -> importing.Plan:
        return importing.plan_bank(opened, files, columns=columns, profile=profile, encoding=encoding, refunds=refunds)

    if dry_run:
        plan = plan_of(open_books(books))
    else:
        with write_session(books, say) as session:
            plan = plan_of(session.books)
            importing.post(session, plan, files, commit=not no_commit)
    _finish(plan, files, format, dry_run, unmatched)


@import_app.command("invoices")
def invoices(
    files: FilesArg,
    dry_run: DryRunOpt = False,
    columns: ColumnsOpt = None,
    profile: ProfileOpt = None,
    encoding: EncodingOpt = None,
    unmatched: UnmatchedOpt = None,
    format: FormatOpt = Format.table,
    over_limit_reason: Annotated[
        str | None,
        typer.Option(
            "--over-limit-reason",
            metavar="TEXT",
            show_default=False,
            help="Import even though invoices take customers over their credit limit (refused otherwise, "
            "unless ledgerctl.yaml says `credit: {on_limit: warn}`); kept in the commit and shown by `history`.",
        ),
    ] = None,
    bom: BomOpt = False,
    books: BooksOpt = None,
    no_commit: NoCommitOpt = False,
) -> None:
    """Post the invoices of an ERP or e-invoice export; negative totals (red-letter invoices) become credit notes.

    The customer is found by id, name or alias; the invoice number becomes the `ref` and makes a
    second import of the same file add nothing. Exit codes as for `import bank`.
    Example: `ledgerctl import invoices 开票明细-2026-11.xlsx`
    """
    from ..ops import invoice_import
    from ..ops.importing import post
    from ..ops.open import open_books
    from ..ops.session import write_session
    from ..render.output import say

    def plan_of(opened: Books):  # type: ignore[no-untyped-def]
        return invoice_import.plan_invoices(opened, files, columns=columns, profile=profile, encoding=encoding)

    if dry_run:
        plan = plan_of(open_books(books))
    else:
        with write_session(books, say) as session:
            plan = plan_of(session.books)
            note = invoice_import.over_limit_note(session.books, plan, over_limit_reason)
            post(session, plan, files, commit=not no_commit, over_limit=note)
    _finish(plan, files, format, dry_run, unmatched)
