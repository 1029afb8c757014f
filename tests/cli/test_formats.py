"""Every format a command advertises works, and every report with a table also has CSV."""

from __future__ import annotations

import csv
import io
import json

import pytest
import typer
from tests.conftest import BooksFixture
from typer.core import TyperGroup, TyperOption

from ledgerctl.cli.app import app
from ledgerctl.ops.initbooks import sample_statements_dir

# How to run each command that has --format on the sample books (its arguments, and the exit codes it may give).
RUNS: dict[tuple[str, ...], tuple[list[str], set[int]]] = {
    ("balance",): ([], {0}),
    ("aging",): ([], {0}),
    ("statement",): (["hx-machinery", "--from", "2026-09-01", "--to", "2026-11-30"], {0}),
    ("report",): (["--to", "2026-11-30", "--by-customer"], {0}),
    ("customer", "list"): ([], {0}),
    ("customer", "show"): (["hx-machinery"], {0}),
    ("segment",): ([], {0}),
    ("remind",): ([], {0}),
    ("followups",): (["--as-of", "2026-11-30"], {0}),
    ("reconcile",): (["hx-machinery"], {0}),
    ("check",): ([], {0}),
    ("history",): (["hx-machinery"], {0}),
    ("verify",): ([], {0}),
    ("doctor",): ([], {0, 1}),
    ("export",): ([], {0}),
    ("import", "bank"): ([str(sample_statements_dir() / "bank-2026-11.csv"), "--dry-run"], {1}),  # line 8: no payer
    ("import", "invoices"): ([str(sample_statements_dir() / "invoices-2026-11.csv"), "--dry-run"], {0}),
}


def _formats() -> dict[tuple[str, ...], list[str]]:
    found: dict[tuple[str, ...], list[str]] = {}

    def walk(group: TyperGroup, prefix: tuple[str, ...]) -> None:
        for name, command in group.commands.items():
            if isinstance(command, TyperGroup):
                walk(command, (*prefix, name))
                continue
            for param in command.params:
                if isinstance(param, TyperOption) and "--format" in param.opts:
                    found[(*prefix, name)] = [getattr(c, "value", c) for c in getattr(param.type, "choices", ())]

    walk(typer.main.get_command(app), ())  # type: ignore[arg-type]
    return found


def test_every_command_with_formats_is_exercised_here() -> None:
    assert set(_formats()) == set(RUNS)


def test_every_report_with_a_table_also_has_csv() -> None:
    lacking = [
        " ".join(path)
        for path, formats in _formats().items()
        if ("table" in formats or "text" in formats) and "csv" not in formats
    ]
    assert not lacking


@pytest.mark.parametrize("path", sorted(RUNS), ids=lambda path: "-".join(path))
def test_every_advertised_format_works(sample_books: BooksFixture, path: tuple[str, ...]) -> None:
    args, codes = RUNS[path]
    for fmt in _formats()[path]:
        result = sample_books.run(*path, *args, "--format", fmt)
        assert result.exit_code in codes, (path, fmt, result.output)
        # A table of findings (check, verify, doctor) is for people and goes to stderr; data goes to stdout.
        assert (result.output if fmt in ("table", "text") else result.stdout).strip(), (path, fmt, "printed nothing")
        if fmt == "json":
            json.loads(result.stdout)
        elif fmt == "csv":
            rows = list(csv.reader(io.StringIO(result.stdout.lstrip("\ufeff"))))
            assert rows and all(len(row) == len(rows[0]) for row in rows), (path, rows[:3])


def _options(path: tuple[str, ...]) -> set[str]:
    command = typer.main.get_command(app)
    for name in path:
        command = command.commands[name]  # type: ignore[attr-defined]
    return {opt for param in command.params if isinstance(param, TyperOption) for opt in param.opts}


def test_every_command_with_csv_takes_bom() -> None:
    lacking = [
        " ".join(path) for path, formats in _formats().items() if "csv" in formats and "--bom" not in _options(path)
    ]
    assert not lacking


@pytest.mark.parametrize("path", sorted(RUNS), ids=lambda path: "-".join(path))
def test_bom_starts_the_csv_and_only_when_asked(sample_books: BooksFixture, path: tuple[str, ...]) -> None:
    args, codes = RUNS[path]
    with_bom = sample_books.run(*path, *args, "--format", "csv", "--bom")
    assert with_bom.exit_code in codes and with_bom.stdout.startswith("\ufeff"), (path, with_bom.output[:200])
    without = sample_books.run(*path, *args, "--format", "csv")
    assert not without.stdout.startswith("\ufeff")


def test_no_csv_header_reads_as_a_date_in_a_spreadsheet(sample_books: BooksFixture) -> None:
    import re

    for args in (["aging"], ["aging", "--detail"], ["aging", "--buckets", "7,14,21"]):
        text = sample_books.run(*args, "--format", "csv").stdout
        cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
        assert not [c for c in cells if re.fullmatch(r"\d{1,4}[-/]\d{1,2}", c)], args
