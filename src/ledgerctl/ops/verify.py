"""`verify`: audit the history commit by commit.

For every commit of the range, against each of its parents: no posted entry
edited or deleted, nothing added or voided on or before the ``closed_through``
in force (the later of the parent's and the commit's own), the ledgers the
commit changed still valid (only problems the commit introduced are reported),
and entry ids it added not used by another customer file at that commit. Then
the ``closed/*`` tags, and with ``--signed`` every commit's signature.

Cost grows with what the commits changed, not with the size of the books: git
lists the changed files of all commits in one call, blobs come from one
``cat-file --batch``, each distinct text is parsed once (:mod:`..store.versions`),
and ids are tracked only where the range adds some.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from ..core.audit import audit_posted, later, new_problems
from ..core.changes import entry_changes
from ..core.errors import Problem
from ..core.models import CUSTOMER_ID_PATTERN
from ..core.validate import SourcedLedger, also_used_in, validate_ledger
from ..gitops.history import FileDiff, GitHistory, LogCommit
from ..gitops.repo import GitRepo
from ..store.books import CONFIG_NAME, LEDGER_DIR
from ..store.versions import Recent, VersionLoader

LEDGER_PATH = re.compile(rf"^{LEDGER_DIR}/{CUSTOMER_ID_PATTERN[1:-1]}\.yaml$")
PATHSPECS = (LEDGER_DIR, CONFIG_NAME)
SIGNATURE_MEANING = {
    "B": "a bad signature",
    "U": "a good signature from a key that is not trusted",
    "X": "a signature that has expired",
    "Y": "a signature made by a key that has expired",
    "R": "a signature made by a revoked key",
    "E": "a signature that cannot be checked (the key is missing)",
    "N": "no signature",
}


def is_ledger(path: str) -> bool:
    return bool(LEDGER_PATH.match(path))


@dataclass
class VerifyResult:
    problems: list[Problem]
    commits: int
    details: dict[str, LogCommit] = field(default_factory=dict)  # commit id -> author, time, subject

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class _State:
    """What a commit's successors need of it: its configuration and the blob of every ledger."""

    config: bytes | None
    files: dict[str, str]

    def copy(self) -> _State:
        return _State(self.config, dict(self.files))


class Auditor:
    def __init__(self, repo: GitRepo):
        self.git = GitHistory(repo)
        self.loader = VersionLoader()
        self._ledgers = Recent(64)  # (path, blob) -> SourcedLedger
        self._validity = Recent(64)  # (path, blob) -> problems
        self._configs: dict[str, bytes | None] = {}
        self._added: dict[str, list[tuple[str, str]]] = {}  # commit -> (entry id, path) it adds (vs its first parent)
        self._added_to: dict[str, set[str]] = {}  # entry id -> paths it was ever added to (or held at the boundary)

    # --- reading versions ---------------------------------------------------------------

    def ledger(self, path: str, blob: str) -> SourcedLedger:
        return self._ledgers.get_or((path, blob), lambda: self.loader.ledger(path, self.git.blob(blob) or b""))  # type: ignore[no-any-return]

    def validity(self, path: str, blob: str | None) -> list[Problem]:
        if blob is None:
            return []

        def validate() -> list[Problem]:
            source = self.ledger(path, blob)
            return list(source.problems) + validate_ledger(source)

        return self._validity.get_or((path, blob), validate)  # type: ignore[no-any-return]

    def config_bytes(self, blob: str | None) -> bytes | None:
        if blob is None:
            return None
        if blob not in self._configs:
            self._configs[blob] = self.git.blob(blob)
        return self._configs[blob]

    def closed(self, config: bytes | None) -> dt.date | None:
        parsed, _ = self.loader.config(config)
        return parsed.closed_through if parsed is not None else None

    def added(self, commit: str, changed: list[FileDiff]) -> list[tuple[str, str]]:
        """(entry id, path) of the entries a commit adds to its files (against its first parent)."""
        if commit not in self._added:
            found = []
            for d in changed:
                if is_ledger(d.path) and d.new:
                    before = self.ledger(d.path, d.old[0]).entries if d.old[0] else []
                    found += [(e.id, d.path) for e in entry_changes(before, self.ledger(d.path, d.new).entries)[0]]
            for entry_id, path in found:
                self._added_to.setdefault(entry_id, set()).add(path)
            self._added[commit] = found
        return self._added[commit]

    def _boundary(self, commit: str, watched: set[str]) -> _State:
        """The state of a commit outside the range (a parent of the range's first commits).

        Of its ledgers, only those that mention an id the range adds are read.
        """
        files = {path: blob for path, blob in self.git.tree_blobs(commit, LEDGER_DIR).items() if is_ledger(path)}
        for path in self.git.grep_files(commit, sorted(watched), LEDGER_DIR):
            if path in files:
                for entry in self.ledger(path, files[path]).entries:
                    if entry.id in watched:
                        self._added_to.setdefault(entry.id, set()).add(path)
        return _State(self.git.blob(f"{commit}:{CONFIG_NAME}"), files)

    # --- the walk ---------------------------------------------------------------------------

    def run(self, revs: Sequence[str], *, signed: bool = False, tags_against: str | None = None) -> VerifyResult:
        commits = self.git.commits(revs, signatures=signed)
        pairs = [(c.sha, p) for c in commits for p in (c.parents or (None,))]
        blocks = iter(self.git.diff_pairs(pairs, PATHSPECS))
        diffs = {
            c.sha: [
                [d for d in next(blocks) if d.path == CONFIG_NAME or is_ledger(d.path)] for _ in (c.parents or (None,))
            ]
            for c in commits
        }
        first_children: dict[str, int] = {}
        for c in commits:
            if c.parents:
                first_children[c.parents[0]] = first_children.get(c.parents[0], 0) + 1
        watched: set[str] = set()
        if any(parent not in diffs for parent in first_children):  # the range starts after the root: ids it adds
            watched = {entry_id for c in commits for entry_id, _ in self.added(c.sha, diffs[c.sha][0])}
        states: dict[str, _State] = {}
        configs: dict[str, bytes | None] = {}
        problems: list[Problem] = []

        def config_of(commit: str) -> bytes | None:
            if commit not in configs:
                configs[commit] = self.git.blob(f"{commit}:{CONFIG_NAME}")
            return configs[commit]

        for c in commits:
            first = c.parents[0] if c.parents else None
            if first is None:
                state = _State(None, {})
            else:
                if first not in states:
                    states[first] = self._boundary(first, watched)
                first_children[first] -= 1
                state = states[first].copy() if first_children[first] else states.pop(first)
            self._advance(state, diffs[c.sha][0])
            configs[c.sha] = state.config
            if first_children.get(c.sha):
                states[c.sha] = state
            found = self._audit(c, diffs[c.sha], state, [config_of(p) for p in c.parents])
            problems += [dataclasses.replace(p, commit=c.sha) for p in found]
            self._added.pop(c.sha, None)
        if signed:
            problems += self._signatures(commits)
        if tags_against is not None:
            problems += self.closed_tags(tags_against)
        details = {c.sha: c for c in commits}
        return VerifyResult(problems, len(commits), details)

    def _advance(self, state: _State, changed: list[FileDiff]) -> None:
        for d in changed:
            if d.path == CONFIG_NAME:
                state.config = self.config_bytes(d.new)
            elif d.new:
                state.files[d.path] = d.new
            else:
                state.files.pop(d.path, None)

    def _audit(
        self, commit: LogCommit, per_parent: list[list[FileDiff]], state: _State, parent_configs: list[bytes | None]
    ) -> list[Problem]:
        problems: list[Problem] = []
        closed_here = self.closed(state.config)
        problems += self._moved_back(commit, closed_here, [self.closed(c) for c in parent_configs])
        for index, changed in enumerate(per_parent):
            in_force = later(self.closed(parent_configs[index]) if commit.parents else None, closed_here)
            found: list[Problem] = []
            versions = []
            for d in changed:
                if not is_ledger(d.path):
                    continue
                old = self.ledger(d.path, d.old[0]) if d.old[0] else None
                new = self.ledger(d.path, d.new) if d.new else SourcedLedger(d.path, PurePosixPath(d.path).stem, None)
                versions.append((old.entries if old else [], new.entries))
                header = new.customer or (old.customer if old else None)
                found += audit_posted(
                    old.entries if old else [],
                    new,
                    in_force,
                    header.currency if header else None,
                    file_deleted=d.new is None,
                )
            moved = moved_entries(versions)  # `customer rename|merge`: posted entries change ledgers, unchanged
            problems += [p for p in found if not (p.entry in moved and p.code in ("posted-deleted", "closed-period"))]
        everywhere = set.intersection(*({d.path for d in changed} for changed in per_parent))
        for path in sorted(everywhere):
            news = [d for changed in per_parent for d in changed if d.path == path]
            if path == CONFIG_NAME:
                _, after = self.loader.config(self.config_bytes(news[0].new)) if news[0].new else (None, [])
                befores = [self.loader.config(self.config_bytes(d.old[0]))[1] for d in news if d.old[0]]
                problems += new_problems(after, *befores)
            elif news[0].new:
                befores = [self.validity(path, d.old[0]) for d in news]
                problems += new_problems(self.validity(path, news[0].new), *befores)
        for entry_id, path in self.added(commit.sha, per_parent[0]):
            others = sorted(
                other
                for other in self._added_to.get(entry_id, set()) - {path}
                if other in state.files and entry_id in {e.id for e in self.ledger(other, state.files[other]).entries}
            )
            if others:
                source = self.ledger(path, state.files[path])
                problems.append(source.problem("duplicate-id", also_used_in(entry_id, ", ".join(others)), entry_id))
        seen: set[tuple[object, ...]] = set()
        unique = []
        for p in problems:
            key = (p.code, p.file, p.entry, p.message)
            if key not in seen:
                seen.add(key)
                unique.append(p)
        return unique

    @staticmethod
    def _moved_back(commit: LogCommit, here: dt.date | None, parents: list[dt.date | None]) -> list[Problem]:
        """closed_through goes back only in a `close --reopen` commit, which carries its reason as a trailer.

        A merge that keeps one parent's date moves nothing itself: that parent's commits are audited.
        """
        if commit.reopen_reason or here in parents:
            return []
        for before in parents:
            if before is not None and (here is None or here < before):
                return [
                    Problem(
                        "closed-moved-back",
                        f"closed_through moved back from {before} to {here or 'nothing'} "
                        "outside `ledgerctl close --reopen` (no Ledger-Reopen-Reason trailer): a closed "
                        "period is reopened only with its reason recorded",
                        CONFIG_NAME,
                    )
                ]
        return []

    # --- tags and signatures ----------------------------------------------------------------

    def closed_tags(self, head: str | None) -> list[Problem]:
        problems = self.closed_marks(head) if head is not None else []
        for name, commit in self.git.tags("closed/"):
            problems += [dataclasses.replace(p, commit=commit) for p in self.check_closed_tag(name, commit)]
            if head is not None and not self.git.is_ancestor(commit, head):
                problems.append(
                    Problem(
                        "closed-tag-unreachable",
                        f"tag {name} points to {commit[:8]}, which is not in "
                        "the history of HEAD: the history was rewritten or the tag was moved",
                        CONFIG_NAME,
                        commit=commit,
                    )
                )
        return problems

    def closed_marks(self, head: str) -> list[Problem]:
        """closed_through at ``head`` and the closed/* tags agree: a close has its tag, no tag is ahead.

        A `close` interrupted between its commit and its tag leaves the period closed with no mark on
        the remote. A date set by `close --reopen` needs no tag; a tag later than closed_through is
        history only once a reopen moved the date back after it.
        """
        current = self.closed(self.git.blob(f"{head}:{CONFIG_NAME}"))
        tags: dict[dt.date, str] = {}
        for name, commit in self.git.tags("closed/"):
            try:
                tags[dt.date.fromisoformat(name.removeprefix("closed/"))] = commit
            except ValueError:
                continue  # check_closed_tag reports the name
        ahead = {
            date: commit
            for date, commit in tags.items()
            if (current is None or date > current) and self.git.is_ancestor(commit, head)
        }  # an unreachable tag is reported as such
        if not (ahead or (current is not None and current not in tags)):
            return []
        reopens = self.git.reopens(head)
        problems = []
        if current is not None and current not in tags and self._set_by_close(head, current, reopens):
            problems.append(
                Problem(
                    "closed-tag-missing",
                    f"the books are closed through {current} but there is no "
                    f"tag closed/{current}: a `close` was interrupted before its tag, or the tag was "
                    "deleted or never fetched (`ledgerctl sync` fetches them)",
                    CONFIG_NAME,
                )
            )
        for date, commit in sorted(ahead.items()):
            if not any(self.git.is_ancestor(commit, sha) for sha in reopens):
                problems.append(
                    Problem(
                        "closed-tag-ahead",
                        f"tag closed/{date} marks a close through {date}, but "
                        f"closed_through is {current or 'not set'} and no `close --reopen` moved it "
                        "back since",
                        CONFIG_NAME,
                        commit=commit,
                    )
                )
        return problems

    def _set_by_close(self, head: str, current: dt.date, reopens: list[str]) -> bool:
        """Whether the commit that set closed_through to ``current`` moved it forward, as `close` does.

        A reopen's date needs no tag, and a date moved back by hand is `closed-moved-back` at its commit.
        """
        setter = self.git.last_change(head, "^closed_through:", CONFIG_NAME)
        if setter is None:
            return True
        if setter in reopens:
            return False
        before = self.closed(self.git.blob(f"{setter}^:{CONFIG_NAME}"))
        return before is None or before < current

    def check_closed_tag(self, name: str, commit: str) -> list[Problem]:
        """closed/DATE must point at the commit that set closed_through to DATE (the `close` commit)."""
        try:
            date = dt.date.fromisoformat(name.removeprefix("closed/"))
        except ValueError:
            return [Problem("closed-tag-name", f"tag {name} does not name a date (closed/YYYY-MM-DD)", CONFIG_NAME)]
        here = self.closed(self.git.blob(f"{commit}:{CONFIG_NAME}"))
        before = self.closed(self.git.blob(f"{commit}^:{CONFIG_NAME}"))
        if here != date:
            return [
                Problem(
                    "closed-tag-moved",
                    f"tag {name} points to {commit[:8]}, where closed_through is "
                    f"{here or 'not set'}: the tag was moved or made by hand",
                    CONFIG_NAME,
                )
            ]
        if before == date:
            return [
                Problem(
                    "closed-tag-moved",
                    f"tag {name} points to {commit[:8]}, but the books were closed through "
                    f"{date} before that commit: the tag was moved",
                    CONFIG_NAME,
                )
            ]
        return []

    def _signatures(self, commits: list[LogCommit]) -> list[Problem]:
        return [
            Problem(
                "unsigned" if c.signature == "N" else "bad-signature",
                f"commit {c.short} “{c.subject}” by {c.author} has {SIGNATURE_MEANING.get(c.signature or 'N', 'no valid signature')}",
                commit=c.sha,
            )
            for c in commits
            if c.signature != "G"
        ]


def moved_entries(versions: Sequence[tuple[Sequence[Any], Sequence[Any]]]) -> set[str]:
    """Ids of entries one ledger lost and another gained, identical, in the same commit: a move, not a deletion."""
    left: dict[str, Any] = {}
    arrived: dict[str, Any] = {}
    for before, after in versions:
        now = {e.id: e for e in after}
        was = {e.id: e for e in before}
        left.update({i: e for i, e in was.items() if i not in now})
        arrived.update({i: e for i, e in now.items() if i not in was})
    return {i for i, e in left.items() if arrived.get(i) == e}


def verify_history(repo: GitRepo, revision_range: str | None, *, signed: bool = False) -> VerifyResult:
    """`verify`: the whole history of HEAD (and the closed tags), or one range A..B."""
    if not GitHistory(repo).resolve("HEAD"):
        return VerifyResult([], 0)
    if revision_range is None:
        return Auditor(repo).run(["HEAD"], signed=signed, tags_against="HEAD")
    return Auditor(repo).run([revision_range], signed=signed)
