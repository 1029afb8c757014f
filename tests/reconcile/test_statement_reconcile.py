"""reconcile --statement: real CSV files in the encodings and headers bookkeepers get."""

from __future__ import annotations

import json

import pytest

LEDGER = [  # (kind, amount, date, extra options)
    ("invoice", "1000.00", "2026-10-02", ["--ref", "FP-001", "--id", "INV-A"]),
    ("invoice", "2500.00", "2026-10-10", ["--ref", "FP-002", "--id", "INV-B"]),
    ("payment", "1000.00", "2026-10-15", ["--ref", "BANK-1015", "--id", "PAY-1"]),
    ("credit-note", "200.00", "2026-10-20", ["--id", "CN-TEST-1"]),
    ("invoice", "800.00", "2026-10-25", ["--ref", "FP-003", "--id", "INV-D"]),
]
# date, ref, description, debit, credit, balance — the customer's statement seen from our side
LINES = [
    ("2026-10-02", "FP-001", "机床配件", "1,000.00", "", "1,000.00"),
    ("2026-10-11", "", "货款 FP-002", "2,500.00", "", "3,500.00"),
    ("2026-10-16", "", "银行收款", "", "1,000.00", "2,500.00"),
    ("2026-10-16", "", "银行收款", "", "1,000.00", "1,500.00"),  # a duplicate line
    ("2026-10-20", "CN-TEST-1", "退货", "", "20.00", "1,480.00"),  # typo: the credit note is 200.00
    ("2026-10-28", "FP-009", "未入账发票", "300.00", "", "1,780.00"),  # missing in our ledger
]
CHINESE = ("日期", "凭证号", "摘要", "借方", "贷方", "余额")
ENGLISH = ("Date", "Reference", "Description", "Debit", "Credit", "Balance")


@pytest.fixture
def ledger(books):  # type: ignore[no-untyped-def]
    for kind, amount, date, extra in LEDGER:
        assert books.run("add", kind, "acme", amount, "--date", date, *extra).exit_code == 0
    return books


def write_csv(path, header, rows, encoding="utf-8"):  # type: ignore[no-untyped-def]
    text = "\n".join(",".join(f'"{cell}"' if "," in cell else cell for cell in row) for row in [header, *rows]) + "\n"
    path.write_bytes(text.encode(encoding))
    return path


def run_json(books, *args):  # type: ignore[no-untyped-def]
    result = books.run("reconcile", "acme", *args, "--format", "json")
    assert "Traceback" not in result.output
    return result.exit_code, (json.loads(result.stdout) if result.stdout.strip() else None), result


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
@pytest.mark.parametrize("header", [CHINESE, ENGLISH], ids=["chinese", "english"])
def test_differences_are_found_exactly(ledger, tmp_path, encoding: str, header) -> None:  # type: ignore[no-untyped-def]
    before = ledger.snapshot()
    path = write_csv(tmp_path / "statement.csv", header, LINES, encoding)
    code, data, _ = run_json(ledger, "--statement", str(path))
    assert code == 1 and data["agrees"] is False
    assert sorted((m["statement"]["line"], m["entry"]["id"], m["by"].split(",")[0]) for m in data["matched"]) == [
        (2, "INV-A", "reference"),
        (3, "INV-B", "reference"),
        (4, "PAY-1", "amount"),
    ]
    [difference] = data["amount_differences"]
    assert (difference["statement"]["line"], difference["entry"]["id"], difference["difference"]) == (
        6,
        "CN-TEST-1",
        "-180.00",
    )
    assert [line["line"] for line in data["only_in_statement"]] == [5, 7]
    assert [item["id"] for item in data["only_in_ledger"]] == ["INV-D"]
    assert (data["last_date"], data["statement_balance"], data["ledger_balance"], data["balance_difference"]) == (
        "2026-10-28",
        "1780.00",
        "3100.00",
        "1320.00",
    )
    assert ledger.snapshot() == before  # reading a statement changes nothing


def test_agreeing_statement_exits_0(ledger, tmp_path) -> None:  # type: ignore[no-untyped-def]
    rows = [
        ("2026-10-02", "FP-001", "", "1000.00", "", "1000.00"),
        ("2026-10-10", "FP-002", "", "2500.00", "", "3500.00"),
        ("2026-10-15", "BANK-1015", "", "", "1000.00", "2500.00"),
        ("2026-10-20", "CN-TEST-1", "", "", "200.00", "2300.00"),
        ("2026-10-25", "FP-003", "", "800.00", "", "3100.00"),
    ]
    code, data, result = run_json(ledger, "--statement", str(write_csv(tmp_path / "ok.csv", CHINESE, rows)))
    assert code == 0 and data["agrees"] and len(data["matched"]) == 5, result.output
    table = ledger.run("reconcile", "acme", "--statement", str(tmp_path / "ok.csv"))
    assert table.exit_code == 0 and "agrees" in table.stdout


def test_signed_amount_column_and_mirror(ledger, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ours = [("2026-10-02", "FP-001", "1000.00"), ("2026-10-15", "BANK-1015", "-1000.00")]
    code, data, _ = run_json(
        ledger, "--statement", str(write_csv(tmp_path / "s.csv", ("日期", "凭证号", "金额"), ours))
    )
    assert [m["entry"]["id"] for m in data["matched"]] == ["INV-A", "PAY-1"]
    theirs = [("2026-10-02", "FP-001", "-1000.00"), ("2026-10-15", "BANK-1015", "1000.00")]  # the customer's AP books
    code, data, _ = run_json(
        ledger, "--statement", str(write_csv(tmp_path / "m.csv", ("日期", "凭证号", "金额"), theirs)), "--mirror"
    )
    assert [m["entry"]["id"] for m in data["matched"]] == ["INV-A", "PAY-1"]


def test_explicit_columns_and_tolerance(ledger, tmp_path) -> None:  # type: ignore[no-untyped-def]
    rows = [("2026-10-19", "in", "1000.00")]  # payment of 10-15, four days apart
    path = write_csv(tmp_path / "bank.csv", ("交易日", "附言", "收入"), rows)
    code, data, _ = run_json(ledger, "--statement", str(path), "--columns", "date=交易日,description=附言,credit=收入")
    assert data["only_in_statement"] and not data["matched"]
    code, data, _ = run_json(
        ledger, "--statement", str(path), "--columns", "date=交易日,description=附言,credit=收入", "--days", "4"
    )
    assert [m["entry"]["id"] for m in data["matched"]] == ["PAY-1"]


@pytest.mark.parametrize(
    "content, fragment",
    [
        (b"foo,bar\n1,2\n", "cannot tell which columns"),
        ("日期,借方\n2026-13-01,100\n".encode(), "not a date"),
        ("日期,借方\n2026-10-01,12.345\n".encode(), "too many decimals"),
        ("日期,借方\n2026-10-01,abc\n".encode(), "not an amount"),
        (b"", "empty"),
    ],
)
def test_bad_statements(ledger, tmp_path, content: bytes, fragment: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    result = ledger.run("reconcile", "acme", "--statement", str(path))
    assert result.exit_code == 2 and fragment in result.output and "Traceback" not in result.output
    assert ledger.run("reconcile", "acme", "--statement", str(tmp_path / "missing.csv")).exit_code == 2
