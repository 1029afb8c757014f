"""`ledgerctl report` on real books: agrees with `balance` and `aging`, and with the worked example of docs/reports.md."""

from __future__ import annotations

import json
import re
import shlex
from decimal import Decimal
from pathlib import Path

from tests.conftest import BooksFixture, run_cli

DOC = Path(__file__).resolve().parents[2] / "docs" / "reports.md"


def _report(books: BooksFixture, *args: str) -> dict:  # type: ignore[type-arg]
    result = books.run("report", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_every_period_end_agrees_with_balance_and_aging_on_the_sample_books(sample_books: BooksFixture) -> None:
    data = _report(sample_books, "--from", "2026-05-01", "--to", "2026-11-30", "--by-customer")
    assert [p["start"] for p in data["periods"]][:2] == ["2026-05-01", "2026-06-01"] and len(data["periods"]) == 7
    for period in data["periods"]:
        end = period["end"]
        balance = json.loads(sample_books.run("balance", "--as-of", end, "--format", "json").stdout)
        aging = json.loads(sample_books.run("aging", "--as-of", end, "--basis", "due", "--format", "json").stdout)
        closing = {t["currency"]: t["closing"] for t in period["totals"]}
        assert closing == {t["currency"]: t["balance"] for t in balance["totals"]}, end
        overdue = {t["currency"]: t["overdue"] for t in period["totals"]}
        for total in aging["totals"]:
            past_due = sum((Decimal(v) for k, v in total["buckets"].items() if k != "current"), Decimal(0))
            assert Decimal(overdue[total["currency"]]) == past_due, end
        for row in period["customers"]:
            flows = {
                k: Decimal(row[k])
                for k in ("opening", "invoiced", "credited", "collected", "written_off", "refunded", "closing")
            }
            assert (
                flows["opening"]
                + flows["invoiced"]
                + flows["refunded"]
                - flows["credited"]
                - flows["collected"]
                - flows["written_off"]
            ) == flows["closing"], (end, row["id"])
    paid = [row["days_to_pay"] for p in data["periods"] for row in p["customers"] if row["days_to_pay"] is not None]
    assert paid and all(re.fullmatch(r"\d+\.\d", d) for d in paid)


def test_the_worked_example_of_reports_md_gives_the_figures_it_quotes(tmp_path: Path) -> None:
    text = DOC.read_text(encoding="utf-8")
    example = text.split("## A worked example", 1)[1]
    script = re.search(r"```sh\n(.*?)```", example, re.DOTALL).group(1)  # type: ignore[union-attr]
    books = BooksFixture(tmp_path / "r")
    env = {"LEDGERCTL_TODAY": "2026-11-30"}
    for line in script.splitlines():
        args = shlex.split(line.split("&&")[0], comments=True)
        result = (
            run_cli("init", str(books.root), *args[3:], env=env) if args[1] == "init" else books.run(*args[1:], env=env)
        )
        assert result.exit_code == 0, (line, result.output)
    table = example.split("<!-- report-example", 1)[1].splitlines()[1:]
    header = [cell.strip() for cell in table[0].strip("|").split("|")]
    quoted = [
        dict(zip(header, (cell.strip() for cell in line.strip("|").split("|")), strict=True)) for line in table[2:5]
    ]
    data = json.loads(
        books.run("report", "--from", "2026-09-01", "--to", "2026-11-30", "--format", "json", env=env).stdout
    )
    computed = []
    for period in data["periods"]:
        (cny,) = period["totals"]
        assert (cny["written_off"], cny["refunded"]) == ("0.00", "0.00")
        computed.append({"period": period["start"][:7]} | {k: cny[k] for k in header[1:]})
    assert computed == quoted
    balance = json.loads(books.run("balance", "--as-of", "2026-11-30", "--format", "json", env=env).stdout)
    assert balance["totals"][0]["balance"] == quoted[-1]["closing"]


def test_quarterly_and_yearly_periods_and_csv_rows(sample_books: BooksFixture) -> None:
    quarters = _report(sample_books, "--quarterly", "--to", "2026-11-30")
    assert [(p["start"], p["end"]) for p in quarters["periods"]] == [
        ("2026-01-01", "2026-03-31"),
        ("2026-04-01", "2026-06-30"),
        ("2026-07-01", "2026-09-30"),
        ("2026-10-01", "2026-11-30"),
    ]
    year = _report(sample_books, "--yearly", "--from", "2026-01-01", "--to", "2026-11-30")
    months = _report(sample_books, "--from", "2026-01-01", "--to", "2026-11-30")
    for cur, total in ((t["currency"], t) for t in year["periods"][0]["totals"]):
        summed = sum(
            Decimal(p["totals"][i]["invoiced"])
            for p in months["periods"]
            for i, t in enumerate(p["totals"])
            if t["currency"] == cur
        )
        assert Decimal(total["invoiced"]) == summed
    result = sample_books.run("report", "--customer", "hx-machinery", "--by-customer", "--format", "csv")
    lines = result.stdout.splitlines()
    assert lines[0].startswith("start,end,currency,customer,name,opening") and len(lines) > 12
    assert {line.split(",")[2] for line in lines[1:]} == {"CNY"}


def test_bad_options_are_one_line_errors_and_change_nothing(sample_books: BooksFixture) -> None:
    before = sample_books.snapshot()
    for args, words in (
        (["--monthly", "--yearly"], "one of --monthly"),
        (["--from", "2026-11-01", "--to", "2026-10-01"], "before --from"),
        (["--customer", "hx-machinry"], "hx-machinery"),
        (["--out", "x.txt"], "a table is for the terminal"),
    ):
        result = sample_books.run("report", *args)
        assert result.exit_code == 2, (args, result.output)
        assert words in result.stderr and "Traceback" not in result.output, result.output
    assert sample_books.snapshot() == before


def test_a_narrow_terminal_drops_whole_columns_and_says_which(sample_books: BooksFixture) -> None:
    result = sample_books.run(
        "report", "--from", "2026-11-01", "--to", "2026-11-30", "--by-customer", env={"LEDGERCTL_WIDTH": "80"}
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert all(len(line.rstrip()) <= 80 for line in lines)
    assert "sz-tengfei" in result.stdout and "208,950.00" in result.stdout  # ids and amounts whole
    assert "left out to fit the terminal: refunded" in " ".join(result.stdout.split())
