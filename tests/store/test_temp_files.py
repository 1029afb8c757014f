"""Issue 11.11: temp files of interrupted writes are never committed (init ignores them, doctor checks, commit refuses)."""

from __future__ import annotations

TEMP = "ledgers/.acme.yaml.k3j9xa2b.tmp"


def test_init_ignores_temp_files_of_interrupted_writes(books) -> None:  # type: ignore[no-untyped-def]
    (books.root / TEMP).write_bytes(b"half a ledger")
    assert books.git("status", "--porcelain", "--untracked-files=all") == ""
    assert books.run("doctor").exit_code == 0


def test_doctor_reports_books_that_do_not_ignore_them(books) -> None:  # type: ignore[no-untyped-def]
    (books.root / ".gitignore").write_text(".ledgerctl/\n")
    books.git("commit", "-qam", "an older .gitignore")
    result = books.run("doctor")
    assert result.exit_code == 1, result.output
    assert ".*.tmp" in result.output


def test_commit_refuses_files_under_ledgers_that_are_not_ledgers(books) -> None:  # type: ignore[no-untyped-def]
    (books.root / ".gitignore").write_text(".ledgerctl/\n")  # books made before temp files were ignored
    books.git("commit", "-qam", "an older .gitignore")
    with books.ledger("acme").open("a") as handle:
        handle.write("  - {id: NT-20261123-HAND, type: note, date: 2026-11-23, memo: typed}\n")
    (books.root / "ledgers" / "acme.yaml~").write_text("an editor's backup\n")
    snapshot = books.snapshot()
    result = books.run("commit")
    assert result.exit_code == 2, result.output
    assert "ledgers/acme.yaml~ is not a ledger file" in result.output
    assert books.snapshot() == snapshot
    (books.root / "ledgers" / "acme.yaml~").unlink()
    assert books.run("commit").exit_code == 0
    assert books.git("show", "--name-only", "--format=", "HEAD").split() == ["ledgers/acme.yaml"]
