"""`add invoice` over a customer's credit limit: refused with the figures, warned, or posted with a reason."""

from __future__ import annotations

import json


def test_an_invoice_over_the_limit_is_refused_with_the_figures_and_nothing_changes(sample_books) -> None:  # type: ignore[no-untyped-def]
    before = sample_books.snapshot()
    # hx-machinery: limit 200,000.00, balance 101,200.00
    result = sample_books.run("add", "invoice", "hx-machinery", "98800.01")
    assert result.exit_code == 2
    assert (
        "hx-machinery would go over its credit limit: limit 200000.00 CNY, balance 101200.00 CNY, "
        "this invoice 98800.01 CNY (would owe 200000.01 CNY)"
    ) in result.stderr
    assert "--over-limit-reason" in result.stderr and "Traceback" not in result.output
    assert sample_books.snapshot() == before
    # Up to the limit itself is fine (over means more than the limit, engine.over_limit).
    assert sample_books.run("add", "invoice", "hx-machinery", "98800.00").exit_code == 0


def test_a_reason_posts_it_and_history_shows_the_reason(sample_books) -> None:  # type: ignore[no-untyped-def]
    result = sample_books.run("add", "invoice", "sz-tengfei", "1000.00", "--over-limit-reason", "总经理批准 (deal #88)")
    assert result.exit_code == 0, result.output
    entry = result.stdout.strip()
    message = sample_books.git("log", "-1", "--format=%B")
    assert "Ledger-Over-Limit-Reason: 总经理批准 (deal #88)" in message
    assert "limit 150000.00 CNY, balance 208950.00 CNY, this invoice 1000.00 CNY" in message
    history = json.loads(sample_books.run("history", "sz-tengfei", "--entry", entry, "--format", "json").stdout)
    assert [c["command"] for c in history["changes"]] == [
        f"add invoice {entry} for sz-tengfei: 1000.00 CNY, over the credit limit: 总经理批准 (deal #88)"
    ]
    blank = sample_books.run("add", "invoice", "sz-tengfei", "1.00", "--over-limit-reason", "  ")
    assert blank.exit_code == 2
    other = sample_books.run("add", "payment", "sz-tengfei", "1.00")
    assert other.exit_code == 0  # credits are never checked against the limit


def test_on_limit_warn_posts_with_a_warning(sample_books) -> None:  # type: ignore[no-untyped-def]
    config = sample_books.root / "ledgerctl.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "credit: {on_limit: warn}\n", encoding="utf-8")
    sample_books.git("commit", "-qm", "warn only", "ledgerctl.yaml")
    result = sample_books.run("add", "invoice", "sz-tengfei", "1000.00")
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("warning: sz-tengfei goes over its credit limit: limit 150000.00 CNY")
    assert "Ledger-Over-Limit-Reason: credit.on_limit: warn" in sample_books.git("log", "-1", "--format=%B")


def test_a_bad_on_limit_is_a_clear_error(sample_books) -> None:  # type: ignore[no-untyped-def]
    config = sample_books.root / "ledgerctl.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "credit: {on_limit: maybe}\n", encoding="utf-8")
    result = sample_books.run("add", "invoice", "hx-machinery", "1.00")
    assert result.exit_code == 2 and "on_limit" in result.output and "Traceback" not in result.output


def test_import_invoices_over_a_limit_is_refused_whole_unless_a_reason_is_given(sample_books) -> None:  # type: ignore[no-untyped-def]
    # hx-machinery owes 101,200.00; the export adds 33,900.00 less a 2,260.00 red-letter note: 132,840.00.
    assert sample_books.run("customer", "edit", "hx-machinery", "--credit-limit", "130000.00").exit_code == 0
    export = str(sample_books.root / "statements" / "invoices-2026-11.csv")
    before = sample_books.snapshot()
    refused = sample_books.run("import", "invoices", export)
    assert refused.exit_code == 2
    assert (
        "over the credit limit; nothing was imported: hx-machinery: limit 130000.00 CNY, balance 101200.00 CNY, "
        "these invoices 31640.00 CNY (would owe 132840.00 CNY)"
    ) in refused.stderr
    assert sample_books.snapshot() == before  # sh-mingda's invoice was not posted either
    done = sample_books.run("import", "invoices", export, "--over-limit-reason", "合同已批准")
    assert done.exit_code == 0, done.output
    message = sample_books.git("log", "-1", "--format=%B")
    assert message.splitlines()[0].endswith(", over the credit limit: 合同已批准")
    assert "Ledger-Over-Limit-Reason: 合同已批准" in message and "hx-machinery: limit 130000.00 CNY" in message
