"""reconcile --statement reads what import reads: .xlsx and .xls, and a title block above the header."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from tests.importing.support import write_csv, write_xls, write_xlsx

ROWS = [
    ["往来对账单"],
    ["客户：华兴机械有限公司"],
    [],
    ["日期", "凭证号", "摘要", "借方", "贷方"],
    [dt.date(2026, 10, 2), "FP-001", "机床配件", 1000, ""],
    [dt.date(2026, 10, 15), "", "银行收款", "", 400],
]


@pytest.mark.parametrize("writer", [write_xlsx, write_xls, write_csv], ids=["xlsx", "xls", "csv"])
def test_a_statement_in_a_spreadsheet_with_a_title_block(books, tmp_path, writer) -> None:  # type: ignore[no-untyped-def]
    assert books.run("add", "invoice", "acme", "1000.00", "--date", "2026-10-02", "--ref", "FP-001").exit_code == 0
    assert books.run("add", "payment", "acme", "400.00", "--date", "2026-10-15").exit_code == 0
    rows = (
        ROWS if writer is not write_csv else [[c.isoformat() if isinstance(c, dt.date) else c for c in r] for r in ROWS]
    )
    path = writer(tmp_path / f"s.{writer.__name__.removeprefix('write_')}", rows)
    result = books.run("reconcile", "acme", "--statement", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["agrees"] and len(data["matched"]) == 2
