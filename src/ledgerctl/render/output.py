"""One output path for every command: data to stdout, diagnostics to stderr.

Each report has its JSON, CSV and table functions in its render module (e.g.
:mod:`ledgerctl.render.tables`); this module only chooses the form and writes it.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Callable, Collection, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ..core.errors import Problem
from .csv_options import CSV_BOM

if TYPE_CHECKING:  # rich loads only when something is drawn: JSON and CSV output never need it
    from rich.console import Console
    from rich.table import Table


def _width() -> int | None:
    value = os.environ.get("LEDGERCTL_WIDTH")
    return int(value) if value and value.isdigit() else None


_out: Console | None = None
_err: Console | None = None


def out() -> Console:
    global _out
    if _out is None or _out.file is not sys.stdout:
        from .terminal import SafeConsole

        _out = SafeConsole(file=sys.stdout, width=_width(), highlight=False, soft_wrap=False)
    return _out


def keep_whole(table: Table) -> Table:
    """Give every ``no_wrap`` column (ids, amounts) the width of its widest cell, so it is never cut or folded."""
    from rich.cells import cell_len
    from rich.text import Text

    for column in table.columns:
        if column.no_wrap:
            cells = [column.header, *column.cells]
            widest = max((cell_len(c.plain if isinstance(c, Text) else str(c)) for c in cells), default=0)
            column.min_width = max(column.min_width or 0, widest)
    return table


def fitting(
    build: Callable[[frozenset[str]], Table], optional: Sequence[str], width: int | None
) -> tuple[Table, list[str]]:
    """``build(left_out)`` leaving out as few ``optional`` columns (first listed goes first) as fit ``width``.

    Returns the table and the columns left out, for a note under it; ids and amounts are
    never squeezed (see keep_whole), so a column is dropped instead.
    """
    left_out: list[str] = []
    if width is not None:
        from .terminal import SafeConsole

        measure = SafeConsole(width=10_000)
        for column in optional:
            probe = build(frozenset(left_out))
            probe.title = probe.caption = None
            if measure.measure(probe).minimum <= width:
                break
            left_out.append(column)
    return build(frozenset(left_out)), left_out


def print_whole(renderable: Any) -> None:
    """Print a report under the one table policy of every command: no word of any cell (an id, a date, an amount,
    a file:line) is ever cut or folded; when the terminal is narrower than the longest, the line runs past the edge.

    A folded or cut amount ("18,300." over "00", or "18,3…") reads as a wrong one; a long line does not.
    """
    console = out()
    needed = console.measure(renderable, options=console.options.update_width(10_000)).minimum
    if needed <= console.width:
        console.print(renderable)
        return
    width = console.width
    console.width = needed
    try:
        console.print(renderable)
    finally:
        console.width = width


def err() -> Console:
    global _err
    if _err is None or _err.file is not sys.stderr:
        from .terminal import SafeConsole

        _err = SafeConsole(file=sys.stderr, width=_width(), highlight=False, soft_wrap=True)
    return _err


def emit_json(data: Any) -> None:
    # Indented for people at a terminal; compact (and C-encoded, several times faster) for scripts.
    indent = 2 if sys.stdout.isatty() or os.environ.get("LEDGERCTL_JSON_INDENT") else None
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=indent) + "\n")
    sys.stdout.flush()


# A spreadsheet runs a cell that starts with one of these as a formula (=HYPERLINK(...) in a customer's name).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_text(cell: object) -> object:
    """OWASP's rule for a text cell: a leading ``'`` makes a would-be formula plain text in every spreadsheet."""
    if isinstance(cell, str) and cell.startswith(_FORMULA_START):
        return "'" + cell
    return cell


def emit_csv(
    header: Sequence[str], rows: Iterable[Sequence[object]], numbers: Collection[str] = (), *, bom: bool | None = None
) -> None:
    """Every CSV of every command: the columns named in ``numbers`` (amounts, counts) are written as they are;
    every other text cell is neutralised (csv_text). By column, never by content: -50.00 stays a number, and
    a customer named "-50.00" cannot pass for one."""
    sys.stdout.write(csv_document(header, rows, numbers, bom=bom))
    sys.stdout.flush()


def csv_document(
    header: Sequence[str], rows: Iterable[Sequence[object]], numbers: Collection[str] = (), *, bom: bool | None = None
) -> str:
    """The text emit_csv writes, for a file of its own (`statement --out x.csv`)."""
    numeric = {i for i, name in enumerate(header) if name in numbers}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([csv_text(name) for name in header])
    writer.writerows([cell if i in numeric else csv_text(cell) for i, cell in enumerate(row)] for row in rows)
    return ("\ufeff" if (CSV_BOM.get() if bom is None else bom) else "") + buffer.getvalue()


def say(message: str) -> None:
    """A diagnostic for people (stderr), never mixed into data on stdout."""
    err().print(message, markup=False)


def print_problems(problems: Sequence[Problem]) -> None:
    console = err()
    for problem in problems:
        where = problem.location()
        parts = [p for p in (where, problem.entry, f"[{problem.code}]") if p]
        console.print("  " + "  ".join(parts), markup=False, style="bold")
        console.print(f"      {problem.message}", markup=False)
