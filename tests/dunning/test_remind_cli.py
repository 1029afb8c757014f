"""`ledgerctl remind` on real git books: letters, --record once (one commit), escalation, bad input changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

TODAY = {"LEDGERCTL_TODAY": "2026-11-30"}


def remind(books, *args: str):  # type: ignore[no-untyped-def]
    return books.run("remind", *args, env=TODAY)


def overdue_books(books):  # type: ignore[no-untyped-def]
    """acme: one invoice 60 days overdue, one 10 days; nippon: nothing overdue."""
    for args in (
        ("add", "invoice", "acme", "1000.00", "--date", "2026-09-01", "--due", "2026-10-01", "--id", "INV-OLD"),
        ("add", "invoice", "acme", "250.50", "--date", "2026-10-21", "--due", "2026-11-20", "--id", "INV-NEW"),
        ("add", "invoice", "nippon", "5000", "--date", "2026-11-20", "--id", "INV-JP"),
    ):
        result = books.run(*args, env=TODAY)
        assert result.exit_code == 0, result.output
    return books


def test_letters_are_listed_written_and_recorded_once(books, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    overdue_books(books)
    listed = remind(books, "--format", "json")
    assert listed.exit_code == 0, listed.output
    report = json.loads(listed.stdout)
    assert [(x["customer"], x["level"], x["template"], x["overdue"]) for x in report["letters"]] == [
        ("acme", 3, "final", "1250.50")
    ]
    assert [i["id"] for i in report["letters"][0]["invoices"]] == ["INV-OLD", "INV-NEW"]

    commits = books.commit_count()
    out = tmp_path / "letters"
    done = remind(books, "--out", str(out), "--record", "--format", "json")
    assert done.exit_code == 0, done.output
    letter = out / "acme-2026-11-30-level3.txt"
    assert json.loads(done.stdout)["written"] == [str(letter)]
    text = letter.read_text(encoding="utf-8")
    assert "华兴机械有限公司" in text and "INV-OLD" in text and "1,250.50 CNY" in text and "Final notice" in text
    assert books.commit_count() == commits + 1
    assert books.git("log", "-1", "--format=%s").strip() == "remind as of 2026-11-30: 1 customer"
    assert "type: reminder" in books.ledger("acme").read_text(encoding="utf-8")

    again = remind(books, "--record", "--format", "json")
    assert again.exit_code == 0 and json.loads(again.stdout)["letters"] == []
    assert books.commit_count() == commits + 1  # nothing new to say: no second commit
    assert books.run("check").exit_code == 0


def test_a_books_template_overrides_the_built_in_one(books, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    overdue_books(books)
    (books.root / "templates").mkdir()
    (books.root / "templates" / "final.txt.j2").write_text(
        "{{ notice.customer_id }} owes {{ money(notice.overdue_total) }} {{ notice.currency }}\n", encoding="utf-8"
    )
    result = remind(books, "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "acme-2026-11-30-level3.txt").read_text(encoding="utf-8") == "acme owes 1,250.50 CNY\n"


def test_unknown_template_or_bad_options_change_nothing(books, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    overdue_books(books)
    config = books.root / "ledgerctl.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("template: final", "template: lawyer"), encoding="utf-8"
    )
    books.git("commit", "-q", "-am", "lawyer letters")
    before = books.snapshot()
    for args in (("--record", "--out", str(tmp_path / "x")), ("--no-commit",)):
        result = remind(books, *args)
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output
    assert "lawyer" in remind(books, "--record").output
    assert books.snapshot() == before and not (tmp_path / "x").exists()


def test_reminders_cannot_go_into_a_closed_period(books, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    overdue_books(books)
    assert books.run("close", "2026-11-30", env=TODAY).exit_code == 0
    before = books.snapshot()
    result = remind(books, "--record", "--out", str(tmp_path / "letters"))
    assert result.exit_code == 2, result.output
    assert "closed" in result.output
    assert books.snapshot() == before
    assert not (tmp_path / "letters").exists()  # no letters that the books say were never sent


def test_a_letter_never_de_escalates_after_a_recorded_final_notice(sample_books) -> None:  # type: ignore[no-untyped-def]
    """Issue 11 item 1: after a recorded final notice, a newly overdue invoice does not turn the next letter gentle."""
    first = remind(sample_books, "--as-of", "2026-11-30", "--tag", "electronics", "--record", "--format", "json")
    assert first.exit_code == 0, first.output
    assert [(x["customer"], x["level"]) for x in json.loads(first.stdout)["letters"]] == [("sz-tengfei", 3)]
    later = remind(sample_books, "--as-of", "2026-12-31", "--tag", "electronics", "--format", "json")
    assert later.exit_code == 0, later.output
    [letter] = json.loads(later.stdout)["letters"]
    assert (letter["customer"], letter["level"], letter["template"]) == ("sz-tengfei", 3, "final")
    assert all(letter["level"] >= max(i["level"], i["reminded"]) for i in letter["invoices"])
