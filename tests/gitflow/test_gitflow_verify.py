"""`verify`: the history audited commit by commit, on real repositories edited by hand and committed with git."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from gitflow_support import git

HERE = Path(__file__).parent


def add(books, *args: str) -> str:  # type: ignore[no-untyped-def]
    result = books.run("add", *args)
    assert result.exit_code == 0, result.output
    return result.stdout.strip()


def hand_commit(books, message: str) -> str:  # type: ignore[no-untyped-def]
    git(books.root, "commit", "-q", "-am", message)
    return books.head()


def verify_json(books, *args: str) -> tuple[int, dict]:  # type: ignore[no-untyped-def]
    result = books.run("verify", "--format", "json", *args)
    return result.exit_code, json.loads(result.stdout)


def edit(books, customer: str, old: str, new: str) -> None:  # type: ignore[no-untyped-def]
    path = books.ledger(customer)
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_the_sample_history_verifies(sample_books) -> None:  # type: ignore[no-untyped-def]
    code, report = verify_json(sample_books)
    assert code == 0, report
    assert report["ok"] is True and report["problems"] == [] and report["commits"] > 50
    table = sample_books.run("verify")
    assert table.exit_code == 0 and "no problems" in table.output


def test_a_hand_edit_of_a_posted_amount_is_caught_naming_commit_and_entry(books) -> None:  # type: ignore[no-untyped-def]
    invoice = add(books, "invoice", "acme", "100.00", "--date", "2026-11-01")
    add(books, "note", "acme", "called")
    edit(books, "acme", '"100.00"', '"150.00"')
    bad = hand_commit(books, "fix a typo")
    add(books, "invoice", "acme", "5.00")  # later commits do not hide it

    code, report = verify_json(books)
    assert code == 1 and report["ok"] is False
    (problem,) = report["problems"]
    assert problem["code"] == "posted-changed" and problem["commit"] == bad
    assert problem["entry"] == invoice and problem["file"] == "ledgers/acme.yaml" and problem["line"]
    assert "amount 100.00 → 150.00" in problem["message"]
    assert set(problem) == {"code", "message", "file", "line", "entry", "commit", "severity"}
    table = books.run("verify")
    assert table.exit_code == 1
    assert bad[:8] in table.output and invoice in table.output and "fix a typo" in table.output


def test_a_deleted_posted_entry_is_caught(books) -> None:  # type: ignore[no-untyped-def]
    payment = add(books, "payment", "acme", "40.00", "--date", "2026-11-02")
    path = books.ledger("acme")
    path.write_text("".join(line for line in path.read_text().splitlines(keepends=True) if payment not in line))
    bad = hand_commit(books, "tidy up")
    code, report = verify_json(books)
    assert code == 1
    assert [(p["code"], p["entry"], p["commit"]) for p in report["problems"]] == [("posted-deleted", payment, bad)]


def close_by_hand(books, date: str) -> str:  # type: ignore[no-untyped-def]
    config = books.root / "ledgerctl.yaml"
    config.write_text(config.read_text() + f"closed_through: {date}\n")
    head = hand_commit(books, f"close books through {date}")
    git(books.root, "tag", "-a", "-m", "closed", f"closed/{date}")
    return head


def test_postings_and_voids_in_a_closed_period_are_caught(books) -> None:  # type: ignore[no-untyped-def]
    old = add(books, "invoice", "acme", "100.00", "--date", "2026-10-05")
    close_by_hand(books, "2026-10-31")
    path = books.ledger("acme")
    path.write_text(
        path.read_text() + '  - {id: INV-LATE, type: invoice, date: 2026-10-20, amount: "9.00"}\n'
        f"  - {{id: VD-LATE, type: void, date: 2026-11-20, voids: {old}, memo: oops}}\n"
    )
    bad = hand_commit(books, "late entries")
    code, report = verify_json(books)
    assert code == 1
    found = {(p["code"], p["entry"], p["commit"]) for p in report["problems"]}
    assert found == {("closed-period", "INV-LATE", bad), ("closed-period", "VD-LATE", bad)}


def test_an_invalid_commit_is_reported_once_at_the_commit_that_broke_it(books) -> None:  # type: ignore[no-untyped-def]
    invoice = add(books, "invoice", "acme", "100.00", "--date", "2026-11-01")
    path = books.ledger("acme")
    path.write_text(
        path.read_text() + '  - {id: PAY-X, type: payment, date: 2026-11-05, amount: "10.00", '
        f'allocations: {{{invoice}: "20.00"}}}}\n'
    )
    bad = hand_commit(books, "payment typed by hand")
    path.write_text(path.read_text() + "  - {id: NT-X, type: note, date: 2026-11-06, memo: still broken}\n")
    hand_commit(books, "a note, typed by hand")
    code, report = verify_json(books)
    assert code == 1
    assert [(p["code"], p["entry"], p["commit"]) for p in report["problems"]] == [
        ("allocation-exceeds-credit", "PAY-X", bad)
    ]


def test_an_id_used_by_two_customers_is_caught(books) -> None:  # type: ignore[no-untyped-def]
    add(books, "invoice", "acme", "100.00", "--id", "FP-9")
    path = books.ledger("nippon")
    path.write_text(path.read_text() + '  - {id: FP-9, type: invoice, date: 2026-11-05, amount: "1000"}\n')
    bad = hand_commit(books, "typed nippon's invoice")
    code, report = verify_json(books)
    assert code == 1
    (problem,) = report["problems"]
    assert (problem["code"], problem["entry"], problem["commit"], problem["file"]) == (
        "duplicate-id",
        "FP-9",
        bad,
        "ledgers/nippon.yaml",
    )
    assert "ledgers/acme.yaml" in problem["message"]


def test_a_range_audits_only_its_commits(books) -> None:  # type: ignore[no-untyped-def]
    add(books, "invoice", "acme", "100.00")
    edit(books, "acme", '"100.00"', '"150.00"')
    hand_commit(books, "bad")
    start = books.head()
    add(books, "invoice", "acme", "5.00")
    assert verify_json(books, "--range", f"{start}..HEAD")[0] == 0
    code, report = verify_json(books, "--range", f"{start}~1..HEAD")
    assert code == 1 and report["commits"] == 2


@pytest.mark.parametrize("bad", ["no-such-thing..HEAD", "--output=/tmp/x", ""])
def test_a_bad_range_is_bad_usage(books, bad: str) -> None:  # type: ignore[no-untyped-def]
    result = books.run("verify", "--range", bad)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


def test_closed_tags_must_stay_on_the_closing_commit(books) -> None:  # type: ignore[no-untyped-def]
    add(books, "invoice", "acme", "100.00", "--date", "2026-10-05")
    closing = close_by_hand(books, "2026-10-31")
    assert verify_json(books)[0] == 0
    add(books, "note", "acme", "after the close")
    git(books.root, "tag", "-f", "-a", "-m", "moved", "closed/2026-10-31")  # moved to a later commit
    code, report = verify_json(books)
    assert code == 1
    (problem,) = report["problems"]
    assert problem["code"] == "closed-tag-moved" and "closed/2026-10-31" in problem["message"]
    git(books.root, "tag", "-f", "-a", "-m", "back", "closed/2026-10-31", closing)
    assert verify_json(books)[0] == 0
    git(books.root, "reset", "-q", "--hard", f"{closing}~1")  # history rewritten under the tag
    code, report = verify_json(books)
    assert code == 1 and [p["code"] for p in report["problems"]] == ["closed-tag-unreachable"]


def test_signed_demands_a_valid_signature_on_every_commit(books) -> None:  # type: ignore[no-untyped-def]
    code, report = verify_json(books, "--signed")
    assert code == 1
    assert {p["code"] for p in report["problems"]} == {"unsigned"}
    assert len(report["problems"]) == report["commits"] == books.commit_count()


@pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="needs ssh-keygen for SSH commit signatures")
def test_signed_accepts_commits_signed_with_a_trusted_key(books, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    key = tmp_path / "key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "test", "-f", str(key)], check=True)
    signers = tmp_path / "allowed_signers"
    signers.write_text(f"test@books.example {(tmp_path / 'key.pub').read_text().strip()}\n")
    for name, value in (
        ("gpg.format", "ssh"),
        ("user.signingkey", str(key)),
        ("commit.gpgsign", "true"),
        ("gpg.ssh.allowedSignersFile", str(signers)),
    ):
        git(books.root, "config", name, value)
    start = books.head()
    add(books, "invoice", "acme", "100.00")
    add(books, "payment", "acme", "100.00")
    assert git(books.root, "log", "-1", "--format=%G?").stdout.strip() == "G"
    assert verify_json(books, "--signed", "--range", f"{start}..HEAD")[0] == 0
    code, report = verify_json(books, "--signed", "--range", f"{start}~1..HEAD")
    assert code == 1 and [p["commit"] for p in report["problems"]] == [start]


def test_verify_and_history_on_a_long_history(tmp_path: Path) -> None:
    # Correctness on 1,500 commits; speed is the benchmark's business, not a unit test's (house rule).
    root = tmp_path / "long"
    subprocess.run([sys.executable, str(HERE / "long_history.py"), str(root), "1500", "3"], check=True)
    from conftest import BooksFixture

    books = BooksFixture(root)
    assert books.commit_count() == 1501
    code, report = verify_json(books)
    assert code == 0 and report["commits"] == 1501, report["problems"][:3]
    result = books.run("history", "c0", "--format", "json")
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)["changes"]) == 1 + 500  # the customer and its 500 entries
