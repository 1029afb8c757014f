"""`add promise`, `followups` and credit-limit refusals on the sample books (real git repos)."""

from __future__ import annotations

import csv
import io
import json

OVERDUE_HX = "INV-20261008-9DCG"  # hx-machinery's overdue invoice in the sample books (42,300.00 CNY)


def followups(books, *args: str) -> dict:  # type: ignore[no-untyped-def, type-arg]
    result = books.run("followups", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_a_promise_is_posted_shown_and_followed_up_until_kept(sample_books) -> None:  # type: ignore[no-untyped-def]
    posted = sample_books.run(
        "add",
        "promise",
        "hx-machinery",
        "42300.00",
        "--by",
        "2026-11-27",
        "--invoice",
        OVERDUE_HX,
        "--memo",
        "王经理电话承诺",
    )
    assert posted.exit_code == 0, posted.output
    promise = posted.stdout.strip()
    assert promise.startswith("PR-20261123-")
    assert (
        f'type: promise, date: 2026-11-23, amount: "42300.00", by: 2026-11-27, invoices: [{OVERDUE_HX}]'
        in sample_books.ledger("hx-machinery").read_text(encoding="utf-8")
    )
    history = json.loads(sample_books.run("history", "hx-machinery", "--format", "json").stdout)
    assert [c["description"] for c in history["changes"] if c["entry"] == promise] == [
        f"added promise {promise} (2026-11-23, 42300.00 CNY, by 2026-11-27, memo 王经理电话承诺)"
    ]
    shown = sample_books.run("customer", "show", "hx-machinery", "--format", "json")
    assert promise in shown.stdout
    table = sample_books.run("customer", "show", "hx-machinery").stdout
    assert "promised by 2026-11-27 · 王经理电话承诺" in table
    balance = json.loads(sample_books.run("balance", "hx-machinery", "--format", "json").stdout)
    assert balance["customers"][0]["balance"] == "101200.00"  # a promise moves no money

    due = [i for i in followups(sample_books, "--as-of", "2026-11-25", "--days", "3")["items"] if i["entry"] == promise]
    assert [(i["kind"], i["days"], i["amount"]) for i in due] == [("promise-due", 2, "42300.00")]
    assert due[0]["command"] == "ledgerctl customer show hx-machinery --as-of 2026-11-27"
    assert not [
        i for i in followups(sample_books, "--as-of", "2026-11-25", "--days", "1")["items"] if i["entry"] == promise
    ]

    broken = followups(sample_books, "--as-of", "2026-11-30")["items"]
    assert broken[0]["kind"] == "promise-broken" and broken[0]["entry"] == promise  # most urgent first
    assert broken[0]["command"] == "ledgerctl add promise hx-machinery 42300.00 --by 2026-12-07 --date 2026-11-30"

    # Paid on the 26th: kept, so nothing to chase about it on the 30th.
    assert (
        sample_books.run(
            "add", "payment", "hx-machinery", "42300.00", "--date", "2026-11-26", "--apply", OVERDUE_HX
        ).exit_code
        == 0
    )
    assert not [i for i in followups(sample_books, "--as-of", "2026-11-30")["items"] if i["customer"] == "hx-machinery"]


def test_a_voided_promise_leaves_the_list(sample_books) -> None:  # type: ignore[no-untyped-def]
    promise = sample_books.run("add", "promise", "hx-machinery", "100.00", "--by", "2026-11-24").stdout.strip()
    assert [i["kind"] for i in followups(sample_books, "--as-of", "2026-11-28")["items"]][0] == "promise-broken"
    assert sample_books.run("void", promise, "--reason", "entered for the wrong customer").exit_code == 0
    assert all(i["entry"] != promise for i in followups(sample_books, "--as-of", "2026-11-28")["items"])


def test_the_days_list_on_the_sample_books(sample_books) -> None:  # type: ignore[no-untyped-def]
    items = followups(sample_books, "--as-of", "2026-11-23")["items"]
    assert [(i["kind"], i["customer"]) for i in items] == [
        ("dunning", "sz-tengfei"),
        ("dunning", "hx-machinery"),
        ("dunning", "sakura-kogyo"),
        ("over-limit", "sz-tengfei"),
        ("unapplied-credit", "muller-gmbh"),
    ]
    over = items[3]
    assert (over["balance"], over["limit"], over["amount"]) == ("208950.00", "150000.00", "58950.00")
    assert items[0]["command"] == "ledgerctl remind --as-of 2026-11-23 --out letters/2026-11-23 --record"
    tagged = followups(sample_books, "--as-of", "2026-11-23", "--tag", "vip")["items"]
    assert [(i["kind"], i["customer"]) for i in tagged] == [("dunning", "hx-machinery")]
    assert tagged[0]["command"] == "ledgerctl remind --as-of 2026-11-23 --tag vip --out letters/2026-11-23 --record"
    rows = list(
        csv.DictReader(io.StringIO(sample_books.run("followups", "--as-of", "2026-11-23", "--format", "csv").stdout))
    )
    assert [r["kind"] for r in rows] == [i["kind"] for i in items]


def test_a_failing_assertion_and_a_reminder_before_the_due_date(sample_books) -> None:  # type: ignore[no-untyped-def]
    config = sample_books.root / "ledgerctl.yaml"
    text = config.read_text(encoding="utf-8")
    assert "    - {after_days: 7, template: gentle}\n" in text
    config.write_text(
        text.replace("    - {after_days: 7, template: gentle}\n", "    - {after_days: -5, template: gentle}\n"),
        encoding="utf-8",
    )
    sample_books.git("commit", "-qm", "courtesy reminders five days before the due date", "ledgerctl.yaml")
    items = followups(sample_books, "--as-of", "2026-12-01")["items"]
    # hx-machinery's INV-20261105-64DF falls due on 2026-12-05: four days ahead, so within the -5 level.
    hx = next(i for i in items if i["kind"] == "dunning" and i["customer"] == "hx-machinery")
    assert "INV-20261105-64DF" in hx["invoices"]
    letters = json.loads(sample_books.run("remind", "--as-of", "2026-12-01", "--format", "json").stdout)["letters"]
    early = [i for n in letters for i in n["invoices"] if i["id"] == "INV-20261105-64DF"]
    assert [i["days_overdue"] for i in early] == [-4]
    out = sample_books.root.parent / "letters"
    assert sample_books.run("remind", "--as-of", "2026-12-01", "--out", str(out)).exit_code == 0
    text = (out / "hx-machinery-2026-12-01-level1.txt").read_text(encoding="utf-8")
    assert "due 2026-12-05" in text and "due in 4 days  (ref PO-HX-2611)" in text and "-4 days" not in text


def test_bad_days_is_a_usage_error(sample_books) -> None:  # type: ignore[no-untyped-def]
    result = sample_books.run("followups", "--days", "-1")
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_a_promise_survives_an_export_and_init_from_export(sample_books, tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert (
        sample_books.run(
            "add",
            "promise",
            "hx-machinery",
            "42300.00",
            "--by",
            "2026-11-27",
            "--invoice",
            OVERDUE_HX,
            "--id",
            "PR-HX-1",
        ).exit_code
        == 0
    )
    export = tmp_path / "books.jsonl"
    assert sample_books.run("export", "--format", "jsonl", "--out", str(export)).exit_code == 0
    copy = tmp_path / "copy"
    from tests.conftest import run_cli

    done = run_cli("init", str(copy), "--from-export", str(export))
    assert done.exit_code == 0, done.output
    assert (
        f'{{id: PR-HX-1, type: promise, date: 2026-11-23, amount: "42300.00", by: 2026-11-27, '
        f"invoices: [{OVERDUE_HX}]}}"
    ) in (copy / "ledgers" / "hx-machinery.yaml").read_text(encoding="utf-8")
