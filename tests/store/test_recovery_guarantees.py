"""Issue 11 (items 8, 9, 11, 14): what a failed or interrupted write leaves, and what recovery does with it."""

from __future__ import annotations

import base64
import errno
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

from conftest import BooksFixture, run_cli
from ledgerctl.core.errors import EnvironmentProblem
from ledgerctl.gitops.repo import GitRepo

ACME = "ledgers/acme.yaml"
NOTE_LINE = b"  - {id: NT-20261123-HAND, type: note, date: 2026-11-23, memo: journaled}\n"


def journal_path(books) -> Path:  # type: ignore[no-untyped-def]
    return books.root / ".ledgerctl" / "journal.json"


def state_files(books) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(p.name for p in (books.root / ".ledgerctl").iterdir() if p.name.startswith(("journal", ".")))


def record(relpath: str, before: bytes | None, after: bytes) -> dict[str, object]:
    return {
        "path": relpath,
        "before": None if before is None else base64.b64encode(before).decode(),
        "after_sha256": hashlib.sha256(after).hexdigest(),
    }


# --- 8: a failure the process saw (a full disk) ends with the books as they were, exit 3 -----------------


def test_disk_full_at_commit_and_after_it_leaves_the_books_as_they_were(books, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """git commit fails with ENOSPC and from then on no temp file can be made: restored in place, exit 3."""
    snapshot = books.snapshot()

    def commit_on_a_full_disk(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        def no_space(*args, **kwargs):  # type: ignore[no-untyped-def]
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(tempfile, "mkstemp", no_space)
        raise EnvironmentProblem("git commit failed: fatal: unable to write new index file: No space left on device")

    monkeypatch.setattr(GitRepo, "commit", commit_on_a_full_disk)
    result = books.run("add", "invoice", "acme", "12000.00")
    assert result.exit_code == 3, result.output
    assert "No space left on device" in result.output
    monkeypatch.undo()
    assert books.snapshot() == snapshot
    assert state_files(books) == []
    # The next command has nothing to complete: the entry the user was told had failed is never posted.
    assert books.run("add", "note", "acme", "later").exit_code == 0
    assert "INV-" not in books.ledger("acme").read_text()


def test_a_failure_whose_undo_fails_too_is_undone_by_the_next_command(books, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from ledgerctl.ops import transaction

    snapshot = books.snapshot()
    count = books.commit_count()

    def cannot_restore(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError(errno.ENOSPC, "No space left on device")

    def commit_fails(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        monkeypatch.setattr(transaction, "put_back", cannot_restore)
        raise EnvironmentProblem("git commit failed: No space left on device")

    monkeypatch.setattr(GitRepo, "commit", commit_fails)
    result = books.run("add", "invoice", "acme", "12000.00")
    assert result.exit_code == 3, result.output
    assert "next writing ledgerctl command puts the books back" in result.output
    monkeypatch.undo()
    assert (books.root / ".ledgerctl" / "journal.undo.json").exists()
    assert "interrupted change is pending" in books.run("check").output
    # All the new content is on disk, which a plain journal would complete; this one is only undone.
    assert books.run("commit").exit_code == 2  # nothing to commit once the change is undone
    assert books.snapshot() == snapshot
    assert books.commit_count() == count
    assert state_files(books) == []


def _mount_tmpfs(where: Path, size: str) -> bool:
    where.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True)
    return done.returncode == 0


@pytest.mark.skipif(sys.platform != "linux" or os.geteuid() != 0, reason="mounts a small tmpfs (Linux, root)")
def test_real_full_disk_at_every_point_of_an_add(books, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """On a real full tmpfs, with less and less room: each add either commits, or exits 3 with the books as before."""
    disk = tmp_path / "disk"
    if not _mount_tmpfs(disk, "8m"):
        pytest.skip("cannot mount a tmpfs here")
    try:
        subprocess.run(["cp", "-a", str(books.root), str(disk)], check=True)
        root = disk / "books"
        snapshot = BooksFixture(root).snapshot()
        outcomes = []
        for pages in range(0, 64):
            filler = disk / "filler"
            filler.unlink(missing_ok=True)
            free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
            with open(filler, "wb") as handle:
                handle.truncate(0)
                os.posix_fallocate(handle.fileno(), 0, max(free - pages * 4096, 1))
            result = run_cli("add", "invoice", "acme", "12000.00", "--books", str(root))
            filler.unlink()
            assert result.exit_code in (0, 3), result.output
            outcomes.append(result.exit_code)
            if result.exit_code == 0:
                break
            after = run_cli("commit", "--books", str(root))  # recovery runs first; then there is nothing to commit
            assert after.exit_code == 2, after.output
            assert BooksFixture(root).snapshot() == snapshot, f"{pages} free pages: {result.output}"
        assert outcomes[-1] == 0 and 3 in outcomes
        assert run_cli("check", "--books", str(root)).exit_code == 0
        assert subprocess.run(
            ["git", "log", "-1", "--format=%s"], cwd=root, capture_output=True, text=True
        ).stdout.startswith("add invoice")
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


# --- 9: close's tag travels in the journal ----------------------------------------------------------------

KILLED_BEFORE_THE_TAG = textwrap.dedent("""
    import os, signal, sys
    from ledgerctl.gitops.repo import GitRepo
    GitRepo.tag = lambda self, *args, **kwargs: os.kill(os.getpid(), signal.SIGKILL)
    from ledgerctl.cli.app import app
    sys.argv = ["ledgerctl", *sys.argv[1:]]
    app()
""")


def test_close_killed_between_its_commit_and_its_tag_gets_the_tag_from_recovery(books) -> None:  # type: ignore[no-untyped-def]
    assert books.run("add", "invoice", "acme", "100.00", "--date", "2026-11-02").exit_code == 0
    crashed = subprocess.run(
        [sys.executable, "-c", KILLED_BEFORE_THE_TAG, "close", "2026-11-10", "--books", str(books.root)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert crashed.returncode == -9, crashed.stderr
    assert books.git("log", "-1", "--format=%s").strip() == "close books through 2026-11-10"
    assert books.git("tag", "-l", "closed/*").strip() == ""
    closing_commit = books.head()

    result = books.run("add", "note", "acme", "after the crash")
    assert result.exit_code == 0, result.output
    assert "closed/2026-11-10" in result.output
    assert books.git("rev-parse", "closed/2026-11-10^{commit}").strip() == closing_commit
    assert books.git("cat-file", "-t", "closed/2026-11-10").strip() == "tag"  # annotated, as close makes it
    verified = books.run("verify")
    assert verified.exit_code == 0, verified.output
    assert not journal_path(books).exists()


# --- 11: temp files of interrupted writes -----------------------------------------------------------------


def test_recovery_removes_temp_files_of_interrupted_writes(books) -> None:  # type: ignore[no-untyped-def]
    left = [
        books.root / "ledgers" / ".acme.yaml.k3j_9xa2.tmp",
        books.root / ".ledgerctl.yaml.abcdefgh.tmp",
        books.root / ".ledgerctl" / ".journal.json.0a1b2c3d.tmp",
    ]
    for path in left:
        path.write_bytes(b"half a ledger")
    kept = books.root / "ledgers" / "notes.tmp"  # not one of ours
    kept.write_bytes(b"mine")
    result = books.run("add", "note", "acme", "hello")
    assert result.exit_code == 0, result.output
    assert "removed 3 temp file(s)" in result.output
    assert not any(path.exists() for path in left)
    assert kept.read_bytes() == b"mine"


# --- 14: a crafted journal ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "../outside.txt",
        "ledgers/../../outside.txt",
        "OUTSIDE",
        ".git/config",
        "ledgers/./acme.yaml",
        "",
        "linked/outside.txt",
    ],
)
def test_journal_naming_a_path_outside_the_books_is_refused(books, path: str) -> None:  # type: ignore[no-untyped-def]
    outside = books.root.parent / "outside.txt"
    outside.write_bytes(b"precious\n")
    if path.startswith("linked/"):
        (books.root / "linked").symlink_to(books.root.parent)
    path = str(outside) if path == "OUTSIDE" else path
    acme = books.ledger("acme").read_bytes()
    # acme not yet written, the other file "written": recovery would undo both, writing "evil" over it.
    journal = {
        "version": 1,
        "message": "crafted\n",
        "commit": True,
        "files": [record(ACME, acme, acme + NOTE_LINE), record(path, b"evil\n", b"precious\n")],
    }
    journal_path(books).write_text(json.dumps(journal))
    raw = journal_path(books).read_bytes()
    config = (books.root / ".git" / "config").read_bytes()
    snapshot = books.snapshot()
    result = books.run("add", "note", "acme", "hello")
    assert result.exit_code == 3, result.output
    assert "outside the books" in result.output and "Traceback" not in result.output
    assert outside.read_bytes() == b"precious\n"
    assert (books.root / ".git" / "config").read_bytes() == config
    assert books.snapshot() == snapshot
    assert journal_path(books).read_bytes() == raw


def test_journal_with_bad_base64_is_an_unreadable_journal_not_a_crash(books) -> None:  # type: ignore[no-untyped-def]
    journal_path(books).write_text(
        json.dumps(
            {
                "version": 1,
                "message": "x\n",
                "commit": True,
                "files": [{"path": ACME, "before": "!!not base64!!", "after_sha256": "0"}],
            }
        )
    )
    result = books.run("add", "note", "acme", "hello")
    assert result.exit_code == 0, result.output
    assert "unreadable journal" in result.output


def test_disk_full_after_the_commit_landed_is_not_an_internal_error(books, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """Bookkeeping after the commit (the --no-commit batch record) failing on a full disk: the commit stands, exit 0."""
    from ledgerctl.ops import transaction

    assert books.run("add", "note", "acme", "batched", "--no-commit").exit_code == 0
    real = transaction.atomic_write

    def pending_cannot_be_written(path: Path, data: bytes) -> None:
        if path.name == "pending.json":
            raise OSError(errno.ENOSPC, "No space left on device")
        real(path, data)

    monkeypatch.setattr(transaction, "atomic_write", pending_cannot_be_written)
    result = books.run("add", "note", "acme", "committed")
    assert result.exit_code == 0, result.output
    monkeypatch.undo()
    assert books.git("status", "--porcelain") == ""
    assert state_files(books) == []
    assert books.run("add", "note", "acme", "later").exit_code == 0
