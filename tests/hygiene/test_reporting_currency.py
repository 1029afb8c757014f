"""One reporting currency: converted grand totals, ABC and size on converted amounts, the converted trend."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from tests.conftest import BooksFixture

from ledgerctl.core.fx import RateTable
from ledgerctl.core.models import Rate

RATES = """\
- {date: 2025-01-01, currency: USD, rate: "7.1"}
- {date: 2026-11-01, currency: USD, rate: "7.2"}
- {date: 2025-01-01, currency: JPY, rate: "0.0478"}
"""


def _reporting(books: BooksFixture, rates: str | None = RATES, currency: str = "CNY") -> None:
    config = books.root / "ledgerctl.yaml"
    config.write_text(config.read_text() + f"reporting_currency: {currency}\n")
    if rates is not None:
        (books.root / "rates.yaml").write_text(rates)


def test_without_a_reporting_currency_reports_stay_as_they_were(sample_books: BooksFixture) -> None:
    for args in (("balance",), ("aging",), ("report", "--from", "2026-10-01")):
        data = json.loads(sample_books.run(*args, "--format", "json").stdout)
        assert "converted" not in json.dumps(data)


def test_balance_gains_a_converted_grand_total_at_the_rate_in_force(sample_books: BooksFixture) -> None:
    _reporting(sample_books)
    data = json.loads(sample_books.run("balance", "--format", "json").stdout)
    totals = {t["currency"]: Decimal(t["balance"]) for t in data["totals"]}
    assert totals == {"CNY": Decimal("374520.00"), "JPY": Decimal("5955000"), "USD": Decimal("32290.25")}  # unconverted
    # 374520.00 + 5955000 × 0.0478 + 32290.25 × 7.2 (the November rate, the latest on or before the as-of date)
    assert data["converted"] == {
        "currency": "CNY",
        "as_of": "2026-11-23",
        "rates": {"JPY": "0.0478", "USD": "7.2"},
        "balance": "891658.80",
    }
    october = json.loads(sample_books.run("balance", "--as-of", "2026-10-31", "--format", "json").stdout)
    assert october["converted"]["rates"]["USD"] == "7.1"
    table = sample_books.run("balance")
    assert "converted" in table.stdout and "891,658.80" in table.stdout


def test_aging_converts_every_bucket_and_the_total(sample_books: BooksFixture) -> None:
    _reporting(sample_books)
    data = json.loads(sample_books.run("aging", "--format", "json").stdout)["converted"]
    parts = sum(Decimal(v) for v in data["buckets"].values()) + Decimal(data["unapplied"])
    assert data["total"] == "891658.80" and parts == Decimal(data["total"])


def test_a_missing_rate_is_exit_2_never_a_silent_zero(sample_books: BooksFixture) -> None:
    _reporting(sample_books, RATES.replace('- {date: 2025-01-01, currency: JPY, rate: "0.0478"}\n', ""))
    for args in (("balance",), ("aging",), ("segment",), ("report",)):
        result = sample_books.run(*args)
        assert result.exit_code == 2, (args, result.output)
        assert "no JPY → CNY rate in force" in result.output and "Traceback" not in result.output


def test_rates_before_the_first_rate_and_a_missing_file_are_clear(sample_books: BooksFixture) -> None:
    _reporting(sample_books)
    result = sample_books.run("balance", "--as-of", "2024-12-31")
    assert result.exit_code == 2 and "first rate is dated 2025-01-01" in result.output
    (sample_books.root / "rates.yaml").unlink()
    result = sample_books.run("balance")
    assert result.exit_code == 2 and "no rates file rates.yaml" in result.output


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        ('- {date: 2026-01-01, currency: USD, rate: "-1"}\n', ("schema", "rates.yaml", 4)),
        ('- {date: 2026-11-01, currency: USD, rate: "7.3"}\n', ("rates", "rates.yaml", 4)),  # two rates for one day
        ('- {date: 2026-11-01, currency: CNY, rate: "1"}\n', ("rates", "rates.yaml", 4)),
    ],
)
def test_check_validates_the_rates_file(sample_books: BooksFixture, extra: str, problem: tuple[str, str, int]) -> None:
    _reporting(sample_books, RATES + extra)
    result = sample_books.run("check", "--format", "json")
    assert result.exit_code == 1
    assert [(p["code"], p["file"], p["line"]) for p in json.loads(result.stdout)["problems"]] == [problem]
    assert sample_books.run("balance").exit_code == 2


def test_abc_and_size_rank_all_customers_by_converted_amounts(sample_books: BooksFixture) -> None:
    def classes() -> dict[str, dict[str, str]]:
        data = json.loads(sample_books.run("segment", "--format", "json").stdout)
        return {c["id"]: c["segments"] for c in data["customers"]}

    alone = classes()["sakura-kogyo"]
    assert alone["value"] == "A"  # the only JPY customer, ranked among JPY customers
    _reporting(sample_books, RATES.replace('"0.0478"', '"0.0001"'))
    converted = classes()["sakura-kogyo"]
    assert converted["value"] == "C" and converted["size"] == "small"  # a few hundred CNY among every customer
    explained = json.loads(sample_books.run("segment", "--explain", "sakura-kogyo", "--format", "json").stdout)
    assert explained["figures"]["ranked_in"] == "CNY" and explained["figures"]["ranked"] == 10


def test_report_shows_the_converted_trend(sample_books: BooksFixture) -> None:
    _reporting(sample_books)
    data = json.loads(sample_books.run("report", "--from", "2026-09-01", "--format", "json").stdout)
    september = data["periods"][0]
    assert september["converted"]["currency"] == "CNY"
    table = RateTable.of(
        "CNY",
        [
            Rate.model_validate(r)
            for r in (
                {"date": "2025-01-01", "currency": "USD", "rate": "7.1"},
                {"date": "2025-01-01", "currency": "JPY", "rate": "0.0478"},
            )
        ],
    )
    expected = sum(
        table.convert(Decimal(t["closing"]), t["currency"], dt.date(2026, 9, 30)) for t in september["totals"]
    )
    assert Decimal(september["converted"]["closing"]) == expected
    assert "= CNY" in sample_books.run("report", "--from", "2026-09-01").stdout


@pytest.mark.parametrize(
    ("amount", "rate", "expected"),
    [
        ("1", "0.005", "0.01"),  # half-up, not half-even
        ("3", "0.0049", "0.01"),
        ("1", "0.0049", "0.00"),
        ("-1", "0.005", "-0.01"),
    ],
)
def test_conversion_is_decimal_half_up_to_the_minor_unit(amount: str, rate: str, expected: str) -> None:
    table = RateTable.of("CNY", [Rate(date=dt.date(2026, 1, 1), currency="JPY", rate=Decimal(rate))])
    assert str(table.convert(Decimal(amount), "JPY", dt.date(2026, 6, 1))) == expected
