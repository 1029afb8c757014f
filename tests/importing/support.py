"""Writing bank and invoice exports the way banks do, in every encoding and file type the importer reads."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

Rows = list[list[object]]


def write_csv(path: Path, rows: Rows, encoding: str = "utf-8", delimiter: str = ",") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, rows: Rows) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append([None if cell == "" else cell for cell in row])
    book.save(path)
    return path


def write_xls(path: Path, rows: Rows) -> Path:
    import xlwt  # test-only: writes the old binary format the importer reads with xlrd

    book = xlwt.Workbook()
    sheet = book.add_sheet("明细")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if isinstance(cell, dt.date):
                sheet.write(r, c, cell, date_style)
            elif cell != "":
                sheet.write(r, c, cell)
    book.save(str(path))
    return path


def imported(result_stdout: str) -> object:
    return json.loads(result_stdout)
