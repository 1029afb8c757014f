"""Foreign spreadsheets as a grid of text cells: CSV (UTF-8 with or without BOM, GB18030/GBK), .xlsx, .xls.

The kind is told by the file's first bytes, not its name: banks save tab-separated text as
``.xls``. Numbers and dates are turned into text here, exactly (a float cell through its
shortest repr, never through arithmetic), so :mod:`ledgerctl.core.tabular` parses every
cell the same way whatever the file type. openpyxl and xlrd are imported only when such a
file is read: start-up time matters for every other command.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..core.errors import UsageError
from .statement_csv import MAX_STATEMENT_BYTES, decode_statement

_XLSX_MAGIC = b"PK\x03\x04"
_XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def number_text(value: float) -> str:
    """A spreadsheet number as the text that was typed: 1234.5 → "1234.5", 1e16 → "10000000000000000"."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if math.isnan(value) or math.isinf(value):
        return ""
    text = repr(value)  # the shortest text that reads back as this float: what was typed, for up to 15 digits
    if "e" in text or "E" in text:
        text = format(Decimal(text), "f")
    return text.removesuffix(".0")


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ") if value.time() != dt.time() else value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return number_text(value)
    return str(value)


def read_grid(path: Path, *, encoding: str | None = None) -> list[list[str]]:
    """Every row of the file's first sheet as text cells; a file that cannot be read is a UsageError (exit 2)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None
    if len(raw) > MAX_STATEMENT_BYTES:
        raise UsageError(f"{path} is larger than {MAX_STATEMENT_BYTES} bytes")
    if not raw.strip():
        raise UsageError(f"{path} is empty")
    if raw.startswith(_XLSX_MAGIC):
        return _xlsx(path, raw)
    if raw.startswith(_XLS_MAGIC):
        return _xls(path, raw)
    if path.suffix.lower() in (".xlsx", ".xlsm") or b"\x00" in raw[:4096]:
        raise UsageError(f"{path} is not a spreadsheet ledgerctl can read (.xlsx, .xls or CSV text)")
    try:
        text = decode_statement(raw, encoding)
    except UsageError as exc:
        raise UsageError(f"{path}: {exc.message}", hint=exc.hint) from None
    return _csv(text)


def _csv(text: str) -> list[list[str]]:
    sample = "\n".join(line for line in text[:16384].splitlines() if line.count(",") + line.count("\t") > 1)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample or text[:4096], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    return [list(row) for row in csv.reader(io.StringIO(text, newline=""), dialect)]


def _xlsx(path: Path, raw: bytes) -> list[list[str]]:
    import zipfile

    import openpyxl  # a well-kept reader of .xlsx; imported here so other commands do not pay for it

    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            return [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
        finally:
            book.close()
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, IndexError) as exc:
        raise UsageError(f"{path} is not a readable .xlsx file ({type(exc).__name__})") from None


def _xls(path: Path, raw: bytes) -> list[list[str]]:
    import xlrd  # the reader of the old binary .xls format (xlrd 2 reads only .xls, which is all it is used for)

    try:
        book = xlrd.open_workbook(file_contents=raw, on_demand=True)
        sheet = book.sheet_by_index(0)
        rows = []
        for index in range(sheet.nrows):
            cells = []
            for cell in sheet.row(index):
                if cell.ctype == xlrd.XL_CELL_DATE:
                    cells.append(_cell_text(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)))
                elif cell.ctype in (xlrd.XL_CELL_NUMBER,):
                    cells.append(number_text(cell.value))
                elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                    cells.append("")
                else:
                    cells.append(str(cell.value))
            rows.append(cells)
        return rows
    except (xlrd.XLRDError, ValueError, IndexError, AssertionError, OSError) as exc:
        raise UsageError(f"{path} is not a readable .xls file ({type(exc).__name__})") from None
