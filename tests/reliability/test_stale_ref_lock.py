"""Found by the kill loop: a git killed while `git commit` updates HEAD leaves `.git/HEAD.lock` (or the
branch's `refs/heads/NAME.lock`), and then every commit, the recovering one included, fails. Under the
books lock such a lock is removed when stale, exactly like `.git/index.lock`."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to see git processes")


def ref_locks(books) -> dict[str, Path]:  # type: ignore[no-untyped-def]
    branch = books.git("symbolic-ref", "--short", "HEAD").strip()
    return {
        "HEAD": books.root / ".git" / "HEAD.lock",
        "branch": books.root / ".git" / "refs" / "heads" / f"{branch}.lock",
    }


@pytest.mark.parametrize("which", ["HEAD", "branch"])
def test_a_stale_ref_lock_is_removed_with_a_note(books, which: str) -> None:  # type: ignore[no-untyped-def]
    lock = ref_locks(books)[which]
    lock.write_text("")
    then = time.time() - 86400
    os.utime(lock, (then, then))
    count = books.commit_count()
    result = books.run("add", "note", "acme", "after the crash")
    assert result.exit_code == 0, result.output
    assert f"removed a stale .git/{lock.relative_to(books.root / '.git').as_posix()}" in result.stderr
    assert not lock.exists() and books.commit_count() == count + 1


def test_a_ref_lock_newer_than_the_command_is_kept(books) -> None:  # type: ignore[no-untyped-def]
    lock = ref_locks(books)["HEAD"]
    lock.write_text("")
    later = time.time() + 60
    os.utime(lock, (later, later))  # made after this command started: perhaps a git at work
    snapshot = books.snapshot()
    result = books.run("add", "note", "acme", "x")
    assert result.exit_code == 3, result.output
    assert ".git/HEAD.lock" in result.output and "Traceback" not in result.output
    assert lock.exists() and books.snapshot() == snapshot
