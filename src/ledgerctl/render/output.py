"""One output path for every command: data to stdout, diagnostics to stderr.

A report object offers ``to_json()`` (and, for tables and CSV, the functions in
:mod:`ledgerctl.render.tables`); this module only chooses the form and writes it.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Iterable, Sequence
from typing import Any

from rich.console import Console

from ..core.errors import Problem


def _width() -> int | None:
    value = os.environ.get("LEDGERCTL_WIDTH")
    return int(value) if value and value.isdigit() else None


_out: Console | None = None
_err: Console | None = None


def out() -> Console:
    global _out
    if _out is None or _out.file is not sys.stdout:
        _out = Console(file=sys.stdout, width=_width(), highlight=False, soft_wrap=False)
    return _out


def err() -> Console:
    global _err
    if _err is None or _err.file is not sys.stderr:
        _err = Console(file=sys.stderr, width=_width(), highlight=False, soft_wrap=True)
    return _err


def emit_json(data: Any) -> None:
    # Indented for people at a terminal; compact (and C-encoded, several times faster) for scripts.
    indent = 2 if sys.stdout.isatty() or os.environ.get("LEDGERCTL_JSON_INDENT") else None
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=indent) + "\n")
    sys.stdout.flush()


def emit_csv(header: Sequence[str], rows: Iterable[Sequence[object]], *, bom: bool = False) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    sys.stdout.write(("\ufeff" if bom else "") + buffer.getvalue())
    sys.stdout.flush()


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
