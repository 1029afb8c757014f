"""statement: opening/closing agree with balance; voids are shown; text, JSON and HTML."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

PERIODS = [
    ("2026-05-01", "2026-05-31"),
    ("2026-06-15", "2026-09-14"),
    ("2026-10-01", "2026-10-31"),
    ("2026-05-01", "2026-11-23"),
]


def day_before(text: str) -> str:
    return (dt.date.fromisoformat(text) - dt.timedelta(days=1)).isoformat()


def balances(books, as_of: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    data = json.loads(books.run("balance", "--as-of", as_of, "--format", "json").stdout)
    return {c["id"]: c["balance"] for c in data["customers"]}


@pytest.mark.parametrize("start, end", PERIODS)
def test_opening_and_closing_agree_with_balance(sample_books, start: str, end: str) -> None:  # type: ignore[no-untyped-def]
    opening, closing = balances(sample_books, day_before(start)), balances(sample_books, end)
    for customer in closing:
        result = sample_books.run("statement", customer, "--from", start, "--to", end, "--format", "json")
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        assert data["opening_balance"] == opening[customer]
        assert data["closing_balance"] == closing[customer]
        running = Decimal(data["opening_balance"])
        for line in data["lines"]:
            running += Decimal(line["debit"]) - Decimal(line["credit"])
            assert Decimal(line["balance"]) == running
        assert running == Decimal(data["closing_balance"])
        aging = sum(Decimal(v) for v in data["aging"].values()) + Decimal(data["unapplied"])
        assert aging == Decimal(data["closing_balance"])


def test_voided_entry_appears_with_its_void_with_show_voids(sample_books) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(
        sample_books.run(
            "statement", "gz-yuehai", "--from", "2026-05-01", "--to", "2026-11-23", "--format", "json", "--show-voids"
        ).stdout
    )
    voids = [line for line in data["lines"] if line["type"] == "void"]
    assert voids, "the sample has a void for gz-yuehai"
    for void in voids:
        original = next(line for line in data["lines"] if line["id"] == void["voids"])
        assert original["voided_by"] == void["id"]
        assert (original["debit"], original["credit"]) == (void["credit"], void["debit"])  # the void reverses it


def test_default_period_is_last_full_month(sample_books) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(sample_books.run("statement", "hx-machinery", "--format", "json").stdout)
    assert (data["from"], data["to"]) == ("2026-10-01", "2026-10-31")  # today is pinned to 2026-11-23


def test_text_and_html(sample_books, tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = sample_books.run("statement", "hx-machinery", "--from", "2026-10-01", "--to", "2026-10-31").stdout
    assert "opening balance" in text and "135,000.00" in text and "97,300.00" in text
    target = tmp_path / "hx.html"
    result = sample_books.run(
        "statement", "hx-machinery", "--from", "2026-10-01", "--to", "2026-10-31", "--format", "html", "-o", str(target)
    )
    assert result.exit_code == 0, result.output
    html = target.read_text(encoding="utf-8")
    assert "华兴机械有限公司" in html and "王经理" in html and "华兴贸易 receivables" in html and "97,300.00" in html
    assert "http://" not in html.replace("http://www.w3.org", "") and "<script" not in html and "src=" not in html


def test_html_escapes_text(books) -> None:  # type: ignore[no-untyped-def]
    assert (
        books.run(
            "add", "invoice", "acme", "10", "--date", "2026-10-05", "--memo", "<script>alert(1)</script>"
        ).exit_code
        == 0
    )
    html = books.run("statement", "acme", "--format", "html").stdout
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_bad_period(sample_books) -> None:  # type: ignore[no-untyped-def]
    result = sample_books.run("statement", "hx-machinery", "--from", "2026-10-31", "--to", "2026-10-01")
    assert result.exit_code == 2 and "before" in result.output
    assert sample_books.run("statement", "nobody").exit_code == 2


@pytest.mark.parametrize("aging", ["{basis: date, buckets: [30, 60, 90]}", "{basis: date, buckets: [15, 45]}"])
def test_statement_ages_like_the_aging_report(sample_books, aging: str) -> None:  # type: ignore[no-untyped-def]
    """Issue 11 item 2: the statement takes the basis and buckets from ledgerctl.yaml, as `aging` does."""
    config = sample_books.root / "ledgerctl.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("aging: {basis: due, buckets: [30, 60, 90]}", f"aging: {aging}"),
        encoding="utf-8",
    )
    sample_books.git("commit", "-q", "-am", "age by entry date")
    report = json.loads(sample_books.run("aging", "--as-of", "2026-10-31", "--all", "--format", "json").stdout)
    by_due = json.loads(
        sample_books.run("aging", "--as-of", "2026-10-31", "--all", "--basis", "due", "--format", "json").stdout
    )
    assert report["basis"] == "date"
    assert report["customers"] != by_due["customers"], "the sample must have an item whose bucket depends on the basis"
    for row in report["customers"]:
        result = sample_books.run(
            "statement", row["id"], "--from", "2026-10-01", "--to", "2026-10-31", "--format", "json"
        )
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["aging"] == row["buckets"], row["id"]
