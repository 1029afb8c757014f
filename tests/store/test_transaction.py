"""ops/transaction.py and store/atomic.py: atomic writes, rollback, crash recovery from the journal, stale reads."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ledgerctl.core.errors import UsageError
from ledgerctl.gitops.repo import GitRepo
from ledgerctl.ops.recovery import recover
from ledgerctl.ops.transaction import Transaction
from ledgerctl.store import atomic as transaction
from ledgerctl.store.atomic import atomic_write
from ledgerctl.store.books import Books

ACME = "ledgers/acme.yaml"
NIPPON = "ledgers/nippon.yaml"
NOTE_LINE = b"  - {id: NT-20261123-HAND, type: note, date: 2026-11-23, memo: journaled}\n"


def open_books(books) -> tuple[Books, GitRepo]:  # type: ignore[no-untyped-def]
    opened = Books.open(books.root)
    return opened, GitRepo(opened.root)


def journal_path(books) -> Path:  # type: ignore[no-untyped-def]
    return books.root / ".ledgerctl" / "journal.json"


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def assert_consistent(books) -> None:  # type: ignore[no-untyped-def]
    result = books.run("check")
    assert result.exit_code == 0, result.output
    assert books.git("status", "--porcelain") == ""
    assert not journal_path(books).exists()


# --- atomic_write -------------------------------------------------------------------------------


def test_atomic_write_replaces_content_and_keeps_mode(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(b"old\n")
    path.chmod(0o640)
    atomic_write(path, b"new\n")
    assert path.read_bytes() == b"new\n"
    assert path.stat().st_mode & 0o777 == 0o640
    assert leftovers(tmp_path) == []
    atomic_write(tmp_path / "fresh.yaml", b"x")
    assert (tmp_path / "fresh.yaml").read_bytes() == b"x"


@pytest.mark.parametrize("failing", ["fsync", "replace", "write"])
def test_atomic_write_failure_leaves_old_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(b"old content\n" * 100)

    def boom(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    if failing == "fsync":
        monkeypatch.setattr(transaction.os, "fsync", boom)
    elif failing == "replace":
        monkeypatch.setattr(transaction.os, "replace", boom)
    else:
        real_fdopen = os.fdopen

        class HalfWriter:
            def __init__(self, handle):  # type: ignore[no-untyped-def]
                self.handle = handle

            def __enter__(self):  # type: ignore[no-untyped-def]
                return self

            def __exit__(self, *exc):  # type: ignore[no-untyped-def]
                self.handle.close()

            def write(self, data: bytes) -> None:
                self.handle.write(data[: len(data) // 2])
                self.handle.flush()
                raise OSError(28, "No space left on device")

        monkeypatch.setattr(transaction.os, "fdopen", lambda fd, mode: HalfWriter(real_fdopen(fd, mode)))
    with pytest.raises(OSError):
        atomic_write(path, b"new content\n" * 200)
    assert path.read_bytes() == b"old content\n" * 100
    assert leftovers(tmp_path) == []


def test_atomic_write_killed_midway_leaves_old_or_new(tmp_path: Path) -> None:
    """A process killed while writing a big file: the target is whole, old or new."""
    path = tmp_path / "big.yaml"
    old = b"o" * 1_000_000
    path.write_bytes(old)
    script = textwrap.dedent(f"""
        import os, signal
        from pathlib import Path
        from ledgerctl.store import atomic as transaction
        real = transaction.os.fsync
        def fsync_then_die(fd):
            real(fd)
            os.kill(os.getpid(), signal.SIGKILL)
        transaction.os.fsync = fsync_then_die
        transaction.atomic_write(Path({str(path)!r}), b"n" * 3_000_000)
    """)
    completed = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60)
    assert completed.returncode != 0
    assert path.read_bytes() == old


# --- Transaction.apply --------------------------------------------------------------------------


def test_apply_writes_and_commits_once(books) -> None:  # type: ignore[no-untyped-def]
    opened, repo = open_books(books)
    before = books.ledger("acme").read_bytes()
    count = books.commit_count()
    tx = Transaction(opened, repo)
    tx.write(ACME, before + NOTE_LINE, before)
    head = tx.apply("add note by hand\n")
    assert head == books.head()
    assert books.commit_count() == count + 1
    assert books.ledger("acme").read_bytes() == before + NOTE_LINE
    assert_consistent(books)


@pytest.mark.parametrize("new_file", [False, True])
def test_crash_hook_raising_restores_books(books, new_file: bool) -> None:  # type: ignore[no-untyped-def]
    opened, repo = open_books(books)
    snapshot = books.snapshot()
    before = books.ledger("acme").read_bytes()
    tx = Transaction(opened, repo)
    tx.write(ACME, before + NOTE_LINE, before)
    if new_file:
        tx.write("ledgers/zeta.yaml", "customer: {id: zeta, name: Z, currency: CNY}\nentries:\n", None)
    seen = []

    def hook(stage: str) -> None:
        seen.append(stage)
        assert books.ledger("acme").read_bytes() == before + NOTE_LINE  # written, not committed
        assert journal_path(books).exists()
        raise RuntimeError("power cut")

    with pytest.raises(RuntimeError):
        tx.apply("add note by hand\n", crash_hook=hook)
    assert seen == ["written"]
    assert books.snapshot() == snapshot
    assert not (books.root / "ledgers" / "zeta.yaml").exists()
    assert not journal_path(books).exists()
    assert leftovers(books.root / "ledgers") == []


def test_git_commit_failing_restores_books(books) -> None:  # type: ignore[no-untyped-def]
    """A pre-commit hook that refuses: exit 3, the file and the index are as before."""
    hook = books.root / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'hook says no' >&2\nexit 1\n")
    hook.chmod(0o755)
    snapshot = books.snapshot()
    result = books.run("add", "invoice", "acme", "100.00")
    assert result.exit_code == 3, result.output
    assert "hook says no" in result.output or "commit" in result.output
    assert books.snapshot() == snapshot
    assert books.git("diff", "--cached", "--name-only") == ""
    assert not journal_path(books).exists()


def test_file_changed_between_read_and_write_is_refused(books) -> None:  # type: ignore[no-untyped-def]
    opened, repo = open_books(books)
    before = books.ledger("acme").read_bytes()
    tx = Transaction(opened, repo)
    tx.write(ACME, before + NOTE_LINE, before)
    edited = before + b"# edited by someone else meanwhile\n"
    books.ledger("acme").write_bytes(edited)
    head = books.head()
    with pytest.raises(UsageError) as info:
        tx.apply("add note by hand\n")
    assert "changed on disk" in info.value.message
    assert books.ledger("acme").read_bytes() == edited
    assert books.head() == head
    assert not journal_path(books).exists()


def test_cli_refuses_when_the_file_changes_while_it_runs(books, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from ledgerctl.ops import entries

    real = entries.insert_entry
    edited = books.ledger("acme").read_bytes() + b"# typed in an editor meanwhile\n"

    def insert_while_someone_edits(*args, **kwargs):  # type: ignore[no-untyped-def]
        books.ledger("acme").write_bytes(edited)
        return real(*args, **kwargs)

    monkeypatch.setattr(entries, "insert_entry", insert_while_someone_edits)
    head = books.head()
    result = books.run("add", "invoice", "acme", "100.00")
    assert result.exit_code == 2, result.output
    assert "changed on disk" in result.output
    assert books.ledger("acme").read_bytes() == edited
    assert books.head() == head
    assert books.git("diff", "--cached", "--name-only") == ""


# --- recovery from a journal left by a crash -----------------------------------------------------

CRASHING_ADD = textwrap.dedent("""
    import os, signal, sys
    from ledgerctl.ops import transaction
    real_apply = transaction.Transaction.apply
    def apply_and_die(self, message, **kwargs):
        kwargs["crash_hook"] = lambda stage: os.kill(os.getpid(), signal.SIGKILL)
        return real_apply(self, message, **kwargs)
    transaction.Transaction.apply = apply_and_die
    from ledgerctl.cli.app import app
    sys.argv = ["ledgerctl", *sys.argv[1:]]
    app()
""")


def test_killed_between_write_and_commit_is_completed_by_the_next_command(books) -> None:  # type: ignore[no-untyped-def]
    count = books.commit_count()
    crashed = subprocess.run(
        [
            sys.executable,
            "-c",
            CRASHING_ADD,
            "add",
            "invoice",
            "acme",
            "12000.00",
            "--date",
            "2026-11-05",
            "--books",
            str(books.root),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert crashed.returncode == -9, crashed.stderr
    assert journal_path(books).exists()
    assert books.commit_count() == count
    assert "INV-20261105-" in books.ledger("acme").read_text()  # written, not committed
    warned = books.run("check")
    assert "interrupted" in warned.output

    result = books.run("add", "note", "acme", "after the crash")
    assert result.exit_code == 0, result.output
    assert "completed" in result.output
    assert books.commit_count() == count + 2
    subjects = books.git("log", "-2", "--format=%s").splitlines()
    assert subjects[0].startswith("add note NT-20261123-")
    assert subjects[1].startswith("add invoice INV-20261105-") and subjects[1].endswith("for acme: 12000.00 CNY")
    body = books.git("log", "-1", "--skip=1", "--format=%B")
    assert "Ledger-Customer: acme" in body and "Ledger-Entry: INV-20261105-" in body
    assert_consistent(books)


def write_journal(books, files: list[dict[str, object]], message: str = "add note NT-X for acme\n") -> None:  # type: ignore[no-untyped-def]
    journal_path(books).parent.mkdir(exist_ok=True)
    journal_path(books).write_text(json.dumps({"version": 1, "message": message, "commit": True, "files": files}))


def entry(relpath: str, before: bytes | None, after: bytes) -> dict[str, object]:
    return {
        "path": relpath,
        "before": None if before is None else base64.b64encode(before).decode(),
        "after_sha256": hashlib.sha256(after).hexdigest(),
    }


def test_journal_with_the_file_not_yet_written_is_undone(books) -> None:  # type: ignore[no-untyped-def]
    before = books.ledger("acme").read_bytes()
    write_journal(books, [entry(ACME, before, before + NOTE_LINE)])
    count = books.commit_count()
    result = books.run("add", "note", "nippon", "hello")
    assert result.exit_code == 0, result.output
    assert "undid" in result.output
    assert books.ledger("acme").read_bytes() == before
    assert books.commit_count() == count + 1
    assert_consistent(books)


def test_journal_with_half_the_files_written_is_undone(books) -> None:  # type: ignore[no-untyped-def]
    acme_before = books.ledger("acme").read_bytes()
    nippon_before = books.ledger("nippon").read_bytes()
    nippon_after = nippon_before + b"  - {id: NT-20261123-NIPP, type: note, date: 2026-11-23, memo: x}\n"
    write_journal(
        books,
        [
            entry(ACME, acme_before, acme_before + NOTE_LINE),
            entry(NIPPON, nippon_before, nippon_after),
            entry("ledgers/zeta.yaml", None, b"customer: {id: zeta, name: Z, currency: CNY}\n"),
        ],
        message="two at once\n",
    )
    books.ledger("acme").write_bytes(acme_before + NOTE_LINE)  # the crash came after the first file
    (books.root / "ledgers" / "zeta.yaml").write_bytes(b"customer: {id: zeta, name: Z, currency: CNY}\n")
    result = books.run("add", "note", "nippon", "hello")
    assert result.exit_code == 0, result.output
    assert "undid" in result.output
    assert books.ledger("acme").read_bytes() == acme_before
    assert not (books.root / "ledgers" / "zeta.yaml").exists()
    assert_consistent(books)


def test_journal_with_every_file_written_is_committed(books) -> None:  # type: ignore[no-untyped-def]
    before = books.ledger("acme").read_bytes()
    books.ledger("acme").write_bytes(before + NOTE_LINE)
    write_journal(
        books,
        [entry(ACME, before, before + NOTE_LINE)],
        message="add note NT-20261123-HAND for acme\n\nLedger-Customer: acme\nLedger-Entry: NT-20261123-HAND\n",
    )
    count = books.commit_count()
    result = books.run("customer", "edit", "nippon", "--name", "Nippon Kabushiki Kaisha")
    assert result.exit_code == 0, result.output
    assert "completed" in result.output
    assert books.commit_count() == count + 2
    assert "Ledger-Entry: NT-20261123-HAND" in books.git("log", "-1", "--skip=1", "--format=%B")
    assert_consistent(books)


def test_journal_already_committed_is_only_removed(books) -> None:  # type: ignore[no-untyped-def]
    before = books.ledger("acme").read_bytes()
    books.ledger("acme").write_bytes(before + NOTE_LINE)
    books.git("commit", "-q", "-am", "committed, then the process died")
    write_journal(books, [entry(ACME, before, before + NOTE_LINE)])
    opened, repo = open_books(books)
    count = books.commit_count()
    outcome = recover(opened, repo)
    assert outcome is not None and "already been committed" in outcome
    assert books.commit_count() == count
    assert books.ledger("acme").read_bytes() == before + NOTE_LINE
    assert_consistent(books)


def test_journal_of_a_file_edited_since_is_left_alone(books) -> None:  # type: ignore[no-untyped-def]
    before = books.ledger("acme").read_bytes()
    write_journal(books, [entry(ACME, before, before + NOTE_LINE)])
    edited = before + b"# someone edited it after the crash\n"
    books.ledger("acme").write_bytes(edited)
    opened, repo = open_books(books)
    outcome = recover(opened, repo)
    assert outcome is not None and "left" in outcome and "git diff" in outcome
    assert books.ledger("acme").read_bytes() == edited
    assert not journal_path(books).exists()


def test_unreadable_journal_is_removed_with_a_warning(books) -> None:  # type: ignore[no-untyped-def]
    journal_path(books).parent.mkdir(exist_ok=True)
    journal_path(books).write_text("{not json")
    result = books.run("add", "note", "acme", "hello")
    assert result.exit_code == 0, result.output
    assert "journal" in result.output and "check" in result.output
    assert_consistent(books)
