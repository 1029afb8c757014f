"""Issue 11.7: a command that waited for the books lock decides from the books as they are once it holds it."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from filelock import FileLock

from ledgerctl.ops import session as session_module

# The command, with a marker file written when it starts waiting for the lock (after what it reads first).
ANNOUNCING_WAIT = textwrap.dedent("""
    import sys
    from pathlib import Path
    import filelock
    marker = Path(sys.argv[1])
    real_acquire = filelock.FileLock.acquire
    def announce_then_acquire(self, *args, **kwargs):
        marker.touch()
        return real_acquire(self, *args, **kwargs)
    filelock.FileLock.acquire = announce_then_acquire
    from ledgerctl.cli.app import app
    sys.argv = ["ledgerctl", *sys.argv[2:]]
    app()
""")


def wait_for(marker: Path, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the command never waited for the lock"
        time.sleep(0.02)


@pytest.mark.parametrize(
    "waiting",
    [
        ("add", "invoice", "acme", "100.00", "--date", "2026-11-05"),
        ("reconcile", "acme", "--apply"),
    ],
)
def test_command_waiting_while_close_runs_is_refused_in_the_closed_period(
    books, monkeypatch: pytest.MonkeyPatch, waiting: tuple[str, ...]
) -> None:  # type: ignore[no-untyped-def]
    assert books.run("add", "invoice", "acme", "300.00", "--date", "2026-11-01").exit_code == 0
    assert books.run("add", "payment", "acme", "300.00", "--date", "2026-11-03").exit_code == 0  # not allocated
    lock_path = books.root / ".ledgerctl" / "lock"
    lock = FileLock(str(lock_path))
    lock.acquire()
    try:
        marker = books.root.parent / "waiting"
        process = subprocess.Popen(
            [sys.executable, "-c", ANNOUNCING_WAIT, str(marker), *waiting, "--books", str(books.root)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "LEDGERCTL_LOCK_TIMEOUT": "60"},
        )
        wait_for(marker, process)
        # This process plays the `close` run that holds the lock meanwhile.
        monkeypatch.setattr(session_module, "books_lock", lambda books: contextlib.nullcontext())
        closed = books.run("close", "2026-11-10")
        assert closed.exit_code == 0, closed.output
        monkeypatch.undo()
        head = books.head()
    finally:
        lock.release()
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 2, stderr
    assert "closed" in stderr
    assert books.head() == head
    verified = books.run("verify")
    assert verified.exit_code == 0, verified.output
