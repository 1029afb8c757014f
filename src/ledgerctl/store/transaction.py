"""One change to the books: locked, journaled, atomic, committed once.

A command builds the new file contents, validates them, then hands them to a
:class:`Transaction`. Under the books' lock it records a journal, replaces each
file atomically, commits the exact paths, and removes the journal. If the
process dies anywhere in between, the next writing command finds the journal
and either completes the commit (every file holds its new content) or puts
the old bytes back (anything else), and says which.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import EnvironmentProblem, UsageError
from ..gitops.repo import GitRepo
from .books import Books

JOURNAL = "journal.json"
PENDING = "pending.json"  # files the tool left staged with --no-commit: relpath -> sha256


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def atomic_write(path: Path, data: bytes) -> None:
    """Temp file in the same folder, fsync, rename, fsync the folder: old or new, never half."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
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
def books_lock(books: Books) -> Iterator[None]:
    """One writer per books; a second run waits, then gives up with exit 3."""
    from filelock import FileLock, Timeout

    timeout = float(os.environ.get("LEDGERCTL_LOCK_TIMEOUT", "10"))
    lock = FileLock(str(books.state_dir / "lock"), timeout=timeout)
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


@dataclass
class FileChange:
    relpath: str
    before: bytes | None  # None: the file is new
    after: bytes


@dataclass
class Transaction:
    books: Books
    repo: GitRepo
    changes: list[FileChange] = field(default_factory=list)

    def write(self, relpath: str, after: str | bytes, before: bytes | None) -> None:
        data = after.encode("utf-8") if isinstance(after, str) else after
        self.changes.append(FileChange(relpath, before, data))

    # --- the commit protocol ----------------------------------------------------------

    def apply(self, message: str, *, commit: bool = True, env: dict[str, str] | None = None,
              crash_hook: Callable[[str], None] | None = None) -> str | None:
        """Write every change and commit; on any failure the books are as before."""
        for change in self.changes:
            path = self.books.root / change.relpath
            current = path.read_bytes() if path.exists() else None
            if current != change.before:
                raise UsageError(
                    f"{change.relpath} changed on disk while this command ran; nothing was written",
                    hint="run the command again",
                )
        journal = self.books.state_dir / JOURNAL
        atomic_write(journal, json.dumps(self._journal(message, commit)).encode())
        try:
            for change in self.changes:
                atomic_write(self.books.root / change.relpath, change.after)
            if crash_hook:
                crash_hook("written")
            paths = [c.relpath for c in self.changes]
            head = self.repo.commit(paths, message, env=env) if commit else self._stage(paths)
        except BaseException:
            self._restore()
            journal.unlink(missing_ok=True)
            raise
        self._forget_pending(commit)
        journal.unlink(missing_ok=True)
        return head

    def _stage(self, paths: list[str]) -> None:
        self.repo.stage(paths)
        pending = read_pending(self.books)
        pending.update({c.relpath: sha256(c.after) for c in self.changes})
        atomic_write(self.books.state_dir / PENDING, json.dumps(pending).encode())
        return None

    def _forget_pending(self, committed: bool) -> None:
        if not committed:
            return
        pending = read_pending(self.books)
        if any(c.relpath in pending for c in self.changes):
            for c in self.changes:
                pending.pop(c.relpath, None)
            atomic_write(self.books.state_dir / PENDING, json.dumps(pending).encode())

    def _restore(self) -> None:
        restore_files(self.books, self.repo, [(c.relpath, c.before) for c in self.changes])

    def _journal(self, message: str, commit: bool) -> dict[str, object]:
        return {
            "version": 1,
            "message": message,
            "commit": commit,
            "files": [
                {
                    "path": c.relpath,
                    "before": None if c.before is None else base64.b64encode(c.before).decode(),
                    "after_sha256": sha256(c.after),
                }
                for c in self.changes
            ],
        }


def restore_files(books: Books, repo: GitRepo, originals: list[tuple[str, bytes | None]]) -> None:
    """Put files back as they were, in the work tree and in git's index (a failed commit may have staged them)."""
    pending = read_pending(books)
    unstage, restage = [], []
    for relpath, before in originals:
        path = books.root / relpath
        if before is None:
            path.unlink(missing_ok=True)
        else:
            atomic_write(path, before)
        ours = before is not None and pending.get(relpath) == sha256(before)
        (restage if ours else unstage).append(relpath)  # a --no-commit batch stays staged
    if unstage and repo.has_head():
        repo.run("reset", "-q", "--", *unstage, check=False)
    if restage:
        repo.stage(restage)


def read_pending(books: Books) -> dict[str, str]:
    path = books.root / ".ledgerctl" / PENDING
    try:
        data = json.loads(path.read_text())
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def recover(books: Books, repo: GitRepo) -> str | None:
    """Finish or undo a change interrupted by a crash; returns what was done, for the user."""
    journal = books.root / ".ledgerctl" / JOURNAL
    if not journal.exists():
        return None
    try:
        data = json.loads(journal.read_text())
        files = data["files"]
        message = str(data["message"])
    except (OSError, ValueError, KeyError, TypeError):
        journal.unlink(missing_ok=True)
        return "found an unreadable journal of an interrupted change and removed it; run `ledgerctl check`"
    states = []
    for item in files:
        path = books.root / item["path"]
        current = path.read_bytes() if path.exists() else None
        before = None if item["before"] is None else base64.b64decode(item["before"])
        if current is not None and sha256(current) == item["after_sha256"]:
            states.append("after")
        elif current == before:
            states.append("before")
        else:
            states.append("other")
    paths = [item["path"] for item in files]
    subject = message.splitlines()[0]
    if all(state == "after" for state in states):
        changed = repo.changed_paths(*paths)
        if data.get("commit") and changed:
            repo.commit(paths, message)
            outcome = f"completed an interrupted change: committed “{subject}”"
        elif changed:
            repo.stage(paths)
            outcome = f"completed an interrupted change: staged “{subject}”"
        else:
            outcome = f"an interrupted change “{subject}” had already been committed"
    elif "other" in states:
        outcome = (f"an interrupted change “{subject}” left files that were edited since; "
                   "they were left as they are: review them with `git diff` and `ledgerctl check`")
    else:
        restore_files(books, repo, [(item["path"], None if item["before"] is None else base64.b64decode(item["before"]))
                                    for item in files])
        outcome = f"undid an interrupted change “{subject}”: its files are back as they were"
    journal.unlink(missing_ok=True)
    return outcome
