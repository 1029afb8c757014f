"""What every writing command shares: open, lock, recover, guard, validate, commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import InvalidBooks, UsageError
from ..core.validate import validate_ledger
from ..gitops.repo import GitRepo
from ..store.books import LEDGER_DIR, Books, LoadedLedger
from ..store.ledgerfile import load_ledger
from ..store.recovery import recover
from ..store.transaction import Transaction, books_lock, read_pending, sha256

Notify = Callable[[str], None]


@dataclass
class WriteSession:
    books: Books
    repo: GitRepo
    notify: Notify
    def owners_of(self, ids: Iterable[str]) -> dict[str, str]:
        """Which customer holds each of these entry ids (ids held by nobody are absent).

        Reading every ledger to answer this costs seconds on large books, so files are
        pre-selected by a text search (`git grep`) and only those are parsed. A selected
        file that does not load is refused: the id might be in it.
        """
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        candidates = self.repo.files_containing(wanted, f"{LEDGER_DIR}/*.yaml")
        if candidates is None:  # no usable git grep: read them all
            candidates = self.books.ledger_relpaths()
        owners: dict[str, str] = {}
        for relpath in candidates:
            path = self.books.root / relpath
            if path.parent != self.books.ledger_dir or path.suffix != ".yaml" or not path.is_file():
                continue
            source, _ = load_ledger(path, relpath)
            if source.problems or source.customer is None:
                raise InvalidBooks(
                    f"{relpath} mentions {', '.join(w for w in wanted if w.encode() in path.read_bytes())} "
                    "but does not load, so this change cannot be checked",
                    problems=source.problems, hint="fix that file first (see `ledgerctl check`)",
                )
            for entry in source.entries:
                if entry.id in wanted:
                    owners.setdefault(entry.id, source.stem)
        return owners

    def ensure_clean(self, relpath: str) -> None:
        """SPEC 7: never sweep a bookkeeper's uncommitted hand edits into the tool's commit."""
        if relpath not in self.repo.changed_paths(relpath):
            return
        path = self.books.root / relpath
        pending = read_pending(self.books)
        if path.exists() and pending.get(relpath) == sha256(path.read_bytes()):
            return  # left staged by this tool with --no-commit: part of the same batch
        raise UsageError(
            f"{relpath} has uncommitted edits; this command would mix them into its own commit",
            hint="commit them with `ledgerctl commit` (it checks them first), or drop them with `git checkout -- "
            f"{relpath}`",
        )

    def ensure_open_period(self, date: dt.date, what: str, *, hint: str | None = None) -> None:
        closed = self.books.config.closed_through
        if closed is not None and date <= closed:
            raise UsageError(
                f"{what} is dated {date}, in the closed period (the books are closed through {closed})",
                hint=hint or "date it after the closed date; a closed period is reopened only with "
                             "`ledgerctl close --reopen`",
            )

    def validated(self, loaded: LoadedLedger, new_text: str) -> LoadedLedger:
        """Load the would-be content and refuse it if it has any problem (nothing is written)."""
        path = self.books.root / loaded.source.file
        source, parsed = load_ledger(path, loaded.source.file, raw=new_text.encode("utf-8"))
        # Only ids this change adds can collide with other files; the rest were checked when posted.
        known = {e.id for e in loaded.source.entries}
        added = [e.id for e in source.entries if e.id not in known]
        owners = {k: v for k, v in self.owners_of(added).items() if v != source.stem}
        problems = list(source.problems) + validate_ledger(source, owners)
        for entry_id in added:
            if entry_id in owners:
                problems.append(source.problem("duplicate-id", f"entry id {entry_id} is already used by customer {owners[entry_id]}", entry_id))
        if problems:
            raise InvalidBooks("the change was refused; the books are unchanged", problems=problems)
        return LoadedLedger(source, parsed)

    def commit(self, changes: list[tuple[str, str, bytes | None]], message: str, *, commit: bool = True,
               tag: tuple[str, str] | None = None) -> str | None:
        """Write (relpath, new text, bytes read) changes in one transaction, then tag (name, message) the commit."""
        tx = Transaction(self.books, self.repo)
        for relpath, text, before in changes:
            tx.write(relpath, text, before)
        return tx.apply(message, commit=commit, tag=tag)


@contextmanager
def write_session(books_dir: Path | None, notify: Notify) -> Iterator[WriteSession]:
    # Before the lock only where the books are: a run that waited for `close` must not decide
    # from the closed_through it would have read before the lock.
    located = Books.open(books_dir, strict_config=False)
    repo = GitRepo(located.root)
    repo.ensure_repository()
    with books_lock(located):
        # Inside the lock: another ledgerctl run's commit in progress is not a stale index.lock.
        removed = repo.ensure_ready_to_commit(under_books_lock=True)
        if removed:
            notify(removed)
        outcome = recover(located, repo)
        if outcome:
            notify(outcome)
        yield WriteSession(Books.open(located.root), repo, notify)
