"""Git hooks: install them, and what they run (pre-commit in a clone, pre-receive on the server)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..core.audit import audit_posted, later
from ..core.errors import Problem, UsageError
from ..core.templates import TEMPLATES_DIR, template_problems
from ..core.validate import validate_ledger
from ..gitops import hooks
from ..gitops.history import GitHistory, is_null
from ..gitops.repo import GitRepo
from ..store.books import CONFIG_NAME, Books
from ..store.versions import VersionLoader
from .checking import check_books, head_entries
from .verify import Auditor, is_ledger


def install_pre_commit(books: Books, *, force: bool) -> tuple[Path, str]:
    repo = GitRepo(books.root)
    repo.ensure_repository()
    return hooks.install(repo, "pre-commit", force=force)


def install_pre_receive(git_dir: Path, *, force: bool) -> tuple[Path, str]:
    root = git_dir.expanduser().resolve()
    if not root.is_dir():
        raise UsageError(f"{root} is not a folder", hint="pass the shared repository, e.g. /srv/git/books.git")
    repo = GitRepo(root)
    if not hooks.is_bare(repo):
        raise UsageError(
            f"{root} is not a bare repository; the pre-receive hook belongs on the shared remote",
            hint="in a clone, use `ledgerctl hooks install` (pre-commit) instead",
        )
    return hooks.install(repo, "pre-receive", force=force)


# --- pre-commit ---------------------------------------------------------------------------


def pre_commit(books: Books) -> list[Problem]:
    """`check` on the books, plus the staged version of every ledger staged differently from the working tree."""
    repo = GitRepo(books.root)
    problems = list(check_books(books, repo).problems)
    staged = set(repo.run("diff", "--cached", "--name-only", "-z", strip=False).split("\0"))
    unstaged = set(repo.run("diff", "--name-only", "-z", strip=False).split("\0"))
    loader = VersionLoader()
    committed, _ = loader.config(repo.show_head(CONFIG_NAME)) if repo.has_head() else (None, [])
    closed = later(books.config.closed_through, committed.closed_through if committed else None)
    for path in sorted(p for p in staged & unstaged if is_ledger(p)):
        found = repo.read_object(f":0:{path}")
        if found is None:
            continue
        source = loader.ledger(path, found[1])
        label = f"{path} (staged)"
        found_here = list(source.problems) + validate_ledger(source)
        if source.customer is not None:
            found_here += audit_posted(head_entries(repo, path), source, closed, source.customer.currency)
        problems += [Problem(p.code, p.message, label, p.line, p.entry) for p in found_here]
    return problems


# --- pre-receive ----------------------------------------------------------------------------


@dataclass
class Verdict:
    rejected: list[str] = field(default_factory=list)  # one line per reason
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.rejected


def _default_branch(repo: GitRepo) -> str | None:
    status, out, _ = repo.run_status("symbolic-ref", "-q", "HEAD")
    return out.strip() if status == 0 else None


def pre_receive(repo: GitRepo, updates: Iterable[tuple[str, str, str]]) -> Verdict:
    """Judge a push: ``updates`` are git's (old, new, ref) lines. Any rejection rejects the whole push."""
    verdict = Verdict()
    git = GitHistory(repo)
    auditor = Auditor(repo)
    for old, new, ref in updates:
        if ref.startswith("refs/tags/closed/"):
            name = ref.removeprefix("refs/tags/")
            if not is_null(old):
                verdict.rejected.append(f"{ref}: closed tags never move or disappear (was {old[:8]})")
            else:
                target = git.resolve(new)
                found = auditor.check_closed_tag(name, target) if target else []
                verdict.problems += found
                verdict.rejected += [f"{ref}: {p.message}" for p in found]
            continue
        if not ref.startswith("refs/heads/"):
            continue
        if is_null(new):
            if ref == _default_branch(repo):
                verdict.rejected.append(f"{ref}: the default branch is never deleted (its history is the audit trail)")
            continue
        if is_null(old):
            revs = [new, "--not", "--all"]
        elif not git.is_ancestor(old, new):
            verdict.rejected.append(
                f"{ref}: history rewrite refused: {old[:8]} is not an ancestor of {new[:8]} "
                "(a forced push replaces commits others have; push new commits on top instead)"
            )
            continue
        else:
            revs = [f"{old}..{new}"]
        result = auditor.run(revs)
        for problem in result.problems:
            commit = result.details.get(problem.commit or "")
            where = " ".join(x for x in (problem.location(), problem.entry) if x)
            who = f" “{commit.subject}” by {commit.author}" if commit else ""
            verdict.rejected.append(
                f"{ref}: commit {(problem.commit or '')[:8]}{who}: {where}: {problem.message} [{problem.code}]"
            )
        verdict.problems += result.problems
        # A letter template is code that runs at every colleague's `remind`: the pushed one must pass `check`'s rule.
        found = [
            p
            for path, blob in git.tree_blobs(new, TEMPLATES_DIR).items()
            for p in template_problems(path, git.blob(blob) or b"")
        ]
        verdict.rejected += [f"{ref}: {new[:8]}: {p.location()}: {p.message} [{p.code}]" for p in found]
        verdict.problems += found
    return verdict
