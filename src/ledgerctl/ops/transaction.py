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
import errno
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.errors import EnvironmentProblem, LedgerctlError, UsageError
from ..gitops.repo import GitRepo
from ..store.atomic import (
    JOURNAL,
    PENDING,
    UNDO_JOURNAL,
    atomic_write,
    delete_file,
    put_back,
    read_pending,
    sha256,
)
from ..store.books import Books


@dataclass
class FileChange:
    relpath: str
    before: bytes | None  # None: the file is new
    after: bytes | None  # None: the file is deleted


@dataclass
class Transaction:
    books: Books
    repo: GitRepo
    tracked: bool = False  # every file is known to git's index (see GitRepo.commit)
    changes: list[FileChange] = field(default_factory=list)

    def write(self, relpath: str, after: str | bytes | None, before: bytes | None) -> None:
        """``after`` None deletes the file (a renamed customer's old ledger), in the same journal and commit."""
        data = after.encode("utf-8") if isinstance(after, str) else after
        self.changes.append(FileChange(relpath, before, data))

    # --- the commit protocol ----------------------------------------------------------

    def apply(
        self,
        message: str,
        *,
        commit: bool = True,
        env: dict[str, str] | None = None,
        crash_hook: Callable[[str], None] | None = None,
        tag: tuple[str, str] | None = None,
    ) -> str | None:
        """Write every change, commit, then tag (name, message); on any failure the books are as before."""
        for change in self.changes:
            path = self.books.root / change.relpath
            current = path.read_bytes() if path.exists() else None
            if current != change.before:
                raise UsageError(
                    f"{change.relpath} changed on disk while this command ran; nothing was written",
                    hint="run the command again",
                )
        journal = self.books.state_dir / JOURNAL
        try:
            atomic_write(journal, json.dumps(self._journal(message, commit, tag)).encode())
        except OSError as exc:
            raise _write_failed(exc) from None
        paths = [c.relpath for c in self.changes]
        try:
            for change in self.changes:
                if change.after is None:
                    delete_file(self.books.root / change.relpath)
                else:
                    atomic_write(self.books.root / change.relpath, change.after)
            if crash_hook:
                crash_hook("written")
            head: str | None = None  # a --no-commit batch is staged, not committed
            if commit:
                head = self.repo.commit(paths, message, env=env, tracked=self.tracked)
            else:
                self._stage(paths)
        except BaseException as exc:
            # git can fail after moving HEAD (e.g. rewriting the index on a full disk): then it is done.
            if not (
                commit
                and isinstance(exc, Exception)
                and landed(self.repo, self._journal(message, commit, tag)["files"])
            ):
                self._undo(journal, exc)
                if isinstance(exc, OSError):
                    raise _write_failed(exc) from None
                raise
            head = self.repo.head()
        if tag:
            try:
                self.repo.tag(*tag)
            except LedgerctlError as exc:
                raise EnvironmentProblem(
                    f"committed, but creating the tag {tag[0]} failed: {exc.message}",
                    hint="the next writing ledgerctl command creates it",
                ) from None
        try:
            self._forget_pending(commit)
        except OSError:
            pass  # the commit stands; an outdated pending hash no longer matches the file, so it is inert
        journal.unlink(missing_ok=True)
        return head

    def _undo(self, journal: Path, cause: BaseException) -> None:
        """Put the old bytes back; if even that fails (a full disk), leave a journal that recovery can only undo."""
        undo = journal.with_name(UNDO_JOURNAL)
        try:
            os.replace(journal, undo)  # a rename needs no free space
        except OSError:
            undo = journal
        try:
            self._restore()
        except (OSError, LedgerctlError) as exc:
            raise EnvironmentProblem(
                f"the change failed ({_reason(cause)}), and putting its files back failed too ({_reason(exc)})",
                hint="free some disk space; the next writing ledgerctl command puts the books back as they were",
            ) from None
        undo.unlink(missing_ok=True)

    def _stage(self, paths: list[str]) -> None:
        self.repo.stage(paths)
        pending = read_pending(self.books)
        pending.update({c.relpath: sha256(c.after) for c in self.changes if c.after is not None})
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

    def _journal(self, message: str, commit: bool, tag: tuple[str, str] | None = None) -> dict[str, Any]:
        return {
            "version": 1,
            "message": message,
            "commit": commit,
            "tag": None if tag is None else {"name": tag[0], "message": tag[1]},
            "files": [
                {
                    "path": c.relpath,
                    "before": None if c.before is None else base64.b64encode(c.before).decode(),
                    "after_sha256": None if c.after is None else sha256(c.after),  # None: deleted
                }
                for c in self.changes
            ],
        }


def restore_files(books: Books, repo: GitRepo, originals: list[tuple[str, bytes | None]]) -> None:
    """Put files back as they were, in the work tree and in git's index (a failed commit may have staged them)."""
    pending = read_pending(books)
    unstage: list[str] = []
    restage: list[str] = []
    for relpath, before in originals:
        path = books.root / relpath
        if before is None:
            path.unlink(missing_ok=True)
        else:
            put_back(path, before)
        ours = before is not None and pending.get(relpath) == sha256(before)
        (restage if ours else unstage).append(relpath)  # a --no-commit batch stays staged
    if unstage and repo.has_head():
        repo.run("reset", "-q", "--", *unstage)  # a failure here must not pass for "as they were"
    if restage:
        repo.stage(restage)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, LedgerctlError):
        return exc.message
    return (exc.strerror if isinstance(exc, OSError) else None) or str(exc) or type(exc).__name__


def _write_failed(exc: OSError) -> EnvironmentProblem:
    full = exc.errno in (errno.ENOSPC, errno.EDQUOT)
    return EnvironmentProblem(
        f"could not write the books: {exc.strerror or exc}; nothing was changed",
        hint="free some disk space and run the command again" if full else None,
    )


def landed(repo: GitRepo, files: list[dict[str, Any]]) -> bool:
    """Whether the last commit holds every file's new content: the change was committed."""
    for item in files:
        data = repo.show_head(item["path"])
        if item["after_sha256"] is None:  # a deletion landed when the last commit no longer has the file
            if data is not None:
                return False
        elif data is None or sha256(data) != item["after_sha256"]:
            return False
    return True
