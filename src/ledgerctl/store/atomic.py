"""The books' files, and nothing else: atomic writes, durable deletes, the lock, the journal's and the batch's
files, temp files left by a crash. No git: the transaction that writes *and commits* is ops/transaction.py."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..core.errors import EnvironmentProblem
from .books import LEDGER_DIR, STATE_DIR, Books

JOURNAL = "journal.json"
# The journal of a change whose own process saw it fail: recovery only ever puts its files back.
UNDO_JOURNAL = "journal.undo.json"
# atomic_write's temp files (mkstemp: 8 random characters) of the files the tool writes.
TEMP_FILE = re.compile(r"^\.[^/]+\.(yaml|json)\.[a-z0-9_]{8}\.tmp$")
PENDING = "pending.json"  # files the tool left staged with --no-commit: relpath -> sha256


def interrupted_change_left(books: Books) -> bool:
    """A journal of an interrupted change (to complete or to undo) waits for the next writing command."""
    return any((books.state_dir / name).exists() for name in (JOURNAL, UNDO_JOURNAL))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _umask() -> int:
    mask = os.umask(0o022)  # the only way to read it is to set it; put it straight back
    os.umask(mask)
    return mask


def atomic_write(path: Path, data: bytes) -> None:
    """Temp file in the same folder, fsync, rename, fsync the folder: old or new, never half."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes 0600; the file keeps its mode, or a new one gets what the umask gives any new file.
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


@contextmanager
def books_lock(root: Path) -> Iterator[None]:
    """One writer per books (found at ``root``); a second run waits, then gives up with exit 3."""
    state = root / STATE_DIR
    state.mkdir(exist_ok=True)
    path = state / "lock"
    fd = _flock_now(path)
    if fd is not None:
        try:
            yield
        finally:
            os.close(fd)  # closing the descriptor releases the flock
        return
    from filelock import FileLock, Timeout

    timeout = float(os.environ.get("LEDGERCTL_LOCK_TIMEOUT", "10"))
    lock = FileLock(str(path), timeout=timeout)
    try:
        lock.acquire()
    except Timeout:
        raise EnvironmentProblem(
            f"the books are locked by another ledgerctl run (waited {timeout:g} s)",
            hint="wait for it to finish and try again; set LEDGERCTL_LOCK_TIMEOUT to wait longer",
        ) from None
    try:
        yield
    finally:
        lock.release()


def _flock_now(path: Path) -> int | None:
    """The lock taken at once, as its descriptor, or None: held by another run, or no flock here.

    The same flock on the same file that filelock takes, so the two exclude each other; an uncontended
    run (nearly every run) does not import filelock (~15 ms), which is left the waiting and the fallbacks.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on POSIX
        return None
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def delete_file(path: Path) -> None:
    """Remove a file durably (the folder is synced), so a crash after it cannot bring it back."""
    path.unlink(missing_ok=True)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def put_back(path: Path, data: bytes) -> None:
    """atomic_write; on a full disk, overwrite in place, which needs no new space when the file is not smaller."""
    try:
        atomic_write(path, data)
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EDQUOT) or not path.is_file() or path.stat().st_size < len(data):
            raise
        with open(path, "r+b") as handle:
            handle.write(data)
            handle.truncate()
            handle.flush()
            os.fsync(handle.fileno())


def read_pending(books: Books) -> dict[str, str]:
    path = books.root / ".ledgerctl" / PENDING
    try:
        data = json.loads(path.read_text())
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def remove_temp_files(books: Books) -> list[str]:
    """Under the books lock no other write is in progress, so any temp file of atomic_write is left from a crash."""
    removed = []
    for folder in (books.root, books.root / LEDGER_DIR, books.root / STATE_DIR):
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            if not TEMP_FILE.match(name):
                continue  # no Path for each of 10,000 ledgers: that alone cost 12 ms
            path = folder / name
            if path.is_file() and not path.is_symlink():
                path.unlink(missing_ok=True)
                removed.append(books.relpath(path))
    return sorted(removed)
