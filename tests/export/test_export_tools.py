"""hledger and beancount read `ledgerctl export` and agree to the cent with `ledgerctl balance` at every date tried.

The real tools: hledger from apt (`make tools`), beancount from pip (the `test` extra). Voids are reversing
transactions on their own date, so dates between an entry and its void are the ones that would catch a
wrong export; balance assertions are exported as the tools' own, which they check while loading.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from tests.conftest import BooksFixture
from tests.tools import require_tool

GENERATOR = Path(__file__).resolve().parents[2] / "benchmarks" / "generate.py"
SAMPLE_DATES = ["2026-05-31", "2026-07-15", "2026-08-31", "2026-09-30", "2026-10-17", "2026-11-23"]
GENERATED_DATES = ["2024-06-30", "2025-03-31", "2025-12-31", "2026-06-30", "2026-11-15"]


def _ledgerctl_balances(books: BooksFixture, day: str) -> dict[str, str]:
    result = books.run("balance", "--as-of", day, "--format", "json")
    assert result.exit_code == 0, result.output
    return {
        row["id"]: f"{row['balance']} {row['currency']}"
        for row in json.loads(result.stdout)["customers"]
        if Decimal(row["balance"]) != 0
    }


def _export(books: BooksFixture, fmt: str, path: Path, *extra: str) -> Path:
    result = books.run("export", "--format", fmt, "--out", str(path), *extra)
    assert result.exit_code == 0, result.output
    return path


def hledger_balances(journal: Path, day: str) -> dict[str, str]:
    end = (dt.date.fromisoformat(day) + dt.timedelta(days=1)).isoformat()  # -e is exclusive
    done = subprocess.run(
        [
            require_tool("hledger"),
            "-f",
            str(journal),
            "bal",
            "^Assets:Receivable:",
            "--flat",
            "-N",
            "-e",
            end,
            "-O",
            "csv",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr  # also: every balance assertion held
    rows = list(csv.reader(io.StringIO(done.stdout)))[1:]
    return {account.removeprefix("Assets:Receivable:"): amount for account, amount in rows}


def beancount_balances(journal: Path, day: str) -> dict[str, str]:
    from beancount import loader
    from beancount.core import data

    entries, errors, _ = loader.load_file(str(journal))
    assert not errors, [e.message for e in errors]  # syntax, account names, balance assertions
    ids = {e.account: e.meta["customer_id"] for e in entries if isinstance(e, data.Open) and "customer_id" in e.meta}
    sums: dict[str, tuple[Decimal, str]] = {}
    cutoff = dt.date.fromisoformat(day)
    for entry in entries:
        if isinstance(entry, data.Transaction) and entry.date <= cutoff:
            for posting in entry.postings:
                if posting.account in ids:
                    total, _ = sums.get(ids[posting.account], (Decimal(0), ""))
                    sums[ids[posting.account]] = (total + posting.units.number, posting.units.currency)
    return {cid: f"{total} {code}" for cid, (total, code) in sums.items() if total != 0}


def _assert_agree(books: BooksFixture, tmp_path: Path, dates: list[str]) -> None:
    hledger = _export(books, "hledger", tmp_path / "books.journal")
    beancount = _export(books, "beancount", tmp_path / "books.beancount")
    for day in dates:
        expected = _ledgerctl_balances(books, day)
        assert expected, day
        assert hledger_balances(hledger, day) == expected, day
        assert beancount_balances(beancount, day) == expected, day


def test_hledger_and_beancount_agree_with_balance_on_the_sample_books(
    sample_books: BooksFixture, tmp_path: Path
) -> None:
    _assert_agree(sample_books, tmp_path, SAMPLE_DATES)


def test_a_void_is_a_reversing_transaction_on_its_own_date(sample_books: BooksFixture, tmp_path: Path) -> None:
    posted = sample_books.run("add", "invoice", "hx-machinery", "999.99", "--date", "2026-11-02")
    invoice = posted.stdout.strip()
    assert sample_books.run("void", invoice, "--reason", "typed twice", "--date", "2026-11-10").exit_code == 0
    journal = _export(sample_books, "hledger", tmp_path / "b.journal")
    for day in ("2026-11-01", "2026-11-05", "2026-11-09", "2026-11-10"):
        assert hledger_balances(journal, day) == _ledgerctl_balances(sample_books, day), day
    void = (
        journal.read_text(encoding="utf-8")
        .split("2026-11-10 * 华兴机械有限公司 | typed twice\n", 1)[1]
        .split("\n\n")[0]
    )
    assert f"; voids: {invoice}" in void
    assert "Assets:Receivable:hx-machinery    -999.99 CNY" in void and "Income:Sales    999.99 CNY" in void


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("generated")
    done = subprocess.run(
        [sys.executable, str(GENERATOR), str(out), "--customers", "12", "--entries-per-customer", "60", "--seed", "15"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return out / "books"


def test_hledger_and_beancount_agree_with_balance_on_generated_books(generated: Path, tmp_path: Path) -> None:
    # every entry type, voids of payments and invoices, balance assertions, CNY, USD and JPY
    _assert_agree(BooksFixture(generated), tmp_path, GENERATED_DATES)


def test_beancount_account_names_are_one_to_one_and_valid(tmp_path: Path) -> None:
    from beancount.parser import parser

    from ledgerctl.render.journals import beancount_account

    ids = ["a.b", "a_b", "adb", "aub", "a-b", "0day", "x", "a..b", "a._-b"]
    names = [beancount_account(i) for i in ids]
    assert len(set(names)) == len(names)
    text = "".join(f"2026-01-01 open {name} CNY\n" for name in names)
    _, errors, _ = parser.parse_string(text)
    assert not errors, errors


def test_an_assertion_that_does_not_hold_is_a_comment_not_a_failing_journal(
    sample_books: BooksFixture, tmp_path: Path
) -> None:
    # A wrong `balance` entry is a `check` problem in the books; the journals must still load.
    ledger = sample_books.ledger("northwind")
    text = ledger.read_text(encoding="utf-8")
    ledger.write_text(text + '  - {id: BAL-WRONG, type: balance, date: 2026-10-31, amount: "1.00"}\n', encoding="utf-8")
    sample_books.git("commit", "-qam", "a wrong assertion")
    hledger = _export(sample_books, "hledger", tmp_path / "b.journal")
    beancount = _export(sample_books, "beancount", tmp_path / "b.beancount")
    assert "BAL-WRONG: balance of northwind asserted 1.00 USD, not exported" in hledger.read_text(encoding="utf-8")
    assert (
        hledger_balances(hledger, "2026-10-31")
        == beancount_balances(beancount, "2026-10-31")
        == _ledgerctl_balances(sample_books, "2026-10-31")
    )
