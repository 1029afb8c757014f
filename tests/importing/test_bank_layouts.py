"""The layouts banks really export, in each encoding and file type, import the same payments."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from tests.importing.support import write_csv, write_xls, write_xlsx

ACME = "华兴机械有限公司"


def _import(books, path: Path, *extra: str):  # type: ignore[no-untyped-def]
    result = books.run("import", "bank", str(path), "-O", "json", *extra)
    return result, (json.loads(result.stdout) if result.stdout.strip() else None)


def _amounts(report: dict) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    return [(i["customer"], i["amount"]) for i in report["imported"]]


def test_title_block_tab_padded_cells_and_a_totals_line(payers, tmp_path: Path) -> None:
    rows = [
        ["中国工商银行账户历史明细"],
        ["账号：6222 0200 1234 5678", "", "户名：本公司"],
        ["起止日期：2026-11-01 至 2026-11-30"],
        [],
        ["交易日期", "对方户名", "对方账号", "摘要", "收入金额(元)", "支出金额(元)", "余额"],
        ["2026-11-05\t", f"\t{ACME}  ", "", "货款", " +12,000.00 ", "--", "112,000.00"],
        ["2026/11/06 14:03:22", "Beta Trading Co., Ltd.", "", "payment", "1,234.50", "-", "113,234.50"],
        ["20261107", "电力公司", "", "电费", "", "300.00", "112,934.50"],
        [],
        ["人民币合计", "", "", "", "13,234.50", "300.00", ""],
    ]
    result, report = _import(payers, write_csv(tmp_path / "icbc.csv", rows, "utf-8-sig"))
    assert result.exit_code == 0, result.output
    assert _amounts(report) == [("acme", "12000.00"), ("beta", "1234.50")]
    assert report["outgoing_skipped"] == 1
    assert [n["line"] for n in report["not_transactions"]] == [10]
    assert report["imported"][1]["date"] == "2026-11-06"


def test_an_unsigned_amount_with_a_direction_column(payers, tmp_path: Path) -> None:
    rows = [
        ["Date", "Payer", "Memo", "Amount", "Dr/Cr", "Balance"],
        ["2026-11-05", ACME, "INV-A1", "5,000.00", "贷 Cr", "5000.00"],
        ["2026-11-06", ACME, "fee", "10.00", "借 Dr", "4990.00"],
        ["2026-11-06", ACME, "internal", "10.00", "不计收支", "4990.00"],
    ]
    result, report = _import(payers, write_csv(tmp_path / "dir.csv", rows))
    assert result.exit_code == 0, result.output
    assert _amounts(report) == [("acme", "5000.00")]
    assert report["imported"][0]["allocated_to"] == {"INV-A1": "5000.00"}
    assert report["outgoing_skipped"] == 1


def test_transaction_and_booked_amount_pairs_use_the_booked_amount(payers, tmp_path: Path) -> None:
    rows = [
        ["交易时间", "交易对方", "交易币种", "交易金额", "记账币种", "记账金额", "交易附言", "交易流水号", "备用"],
        ["2026-11-05 10:00", ACME, "USD", "1,000.00", "人民币", "7,100.00", "", "SN001", ""],
        ["2026-11-06 10:00", "beta trading co ltd", "人民币", "200.00", "人民币", "200.00", "", "SN002", ""],
    ]
    result, report = _import(payers, write_csv(tmp_path / "pairs.csv", rows))
    assert result.exit_code == 0, result.output
    assert _amounts(report) == [("acme", "7100.00"), ("beta", "200.00")]


def test_a_gb18030_export_with_a_long_preamble(payers, tmp_path: Path) -> None:
    preamble = [[f"说明第{n}行：本对账单仅供参考"] for n in range(14)]
    rows = [
        *preamble,
        ["记账日期", "对方账户名", "对方账号", "贷方发生额", "借方发生额", "客户摘要"],
        ["2026-11-08", "某某保理有限公司", "", "800.00", "", "代付"],
        ["2026-11-09", "未知付款人", "6222000011112222", "900.00", "", "货款"],
    ]
    result, report = _import(payers, write_csv(tmp_path / "gb.csv", rows, "gb18030"))
    assert result.exit_code == 1, result.output  # the factoring company matches no one yet
    assert _amounts(report) == [("acme", "900.00")]  # by its bank account
    assert [u["line"] for u in report["unmatched"]] == [16]


def test_xlsx_with_numbers_and_dates_as_cells(payers, tmp_path: Path) -> None:
    rows = [
        ["招商银行交易明细"],
        ["交易日", "交易时间", "收入", "支出", "余额", "交易类型", "对手信息", "摘要"],
        [dt.date(2026, 11, 5), "10:01:00", 1234.56, "", 9999.99, "转账", f"{ACME}6222000099998888", "FP-2026-0102"],
        [dt.datetime(2026, 11, 6, 9, 30), "09:30:00", 0.1, "", 10000.09, "转账", "华兴机械", ""],
    ]
    result, report = _import(payers, write_xlsx(tmp_path / "cmb.xlsx", rows))
    assert result.exit_code == 0, result.output
    assert _amounts(report) == [("acme", "1234.56"), ("acme", "0.10")]
    assert report["imported"][0]["allocated_to"] == {"INV-A2": "1234.56"}


def test_xls(payers, tmp_path: Path) -> None:
    rows = [
        ["账户明细查询"],
        ["Booking Date", "Counterparty", "Credit", "Debit", "Remarks"],
        [dt.date(2026, 11, 5), ACME, 2500, "", "FP-2026-0101 part"],
        [dt.date(2026, 11, 6), "Beta Trading Co., Ltd.", 99.9, "", ""],
    ]
    result, report = _import(payers, write_xls(tmp_path / "boc.xls", rows))
    assert result.exit_code == 0, result.output
    assert _amounts(report) == [("acme", "2500.00"), ("beta", "99.90")]
    assert report["imported"][0]["allocated_to"] == {"INV-A1": "2500.00"}


def test_tab_separated_text_saved_as_xls_is_read_as_text(payers, tmp_path: Path) -> None:
    rows = [["交易日期", "对方户名", "金额"], ["2026-11-05", ACME, "100.00"]]
    result, report = _import(payers, write_csv(tmp_path / "fake.xls", rows, "gb18030", delimiter="\t"))
    assert result.exit_code == 0, result.output
    assert _amounts(report) == [("acme", "100.00")]


@pytest.mark.parametrize(
    "columns",
    [
        ["--columns", "date=入账,amount=发生,counterparty=来自"],
        ["--columns", "date=入账", "--columns", "amount=发生", "--columns", "counterparty=来自"],
    ],
)
def test_columns_override_detection(payers, tmp_path: Path, columns: list[str]) -> None:
    rows = [["入账", "来自", "发生"], ["2026-11-05", ACME, "100.00"]]
    result, report = _import(payers, write_csv(tmp_path / "odd.csv", rows), *columns)
    assert result.exit_code == 0, result.output
    assert _amounts(report) == [("acme", "100.00")]


def test_a_profile_in_ledgerctl_yaml_names_a_layout(payers, tmp_path: Path) -> None:
    config = payers.root / "ledgerctl.yaml"
    config.write_text(
        config.read_text(encoding="utf-8") + "import:\n  profiles:\n    odd: {columns: {date: 入账, amount: 发生, "
        "counterparty: 来自}}\n",
        encoding="utf-8",
    )
    payers.git("commit", "-qam", "profile")
    rows = [["入账", "来自", "发生"], ["2026-11-05", ACME, "100.00"]]
    result, report = _import(payers, write_csv(tmp_path / "odd.csv", rows), "--profile", "odd")
    assert result.exit_code == 0, result.output
    assert _amounts(report) == [("acme", "100.00")]
