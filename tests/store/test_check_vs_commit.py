"""`check` compares posted entries with the last commit; `ledgerctl commit` takes only valid hand edits."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def posted(books):  # type: ignore[no-untyped-def]
    """acme with an invoice, a payment and a note, all committed."""
    ids = []
    for args in (
        ("invoice", "acme", "100.00", "--date", "2026-11-01"),
        ("payment", "acme", "40.00", "--date", "2026-11-10"),
        ("note", "acme", "promised the rest", "--date", "2026-11-12"),
    ):
        result = books.run("add", *args)
        assert result.exit_code == 0, result.output
        ids.append(result.stdout.strip())
    books.invoice, books.payment, books.note = ids
    assert books.run("check").exit_code == 0
    return books


def check_json(books) -> tuple[int, dict]:  # type: ignore[no-untyped-def]
    result = books.run("check", "--format", "json")
    return result.exit_code, json.loads(result.stdout)


def lines_of(books) -> list[str]:  # type: ignore[no-untyped-def]
    return books.ledger("acme").read_text().splitlines(keepends=True)


def line_number(books, entry_id: str) -> int:  # type: ignore[no-untyped-def]
    return next(i for i, line in enumerate(lines_of(books), 1) if entry_id in line and line.lstrip().startswith("- "))


def assert_commit_refuses(books) -> None:  # type: ignore[no-untyped-def]
    snapshot = books.snapshot()
    result = books.run("commit")
    assert result.exit_code == 1, result.output
    assert "ledgers/acme.yaml" in result.output
    assert books.snapshot() == snapshot


def test_hand_deleted_posted_entry(posted) -> None:  # type: ignore[no-untyped-def]
    books = posted
    kept = [line for line in lines_of(books) if books.payment not in line]
    books.ledger("acme").write_text("".join(kept))
    code, report = check_json(books)
    assert code == 1 and report["ok"] is False
    deleted = [p for p in report["problems"] if p["code"] == "posted-deleted"]
    assert len(deleted) == 1
    (problem,) = deleted
    assert problem["file"] == "ledgers/acme.yaml" and problem["entry"] == books.payment
    assert "git checkout -- ledgers/acme.yaml" in problem["message"]
    assert f"ledgerctl void {books.payment}" in problem["message"]
    table = books.run("check")
    assert table.exit_code == 1
    assert "ledgers/acme.yaml" in table.output and books.payment in table.output and "git checkout" in table.output
    assert_commit_refuses(books)


def test_hand_changed_posted_entry(posted) -> None:  # type: ignore[no-untyped-def]
    books = posted
    number = line_number(books, books.invoice)
    lines = lines_of(books)
    assert '"100.00"' in lines[number - 1]
    lines[number - 1] = lines[number - 1].replace('"100.00"', '"90.00"')
    books.ledger("acme").write_text("".join(lines))
    code, report = check_json(books)
    assert code == 1
    (problem,) = [p for p in report["problems"] if p["code"] == "posted-changed"]
    assert (problem["file"], problem["line"], problem["entry"]) == ("ledgers/acme.yaml", number, books.invoice)
    assert "void" in problem["message"] and "git checkout" in problem["message"]
    table = books.run("check").output
    assert f"ledgers/acme.yaml:{number}" in table
    assert_commit_refuses(books)


def test_hand_changed_memo_counts_as_a_change(posted) -> None:  # type: ignore[no-untyped-def]
    books = posted
    text = books.ledger("acme").read_text().replace("promised the rest", "promised half")
    books.ledger("acme").write_text(text)
    code, report = check_json(books)
    assert code == 1
    assert [(p["code"], p["entry"]) for p in report["problems"]] == [("posted-changed", books.note)]


def test_reformatting_a_posted_entry_is_not_a_change(posted) -> None:  # type: ignore[no-untyped-def]
    books = posted
    lines = lines_of(books)
    number = line_number(books, books.note)
    lines[number - 1] = lines[number - 1].replace(", ", ",   ").rstrip("\n") + "   # reformatted by hand\n"
    books.ledger("acme").write_text("".join(lines))
    code, report = check_json(books)
    assert code == 0, report
    result = books.run("commit", "-m", "tidy")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("cut", [0.5, 0.8])
def test_truncated_file(posted, cut: float) -> None:  # type: ignore[no-untyped-def]
    books = posted
    raw = books.ledger("acme").read_bytes()
    books.ledger("acme").write_bytes(raw[: int(len(raw) * cut)])
    code, report = check_json(books)
    assert code == 1
    problems = report["problems"]
    assert problems and all(p["file"] == "ledgers/acme.yaml" for p in problems)
    assert any(p["line"] for p in problems) or any(p["entry"] for p in problems)
    assert any("git checkout -- ledgers/acme.yaml" in p["message"] for p in problems)
    assert_commit_refuses(books)


def test_emptied_file(posted) -> None:  # type: ignore[no-untyped-def]
    books = posted
    books.ledger("acme").write_bytes(b"")
    code, report = check_json(books)
    assert code == 1
    entries = {p["entry"] for p in report["problems"] if p["code"] == "posted-deleted"}
    assert entries == {books.invoice, books.payment, books.note}
    assert_commit_refuses(books)


def test_deleted_file(posted) -> None:  # type: ignore[no-untyped-def]
    books = posted
    books.ledger("acme").unlink()
    code, report = check_json(books)
    assert code == 1
    assert {p["entry"] for p in report["problems"] if p["code"] == "posted-deleted"} == {
        books.invoice,
        books.payment,
        books.note,
    }
    snapshot = books.snapshot()
    assert books.run("commit").exit_code == 1
    assert books.snapshot() == snapshot


def test_leftover_conflict_markers(posted) -> None:  # type: ignore[no-untyped-def]
    books = posted
    lines = lines_of(books)
    number = line_number(books, books.note)
    conflict = [
        "<<<<<<< HEAD\n",
        "  - {id: NT-20261115-AAAA, type: note, date: 2026-11-15, memo: ours}\n",
        "=======\n",
        "  - {id: NT-20261115-BBBB, type: note, date: 2026-11-15, memo: theirs}\n",
        ">>>>>>> other-clone\n",
    ]
    books.ledger("acme").write_text("".join(lines[:number] + conflict + lines[number:]))
    code, report = check_json(books)
    assert code == 1
    markers = [p for p in report["problems"] if "conflict" in p["message"]]
    assert len(markers) == 1
    assert markers[0]["file"] == "ledgers/acme.yaml" and markers[0]["line"] == number + 1
    table = books.run("check").output
    assert f"ledgers/acme.yaml:{number + 1}" in table
    assert "git checkout" in table or "void" in table
    assert_commit_refuses(books)


def test_commit_accepts_a_valid_hand_added_entry(posted) -> None:  # type: ignore[no-untyped-def]
    books = posted
    with books.ledger("acme").open("a") as handle:
        handle.write(
            "  - {id: PAY-20261120-HAND, type: payment, date: 2026-11-20, amount: 60.00, ref: 回单 1120}"
            "   # typed from the bank slip\n"
        )
    code, report = check_json(books)
    assert code == 0, report
    count = books.commit_count()
    result = books.run("commit")
    assert result.exit_code == 0, result.output
    assert books.commit_count() == count + 1
    body = books.git("log", "-1", "--format=%B")
    assert "Ledger-Customer: acme" in body
    assert [line for line in body.splitlines() if line.startswith("Ledger-Entry")] == [
        "Ledger-Entry: PAY-20261120-HAND"
    ]
    assert books.git("show", "--format=", "--name-only", "HEAD").split() == ["ledgers/acme.yaml"]
    assert books.git("status", "--porcelain") == ""
    balance = json.loads(books.run("balance", "acme", "--format", "json").stdout)
    assert balance["customers"][0]["balance"] == "0.00"


def test_commit_refuses_an_invalid_hand_added_entry(posted) -> None:  # type: ignore[no-untyped-def]
    books = posted
    with books.ledger("acme").open("a") as handle:
        handle.write("  - {id: PAY-20261120-HAND, type: payment, date: 2026-11-20, amount: 1e3}\n")
    code, report = check_json(books)
    assert code == 1
    assert any(p["entry"] == "PAY-20261120-HAND" and p["line"] for p in report["problems"])
    assert_commit_refuses(books)


def test_commit_with_nothing_to_commit(posted) -> None:  # type: ignore[no-untyped-def]
    snapshot = posted.snapshot()
    result = posted.run("commit")
    assert result.exit_code == 2, result.output
    assert "nothing to commit" in result.output
    assert posted.snapshot() == snapshot


REPORTS = (
    ("balance", "--format", "json"),
    ("aging", "--format", "json"),
    ("customer", "list", "--format", "json"),
    ("segment", "--format", "json"),
    ("remind", "--format", "json"),
)


def test_reports_warn_on_stderr_when_the_tree_lost_posted_entries_or_files(sample_books) -> None:  # type: ignore[no-untyped-def]
    """Issue 11 item 6: cutting posted entries or deleting a ledger made every report quietly smaller."""
    books = sample_books
    for args in REPORTS:  # a clean tree: no warning
        result = books.run(*args)
        assert result.exit_code == 0 and result.stderr == "", (args, result.stderr)
    path = books.ledger("hx-machinery")
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    entries = [i for i, line in enumerate(lines) if line.lstrip().startswith("- {id:")]
    path.write_text("".join(line for i, line in enumerate(lines) if i not in entries[-2:]), encoding="utf-8")
    books.ledger("northwind").unlink()
    committed = len(
        [
            line
            for line in books.git("show", "HEAD:ledgers/northwind.yaml").splitlines()
            if line.lstrip().startswith("- {id:")
        ]
    )
    for args in REPORTS:
        result = books.run(*args)
        assert result.exit_code == 0, (args, result.output)
        json.loads(result.stdout)  # stdout stays valid JSON
        warning = result.stderr.splitlines()
        assert len(warning) == 1, (args, result.stderr)
        assert (
            f"{2 + committed} posted entries and 1 ledger file" in warning[0] and "run `ledgerctl check`" in warning[0]
        )
    for args in (
        ("statement", "hx-machinery", "--format", "json"),
        ("customer", "show", "hx-machinery", "--format", "json"),
        ("reconcile", "hx-machinery", "--format", "json"),
    ):
        result = books.run(*args)  # a report on one customer speaks of that customer's file only
        assert result.exit_code == 0, (args, result.output)
        json.loads(result.stdout)
        assert result.stderr.count("\n") == 1 and "2 posted entries of the last commit" in result.stderr, result.stderr
    assert books.run("statement", "bj-huaxia").stderr == ""
    assert books.run("check").exit_code == 1
    books.git("checkout", "-q", "--", "ledgers")
    assert books.run("balance").stderr == ""


def test_a_hand_added_entry_or_a_new_file_is_no_loss(posted) -> None:  # type: ignore[no-untyped-def]
    books = posted
    assert books.run("customer", "add", "newco", "--name", "New Co", "--no-commit").exit_code == 0
    books.ledger("acme").write_text(
        books.ledger("acme")
        .read_text(encoding="utf-8")
        .replace("entries:", "entries:\n  - {id: NT-20261120-ZZZZ, type: note, date: 2026-11-20, memo: hand added}", 1),
        encoding="utf-8",
    )
    result = books.run("balance")
    assert result.exit_code == 0 and result.stderr == "", result.output


def test_check_reports_files_no_command_reads(posted) -> None:  # type: ignore[no-untyped-def]
    """Issue 11 item 6: ledgers/x.yml and ledgers/sub/x.yaml were ignored by every command, check included."""
    books = posted
    text = books.ledger("acme").read_text(encoding="utf-8")
    (books.root / "ledgers" / "x.yml").write_text(text, encoding="utf-8")
    (books.root / "ledgers" / "sub").mkdir()
    (books.root / "ledgers" / "sub" / "x.yaml").write_text(text, encoding="utf-8")
    (books.root / "ledgers" / ".gitkeep").write_text("", encoding="utf-8")
    code, report = check_json(books)
    assert code == 1
    assert [(p["code"], p["file"]) for p in report["problems"]] == [
        ("stray-file", "ledgers/sub/x.yaml"),
        ("stray-file", "ledgers/x.yml"),
    ]
    assert "ledgers/CUSTOMER.yaml" in report["problems"][0]["message"]
