"""`export --format csv|jsonl`: one row per entry with its customer's fields (core/exportrows.py), for
DuckDB, pandas or a spreadsheet; the jsonl file starts with one ``books`` line (name, as-of date, the
settings the figures depend on) so `init --from-export` can rebuild books that report the same figures."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..core.exportrows import COLUMNS, EXPORT_FORMAT, EXPORT_VERSION, NUMBER_COLUMNS, rows_of

if TYPE_CHECKING:
    from ..ops.export import BooksExport


def _rows(export: BooksExport) -> list[dict[str, Any]]:
    return list(rows_of((led.customer, led.entries) for led in export.ledgers))


SPACED = frozenset({"customer_tags", "tags", "invoices"})  # tags and ids hold no spaces: space-separated reads best


def _cell(column: str, value: Any) -> object:
    if value is None:
        return ""
    if column in SPACED:
        return " ".join(value)
    if isinstance(value, (dict, list)):  # aliases, bank accounts (may hold spaces), allocations: JSON text
        return json.dumps(value, ensure_ascii=False)
    return value


def export_csv(export: BooksExport) -> str:
    from .output import csv_document

    return csv_document(COLUMNS, ([_cell(c, row[c]) for c in COLUMNS] for row in _rows(export)), NUMBER_COLUMNS)


def books_line(export: BooksExport) -> dict[str, Any]:

    return {
        "kind": "books",
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "as_of": export.as_of.isoformat(),
        "name": export.name,
        "anonymized": export.salt is not None,
        "config": export.config,
    }


def export_jsonl(export: BooksExport) -> str:
    lines = [books_line(export), *_rows(export)]
    return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
