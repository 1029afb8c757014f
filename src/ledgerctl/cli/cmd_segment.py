"""`segment`: classify customers (SPEC 6), list the changes, explain one, apply them."""

from __future__ import annotations

from typing import Annotated

import typer

from .common import (
    AsOfOpt,
    BomOpt,
    BooksOpt,
    Format,
    FormatOpt,
    NoCommitOpt,
    SegmentOpt,
    TagOpt,
    parse_date,
    segment_filter,
)


def segment(
    as_of: AsOfOpt = None,
    tag: TagOpt = None,
    segment: SegmentOpt = None,
    apply: Annotated[
        bool,
        typer.Option(
            "--apply", help="Write each customer's segments into its header: only files that change, one commit."
        ),
    ] = False,
    changes: Annotated[
        bool,
        typer.Option("--changes", help="Only the customers whose classes differ from the applied ones (from → to)."),
    ] = False,
    explain: Annotated[
        str | None,
        typer.Option(
            "--explain",
            metavar="CUSTOMER",
            show_default=False,
            help="Show the figures behind each class of one customer.",
        ),
    ] = None,
    format: FormatOpt = Format.table,
    bom: BomOpt = False,
    books: BooksOpt = None,
    no_commit: NoCommitOpt = False,
) -> None:
    """Classify every customer: value (ABC), frequency, size, credit, status (thresholds: `segments:` in ledgerctl.yaml).

    Example: `ledgerctl segment --as-of 2026-10-31 --changes`, then `ledgerctl segment --as-of 2026-10-31 --apply`
    """
    from ..core.errors import UsageError
    from ..render.output import emit_csv, emit_json, out, print_whole, say

    date = parse_date(as_of, "--as-of")
    wanted = segment_filter(segment)
    if sum((apply, changes, explain is not None)) > 1:
        raise UsageError("use one of --apply, --changes and --explain at a time")
    if no_commit and not apply:
        raise UsageError("--no-commit goes with --apply")

    if explain is not None:
        if tag or wanted:
            raise UsageError("--explain shows one customer; --tag and --segment do not apply to it")
        from ..ops.open import open_books
        from ..ops.segments import explain as explain_customer
        from ..render.segments import explanation_csv, explanation_json

        data = explanation_json(explain_customer(open_books(books), explain, date))
        if format is Format.json:
            emit_json(data)
        elif format is Format.csv:
            emit_csv(*explanation_csv(data))
        else:
            from ..render.segments_table import explain_panel

            print_whole(explain_panel(data))
        return

    from ..render.segments import changes_csv, segment_changes_json, segments_csv, segments_json

    if apply:
        from ..ops.segments import apply_segments, describe
        from ..ops.session import write_session

        with write_session(books, say) as session:
            report, head = apply_segments(session, date, tag, wanted, commit=not no_commit)
        _note_unsized(report.unsized)
        changed = [row for row in report.rows if row.changed]
        if format is Format.json:
            emit_json({**segment_changes_json(report), "commit": head})
        elif format is Format.csv:
            emit_csv(*changes_csv(report))
        else:
            for row in changed:
                typer.echo(describe(row))
        if not changed:
            say(f"nothing changed: the applied segments already match the classes as of {date}; no commit")
            return
        say(
            f"{len(changed)} customer{'s' if len(changed) != 1 else ''} changed; "
            + ("staged, not committed (--no-commit)" if no_commit else "one commit")
        )
        return

    from ..ops.open import open_books
    from ..ops.segments import segment_report

    report = segment_report(open_books(books), date, tag, wanted)
    _note_unsized(report.unsized)
    if format is Format.json:
        emit_json(segment_changes_json(report) if changes else segments_json(report))
    elif format is Format.csv:
        emit_csv(*(changes_csv(report) if changes else segments_csv(report)))
    else:
        from ..render.segments_table import changes_table, segments_table

        console = out()
        print_whole(changes_table(report) if changes else segments_table(report, console.width))


def _note_unsized(currencies: list[str]) -> None:
    if currencies:
        from ..render.output import say

        say(
            f"note: no size limits for {', '.join(currencies)} in ledgerctl.yaml (segments.size); "
            "those customers get no size class"
        )
