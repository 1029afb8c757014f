"""Working together through git: `history`, `verify`, `sync`, `doctor`, `hooks`, `merge-driver`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from .common import BomOpt, BooksOpt, Format, FormatOpt, new_app

hooks_app = new_app(
    "Git hooks: a pre-commit hook in a clone (`check` before every commit) and a pre-receive hook for the shared "
    "repository (rejects history rewrites, edits of posted entries, postings into closed periods).\n\n"
    "Example: `ledgerctl hooks install`"
)


def history(
    customer: Annotated[
        str | None, typer.Argument(help="Customer id (default: every customer).", show_default=False)
    ] = None,
    entry: Annotated[
        str | None,
        typer.Option(
            "--entry", help="Only what concerns this entry: its creation, changes and void.", show_default=False
        ),
    ] = None,
    format: FormatOpt = Format.table,
    bom: BomOpt = False,
    books: BooksOpt = None,
) -> None:
    """The audit trail from git, entry by entry: commit, author, time, command, what changed.

    Example: `ledgerctl history hx-machinery --entry INV-20260801-7KQ2`
    """
    from ..ops.history import ledger_history
    from ..ops.open import open_repo
    from ..render.gitviews import history_csv, history_json, history_table
    from ..render.output import emit_csv, emit_json, print_whole, say

    report = ledger_history(open_repo(books), customer, entry)
    if format is Format.json:
        emit_json(history_json(report))
    elif format is Format.csv:
        emit_csv(*history_csv(report))
    elif report.rows:
        print_whole(history_table(report))
    else:
        say("no history yet")


def verify(
    revision_range: Annotated[
        str | None,
        typer.Option(
            "--range",
            metavar="A..B",
            help="Only these commits (git range syntax); default: the whole history of HEAD and the closed/* tags.",
            show_default=False,
        ),
    ] = None,
    signed: Annotated[bool, typer.Option("--signed", help="Also demand a valid signature on every commit.")] = False,
    format: FormatOpt = Format.table,
    bom: BomOpt = False,
    books: BooksOpt = None,
) -> None:
    """Audit the history commit by commit: posted entries never edited or deleted, nothing posted into a closed
    period, every commit's ledgers valid, closed/* tags never moved. Exit 1 on any problem.

    Example: `ledgerctl verify --range origin/main..HEAD --format json`
    """
    from ..core.errors import UsageError
    from ..ops.open import open_repo
    from ..ops.verify import verify_history
    from ..render.gitviews import verify_json, verify_table
    from ..render.output import emit_csv, emit_json, print_whole, say
    from ..render.tables import problems_csv

    if revision_range is not None and (not revision_range.strip() or revision_range.startswith("-")):
        raise UsageError(f"--range {revision_range!r}: name commits as git does, e.g. origin/main..HEAD")
    result = verify_history(open_repo(books), revision_range, signed=signed)
    if format is Format.json:
        emit_json(verify_json(result))
    elif format is Format.csv:
        emit_csv(*problems_csv(result.problems))
    elif result.problems:
        print_whole(verify_table(result.problems, result.details))
    else:
        say(f"ok: {result.commits} commit{'s' if result.commits != 1 else ''} verified, no problems")
    if not result.ok:
        raise typer.Exit(1)


def sync(books: BooksOpt = None) -> None:
    """Fetch, merge with the ledger merge driver, run `check`, push; nothing is pushed on a conflict or a problem.

    Example: `ledgerctl sync`
    """
    from ..ops.open import open_session
    from ..ops.sync import sync_books
    from ..render.output import say

    with open_session(books, say) as session:
        outcome = sync_books(session)
    for note in outcome.notes:
        say(note)
    parts = []
    if outcome.incoming:
        parts.append(
            f"{outcome.merged}: {outcome.incoming} commit{'s' if outcome.incoming != 1 else ''} from {outcome.upstream}"
        )
    if outcome.pushed:
        parts.append(f"pushed {outcome.outgoing} commit{'s' if outcome.outgoing != 1 else ''}")
    if outcome.tags_pushed:
        parts.append(f"pushed tag{'s' if len(outcome.tags_pushed) != 1 else ''} {', '.join(outcome.tags_pushed)}")
    say("; ".join(parts) if parts else f"already in sync with {outcome.upstream}")


def doctor(format: FormatOpt = Format.table, bom: BomOpt = False, books: BooksOpt = None) -> None:
    """Make this clone ready for working together (registers the merge driver) and report what is missing.

    Example: `git clone server:books.git && cd books && ledgerctl doctor`
    """
    from ..ops.doctor import doctor as run_doctor
    from ..ops.open import open_books
    from ..render.gitviews import doctor_csv, doctor_json, doctor_lines
    from ..render.output import emit_csv, emit_json, say

    report = run_doctor(open_books(books, strict_config=False))
    if format is Format.json:
        emit_json(doctor_json(report))
    elif format is Format.csv:
        emit_csv(*doctor_csv(report))
    else:
        for line in doctor_lines(report):
            say(line)
    if not report.ok:
        raise typer.Exit(1)


def merge_driver(
    base: Annotated[Path, typer.Argument(help="%O: the common ancestor's version.", show_default=False)],
    ours: Annotated[Path, typer.Argument(help="%A: our version; the result is written here.", show_default=False)],
    theirs: Annotated[Path, typer.Argument(help="%B: their version.", show_default=False)],
    path: Annotated[str, typer.Argument(help="%P: the file's path in the books.", show_default=False)],
) -> None:
    """Three-way merge of one ledger file, run by git: union of entries by id; conflicts in git's standard form, exit 1.

    Registered by `init` and `doctor` as: merge.ledgerctl.driver = python -m ledgerctl merge-driver %O %A %B %P

    Example: `ledgerctl merge-driver base.yaml ours.yaml theirs.yaml ledgers/hx-machinery.yaml`
    """
    from ..ops.mergedriver import merge_driver as run_driver
    from ..ops.open import open_repo_here
    from ..render.output import say

    outcome = run_driver(base, ours, theirs, path, open_repo_here())
    for message in outcome.conflicts:
        say(f"ledgerctl merge-driver: conflict: {message}")
    if not outcome.clean:
        raise typer.Exit(1)


@hooks_app.command("install")
def hooks_install(
    server: Annotated[
        Path | None,
        typer.Option(
            "--server",
            metavar="GIT_DIR",
            help="Install the pre-receive hook into this bare (shared) repository instead.",
            show_default=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace a hook that ledgerctl did not install.")] = False,
    books: BooksOpt = None,
) -> None:
    """Install the pre-commit hook in these books (or, with --server, the pre-receive hook in a bare repository).

    Example: `ledgerctl hooks install --server /srv/git/books.git`
    """
    from ..ops.hooks import install_pre_commit, install_pre_receive
    from ..ops.open import open_books
    from ..render.output import say

    if server is not None:
        path, how = install_pre_receive(server, force=force)
        say(f"{how} the pre-receive hook: {path}")
    else:
        path, how = install_pre_commit(open_books(books, strict_config=False), force=force)
        say(f"{how} the pre-commit hook: {path}")
    typer.echo(str(path))


@hooks_app.command("pre-commit", hidden=True)
def hooks_pre_commit(books: BooksOpt = None) -> None:
    """What the pre-commit hook runs: `check`, plus staged ledgers that differ from the working tree. Exit 1 on a problem.

    Example: `ledgerctl hooks pre-commit --books .`
    """
    from ..ops.hooks import pre_commit
    from ..ops.open import open_books
    from ..render.output import print_problems, say

    problems = pre_commit(open_books(books, strict_config=False))
    if problems:
        say(f"ledgerctl: commit refused, {len(problems)} problem(s) (`git commit --no-verify` skips this check):")
        print_problems(problems)
        raise typer.Exit(1)


@hooks_app.command("pre-receive", hidden=True)
def hooks_pre_receive() -> None:
    """What the pre-receive hook runs on the shared repository: reads "OLD NEW REF" lines, exit 1 to reject the push.

    Example: `echo "$OLD $NEW refs/heads/main" | ledgerctl hooks pre-receive`
    """
    from ..ops.hooks import pre_receive
    from ..ops.open import open_repo_here
    from ..render.output import say

    updates = [tuple(line.split()[:3]) for line in sys.stdin.read().splitlines() if len(line.split()) >= 3]
    verdict = pre_receive(open_repo_here(), updates)
    if not verdict.ok:
        say("ledgerctl: push rejected; nothing was updated:")
        for line in verdict.rejected:
            say(f"  {line}")
        raise typer.Exit(1)
