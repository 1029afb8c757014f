"""The `ledgerctl` command: assembles the command modules; no logic lives here."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from .. import __version__
from . import (
    cmd_books,
    cmd_customer,
    cmd_entries,
    cmd_export,
    cmd_followups,
    cmd_git,
    cmd_import,
    cmd_reconcile,
    cmd_remind,
    cmd_report,
    cmd_reports,
    cmd_segment,
    cmd_statement,
)
from .common import ROOT_BOOKS, BooksOpt, new_app

app = new_app(
    "Customer ledgers (accounts receivable) as plain-text YAML in git: exact money, a clean audit trail.\n\n"
    "Start with `ledgerctl init books --sample`, then `ledgerctl --books books balance` "
    "(or `cd books && ledgerctl balance`).\n\n"
    "File format, figures, JSON keys and exit codes: the docs/ folder of the ledgerctl repository "
    "(file-format.md, numbers.md, commands.md).",
    completion=True,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ledgerctl {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
    books: BooksOpt = None,
) -> None:
    """Customer ledgers (accounts receivable) as plain-text YAML in git."""
    if books is not None:  # `ledgerctl -f books balance`, as hledger users write it; a command's own --books wins
        ctx.meta[ROOT_BOOKS] = books


app.command("init")(cmd_books.init)
app.add_typer(cmd_customer.customer_app, name="customer")
app.add_typer(cmd_entries.add_app, name="add")
app.command("void")(cmd_entries.void)
app.command("tag")(cmd_customer.tag)
app.command("balance")(cmd_reports.balance)
app.command("aging")(cmd_reports.aging)
app.command("statement")(cmd_statement.statement)
app.command("report")(cmd_report.report)
app.command("segment")(cmd_segment.segment)
app.command("remind")(cmd_remind.remind)
app.command("followups")(cmd_followups.followups)
app.command("reconcile")(cmd_reconcile.reconcile)
app.add_typer(cmd_import.import_app, name="import")
app.command("export")(cmd_export.export)
app.command("close")(cmd_reconcile.close)
app.command("check")(cmd_books.check)
app.command("commit")(cmd_books.commit)
app.command("schema")(cmd_books.schema)
app.command("history")(cmd_git.history)
app.command("verify")(cmd_git.verify)
app.command("sync")(cmd_git.sync)
app.command("doctor")(cmd_git.doctor)
app.add_typer(cmd_git.hooks_app, name="hooks")
app.command("merge-driver", hidden=True)(cmd_git.merge_driver)


def _progress_on_a_terminal() -> None:
    if sys.stderr.isatty() and not os.environ.get("LEDGERCTL_NO_PROGRESS"):
        from .. import progress
        from ..render.progress import file_bar

        progress.report_with(file_bar)


def main() -> None:
    code: int = 0
    _progress_on_a_terminal()
    try:
        app(prog_name="ledgerctl")
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BrokenPipeError:  # `ledgerctl … | head`
        code = 0
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        pass
    # Output is flushed and every file and lock is closed by now; tearing down a large heap
    # object by object costs seconds on big books and changes nothing.
    os._exit(code)
