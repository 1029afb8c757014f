"""`statement`: one customer's statement of account, or (`--all`) a file for every customer in a folder."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from .common import BomOpt, BooksOpt, SegmentOpt, TagOpt, optional_date, segment_filter, today


class StatementFormat(str, Enum):
    text = "text"
    html = "html"
    json = "json"
    csv = "csv"
    pdf = "pdf"


FILE_FORMATS = (StatementFormat.html, StatementFormat.pdf, StatementFormat.csv)  # what --all writes, one file each


def _last_full_month(day: dt.date) -> tuple[dt.date, dt.date]:
    end = day.replace(day=1) - dt.timedelta(days=1)
    return end.replace(day=1), end


def statement(
    customer: Annotated[str | None, typer.Argument(help="Customer id (or --all).", show_default=False)] = None,
    all_customers: Annotated[
        bool,
        typer.Option(
            "--all",
            help="Every customer with a balance or a movement in the period: one file each in the --out folder.",
        ),
    ] = False,
    date_from: Annotated[
        str | None, typer.Option("--from", help="First day (default: first day of last month).", show_default=False)
    ] = None,
    date_to: Annotated[
        str | None, typer.Option("--to", help="Last day (default: last day of last month).", show_default=False)
    ] = None,
    tag: TagOpt = None,
    segment: SegmentOpt = None,
    show_voids: Annotated[
        bool,
        typer.Option(
            "--show-voids",
            help="Also show entries cancelled in the period "
            "and their voids (left out of the customer's copy by default).",
        ),
    ] = False,
    format: Annotated[
        StatementFormat | None,
        typer.Option(
            "--format",
            "-O",
            help="Output format (default: text; html with --all).",
            case_sensitive=False,
            show_default=False,
        ),
    ] = None,
    bom: BomOpt = False,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="Write to this file instead of stdout (with --all: this folder).", show_default=False
        ),
    ] = None,
    books: BooksOpt = None,
) -> None:
    """A statement of account (对账单) to send to the customer: letterhead, opening, entries, closing, open items,
    aging and a confirmation slip (回执) to sign and return.

    Example: `ledgerctl statement hx-machinery --from 2026-10-01 --to 2026-10-31 --format html -o hx-2026-10.html`

    Every customer, as PDF: `ledgerctl statement --all --from 2026-10-01 --to 2026-10-31 --format pdf --out statements/`
    """
    from ..core.errors import UsageError

    default_from, default_to = _last_full_month(today())
    start = optional_date(date_from, "--from") or default_from
    end = optional_date(date_to, "--to") or (default_to if date_from is None else today())
    if end < start:
        raise UsageError(f"--to {end} is before --from {start}")
    if all_customers:
        _every(start, end, customer, tag, segment, show_voids, format or StatementFormat.html, out, books)
        return
    if customer is None:
        raise UsageError(
            "give a CUSTOMER, or --all for every customer",
            hint="ledgerctl statement hx-machinery, or ledgerctl statement --all --out statements/",
        )
    if tag or segment:
        raise UsageError("--tag and --segment choose customers for --all; one CUSTOMER is already chosen")
    _one(customer, start, end, show_voids, format or StatementFormat.text, out, books)


def _one(
    customer: str,
    start: dt.date,
    end: dt.date,
    show_voids: bool,
    format: StatementFormat,
    out: Path | None,
    books: Path | None,
) -> None:
    import json

    from ..core.errors import UsageError
    from ..ops import statements
    from ..ops.open import open_books
    from ..render.statement import statement_json, statement_renderer, statement_text

    if out is not None and out.is_dir():
        raise UsageError(f"--out {out}: is a folder; give a file name (a folder is for --all)")
    if format is StatementFormat.pdf and out is None and _stdout_is_terminal():
        raise UsageError("a PDF is not for the terminal: give --out FILE, or redirect the output to a file")
    run = statements.one(open_books(books), customer, start, end, show_voids=show_voids)
    found = run.statements[0]
    if format is StatementFormat.text:
        _text(statement_text(found), out)
        return
    if format is StatementFormat.csv:
        from ..render.output import csv_document
        from ..render.statement import statement_csv

        data: str | bytes = csv_document(*statement_csv(found))
    elif format is StatementFormat.json:
        data = json.dumps(statement_json(found), ensure_ascii=False, indent=2) + "\n"
    else:
        data = statement_renderer(run.templates)(found, run.company)
        if format is StatementFormat.pdf:
            from ..render.pdf import pdf_pages

            data = next(pdf_pages([data]))
    if out is None:
        if isinstance(data, bytes):
            typer.get_binary_stream("stdout").write(data)
        else:
            typer.echo(data, nl=False)
        return
    from ..render.statement_files import write_files

    write_files(out.parent, [(out.name, data if isinstance(data, bytes) else data.encode("utf-8"))])
    typer.echo(str(out))


def _stdout_is_terminal() -> bool:
    import sys

    return sys.stdout.isatty()


def _text(renderable: object, out: Path | None) -> None:
    from ..render.output import print_whole

    if out is None:
        print_whole(renderable)
        return
    from ..render.statement_files import cannot_write
    from ..render.terminal import SafeConsole

    try:
        with out.open("w", encoding="utf-8") as handle:  # a file that is `cat` later: escaped like the terminal
            SafeConsole(file=handle, width=120, color_system=None).print(renderable)
    except OSError as exc:
        raise cannot_write(out, exc) from None
    typer.echo(str(out))


def _every(
    start: dt.date,
    end: dt.date,
    customer: str | None,
    tag: list[str] | None,
    segment: list[str] | None,
    show_voids: bool,
    format: StatementFormat,
    out: Path | None,
    books: Path | None,
) -> None:
    from ..core.errors import UsageError
    from ..ops import statements
    from ..ops.open import open_books
    from ..render.output import say
    from ..render.statement_files import statement_files, write_files

    if customer is not None:
        raise UsageError(
            f"--all makes a statement for every customer; leave out the customer id {customer!r}, "
            "or drop --all for that one customer"
        )
    if format not in FILE_FORMATS:
        raise UsageError(
            f"--all writes one file per customer: --format {'|'.join(f.value for f in FILE_FORMATS)} "
            f"(not {format.value})"
        )
    if out is None:
        raise UsageError("--all needs --out FOLDER: the folder the statements are written to")
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}: exists and is not a folder")
    wanted = segment_filter(segment)
    if format is StatementFormat.pdf:
        from ..render.pdf import chromium_path

        chromium_path()  # no browser: said now, before the books are read
    run = statements.every(open_books(books), start, end, tags=tag, segments=wanted, show_voids=show_voids)
    if not run.statements:
        say(f"no customer has a balance or a movement from {start} to {end}: no statement written")
        return
    for path in write_files(out, statement_files(run, format.value)):
        typer.echo(str(path))
