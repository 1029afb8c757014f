"""Shared CLI pieces: option spellings, the error → exit status table, dates."""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


FORMAT_NAMES = frozenset({"table", "json", "csv", "html", "text", "pdf"})


ROOT_BOOKS = "ledgerctl.books"


def _books_folder(ctx: typer.Context, value: Path | None) -> Path | None:
    """`-f` is the books folder, as in hledger and ledger; a format name there is the old habit of `-f json`.

    Given before the command (`ledgerctl -f books balance`) it is kept in the root context for every command.
    """
    if value is None:
        return ctx.find_root().meta.get(ROOT_BOOKS)
    if value is not None and value.name.lower() in FORMAT_NAMES and not value.exists():
        raise typer.BadParameter(
            f"{value.name!r} looks like an output format, but -f/--books names the books folder (as in hledger); "
            f"for the format write -O {value.name.lower()} or --format {value.name.lower()}"
        )
    return value


BooksOpt = Annotated[
    Path | None,
    typer.Option(
        "--books",
        "-f",
        help="The books folder (default: $LEDGERCTL_BOOKS, else the nearest folder with ledgerctl.yaml).",
        show_default=False,
        file_okay=False,
        callback=_books_folder,
    ),
]
AsOfOpt = Annotated[
    str | None, typer.Option("--as-of", help="Report date, YYYY-MM-DD (default: today).", show_default=False)
]
FormatOpt = Annotated[Format, typer.Option("--format", "-O", help="Output format.", case_sensitive=False)]
TagOpt = Annotated[
    list[str] | None,
    typer.Option("--tag", help="Only customers with this tag (repeatable: all must match).", show_default=False),
]
SegmentOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--segment",
        metavar="DIM=VALUE",
        show_default=False,
        help="Only customers whose applied segments (`segment --apply`) match, e.g. value=A or status=overdue "
        "(repeatable: every dimension given must match; a dimension given twice accepts either value).",
    ),
]


def _csv_bom(value: bool) -> bool:
    if value:
        from ..render.csv_options import CSV_BOM

        CSV_BOM.set(True)
    return value


# One option for every command that writes CSV: Excel on Chinese Windows reads UTF-8 only after a byte-order mark.
# The callback switches it on for this run; the command itself need not pass it along.
BomOpt = Annotated[
    bool,
    typer.Option(
        "--bom", callback=_csv_bom, help="Start CSV with a UTF-8 byte-order mark, so Excel reads Chinese text."
    ),
]
NoCommitOpt = Annotated[
    bool, typer.Option("--no-commit", help="Write and stage the change but do not commit (for batches).")
]
DateOpt = Annotated[
    str | None, typer.Option("--date", help="Entry date, YYYY-MM-DD (default: today).", show_default=False)
]


def today() -> dt.date:
    """The clock is read here, at the edge, never in the core; LEDGERCTL_TODAY pins it for scripts and tests."""
    pinned = os.environ.get("LEDGERCTL_TODAY")
    return parse_date(pinned, "LEDGERCTL_TODAY") if pinned else dt.date.today()


def parse_date(value: str | None, option: str = "--date") -> dt.date:
    if value is None or value == "today":
        return today()
    from ..core.dates import date_problem

    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):  # the right form, but the calendar has no such day
            raise typer.BadParameter(
                f"{value!r} is not a date: the calendar has no such day", param_hint=option
            ) from None
        raise typer.BadParameter(
            f"{value!r} is not a date; write YYYY-MM-DD, e.g. 2026-10-31", param_hint=option
        ) from None
    problem = date_problem(day)
    if problem:
        raise typer.BadParameter(problem, param_hint=option)
    return day


def segment_filter(values: list[str] | None) -> dict[str, frozenset[str]] | None:
    """``--segment`` options as {dimension: accepted values}; a bad DIM or VALUE is a usage error (exit 2)."""
    if not values:
        return None
    from ..core.selection import parse_filters

    return parse_filters(values)


def optional_date(value: str | None, option: str) -> dt.date | None:
    return None if value is None else parse_date(value, option)


class LedgerGroup(TyperGroup):
    """Turns ledgerctl's own errors into a message and the SPEC 5 exit status, never a traceback."""

    # The base class names click's Context, which typer vendors privately (typer._click); typer passes its subclass.
    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        from ..core.errors import LedgerctlError

        if ctx.parent is None:  # a new run (tests run many in one process): no --bom until this run says so
            from ..render.csv_options import CSV_BOM

            CSV_BOM.set(False)
        try:
            return super().invoke(ctx)
        except LedgerctlError as exc:
            report_error(exc)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            print("interrupted; the books are as they were before this command", file=sys.stderr)
            raise typer.Exit(130) from None
        except BrokenPipeError:
            raise typer.Exit(0) from None
        except Exception as exc:
            if type(exc).__name__ == "NoSuchOption" and getattr(exc, "option_name", "")[1:2].isdigit():
                # `add invoice acme -500`: Click reads -500 as the options -5 -0 -0 ("No such option: -5").
                from ..render.output import say

                say(
                    "error: a negative number reads as an option here; amounts are positive: money the customer no "
                    "longer owes is `add credit-note` or `add payment`, money paid back is `add refund`"
                )
                say(
                    "hint: a negative balance assertion goes after `--`: "
                    "ledgerctl add balance CUSTOMER --date 2026-11-30 -- -500.00 (options before the `--`)"
                )
                raise typer.Exit(2) from None
            if os.environ.get("LEDGERCTL_DEBUG") or type(exc).__module__.startswith(("typer", "click")):
                raise  # usage errors and exits belong to the CLI framework
            import traceback

            from ..render.terminal import escape_control

            last = escape_control(traceback.format_exc().strip().splitlines()[-1])  # it may quote the books' text
            print(
                f"internal error: {last}\n(this is a bug in ledgerctl; run again with LEDGERCTL_DEBUG=1 "
                "for the traceback and report it)",
                file=sys.stderr,
            )
            raise typer.Exit(70) from None


def report_error(exc: Any) -> None:
    from ..render.output import print_problems, say

    say(f"error: {exc.message}")
    if exc.problems:
        print_problems(exc.problems)
    if exc.hint:
        say(f"hint: {exc.hint}")


HELP_OPTIONS = {"help_option_names": ["-h", "--help"]}


def new_app(help_text: str, *, completion: bool = False, cls: type[TyperGroup] = LedgerGroup) -> typer.Typer:
    return typer.Typer(
        cls=cls,
        help=help_text,
        no_args_is_help=True,
        add_completion=completion,
        context_settings=HELP_OPTIONS,
        pretty_exceptions_enable=False,
        rich_markup_mode="markdown",
    )
