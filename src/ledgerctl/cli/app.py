"""The `ledgerctl` command: the root options; registry.py names the commands. No logic lives here."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from .. import __version__
from .common import ROOT_BOOKS, BooksOpt, new_app
from .registry import LazyGroup

app = new_app(
    "Customer ledgers (accounts receivable) as plain-text YAML in git: exact money, a clean audit trail.\n\n"
    "Start with `ledgerctl init books --sample`, then `ledgerctl --books books balance` "
    "(or `cd books && ledgerctl balance`).\n\n"
    "File format, figures, JSON keys and exit codes: the docs/ folder of the ledgerctl repository "
    "(file-format.md, numbers.md, commands.md).",
    completion=True,
    cls=LazyGroup,  # the commands are in registry.COMMANDS, imported only when one is run
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
