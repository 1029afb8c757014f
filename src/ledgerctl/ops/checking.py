"""`check` (every rule, plus what changed since the last commit) and `commit` of hand edits."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import Findings, Problem, UsageError
from ..core.models import EntryBase
from ..core.templates import template_problems
from ..core.validate import SourcedLedger, also_used_in, compare_posted, first_holders, validate_ledger
from ..gitops.repo import GitRepo, commit_message
from ..store.atomic import interrupted_change_left
from ..store.books import CONFIG_NAME, LEDGER_DIR, Books
from ..store.ledgerfile import load_config, load_ledger
from ..store.rates import load_rates
from ..store.templates import template_files
from .reading import check_parts
from .verify import is_ledger


@dataclass
class CheckResult:
    problems: list[Problem]
    customers: int
    entries: int
    changed: dict[str, str]  # relpath -> git status, for files differing from HEAD
    interrupted: bool = False  # a journal of an interrupted change is left for the next writing command

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != "warning"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


def check(books: Books) -> CheckResult:
    """`check`: every rule, posted entries against the last commit (when the books are a git repository),
    then the probable duplicates as warnings (only where the books load: a broken file's entries are not judged)."""
    from .duplicates import duplicate_warnings

    repo = GitRepo(books.root) if (books.root / ".git").exists() else None
    result = check_books(books, repo)
    warnings = duplicate_warnings(books) if result.ok else []
    return dataclasses.replace(result, problems=result.problems + warnings, interrupted=interrupted_change_left(books))


def _head_closed_through(repo: GitRepo, books: Books) -> dt.date | None:
    """The later of the committed and the working closed_through: editing it back does not reopen a period."""
    closed = books.config.closed_through
    raw = repo.show_head(CONFIG_NAME)
    if raw is None:
        return closed
    config, _ = load_config(Path(CONFIG_NAME), raw)
    if config is None:
        return closed
    committed = config.closed_through
    if committed is not None and (closed is None or committed > closed):
        return committed
    return closed


def head_entries(repo: GitRepo, relpath: str) -> list[EntryBase]:
    """The valid entries of a ledger as of the last commit (none if it was not there)."""
    raw = repo.show_head(relpath)
    if raw is None:
        return []
    source, _ = load_ledger(Path(relpath), relpath, raw=raw)
    return source.entries


def check_books(books: Books, repo: GitRepo | None) -> CheckResult:
    """Every rule of SPEC 3 (through the cache), and posted entries compared with the last commit."""
    parts = check_parts(books)
    problems = list(books.config_problems)
    problems += load_rates(books.root, books.config)[1]
    problems += [p for relpath, raw in template_files(books.root).items() for p in template_problems(relpath, raw)]
    problems += [
        Problem(
            "stray-file",
            "no command reads this file, so its entries are in no figure: a ledger is "
            f"{LEDGER_DIR}/CUSTOMER.yaml (directly in {LEDGER_DIR}/, lowercase .yaml)",
            relpath,
        )
        for relpath in books.stray_relpaths()
    ]
    first, collisions = first_holders(
        ((entry_id, (part, line)) for part in parts for entry_id, line in zip(part.ids, part.lines, strict=True)),
        file_of=lambda holder: holder[0],
    )
    problems += [
        Problem("duplicate-id", also_used_in(entry_id, earlier[0].file), part.file, line, entry_id)
        for entry_id, (part, line), earlier in collisions
    ]
    owners = {entry_id: part.stem for entry_id, (part, _) in first.items()}
    for part in parts:
        if any(p.code in ("allocation-unknown", "void-unknown") for p in part.problems):
            problems += _revalidated(books, part.file, owners)  # say whose entry a stray reference names
        else:
            problems += part.problems
    changed: dict[str, str] = {}
    if repo is not None and repo.has_head():
        changed = repo.changed_paths(LEDGER_DIR, CONFIG_NAME)
        closed = _head_closed_through(repo, books)
        for relpath in sorted(changed):
            if not relpath.startswith(f"{LEDGER_DIR}/") or not relpath.endswith(".yaml"):
                continue
            path = books.root / relpath
            if path.is_file():
                current, parsed = load_ledger(path, relpath)
                if parsed is None:  # a syntax error is one problem (above), not one "deleted" per entry it hides
                    problems = [_with_restore_hint(p, relpath) for p in problems]
                    continue
            else:  # deleted from the working tree
                current = SourcedLedger(relpath, path.stem, None)
            problems += compare_posted(head_entries(repo, relpath), current.entries, current, closed)
    problems.sort(key=lambda p: (p.file or "", p.line or 0, p.code))
    return CheckResult(problems, len(parts), sum(p.entries for p in parts), changed)


def _with_restore_hint(problem: Problem, relpath: str) -> Problem:
    if problem.file != relpath or "git checkout" in problem.message:
        return problem
    return dataclasses.replace(
        problem,
        message=f"{problem.message}; the file has posted entries: fix it, or restore "
        f"the committed version with `git checkout -- {relpath}`",
    )


def _revalidated(books: Books, relpath: str, owners: dict[str, str]) -> list[Problem]:
    source, _ = load_ledger(books.root / relpath, relpath)
    return list(source.problems) + validate_ledger(source, owners)


def commit_hand_edits(books: Books, repo: GitRepo, message: str | None) -> tuple[str, list[str]]:
    """Commit hand edits of the ledgers and configuration after `check` passes."""
    result = check_books(books, repo)
    # Anything else under ledgers/ (an editor's backup, a temp file) would be committed, then pushed by sync.
    strays = sorted(
        p
        for p in result.changed
        if p.startswith(f"{LEDGER_DIR}/") and not is_ledger(p) and p != f"{LEDGER_DIR}/.gitkeep"
    )
    if strays:
        raise UsageError(
            f"not committed: {', '.join(strays)} {'is' if len(strays) == 1 else 'are'} not a ledger file "
            f"({LEDGER_DIR}/CUSTOMER.yaml)",
            hint=f"move {'it' if len(strays) == 1 else 'them'} out of "
            f"{LEDGER_DIR}/ or delete {'it' if len(strays) == 1 else 'them'}, then commit again",
        )
    closed = [p for p in result.problems if p.code == "closed-period"]
    if closed:
        raise UsageError(
            f"not committed: the edits touch the closed period (closed through {_head_closed_through(repo, books)})",
            problems=closed,
            hint="date new entries after the closed date; undo the edit with `git checkout -- FILE`",
        )
    if not result.ok:
        raise Findings(f"not committed: `check` found {len(result.problems)} problem(s)", problems=result.problems)
    paths = sorted(p for p in result.changed if p == CONFIG_NAME or p.startswith(f"{LEDGER_DIR}/"))
    if not paths:
        raise UsageError("nothing to commit: the ledgers and configuration are as in the last commit")
    customers = sorted(Path(p).stem for p in paths if p.startswith(f"{LEDGER_DIR}/"))
    added = _added_entries(books, repo, paths)
    subject = message or f"commit hand edits of {_describe(paths)}"
    head = repo.commit(paths, commit_message(subject, customers, added))
    return head, paths


def _describe(paths: list[str]) -> str:
    names = [Path(p).stem if p != CONFIG_NAME else CONFIG_NAME for p in paths]
    return ", ".join(names) if len(names) <= 3 else f"{len(names)} files"


def _added_entries(books: Books, repo: GitRepo, paths: list[str]) -> list[str]:
    added = []
    for relpath in paths:
        path = books.root / relpath
        if not relpath.startswith(f"{LEDGER_DIR}/") or not path.is_file():
            continue
        current, _ = load_ledger(path, relpath)
        before = {e.id for e in head_entries(repo, relpath)}
        added += [e.id for e in current.entries if e.id not in before]
    return added
