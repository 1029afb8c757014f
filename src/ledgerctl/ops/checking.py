"""`check` (every rule, plus what changed since the last commit) and `commit` of hand edits."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import Findings, Problem, UsageError
from ..core.models import Config, EntryBase
from ..core.validate import SourcedLedger, compare_posted, validate_books
from ..gitops.repo import GitRepo, commit_message
from ..store.books import CONFIG_NAME, LEDGER_DIR, Books, LoadedLedger
from ..store.ledgerfile import load_ledger
from ..store.yamlload import YamlProblem, decode, parse


@dataclass
class CheckResult:
    problems: list[Problem]
    ledgers: list[LoadedLedger]
    changed: dict[str, str]  # relpath -> git status, for files differing from HEAD

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, object]:
        return {"ok": self.ok, "problems": [p.to_dict() for p in self.problems]}


def _head_closed_through(repo: GitRepo, books: Books) -> dt.date | None:
    raw = repo.show_head(CONFIG_NAME)
    closed = books.config.closed_through
    if raw is None:
        return closed
    try:
        head_config = Config.model_validate(parse(decode(raw)) or {})
    except (YamlProblem, ValueError):
        return closed
    if head_config.closed_through and (closed is None or head_config.closed_through > closed):
        return head_config.closed_through  # moving the date back by hand does not reopen a period
    return closed


def head_entries(repo: GitRepo, relpath: str) -> list[EntryBase]:
    """The valid entries of a ledger as of the last commit (none if it was not there)."""
    raw = repo.show_head(relpath)
    if raw is None:
        return []
    source, _ = load_ledger(Path(relpath), relpath, raw=raw)
    return source.entries


def check_books(books: Books, repo: GitRepo | None) -> CheckResult:
    """Every rule of SPEC 3, and posted entries compared with the last commit."""
    ledgers = books.load_all()
    problems = list(books.config_problems)
    problems += validate_books([lg.source for lg in ledgers])
    changed: dict[str, str] = {}
    if repo is not None and repo.has_head():
        changed = repo.changed_paths(LEDGER_DIR, CONFIG_NAME)
        closed = _head_closed_through(repo, books)
        by_path = {lg.source.file: lg for lg in ledgers}
        for relpath in sorted(changed):
            if not relpath.startswith(f"{LEDGER_DIR}/") or not relpath.endswith(".yaml"):
                continue
            before = head_entries(repo, relpath)
            current = by_path.get(relpath)
            if current is None:  # deleted from the working tree
                current = LoadedLedger(SourcedLedger(relpath, Path(relpath).stem, None), None)
            problems += compare_posted(before, current.source.entries, current.source, closed)
    problems.sort(key=lambda p: (p.file or "", p.line or 0, p.code))
    return CheckResult(problems, ledgers, changed)


def commit_hand_edits(books: Books, repo: GitRepo, message: str | None) -> tuple[str, list[str]]:
    """Commit hand edits of the ledgers and configuration after `check` passes."""
    result = check_books(books, repo)
    if not result.ok:
        raise Findings(f"not committed: `check` found {len(result.problems)} problem(s)", problems=result.problems)
    paths = sorted(p for p in result.changed if p == CONFIG_NAME or p.startswith(f"{LEDGER_DIR}/"))
    if not paths:
        raise UsageError("nothing to commit: the ledgers and configuration are as in the last commit")
    customers = sorted(Path(p).stem for p in paths if p.startswith(f"{LEDGER_DIR}/"))
    added = _added_entries(repo, result, paths)
    subject = message or f"commit hand edits of {_describe(paths)}"
    head = repo.commit(paths, commit_message(subject, customers, added))
    return head, paths


def _describe(paths: list[str]) -> str:
    names = [Path(p).stem if p != CONFIG_NAME else CONFIG_NAME for p in paths]
    return ", ".join(names) if len(names) <= 3 else f"{len(names)} files"


def _added_entries(repo: GitRepo, result: CheckResult, paths: list[str]) -> list[str]:
    by_path = {lg.source.file: lg for lg in result.ledgers}
    added = []
    for relpath in paths:
        current = by_path.get(relpath)
        if current is None:
            continue
        before = {e.id for e in head_entries(repo, relpath)}
        added += [e.id for e in current.source.entries if e.id not in before]
    return added
