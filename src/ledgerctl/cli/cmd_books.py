"""`init`, `check`, `commit` and `schema`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .common import BomOpt, BooksOpt, Format, FormatOpt, today


def init(
    directory: Annotated[Path, typer.Argument(help="Folder for the new books (created if missing).")] = Path("."),
    sample: Annotated[
        bool, typer.Option("--sample", help="Add the shipped sample customers with months of history.")
    ] = False,
    name: Annotated[
        str | None, typer.Option("--name", help="Name of the books (shown on reports).", show_default=False)
    ] = None,
    currency: Annotated[str, typer.Option("--currency", help="Default currency of new customers.")] = "CNY",
    terms_days: Annotated[int, typer.Option("--terms-days", min=0, max=3650, help="Default payment terms.")] = 30,
    from_export: Annotated[
        Path | None,
        typer.Option(
            "--from-export",
            help="Fill the new books from a jsonl export (`export --format jsonl`, anonymised or not), in one commit.",
            show_default=False,
            dir_okay=False,
        ),
    ] = None,
) -> None:
    """Create new books: a git repository with ledgerctl.yaml, ledgers/, schemas/ and the merge attributes.

    Example: `ledgerctl init ~/books --sample`

    Example: `ledgerctl init shared-books --from-export shared.jsonl`
    """
    from ..core.money import currency_problem
    from ..ops.initbooks import init_books
    from ..render.output import say

    if from_export is not None:
        from ..core.errors import UsageError
        from ..ops.fromexport import init_from_export

        if sample:
            raise UsageError("--sample and --from-export both fill the new books; give one")
        made = init_from_export(directory, from_export, today=today())
        say(f"books ready in {made.root}: {made.customers} customers, {made.entries} entries from {from_export}")
        typer.echo(str(made.root))
        return

    problem = currency_problem(currency.upper())
    if problem:
        raise typer.BadParameter(problem, param_hint="--currency")
    root = init_books(
        directory, name=name, currency=currency.upper(), terms_days=terms_days, sample=sample, today=today()
    )
    say(f"books ready in {root}" + (" with the sample customers" if sample else ""))
    typer.echo(str(root))


def check(
    format: FormatOpt = Format.table,
    bom: BomOpt = False,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 on warnings (probable duplicates) too.")] = False,
    ignore: Annotated[
        list[str] | None,
        typer.Option(
            "--ignore",
            help="Record a reviewed probable duplicate (a pair A+B as printed, or one id) in "
            "ledgerctl.yaml, one commit, so it is not reported again (repeatable).",
            show_default=False,
        ),
    ] = None,
    books: BooksOpt = None,
) -> None:
    """Validate every file and every rule; compare posted entries with the last commit. Exit 1 on any problem.

    Probable duplicates (an entry posted twice, a customer kept twice) are warnings: exit 0 unless --strict.

    Example: `ledgerctl check --format json`

    Example: `ledgerctl check --ignore INV-20261101-0001+INV-20261102-0001`
    """
    from ..ops.checking import check as check_books
    from ..ops.open import open_books
    from ..render.output import emit_csv, emit_json, print_whole, say
    from ..render.tables import problems_csv, problems_json, problems_table

    if ignore:
        from ..ops.duplicates import record_ignored
        from ..ops.session import write_session

        with write_session(books, say) as session:
            added = record_ignored(session, ignore)
        say(f"recorded as reviewed: {', '.join(added)}")
    result = check_books(open_books(books, strict_config=False))
    if result.interrupted:
        say("warning: an interrupted change is pending; the next writing command completes or undoes it")
    if format is Format.json:
        emit_json(problems_json(result.problems))
    elif format is Format.csv:
        emit_csv(*problems_csv(result.problems))
    elif result.problems:
        print_whole(problems_table(result.problems))
        if result.ok:
            say(
                f"ok: {result.customers} customers, {result.entries} entries, no problems; "
                f"{len(result.warnings)} warning(s)"
            )
    else:
        say(f"ok: {result.customers} customers, {result.entries} entries, no problems")
    if not result.ok or (strict and result.warnings):
        raise typer.Exit(1)


def commit(
    message: Annotated[
        str | None, typer.Option("--message", "-m", help="Commit message (default: generated).", show_default=False)
    ] = None,
    books: BooksOpt = None,
) -> None:
    """Commit hand edits of the YAML files, after `check` passes and no posted entry was changed or deleted.

    Example: `ledgerctl commit -m "typed in October's bank slips"`
    """
    from ..ops.checking import commit_hand_edits
    from ..ops.open import open_session
    from ..render.output import say

    with open_session(books, say) as session:
        head, paths = commit_hand_edits(session.books, session.repo, message)
    say(f"committed {len(paths)} file{'s' if len(paths) != 1 else ''}: {', '.join(paths)}")
    typer.echo(head)


def schema(
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Folder to write into (default: the books' schemas/, or ./schemas outside books).",
            show_default=False,
        ),
    ] = None,
    books: BooksOpt = None,
) -> None:
    """Write the JSON Schemas of ledger files and ledgerctl.yaml (for editors and CI).

    Example: `ledgerctl schema --out schemas/`
    """
    from ..ops.initbooks import write_schemas
    from ..ops.open import books_root_or_none

    if out_dir is None:
        root = books_root_or_none(books)
        out_dir = Path("schemas") if root is None else root / "schemas"
    for path in write_schemas(out_dir):
        typer.echo(str(path))
