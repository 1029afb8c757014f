"""Issue 11.12: a .git/index.lock left by a git killed mid-commit no longer blocks every writing command."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to see git processes")


def stale_lock(books, age: float = 86400) -> Path:  # type: ignore[no-untyped-def]
    lock = books.root / ".git" / "index.lock"
    lock.write_text("")
    then = time.time() - age
    os.utime(lock, (then, then))
    return lock


def test_stale_index_lock_is_removed_with_a_note(books) -> None:  # type: ignore[no-untyped-def]
    lock = stale_lock(books)
    count = books.commit_count()
    result = books.run("add", "note", "acme", "after the crash")
    assert result.exit_code == 0, result.output
    assert "removed a stale .git/index.lock" in result.stderr
    assert not lock.exists()
    assert books.commit_count() == count + 1


def test_index_lock_newer_than_the_command_is_kept(books) -> None:  # type: ignore[no-untyped-def]
    lock = stale_lock(books, age=-60)  # made after this command started: perhaps a git at work
    result = books.run("add", "note", "acme", "x")
    assert result.exit_code == 3, result.output
    assert "index.lock" in result.output and "remove" in result.output
    assert lock.exists()


def test_index_lock_is_kept_while_a_git_runs_in_the_books(books) -> None:  # type: ignore[no-untyped-def]
    lock = stale_lock(books)
    # Through a shell: this test process runs the command in-process, and its own children are not suspects.
    waiting = subprocess.Popen(
        ["sh", "-c", "git hash-object --stdin; true"], cwd=books.root, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL
    )
    try:
        result = books.run("add", "note", "acme", "x")
    finally:
        waiting.communicate(b"", timeout=60)
    assert result.exit_code == 3, result.output
    assert "index.lock" in result.output
    assert lock.exists()


def test_a_reading_command_never_removes_it(books) -> None:  # type: ignore[no-untyped-def]
    lock = stale_lock(books)
    assert books.run("check").exit_code == 0
    assert lock.exists()
