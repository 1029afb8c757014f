"""import invoices: an e-invoice export with a red-letter credit note; idempotent on the invoice number."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from tests.importing.support import write_csv, write_xlsx

HEADER = [
    "序号",
    "发票代码",
    "发票号码",
    "数电票号码",
    "销方识别号",
    "购方识别号",
    "购买方名称",
    "开票日期",
    "金额",
    "税额",
    "价税合计",
    "发票状态",
    "备注",
]


def _rows() -> list[list[object]]:
    return [
        ["发票基础信息"],
        HEADER,
        [
            1,
            "",
            "",
            "26442000000000000101",
            "91440300X",
            "91310000Y",
            "华兴机械有限公司",
            "2026-11-02 10:11:12",
            "10,000.00",
            "1,300.00",
            "11,300.00",
            "正常",
            "机床配件",
        ],
        [
            2,
            "",
            "",
            "26442000000000000102",
            "91440300X",
            "91310000Z",
            "Beta Trading Co., Ltd.",
            "2026-11-03",
            "500.00",
            "65.00",
            "565.00",
            "正常",
            "",
        ],
        [
            3,
            "",
            "",
            "26442000000000000103",
            "91440300X",
            "91310000Y",
            "华兴机械",
            "2026-11-05",
            "-1,000.00",
            "-130.00",
            "-1,130.00",
            "正常",
            "被红冲蓝字数电票号码：26442000000000000101 折让",
        ],
        [
            4,
            "",
            "",
            "26442000000000000104",
            "91440300X",
            "91310000Y",
            "华兴机械有限公司",
            "2026-11-06",
            "100.00",
            "13.00",
            "113.00",
            "已作废",
            "",
        ],
        [
            5,
            "",
            "",
            "26442000000000000105",
            "91440300X",
            "",
            "Unknown Buyer Co",
            "2026-11-06",
            "100.00",
            "13.00",
            "113.00",
            "正常",
            "",
        ],
        [],
        ["合计", "", "", "", "", "", "", "", "", "", "10,848.00", "", ""],
    ]


def _run(books, *args: str):  # type: ignore[no-untyped-def]
    result = books.run("import", "invoices", *args, "-O", "json")
    return result, (json.loads(result.stdout) if result.stdout.strip() else None)


def test_an_e_invoice_export_with_a_red_letter_credit_note(payers, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "fp.csv", _rows(), "gb18030")
    count = payers.commit_count()
    result, report = _run(payers, str(path))
    assert result.exit_code == 1, result.output  # the unknown buyer
    got = [(i["line"], i["customer"], i["type"], i["amount"]) for i in report["imported"]]
    assert got == [
        (3, "acme", "invoice", "11300.00"),
        (4, "beta", "invoice", "565.00"),
        (5, "acme", "credit_note", "1130.00"),
    ]
    invoice_id = report["imported"][0]["id"]
    assert report["imported"][2]["allocated_to"] == {invoice_id: "1130.00"}
    assert [u["line"] for u in report["unmatched"]] == [7]
    assert {n["line"] for n in report["not_transactions"]} == {6, 9}  # cancelled, and the totals line
    assert payers.commit_count() == count + 1
    assert (
        payers.git("log", "-1", "--format=%s").strip()
        == "import invoices fp.csv: 2 invoices and 1 credit note for 2 customers"
    )
    text = payers.ledger("acme").read_text(encoding="utf-8")
    assert 'ref: "26442000000000000101"' in text and "due: 2026-12-02" in text
    assert payers.run("check").exit_code == 0
    result, report = _run(payers, str(path))
    assert report["imported"] == [] and report["already_imported"] == 3


def test_xlsx_with_due_dates_and_terms(payers, tmp_path: Path) -> None:
    rows = [
        ["Invoice No", "Date", "Customer", "Total", "Due date", "Currency"],
        ["EX-0001", dt.date(2026, 11, 2), "beta", 1000, dt.date(2026, 11, 20), "CNY"],
        ["EX-0002", dt.date(2026, 11, 2), "Nippon K.K.", 50000, "", "JPY"],
        ["EX-0003", dt.date(2026, 11, 2), "Nippon K.K.", 100.5, "", "JPY"],
    ]
    result, report = _run(payers, str(write_xlsx(tmp_path / "erp.xlsx", rows)))
    assert result.exit_code == 1, result.output
    assert [(i["customer"], i["amount"]) for i in report["imported"]] == [("beta", "1000.00"), ("nippon", "50000")]
    assert "JPY" in report["unmatched"][0]["reason"] and report["unmatched"][0]["line"] == 4


def test_the_same_number_twice_in_one_file_is_listed_not_guessed(payers, tmp_path: Path) -> None:
    rows = [
        ["发票号码", "开票日期", "购买方名称", "价税合计"],
        ["N1", "2026-11-02", "beta", "10.00"],
        ["N1", "2026-11-02", "beta", "20.00"],
    ]
    result, report = _run(payers, str(write_csv(tmp_path / "dup.csv", rows)))
    assert result.exit_code == 1
    assert "also on line 2" in report["unmatched"][0]["reason"]


def test_a_dry_run_and_a_bad_file_change_nothing(payers, tmp_path: Path) -> None:
    before = payers.snapshot()
    result, report = _run(payers, str(write_csv(tmp_path / "fp.csv", _rows())), "--dry-run")
    assert result.exit_code == 1 and len(report["imported"]) == 3
    bad = write_csv(
        tmp_path / "bad.csv", [["发票号码", "开票日期", "购买方名称", "价税合计"], ["N1", "2026-11-02", "beta", "ten"]]
    )
    result = payers.run("import", "invoices", str(bad))
    assert result.exit_code == 2 and "bad.csv:2" in result.output
    assert payers.snapshot() == before
