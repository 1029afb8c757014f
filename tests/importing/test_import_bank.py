"""import bank: idempotent, one commit, nothing dropped silently, nothing changed on a bad file or a dry run."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from tests.importing.support import write_csv

ACME = "华兴机械有限公司"
HEADER = ["交易日期", "对方户名", "对方账号", "摘要", "收入", "支出", "余额"]


def _run(books, *args: str):  # type: ignore[no-untyped-def]
    result = books.run("import", "bank", *args, "-O", "json")
    return result, (json.loads(result.stdout) if result.stdout.strip() else None)


def test_the_same_file_twice_adds_nothing_the_second_time(payers, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "s.csv", [HEADER, ["2026-11-05", ACME, "", "货款", "100.00", "", "100.00"]])
    result, report = _run(payers, str(path))
    assert result.exit_code == 0, result.output
    assert len(report["imported"]) == 1
    head, before = payers.head(), payers.snapshot()
    result, report = _run(payers, str(path))
    assert result.exit_code == 0, result.output
    assert report["imported"] == [] and report["already_imported"] == 1
    assert payers.head() == head and payers.snapshot() == before


def test_one_commit_per_import_with_the_count_in_its_subject(payers, tmp_path: Path) -> None:
    rows = [
        HEADER,
        ["2026-11-05", ACME, "", "a", "100.00", "", ""],
        ["2026-11-05", "华兴机械", "", "b", "50.00", "", ""],
        ["2026-11-06", "Beta Trading Co., Ltd.", "", "c", "70.00", "", ""],
    ]
    count = payers.commit_count()
    result, _ = _run(payers, str(write_csv(tmp_path / "nov.csv", rows)))
    assert result.exit_code == 0, result.output
    assert payers.commit_count() == count + 1
    assert payers.git("log", "-1", "--format=%s").strip() == "import bank nov.csv: 3 payments for 2 customers"
    assert payers.git("status", "--porcelain").strip() == ""
    assert payers.run("check").exit_code == 0


def test_an_overlapping_statement_adds_only_the_new_lines(payers, tmp_path: Path) -> None:
    first = [
        HEADER,
        ["2026-11-05", ACME, "", "a", "100.00", "", "100.00"],
        ["2026-11-06", ACME, "", "b", "200.00", "", "300.00"],
    ]
    second = [["另一种导出的标题"], HEADER, first[2], ["2026-11-07", ACME, "", "c", "300.00", "", "600.00"]]
    assert _run(payers, str(write_csv(tmp_path / "a.csv", first)))[0].exit_code == 0
    result, report = _run(payers, str(write_csv(tmp_path / "b.csv", second, "gb18030")))
    assert result.exit_code == 0, result.output
    assert report["already_imported"] == 1
    assert [(i["line"], i["amount"]) for i in report["imported"]] == [(4, "300.00")]


def test_two_identical_payments_in_one_file_both_import_and_only_once(payers, tmp_path: Path) -> None:
    line = ["2026-11-05", ACME, "", "货款", "100.00", "", ""]
    path = write_csv(tmp_path / "twins.csv", [HEADER, line, line])
    result, report = _run(payers, str(path))
    assert result.exit_code == 0, result.output
    assert len(report["imported"]) == 2
    result, report = _run(payers, str(path))
    assert report["imported"] == [] and report["already_imported"] == 2


def test_a_memo_naming_an_open_invoice_pays_it_up_to_its_open_amount(payers, tmp_path: Path) -> None:
    rows = [
        HEADER,
        ["2026-11-05", ACME, "", "付 FP-2026-0102 货款", "3500.00", "", ""],
        ["2026-11-06", ACME, "", "INV-A2 again", "100.00", "", ""],
    ]
    result, report = _run(payers, str(write_csv(tmp_path / "m.csv", rows)))
    assert result.exit_code == 0, result.output
    assert report["imported"][0]["allocated_to"] == {"INV-A2": "3000.00"}  # the rest joins the FIFO pool
    assert report["imported"][1]["allocated_to"] == {}  # nothing of INV-A2 is open any more
    assert payers.run("check").exit_code == 0


def test_unmatched_and_ambiguous_lines_are_listed_the_rest_imported_exit_1(payers, tmp_path: Path) -> None:
    assert payers.run("customer", "add", "acme2", "--name", "Acme Twin", "--alias", "华兴机械").exit_code == 0
    rows = [
        HEADER,
        ["2026-11-05", "Nobody Ltd", "", "who?", "10.00", "", ""],
        ["2026-11-05", "华兴机械", "", "twin", "20.00", "", ""],
        ["2026-11-06", "Beta Trading Co., Ltd.", "", "ok", "30.00", "", ""],
    ]
    out = tmp_path / "fix.csv"
    result, report = _run(payers, str(write_csv(tmp_path / "u.csv", rows)), "--unmatched", str(out))
    assert result.exit_code == 1, result.output
    assert [(i["customer"], i["amount"]) for i in report["imported"]] == [("beta", "30.00")]
    reasons = {u["line"]: u["reason"] for u in report["unmatched"]}
    assert set(reasons) == {2, 3}
    assert "ambiguous" in reasons[3] and "acme" in reasons[3] and "acme2" in reasons[3]
    assert set(report["unmatched"][0]) == {"line", "date", "amount", "counterparty", "memo", "reason"}
    with out.open(encoding="utf-8") as handle:
        listed = list(csv.DictReader(handle))
    assert [(r["line"], r["counterparty"], r["amount"]) for r in listed] == [
        ("2", "Nobody Ltd", "10.00"),
        ("3", "华兴机械", "20.00"),
    ]


def test_an_alias_added_after_an_unmatched_import_brings_in_only_that_line(payers, tmp_path: Path) -> None:
    rows = [
        HEADER,
        ["2026-11-05", "HX Machinery", "", "", "10.00", "", ""],
        ["2026-11-05", ACME, "", "", "20.00", "", ""],
    ]
    path = write_csv(tmp_path / "again.csv", rows)
    assert _run(payers, str(path))[0].exit_code == 1
    assert payers.run("customer", "edit", "acme", "--alias", "HX Machinery").exit_code == 0
    result, report = _run(payers, str(path))
    assert result.exit_code == 0, result.output
    assert report["already_imported"] == 1 and [i["amount"] for i in report["imported"]] == ["10.00"]


def test_rules_glued_accounts_and_bank_accounts_match(payers, tmp_path: Path) -> None:
    config = payers.root / "ledgerctl.yaml"
    config.write_text(
        config.read_text(encoding="utf-8") + "import:\n  rules:\n    - {match: 保理, field: counterparty, "
        "customer: beta}\n",
        encoding="utf-8",
    )
    payers.git("commit", "-qam", "rules")
    rows = [
        HEADER,
        ["2026-11-05", "某某保理有限公司", "", "", "10.00", "", ""],
        ["2026-11-05", "华兴机械有限公司6222000011112222", "", "", "20.00", "", ""],
        ["2026-11-05", "个人", "6222-0000-1111-2222", "", "30.00", "", ""],
        ["2026-11-05", "ＢＥＴＡ　ＴＲＡＤＩＮＧ　ＣＯ（ＬＴＤ）", "", "", "40.00", "", ""],
    ]
    result, report = _run(payers, str(write_csv(tmp_path / "r.csv", rows)))
    assert result.exit_code == 0, result.output
    assert [(i["customer"], i["amount"]) for i in report["imported"]] == [
        ("beta", "10.00"),
        ("acme", "20.00"),
        ("acme", "30.00"),
        ("beta", "40.00"),
    ]


def test_a_line_in_another_currency_is_refused_with_its_line_number(payers, tmp_path: Path) -> None:
    rows = [
        ["交易日期", "对方户名", "币种", "金额"],
        ["2026-11-05", "Nippon K.K.", "人民币", "100.00"],
        ["2026-11-05", "Nippon K.K.", "JPY", "100"],
    ]
    result, report = _run(payers, str(write_csv(tmp_path / "c.csv", rows)))
    assert result.exit_code == 1, result.output
    assert [u["line"] for u in report["unmatched"]] == [2] and "CNY" in report["unmatched"][0]["reason"]
    assert [(i["customer"], i["amount"]) for i in report["imported"]] == [("nippon", "100")]


def test_refunds_only_with_the_option_and_only_up_to_the_unapplied_credit(payers, tmp_path: Path) -> None:
    assert payers.run("add", "payment", "beta", "500.00", "--date", "2026-11-01").exit_code == 0
    rows = [
        HEADER,
        ["2026-11-05", "Beta Trading Co., Ltd.", "", "退款", "", "200.00", ""],
        ["2026-11-06", "Beta Trading Co., Ltd.", "", "退款", "", "400.00", ""],
    ]
    path = write_csv(tmp_path / "out.csv", rows)
    result, report = _run(payers, str(path), "--dry-run")
    assert report["outgoing_skipped"] == 2 and report["imported"] == []
    result, report = _run(payers, str(path), "--refunds")
    assert result.exit_code == 1, result.output
    assert [(i["type"], i["amount"]) for i in report["imported"]] == [("refund", "200.00")]
    assert "unapplied credit" in report["unmatched"][0]["reason"]


def test_a_dry_run_changes_nothing(payers, tmp_path: Path) -> None:
    before = payers.snapshot()
    result, report = _run(
        payers, str(write_csv(tmp_path / "d.csv", [HEADER, ["2026-11-05", ACME, "", "", "1.00", "", ""]])), "--dry-run"
    )
    assert result.exit_code == 0 and len(report["imported"]) == 1
    assert payers.snapshot() == before


def test_a_bad_file_exits_2_and_changes_nothing(payers, tmp_path: Path) -> None:
    before = payers.snapshot()
    good = write_csv(tmp_path / "good.csv", [HEADER, ["2026-11-05", ACME, "", "", "1.00", "", ""]])
    bad_amount = write_csv(tmp_path / "bad.csv", [HEADER, ["2026-11-05", ACME, "", "", "12abc", "", ""]])
    no_header = write_csv(tmp_path / "nohead.csv", [["hello", "world"], ["1", "2"]])
    broken_xlsx = tmp_path / "broken.xlsx"
    broken_xlsx.write_bytes(b"PK\x03\x04 not really a zip")
    for args, says in (
        ((str(good), str(bad_amount)), "bad.csv:2"),
        ((str(no_header),), "交易日期"),
        ((str(broken_xlsx),), "not a readable .xlsx"),
        ((str(tmp_path / "missing.csv"),), ""),
    ):
        result = payers.run("import", "bank", *args)
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output and says in result.output, result.output
        assert payers.snapshot() == before


def test_several_files_give_one_object_each_and_one_commit(payers, tmp_path: Path) -> None:
    a = write_csv(tmp_path / "a.csv", [HEADER, ["2026-11-05", ACME, "", "", "1.00", "", ""]])
    b = write_csv(tmp_path / "b.csv", [HEADER, ["2026-11-06", ACME, "", "", "2.00", "", ""]])
    count = payers.commit_count()
    result, report = _run(payers, str(a), str(b))
    assert result.exit_code == 0, result.output
    assert [r["file"] for r in report] == [str(a), str(b)]
    assert payers.commit_count() == count + 1


def test_csv_output_neutralises_formulas(payers, tmp_path: Path) -> None:
    rows = [HEADER, ["2026-11-05", '=HYPERLINK("x")', "", "", "1.00", "", ""]]
    result = payers.run("import", "bank", str(write_csv(tmp_path / "f.csv", rows)), "-O", "csv", "--dry-run")
    assert result.exit_code == 1
    assert "'=HYPERLINK" in result.stdout


def test_new_ids_avoid_each_other_across_customers_of_one_import(payers, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # Random suffixes that repeat: a second customer's payment on the same day draws the first one's id again.
    import itertools

    from ledgerctl.ops import entries

    draws = itertools.chain("AAAA", "AAAA", itertools.cycle("BBBBCCCC"))
    monkeypatch.setattr(entries.secrets, "choice", lambda alphabet: next(draws))
    rows = [
        HEADER,
        ["2026-11-05", ACME, "", "", "1.00", "", ""],
        ["2026-11-05", "Beta Trading Co., Ltd.", "", "", "2.00", "", ""],
    ]
    result, report = _run(payers, str(write_csv(tmp_path / "same-day.csv", rows)))
    assert result.exit_code == 0, result.output
    assert [i["id"] for i in report["imported"]] == ["PAY-20261105-AAAA", "PAY-20261105-BBBB"]
