"""`export`: the books for hledger, beancount, DuckDB, pandas or a spreadsheet; anonymised for sharing."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from .common import AsOfOpt, BomOpt, BooksOpt, parse_date


class ExportFormat(str, Enum):
    hledger = "hledger"
    beancount = "beancount"
    csv = "csv"
    jsonl = "jsonl"


def export(
    format: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-O",
            help="hledger or beancount journal; csv or jsonl (one row per entry with its customer's fields).",
            case_sensitive=False,
        ),
    ],
    as_of: AsOfOpt = None,
    out_file: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write to this file instead of stdout.", show_default=False, dir_okay=False),
    ] = None,
    anonymize: Annotated[
        bool,
        typer.Option(
            "--anonymize",
            help="Replace names, ids, contacts, notes, memos, refs, "
            "aliases and bank accounts by keyed-hash pseudonyms (docs/export.md).",
        ),
    ] = False,
    salt: Annotated[
        str | None,
        typer.Option(
            "--salt",
            help="The key of the pseudonyms: the same salt gives the same "
            "pseudonyms (default: a random one, printed on stderr).",
            show_default=False,
        ),
    ] = None,
    bom: BomOpt = False,
    books: BooksOpt = None,
) -> None:
    """Export the books as of a date: entries dated then or earlier, voids as reversing transactions on their own date.

    Example: `ledgerctl export --format hledger -o books.journal && hledger -f books.journal bal Assets:Receivable`

    Example: `ledgerctl export --format jsonl --anonymize --salt s3cret -o shared.jsonl`
    """
    from ..core.errors import UsageError
    from ..ops.export import export_books
    from ..ops.open import open_books
    from ..render.output import say

    if salt is not None and not anonymize:
        raise UsageError("--salt keys the pseudonyms of --anonymize; give both, or neither")
    if salt is not None and not salt.strip():
        raise UsageError(
            "--salt must not be blank: a blank salt is a known key, and anyone could recompute the pseudonyms"
        )
    date = parse_date(as_of, "--as-of")
    result = export_books(open_books(books), date, anonymize=anonymize, salt=salt)
    if format is ExportFormat.hledger:
        from ..render.journals import hledger_journal as render
    elif format is ExportFormat.beancount:
        from ..render.journals import beancount_journal as render
    elif format is ExportFormat.csv:
        from ..render.export import export_csv as render
    else:
        from ..render.export import export_jsonl as render
    text = render(result)
    if anonymize and salt is None:
        say(f"salt: {result.salt} (export again with --salt {result.salt} for the same pseudonyms; keep it private)")
    if out_file is None:
        typer.echo(text, nl=False)
        return
    from ..ops.export import write_export

    write_export(out_file, text)
    typer.echo(str(out_file))
