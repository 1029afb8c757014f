"""`sync`: fetch, merge with the ledger merge driver, `check`, push — or stop with the clone as it was.

Under the books' lock: refuse with uncommitted ledger edits (exit 2), fetch
(exit 3 when the remote cannot be reached), merge the upstream (fast-forward
when possible; the driver merges the ledgers entry by entry). A conflict aborts
the merge (exit 1, each conflicting entry named). After a merge `check` must
pass, otherwise the branch goes back to where it was (exit 1). Only then push.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core.errors import EnvironmentProblem, Findings, Problem, UsageError
from ..gitops import remote
from ..gitops.merge import register_driver
from ..gitops.repo import GitRepo
from ..store.books import CONFIG_NAME, LEDGER_DIR, Books
from .checking import check_books
from .mergedriver import plan_for
from .session import WriteSession
from .verify import is_ledger


@dataclass
class SyncOutcome:
    upstream: str
    incoming: int = 0  # commits merged from the remote
    outgoing: int = 0  # commits pushed
    merged: str = "up to date"  # "up to date" | "fast-forward" | "merged"
    pushed: bool = False
    tags_pushed: list[str] = field(default_factory=list)  # closed/* tags the remote lacked
    notes: list[str] = field(default_factory=list)


def describe_conflicts(repo: GitRepo, paths: list[str]) -> list[Problem]:
    """What conflicts in each unmerged file, entry by entry where the file is a ledger."""
    problems = []
    for path in paths:
        stages = {n: repo.read_object(f":{n}:{path}") for n in (1, 2, 3)}
        raw = {n: found[1] if found else None for n, found in stages.items()}
        planned = None
        if is_ledger(path) and raw[2] is not None and raw[3] is not None:
            planned = plan_for(path, raw[1], raw[2], raw[3])
        if planned is not None and planned[0].conflicts:
            for conflict in planned[0].conflicts:
                entry = conflict.key if conflict.kind == "entry" else None
                problems.append(Problem("merge-conflict", conflict.message, path, None, entry))
        else:
            problems.append(Problem("merge-conflict", "both sides changed this file and git could not merge it", path))
    return problems


def _uncommitted(repo: GitRepo) -> list[str]:
    return sorted(p for p in repo.changed_paths(LEDGER_DIR, CONFIG_NAME) if p == CONFIG_NAME or p.endswith(".yaml"))


def sync_books(session: WriteSession) -> SyncOutcome:
    """Fetch, merge, check, push, under the session's lock (opened by ops.open.open_session)."""
    repo = session.repo
    dirty = _uncommitted(repo)
    if dirty:
        raise UsageError(
            f"uncommitted changes in {', '.join(dirty)}; sync merges and pushes commits only",
            hint="commit them first with `ledgerctl commit` (or drop them with `git checkout -- FILE`)",
        )
    up = remote.upstream(repo)
    changed, _ = register_driver(repo)
    outcome = SyncOutcome(up.name)
    if changed:
        outcome.notes.append("registered the ledger merge driver in this clone's git config")
    remote.fetch(repo, up)
    theirs = remote.resolve(repo, up.tracking)
    before = repo.head()
    if theirs is not None and before is not None:
        outcome.incoming = remote.count(repo, f"{before}..{theirs}")
    if outcome.incoming:
        _merge(repo, up, before, theirs, outcome)
        result = check_books(Books.open(session.books.root, strict_config=False), repo)
        if not result.ok:
            if before is not None:
                remote.reset_to(repo, before)
            raise Findings(
                f"sync stopped: after merging {up.name}, `check` found {len(result.problems)} "
                "problem(s); nothing was pushed and your clone is as it was before the sync",
                problems=result.problems,
                hint="fix them with whoever made them (void and re-post), then sync again",
            )
    head = repo.head()
    if head is not None and (theirs is None or head != theirs):
        outcome.outgoing = remote.count(repo, head if theirs is None else f"{theirs}..{head}")
        if outcome.outgoing:
            outcome.tags_pushed = remote.push(repo, up)
            outcome.pushed = True
    if not outcome.pushed and remote.has_closed_tags(repo):
        # The month-end marks are what the remote's hook and a fresh clone's `verify` rely on: send any it lacks.
        outcome.tags_pushed = remote.push(repo, up, branch=False)
    return outcome


def _merge(repo: GitRepo, up: remote.Upstream, before: str | None, theirs: str | None, outcome: SyncOutcome) -> None:
    assert theirs is not None
    status, messages = remote.merge(repo, theirs, f"sync: merge {up.name} into {up.branch}")
    if status == 0:
        outcome.merged = "fast-forward" if repo.head() == theirs else "merged"
        return
    unmerged = remote.unmerged_paths(repo)
    if not unmerged:
        if remote.merge_in_progress(repo):
            remote.abort_merge(repo)
        raise EnvironmentProblem(
            f"git could not merge {up.name}: {messages or 'unknown reason'}",
            hint="see `git status`; nothing was pushed",
        )
    problems = describe_conflicts(repo, unmerged)
    remote.abort_merge(repo)
    if any(p.entry for p in problems):
        hint = (
            f"{up.name} already has these entry ids with other contents, and posted entries never change, so "
            "fix your side, which is not pushed yet: see your commits with `git log "
            f"{up.name}..`, drop them with `git reset --keep {up.name}`, post your entries again (a clashing "
            "id under a new one) and sync again"
        )
    else:
        hint = (
            f"resolve it by hand: `git merge {up.name}`, keep the right value in each <<<<<<< block and "
            "remove the markers, `ledgerctl check`, `git commit`, then `ledgerctl sync`"
        )
    raise Findings(
        f"sync stopped: merging {up.name} conflicts in {len(unmerged)} file(s); nothing was merged or pushed, "
        f"your clone is as it was, and the other side's commits are kept in {up.name}",
        problems=problems,
        hint=hint,
    )
