"""Has the working tree lost posted data against the last commit? Asked by every whole-books report.

A report that silently computes from a ledger whose entries were cut out, or a
file that was deleted, shows smaller figures as if they were true. Reports
already know each file's blob id (the cache key), so the comparison with the
last commit is a dict lookup per file: the committed blob ids are kept per
commit (one `git ls-tree` after each new commit), and only a file whose blob
differs is looked at closer, through its cached records (git is asked for a
committed blob only when the cache never saw it).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..gitops.headstate import committed_blobs, head_commit, read_blob
from ..notices import warn
from ..store.books import LEDGER_DIR, Books, LoadedLedger
from ..store.bulk import load_cached
from ..store.cache import LedgerCache, blob_id, from_source


@dataclass(frozen=True)
class Lost:
    files: int  # committed ledger files missing from the working tree
    entries: int  # posted entries (ids in the last commit) missing from the working tree

    def message(self) -> str:
        parts = [f"{self.entries} posted entr{'y' if self.entries == 1 else 'ies'}"] if self.entries else []
        if self.files:
            parts.append(f"{self.files} ledger file{'' if self.files == 1 else 's'}")
        return (
            f"warning: the working tree is missing {' and '.join(parts)} of the last commit, so these figures "
            "leave them out; run `ledgerctl check`"
        )


def _is_ledger(relpath: str) -> bool:
    return relpath.endswith(".yaml") and relpath.count("/") == 1


def load_for_report(books: Books, customer_id: str) -> LoadedLedger:
    """One customer's ledger for a report (statement, customer show), warning if it lost posted entries."""
    loaded = books.load(customer_id)
    if loaded.parsed is not None:
        relpath = loaded.source.file
        lost = lost_since_commit(books, {relpath: blob_id(loaded.parsed.raw)}, only=(relpath,))
        if lost is not None:
            warn(lost.message())
    return loaded


def lost_since_commit(books: Books, working: Mapping[str, str], only: Collection[str] | None = None) -> Lost | None:
    """What the last commit holds that the working tree (``working``: relpath -> blob id) lacks; None if nothing.

    ``only``: compare just these files (a report on one customer); otherwise every committed ledger.
    """
    commit = head_commit(books.root)
    if commit is None:
        return None
    cache = LedgerCache(books.root)
    committed = cache.committed(commit)
    if committed is None:
        found = committed_blobs(books.root, commit, LEDGER_DIR)
        if found is None:
            return None
        committed = {path: blob for path, blob in found.items() if _is_ledger(path)}
        cache.put_committed(commit, committed)
    files = entries = 0
    for relpath, blob in committed.items():
        if only is not None and relpath not in only:
            continue
        now = working.get(relpath)
        if now == blob:
            continue
        before = _entry_ids(books, cache, relpath, blob)
        if now is None:
            files += 1
            entries += len(before)
        else:
            entries += len(before - {e.id for e in load_cached(books.root, relpath, cache).entries})
    return Lost(files, entries) if files or entries else None


def _entry_ids(books: Books, cache: LedgerCache, relpath: str, blob: str) -> set[str]:
    record = cache.get(blob, relpath)
    if record is None:
        raw = read_blob(books.root, blob)
        if raw is None:
            return set()
        from ..core.validate import validate_ledger  # a committed version the cache never saw: rare
        from ..store.ledgerfile import load_ledger

        source, _ = load_ledger(Path(relpath), relpath, raw=raw)
        record = from_source(source, blob, validate_ledger(source))
        cache.put(record)
    return {e.id for e in record.entries}
