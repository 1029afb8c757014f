"""The README's worked example: the bank export shipped with the sample books, imported as the README says."""

from __future__ import annotations

import json


def test_the_readme_worked_example_on_the_sample_books(sample_books) -> None:  # type: ignore[no-untyped-def]
    statement = sample_books.root / "statements" / "bank-2026-11.csv"
    assert statement.is_file() and "statements/bank-2026-11.csv" in sample_books.git("ls-files")
    before = sample_books.snapshot()
    dry = sample_books.run("import", "bank", str(statement), "--dry-run", "-O", "json")
    assert dry.exit_code == 1 and [u["line"] for u in json.loads(dry.stdout)["unmatched"]] == [8]
    assert sample_books.snapshot() == before
    first = json.loads(sample_books.run("import", "bank", str(statement), "-O", "json").stdout)
    assert [(i["customer"], i["allocated_to"]) for i in first["imported"]] == [
        ("hx-machinery", {"INV-20261105-64DF": "58900.00"}),
        ("gz-yuehai", {}),
    ]
    config = sample_books.root / "ledgerctl.yaml"
    with config.open("a", encoding="utf-8") as handle:
        handle.write("import:\n  rules:\n    - {match: 保理, field: counterparty, customer: sz-tengfei}\n")
    sample_books.git("commit", "-qm", "rule", "ledgerctl.yaml")
    again = sample_books.run("import", "bank", str(statement), "-O", "json")
    assert again.exit_code == 0, again.output
    report = json.loads(again.stdout)
    assert report["already_imported"] == 2 and [i["customer"] for i in report["imported"]] == ["sz-tengfei"]
    assert sample_books.run("check").exit_code == 0
    invoices = sample_books.run(
        "import", "invoices", str(sample_books.root / "statements" / "invoices-2026-11.csv"), "-O", "json"
    )
    assert invoices.exit_code == 0, invoices.output
    imported = json.loads(invoices.stdout)["imported"]
    assert [i["type"] for i in imported] == ["invoice", "invoice", "credit_note"]
    assert imported[2]["allocated_to"] == {imported[0]["id"]: "2260.00"}


def test_a_large_import_lists_customers_on_the_terminal_and_every_line_in_csv(sample_books, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from ledgerctl.render import importing

    monkeypatch.setattr(importing, "LISTED_LINES", 1)  # the sample statement stands in for a 10,000-line one
    statement = sample_books.root / "statements" / "bank-2026-11.csv"
    table = sample_books.run("import", "bank", str(statement), "--dry-run").stdout
    assert "would be posted: 2 lines, by customer" in table and "each line: --format csv or json" in table
    assert "hx-machinery" in table and "58,900.00 CNY" in table and "INV-20261105-64DF" not in table
    rows = sample_books.run("import", "bank", str(statement), "--dry-run", "-O", "csv").stdout
    assert "INV-20261105-64DF" in rows
