"""SPEC 7: one commit per change, its message and trailers, the author, hand edits, --no-commit batches."""

from __future__ import annotations

import re

import pytest

from ledgerctl.store.yamlload import parse


def trailers(books, rev: str = "HEAD") -> list[str]:  # type: ignore[no-untyped-def]
    body = books.git("log", "-1", "--format=%B", rev)
    return [line for line in body.splitlines() if line.startswith("Ledger-")]


def files_of(books, rev: str = "HEAD") -> list[str]:  # type: ignore[no-untyped-def]
    return books.git("show", "--format=", "--name-only", rev).split()


def add(books, *args: str, env: dict[str, str] | None = None) -> str:  # type: ignore[no-untyped-def]
    result = books.run("add", *args, env=env)
    assert result.exit_code == 0, result.output
    return result.stdout.strip().splitlines()[0]


@pytest.mark.parametrize(
    ("args", "subject"),
    [
        (
            ("invoice", "acme", "12000", "--date", "2026-11-05"),
            r"add invoice INV-20261105-\w{4} for acme: 12000\.00 CNY",
        ),
        (
            ("payment", "acme", "5000.5", "--date", "2026-11-06"),
            r"add payment PAY-20261106-\w{4} for acme: 5000\.50 CNY",
        ),
        (("credit-note", "acme", "200.00"), r"add credit note CN-20261123-\w{4} for acme: 200\.00 CNY"),
        (("write-off", "acme", "1.00"), r"add write off WO-20261123-\w{4} for acme: 1\.00 CNY"),
        (("refund", "nippon", "3000"), r"add refund RF-20261123-\w{4} for nippon: 3000 JPY"),
        (("note", "acme", "客户承诺月底付款"), r"add note NT-20261123-\w{4} for acme"),
        (("reminder", "acme", "--level", "2"), r"add reminder RM-20261123-\w{4} for acme"),
    ],
)
def test_one_commit_per_add_with_message_and_trailers(books, args: tuple[str, ...], subject: str) -> None:  # type: ignore[no-untyped-def]
    count = books.commit_count()
    new_id = add(books, *args)
    assert books.commit_count() == count + 1
    assert re.fullmatch(subject, books.git("log", "-1", "--format=%s").strip())
    assert new_id in books.git("log", "-1", "--format=%s")
    assert trailers(books) == [f"Ledger-Customer: {args[1]}", f"Ledger-Entry: {new_id}"]
    # git itself parses them as trailers
    parsed = books.git("log", "-1", "--format=%(trailers:only,unfold)").split("\n")
    assert f"Ledger-Entry: {new_id}" in parsed
    assert files_of(books) == [f"ledgers/{args[1]}.yaml"]
    assert books.git("status", "--porcelain") == ""


def test_the_example_message_of_spec_7(books) -> None:  # type: ignore[no-untyped-def]
    add(books, "invoice", "acme", "12000.00", "--date", "2026-11-05", "--id", "INV-20261105-3FQA")
    body = books.git("log", "-1", "--format=%B").strip()
    assert body == (
        "add invoice INV-20261105-3FQA for acme: 12000.00 CNY\n\nLedger-Customer: acme\nLedger-Entry: INV-20261105-3FQA"
    )


def test_void_commit_names_both_entries(books) -> None:  # type: ignore[no-untyped-def]
    invoice = add(books, "invoice", "acme", "10.00", "--date", "2026-11-01")
    count = books.commit_count()
    result = books.run("void", invoice, "--reason", "entered twice")
    assert result.exit_code == 0, result.output
    void_id = result.stdout.strip()
    assert books.commit_count() == count + 1
    assert books.git("log", "-1", "--format=%s").strip() == f"void {invoice} for acme: entered twice"
    assert trailers(books) == ["Ledger-Customer: acme", f"Ledger-Entry: {void_id}", f"Ledger-Entry: {invoice}"]


def test_customer_commands_commit_once(books) -> None:  # type: ignore[no-untyped-def]
    count = books.commit_count()
    assert books.run("customer", "add", "zeta", "--name", "Zeta GmbH", "--currency", "EUR").exit_code == 0
    assert books.run("customer", "edit", "zeta", "--credit-limit", "1000", "--person", "Anna").exit_code == 0
    assert books.run("tag", "zeta", "vip").exit_code == 0
    assert books.commit_count() == count + 3
    subjects = books.git("log", "-3", "--format=%s").splitlines()
    assert subjects[2] == "add customer zeta: Zeta GmbH"
    assert subjects[1].startswith("edit customer zeta: ") and "credit_limit" in subjects[1]
    assert subjects[0] == "tag zeta: vip"
    for rev in ("HEAD", "HEAD~1", "HEAD~2"):
        assert "Ledger-Customer: zeta" in trailers(books, rev)
        assert files_of(books, rev) == ["ledgers/zeta.yaml"]


def test_author_is_the_users_identity(books) -> None:  # type: ignore[no-untyped-def]
    add(books, "invoice", "acme", "1.00", env={"GIT_AUTHOR_NAME": "张会计", "GIT_AUTHOR_EMAIL": "zhang@books.example"})
    assert books.git("log", "-1", "--format=%an <%ae>").strip() == "张会计 <zhang@books.example>"
    add(books, "invoice", "acme", "2.00")
    assert books.git("log", "-1", "--format=%an <%ae>").strip() == "Test Bookkeeper <test@books.example>"


def test_author_from_git_config(books, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    for key in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
        monkeypatch.delenv(key)
    books.git("config", "--global", "user.name", "Li Wei")
    books.git("config", "--global", "user.email", "li.wei@books.example")
    add(books, "note", "acme", "hi")
    assert books.git("log", "-1", "--format=%an <%ae> / %cn").strip() == "Li Wei <li.wei@books.example> / Li Wei"


def test_target_file_with_hand_edits_is_refused(books) -> None:  # type: ignore[no-untyped-def]
    add(books, "invoice", "acme", "1.00")
    with books.ledger("acme").open("a") as handle:
        handle.write("  - {id: NT-20261120-HAND, type: note, date: 2026-11-20, memo: typed by hand}\n")
    for command in (
        ("add", "invoice", "acme", "5.00"),
        ("add", "note", "acme", "x"),
        ("customer", "edit", "acme", "--name", "New"),
        ("tag", "acme", "vip"),
    ):
        snapshot = books.snapshot()
        result = books.run(*command)
        assert result.exit_code == 2, (command, result.output)
        assert "uncommitted" in result.output and "ledgerctl commit" in result.output
        assert books.snapshot() == snapshot


def test_staged_hand_edits_of_the_target_are_refused_too(books) -> None:  # type: ignore[no-untyped-def]
    with books.ledger("acme").open("a") as handle:
        handle.write("  - {id: NT-20261120-HAND, type: note, date: 2026-11-20, memo: typed by hand}\n")
    books.git("add", "ledgers/acme.yaml")
    snapshot = books.snapshot()
    result = books.run("add", "invoice", "acme", "5.00")
    assert result.exit_code == 2, result.output
    assert "ledgerctl commit" in result.output
    assert books.snapshot() == snapshot


def test_no_commit_batch_then_commit(books) -> None:  # type: ignore[no-untyped-def]
    count = books.commit_count()
    first = books.run("add", "invoice", "acme", "100.00", "--no-commit")
    assert first.exit_code == 0, first.output
    assert "staged" in first.output
    assert books.commit_count() == count
    assert books.git("status", "--porcelain") == "M  ledgers/acme.yaml\n"  # staged, not committed
    second = books.run("add", "payment", "acme", "40.00", "--no-commit")
    assert second.exit_code == 0, second.output
    third = books.run("add", "invoice", "nippon", "700", "--no-commit")
    assert third.exit_code == 0, third.output
    assert books.commit_count() == count
    ids = [r.stdout.strip().splitlines()[0] for r in (first, second, third)]
    result = books.run("commit", "-m", "batch of the day")
    assert result.exit_code == 0, result.output
    assert books.commit_count() == count + 1
    assert books.git("log", "-1", "--format=%s").strip() == "batch of the day"
    assert sorted(files_of(books)) == ["ledgers/acme.yaml", "ledgers/nippon.yaml"]
    found = trailers(books)
    assert "Ledger-Customer: acme" in found and "Ledger-Customer: nippon" in found
    assert sorted(t.split(": ")[1] for t in found if t.startswith("Ledger-Entry")) == sorted(ids)
    assert books.git("status", "--porcelain") == ""
    assert books.run("check").exit_code == 0
    # after the batch, the file is clean again: a normal add commits by itself
    add(books, "note", "acme", "done")
    assert books.commit_count() == count + 2


def test_no_commit_then_hand_edit_of_the_same_file_is_refused(books) -> None:  # type: ignore[no-untyped-def]
    assert books.run("add", "invoice", "acme", "100.00", "--no-commit").exit_code == 0
    with books.ledger("acme").open("a") as handle:
        handle.write("# a hand edit on top of the batch\n")
    snapshot = books.snapshot()
    result = books.run("add", "invoice", "acme", "5.00", "--no-commit")
    assert result.exit_code == 2, result.output
    assert "ledgerctl commit" in result.output
    assert books.snapshot() == snapshot


def test_unrelated_hand_edits_are_not_swept_into_a_commit(books) -> None:  # type: ignore[no-untyped-def]
    nippon_edit = "  - {id: NT-20261120-HAND, type: note, date: 2026-11-20, memo: hand}\n"
    with books.ledger("nippon").open("a") as handle:
        handle.write(nippon_edit)
    (books.root / "notes.txt").write_text("scratch\n")
    edited = books.ledger("nippon").read_bytes()
    new_id = add(books, "invoice", "acme", "12.00")
    assert files_of(books) == ["ledgers/acme.yaml"]
    assert new_id in books.git("show", "HEAD:ledgers/acme.yaml")
    assert "NT-20261120-HAND" not in books.git("show", "HEAD:ledgers/nippon.yaml")
    assert books.ledger("nippon").read_bytes() == edited
    status = books.git("status", "--porcelain").splitlines()
    assert sorted(status) == [" M ledgers/nippon.yaml", "?? notes.txt"]


def test_unrelated_staged_edits_stay_staged_and_out_of_the_commit(books) -> None:  # type: ignore[no-untyped-def]
    with books.ledger("nippon").open("a") as handle:
        handle.write("  - {id: NT-20261120-HAND, type: note, date: 2026-11-20, memo: hand}\n")
    books.git("add", "ledgers/nippon.yaml")
    add(books, "invoice", "acme", "12.00")
    assert files_of(books) == ["ledgers/acme.yaml"]
    assert books.git("status", "--porcelain") == "M  ledgers/nippon.yaml\n"


def test_refused_change_writes_nothing(books) -> None:  # type: ignore[no-untyped-def]
    invoice = add(books, "invoice", "acme", "100.00", "--date", "2026-11-01")
    snapshot = books.snapshot()
    for command in (
        ("add", "payment", "acme", "10.00", "--apply", f"{invoice}=500.00"),
        ("add", "invoice", "acme", "-5"),
        ("add", "invoice", "nippon", "1.5"),
        ("add", "invoice", "acme", "5", "--id", invoice),
    ):
        result = books.run(*command)
        assert result.exit_code == 2, (command, result.output)
        assert books.snapshot() == snapshot
    assert [e["id"] for e in parse(books.ledger("acme").read_text())["entries"]] == [invoice]
