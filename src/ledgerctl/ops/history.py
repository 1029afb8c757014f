"""`history`: the audit trail of a customer (or of one entry, or of the whole books), read from git.

Only commits that touched the files are read (``git log -- PATH``), their blobs
through one ``cat-file --batch``, and each distinct entry text is parsed once,
so a history of thousands of commits costs about as much as the changes it holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from ..core.changes import Change, common_changes, diff_versions
from ..core.errors import UsageError
from ..core.validate import SourcedLedger
from ..gitops.history import FileDiff, GitHistory, LogCommit
from ..gitops.repo import GitRepo
from ..store.books import LEDGER_DIR, check_customer_id
from ..store.versions import Recent, VersionLoader
from .verify import is_ledger


@dataclass(frozen=True)
class HistoryRow:
    commit: LogCommit
    file: str
    change: Change

    @property
    def customer(self) -> str:
        return PurePosixPath(self.file).stem


@dataclass
class HistoryReport:
    customer: str | None
    entry: str | None
    rows: list[HistoryRow]


class _Versions:
    """Ledger versions by blob id, and the last version of each file that loaded."""

    def __init__(self, git: GitHistory):
        self.git = git
        self.loader = VersionLoader()
        self.by_blob = Recent(64)  # (path, blob) -> SourcedLedger

    def get(self, path: str, blob: str | None) -> SourcedLedger | None:
        if blob is None:
            return None
        return self.by_blob.get_or((path, blob), lambda: self.loader.ledger(path, self.git.blob(blob) or b""))  # type: ignore[no-any-return]


def _loads(source: SourcedLedger | None) -> bool:
    return source is not None and source.customer is not None and not source.problems


def _changes(old: SourcedLedger | None, new: SourcedLedger | None, old_exists: bool, new_exists: bool) -> list[Change]:
    return diff_versions(
        old.customer if old else None,
        old.entries if old else [],
        new.customer if new else None,
        new.entries if new else [],
        exists_before=old_exists,
        exists_after=new_exists,
    )


def _earlier_files(git: GitHistory, customer: str) -> dict[str, str]:
    """The files the customer had before `customer rename`s (following a chain of them), each with the commit
    that renamed it away, read from the commits' Ledger-Rename trailers."""
    from .customer_admin import RENAME_TRAILER

    found: dict[str, str] = {}
    current = {customer}
    for sha, old, new in git.renames("HEAD", RENAME_TRAILER):  # newest first: walk back through the chain
        path = f"{LEDGER_DIR}/{old}.yaml"
        if new in current and path not in found and old != customer:
            found[path] = sha
            current.add(old)
    return found


def _pathspecs(git: GitHistory, customer: str | None, entry: str | None) -> tuple[list[str], dict[str, str]]:
    """The files whose log to read, and each earlier file of the customer -> the rename commit that ended it."""
    if customer is not None:
        path = f"{LEDGER_DIR}/{check_customer_id(customer)}.yaml"  # refuses a bad id before git sees it
        until = _earlier_files(git, customer)
        return [path, *until], until
    if entry is not None:
        holders = [p for p in git.grep_files("HEAD", [entry], LEDGER_DIR) if is_ledger(p)]
        return holders or [LEDGER_DIR], {}  # not in HEAD (deleted?): search every ledger's history
    return [LEDGER_DIR], {}


def ledger_history(repo: GitRepo, customer: str | None = None, entry: str | None = None) -> HistoryReport:
    git = GitHistory(repo)
    if not git.resolve("HEAD"):
        return HistoryReport(customer, entry, [])
    pathspecs, until = _pathspecs(git, customer, entry)
    versions = _Versions(git)
    last_good: dict[str, SourcedLedger] = {}
    rows: list[HistoryRow] = []
    ended: set[str] = set()
    for commit in git.file_log(pathspecs):
        renamed_here = {path: diff for diff in commit.files for path in [diff.path] if until.get(path) == commit.sha}
        for diff in commit.files:
            if not is_ledger(diff.path) or diff.path in ended:
                continue  # the earlier file's later life (a new customer under the old id) is not this customer's
            if diff.path in renamed_here:
                continue  # shown as the new file's change: the id changed, the entries stayed
            if renamed_here and diff.old == (None,) and diff.new is not None:
                diff = FileDiff(diff.path, next(iter(renamed_here.values())).old, diff.new)
            new = versions.get(diff.path, diff.new)
            if new is not None and not _loads(new):
                first = new.problems[0].message if new.problems else "no customer header"
                found = [Change("unreadable", f"the file does not load at this commit: {first}")]
            else:
                per_parent = []
                for old_blob in diff.old:
                    old = versions.get(diff.path, old_blob)
                    if old is not None and not _loads(old):
                        old = last_good.get(diff.path)
                    per_parent.append(_changes(old, new, old_blob is not None, diff.new is not None))
                found = per_parent[0] if len(per_parent) == 1 else common_changes(per_parent)
                if new is not None:
                    last_good[diff.path] = new
            for change in found:
                if entry is None or change.concerns(entry):
                    rows.append(HistoryRow(commit, diff.path, change))
        ended.update(renamed_here)
    if customer is not None and not rows and entry is None:
        raise UsageError(
            f"no history for customer {customer!r}: no commit touched {pathspecs[0]}",
            hint="see `ledgerctl customer list` for the customer ids",
        )
    if entry is not None and not rows:
        raise UsageError(
            f"no entry {entry!r} in the history" + (f" of {customer}" if customer else ""),
            hint="check the id (ids are case-sensitive), e.g. with `ledgerctl customer show CUSTOMER`",
        )
    return HistoryReport(customer, entry, rows)
