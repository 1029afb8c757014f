"""What every writing command shares: open, lock, recover, guard, validate, commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.errors import InvalidBooks, Problem, UsageError
from ..core.models import EntryBase
from ..core.validate import SourcedLedger, already_used_by, ids_taken, validate_ledger
from ..gitops.repo import GitRepo
from ..store.atomic import books_lock, read_pending, sha256
from ..store.books import LEDGER_DIR, Books, LoadedLedger, find_books
from ..store.ledgerfile import ParsedFile, load_ledger
from ..store.yamlwrite import insert_entries
from .recovery import recover
from .transaction import Transaction

if TYPE_CHECKING:
    from ..store.cache import CachedLedger

Notify = Callable[[str], None]
GREP_MAX_IDS = 200  # beyond this many ids, reading every ledger through the cache beats `git grep`
Change = tuple[str, str, bytes | None]  # (relpath, new text, the bytes it was made from)


@dataclass
class WriteSession:
    books: Books
    repo: GitRepo
    notify: Notify
    # Files ensure_clean found tracked and as committed: their commit can let `git commit` stage them.
    _tracked: set[str] = field(default_factory=set)
    # Entry ids found in no ledger: checked once per change (the new id, then its validation).
    _absent: set[str] = field(default_factory=set)
    _no_id_index: bool = False

    def owners_of(self, ids: Iterable[str], *, held: bool = False) -> dict[str, str]:
        """Which customer holds each of these entry ids (ids held by nobody are absent).

        The books' id index rules most ids out without reading a ledger (``held``: some of them are
        expected in the books, which only a search tells where: the index is not asked). Reading every
        ledger for the rest costs seconds on large books, so files are pre-selected by a text search
        (`git grep`) and only those are parsed. A selected file that does not load is refused: the id
        might be in it.
        """
        wanted = sorted(set(ids) - self._absent)
        maybe = None if held else self._may_exist(wanted) if wanted else set()
        if maybe is not None:
            self._absent.update(w for w in wanted if w not in maybe)
            wanted = [w for w in wanted if w in maybe]
        if not wanted:
            return {}
        owners = self._owners_by_scan(set(wanted)) if len(wanted) > GREP_MAX_IDS else self._owners_by_grep(wanted)
        self._absent.update(w for w in wanted if w not in owners)  # until this session commits
        return owners

    def is_free(self, entry_id: str) -> bool:
        """Whether no ledger holds ``entry_id``, for an id just drawn at random: one the id index cannot
        rule out counts as held (drawing again is cheaper than proving it free); without the index, the
        books are searched."""
        if entry_id in self._absent:
            return True
        maybe = self._may_exist([entry_id])
        if maybe is None:
            return entry_id not in self.owners_of([entry_id])
        if entry_id in maybe:
            return False
        self._absent.add(entry_id)
        return True

    def _may_exist(self, ids: list[str]) -> set[str] | None:
        """Of ``ids``, a superset of those in some ledger (None: nobody can tell without reading them)."""
        from ..store.statindex import maybe_taken  # the id index and its cache: only for a change that adds ids

        if self._no_id_index:
            return None
        found = maybe_taken(self.books.root, ids)
        self._no_id_index = found is None  # a ledger that does not load: asking again would not help
        return found

    def _owners_by_grep(self, wanted: list[str]) -> dict[str, str]:
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
                    problems=source.problems,
                    hint="fix that file first (see `ledgerctl check`)",
                )
            for entry in source.entries:
                if entry.id in wanted:
                    owners.setdefault(entry.id, source.stem)
        return owners

    def _owners_by_scan(self, wanted: set[str]) -> dict[str, str]:
        # git grep slows down with thousands of patterns (an import's batch); the cache answers from every file.
        from ..store.bulk import map_ledgers  # its worker pool is not needed to post one entry

        owners: dict[str, str] = {}
        for relpath, (loads, held) in map_ledgers(
            self.books.root, self.books.ledger_relpaths(), _held_ids, frozenset(wanted)
        ):
            if not loads:
                raw = (self.books.root / relpath).read_bytes()
                mentioned = [w for w in sorted(wanted) if w.encode() in raw]
                if mentioned:
                    raise InvalidBooks(
                        f"{relpath} mentions {', '.join(mentioned[:5])} but does not load, so this "
                        "change cannot be checked",
                        hint="fix that file first (see `ledgerctl check`)",
                    )
            for entry_id in held:
                owners.setdefault(entry_id, Path(relpath).stem)
        return owners

    def ensure_clean(self, relpath: str, changed: Mapping[str, str] | None = None) -> None:
        """SPEC 7: never sweep a bookkeeper's uncommitted hand edits into the tool's commit.

        ``changed``: the ledgers' `git status`, read once for a whole batch. One file is first checked
        the cheap way (:meth:`_as_committed`); only a file that check cannot vouch for costs a `git status`.
        """
        if changed is None and self._as_committed(relpath):
            return
        if relpath not in (self.repo.changed_paths(relpath) if changed is None else changed):
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

    def _as_committed(self, relpath: str) -> bool:
        """The file's bytes are the blob git's index holds for it (same mode), and the index holds HEAD's
        version of it (nothing staged): exactly when `git status` has nothing to say about it, for two
        processes that do not read the other files (`git status` stats all of them)."""
        try:
            data = (self.books.root / relpath).read_bytes()
        except OSError:
            return False
        if not self.repo.index_holds(relpath, data):
            return False
        staged = self.repo.staged_paths()
        if staged is None or relpath in staged:
            return False
        self._tracked.add(relpath)
        return True

    def ensure_open_period(self, date: dt.date, what: str, *, hint: str | None = None) -> None:
        closed = self.books.config.closed_through
        if closed is not None and date <= closed:
            raise UsageError(
                f"{what} is dated {date}, in the closed period (the books are closed through {closed})",
                hint=hint
                or "date it after the closed date; a closed period is reopened only with `ledgerctl close --reopen`",
            )

    def validated(self, loaded: LoadedLedger, new_text: str) -> LoadedLedger:
        """Load the would-be content and refuse it if it has any problem (nothing is written)."""
        source, parsed, added = self._load_new(loaded, new_text)
        return self._checked(source, parsed, added, self.owners_of(added))

    def _load_new(self, loaded: LoadedLedger, new_text: str) -> tuple[SourcedLedger, ParsedFile | None, list[str]]:
        path = self.books.root / loaded.source.file
        source, parsed = load_ledger(path, loaded.source.file, raw=new_text.encode("utf-8"))
        # Only ids this change adds can collide with other files; the rest were checked when posted.
        known = {e.id for e in loaded.source.entries}
        return source, parsed, [e.id for e in source.entries if e.id not in known]

    def _checked(
        self, source: SourcedLedger, parsed: ParsedFile | None, added: list[str], found: Mapping[str, str]
    ) -> LoadedLedger:
        taken = ids_taken(added, found, source.stem)
        problems = list(source.problems) + validate_ledger(source, dict(taken))
        problems += [
            source.problem("duplicate-id", already_used_by(entry_id, owner), entry_id) for entry_id, owner in taken
        ]
        if problems:
            raise InvalidBooks("the change was refused; the books are unchanged", problems=problems)
        return LoadedLedger(source, parsed)

    def edit_ledgers(self, edits: Mapping[str, Callable[[LoadedLedger], str]]) -> list[Change]:
        """The shared preamble of every batch: per customer, load the ledger, refuse a broken or hand-edited one,
        edit its text, validate the result. New ids are checked against the whole books in one search."""
        staged = []
        changed = self.repo.changed_paths(LEDGER_DIR) if edits else {}
        for customer_id, edit in edits.items():
            loaded = self.books.load(customer_id)
            self.books.require_valid(loaded)
            self.ensure_clean(loaded.source.file, changed)
            assert loaded.parsed is not None
            text = edit(loaded)
            staged.append((loaded, text, *self._load_new(loaded, text)))
        adders: dict[str, str] = {}  # new id -> the customer of this batch that adds it
        for loaded, _, _, _, added in staged:
            for entry_id in added:
                if adders.setdefault(entry_id, loaded.source.stem) != loaded.source.stem:
                    raise UsageError(
                        f"entry id {entry_id} would be added to both {adders[entry_id]} and "
                        f"{loaded.source.stem}; nothing was changed"
                    )
        found = self.owners_of(adders) if adders else {}
        changes: list[Change] = []
        for loaded, text, source, parsed, added in staged:
            self._checked(source, parsed, added, found)
            assert loaded.parsed is not None
            changes.append((loaded.source.file, text, loaded.parsed.raw))
        return changes

    def post_entries(
        self,
        batch: Mapping[str, Sequence[EntryBase] | Callable[[LoadedLedger], Sequence[EntryBase]]],
        message: str | Callable[[dict[str, list[EntryBase]]], str],
        *,
        commit: bool = True,
    ) -> tuple[dict[str, list[EntryBase]], str | None]:
        """Post entries to several customers in one transaction and one commit (remind --record, import).

        ``batch`` maps each customer to its entries, or to a function of its loaded ledger giving
        them (so new ids can avoid the ledger's own). Returns what was posted, per customer, and the commit.
        """
        posted: dict[str, list[EntryBase]] = {}
        if all(not callable(v) for v in batch.values()):
            posted = {cid: list(entries) for cid, entries in batch.items()}  # type: ignore[arg-type]
            changes = self._insert_many(posted)
        else:

            def insert(customer_id: str, build: Any) -> Callable[[LoadedLedger], str]:
                def edit(loaded: LoadedLedger) -> str:
                    assert loaded.parsed is not None and loaded.source.customer is not None
                    entries = list(build(loaded) if callable(build) else build)
                    self._ensure_open(entries)
                    posted[customer_id] = entries
                    currency = loaded.source.customer.currency
                    return insert_entries(loaded.parsed.text, loaded.parsed.tree, entries, currency)

                return edit

            changes = self.edit_ledgers({cid: insert(cid, build) for cid, build in batch.items()})
        if not changes:
            return posted, None
        text = message(posted) if callable(message) else message
        return posted, self.commit(changes, text, commit=commit)

    def _ensure_open(self, entries: Sequence[EntryBase]) -> None:
        for entry in entries:
            self.ensure_open_period(entry.date, f"{entry.type.replace('_', ' ')} {entry.id}")

    def _insert_many(self, batch: Mapping[str, list[EntryBase]]) -> list[Change]:
        """edit_ledgers for entries known up front: the same checks, the per-ledger work on every core."""
        from .batch import prepare_all

        changed = self.repo.changed_paths(LEDGER_DIR) if batch else {}
        jobs = []
        for customer_id, entries in batch.items():
            path = self.books.ledger_path(customer_id)
            if not path.is_file():
                self.books.load(customer_id)  # the one message for an unknown customer
            relpath = self.books.relpath(path)
            self.ensure_clean(relpath, changed)
            self._ensure_open(entries)
            jobs.append((relpath, entries))
        prepared = list(prepare_all(self.books.root, jobs))
        adders: dict[str, str] = {}
        for item in prepared:
            if item.load_problems:
                raise InvalidBooks(
                    f"{item.relpath} has problems; fix them first (see `ledgerctl check`)",
                    problems=list(item.load_problems),
                )
            for entry_id in item.added:
                if adders.setdefault(entry_id, item.stem) != item.stem:
                    raise UsageError(
                        f"entry id {entry_id} would be added to both {adders[entry_id]} and "
                        f"{item.stem}; nothing was changed"
                    )
        found = self.owners_of(adders) if adders else {}
        problems = [problem for item in prepared for problem in item.problems]
        problems += [
            Problem("duplicate-id", already_used_by(entry_id, owner), item.relpath, entry=entry_id)
            for item in prepared
            for entry_id, owner in ids_taken(item.added, found, item.stem)
        ]
        if problems:
            raise InvalidBooks("the change was refused; the books are unchanged", problems=problems)
        return [(item.relpath, item.text, item.raw) for item in prepared]

    def commit(
        self,
        changes: list[tuple[str, str, bytes | None]],
        message: str,
        *,
        commit: bool = True,
        tag: tuple[str, str] | None = None,
    ) -> str | None:
        """Write (relpath, new text, bytes read) changes in one transaction, then tag (name, message) the commit."""
        # Files all vouched for by ensure_clean are tracked: `git commit` may stage them itself.
        tx = Transaction(self.books, self.repo, tracked=all(relpath in self._tracked for relpath, _, _ in changes))
        for relpath, text, before in changes:
            tx.write(relpath, text, before)
        self._absent.clear()  # the ids this change adds are in the books from now on
        return tx.apply(message, commit=commit, tag=tag)


def _held_ids(record: CachedLedger, wanted: frozenset[str]) -> tuple[bool, tuple[str, ...]]:
    return record.loads, tuple(e.id for e in record.entries if e.id in wanted)


@contextmanager
def write_session(books_dir: Path | None, notify: Notify) -> Iterator[WriteSession]:
    # Before the lock only where the books are: a run that waited for `close` must not decide
    # from the closed_through it would have read before the lock.
    root = find_books(books_dir)
    repo = GitRepo(root)
    repo.ensure_repository()
    with books_lock(root):
        # Inside the lock: another ledgerctl run's commit in progress is not a stale index.lock.
        removed = repo.ensure_ready_to_commit(under_books_lock=True)
        if removed:
            notify(removed)
        # Recovery first, from books whose ledgerctl.yaml may be broken: it may be what it puts back.
        books = Books.open(root, strict_config=False)
        outcome = recover(books, repo)
        if outcome:
            notify(outcome)
        if outcome or books.config_problems:
            books = Books.open(root)  # as recovery left them; a broken configuration is refused here
        yield WriteSession(books, repo, notify)
