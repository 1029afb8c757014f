"""`check`: probable duplicates are warnings (exit 0 unless --strict); `--ignore` records a reviewed pair."""

from __future__ import annotations

import json

from tests.conftest import BooksFixture


def _warnings(books: BooksFixture, *extra: str) -> tuple[int, list[dict[str, object]]]:
    result = books.run("check", "--format", "json", *extra)
    data = json.loads(result.stdout)
    return result.exit_code, [p for p in data["problems"] if p["severity"] == "warning"]


def test_sample_books_have_no_duplicate_warning(sample_books: BooksFixture) -> None:
    code, warnings = _warnings(sample_books, "--strict")
    assert code == 0 and warnings == []


def test_same_invoice_twice_is_a_warning_not_an_error(books: BooksFixture) -> None:
    for day, entry in (("2026-11-01", "INV-1"), ("2026-11-03", "INV-2"), ("2026-11-20", "INV-3")):
        assert books.run("add", "invoice", "acme", "1000.00", "--date", day, "--id", entry).exit_code == 0
    code, warnings = _warnings(books)
    assert code == 0
    assert [(w["code"], w["entry"], w["file"]) for w in warnings] == [
        ("probable-duplicate-entry", "INV-1+INV-2", "ledgers/acme.yaml")
    ]  # INV-3 is 17 days later
    assert books.run("check", "--strict").exit_code == 1
    table = books.run("check")
    assert table.exit_code == 0 and "warning:" in table.stdout and "INV-1+INV-2" in table.stdout


def test_different_refs_or_a_void_are_no_duplicate(books: BooksFixture) -> None:
    assert (
        books.run(
            "add", "invoice", "acme", "1000.00", "--date", "2026-11-01", "--id", "INV-1", "--ref", "FP-1"
        ).exit_code
        == 0
    )
    assert (
        books.run(
            "add", "invoice", "acme", "1000.00", "--date", "2026-11-01", "--id", "INV-2", "--ref", "FP-2"
        ).exit_code
        == 0
    )
    assert books.run("add", "payment", "acme", "500.00", "--date", "2026-11-02", "--id", "PAY-1").exit_code == 0
    assert books.run("add", "payment", "acme", "500.00", "--date", "2026-11-02", "--id", "PAY-2").exit_code == 0
    assert _warnings(books)[1][0]["entry"] == "PAY-1+PAY-2"
    assert books.run("void", "PAY-2", "--date", "2026-11-05", "--reason", "entered twice").exit_code == 0
    assert _warnings(books) == (0, [])


def test_ignore_records_the_review_in_the_config_in_one_commit(books: BooksFixture) -> None:
    for entry in ("INV-1", "INV-2"):
        assert books.run("add", "invoice", "acme", "1000.00", "--date", "2026-11-01", "--id", entry).exit_code == 0
    commits = books.commit_count()
    result = books.run("check", "--ignore", "INV-2+INV-1", "--strict")  # either order
    assert result.exit_code == 0, result.output
    assert books.commit_count() == commits + 1
    assert "INV-1+INV-2" in (books.root / "ledgerctl.yaml").read_text()
    assert books.git("status", "--porcelain") == ""
    assert _warnings(books) == (0, [])
    again = books.run("check", "--ignore", "INV-1+INV-2")
    assert again.exit_code == 2 and "already recorded" in again.output


def test_customers_sharing_a_name_tax_id_or_account(books: BooksFixture) -> None:
    # Full-width, spaces and case do not hide a duplicate (the import matcher's normalisation).
    assert books.run("customer", "add", "acme2", "--name", "华兴机械 有限公司", "--currency", "CNY").exit_code == 0
    assert (
        books.run("customer", "add", "other", "--name", "Other Ltd", "--bank-account", "6222 0000 1111").exit_code == 0
    )
    assert (
        books.run("customer", "add", "other2", "--name", "Other Two", "--bank-account", "622200001111").exit_code == 0
    )
    code, warnings = _warnings(books)
    assert code == 0
    assert {(w["entry"], w["code"]) for w in warnings} == {
        ("acme+acme2", "probable-duplicate-customer"),
        ("other+other2", "probable-duplicate-customer"),
    }
    assert any("bank account" in str(w["message"]) for w in warnings)


def test_shared_tax_id_is_a_warning(books: BooksFixture) -> None:
    for customer in ("acme", "nippon"):
        text = books.ledger(customer).read_text().replace("customer:\n", "customer:\n  tax_id: 91310000MA1FL0XX1X\n", 1)
        books.ledger(customer).write_text(text)
    assert books.run("commit", "-m", "tax ids").exit_code == 0
    warnings = _warnings(books)[1]
    assert [w["entry"] for w in warnings] == ["acme+nippon"] and "tax id" in str(warnings[0]["message"])
