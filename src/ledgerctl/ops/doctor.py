"""`doctor`: make a clone ready for working together, and say what was fixed or still wrong.

Git config does not travel with a clone, so a fresh clone lacks the merge driver
(git would then merge ledgers line by line); `doctor` registers it. The rest it
only reports: attributes and ignore rules live in committed files, identity and
remotes are the user's to choose.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core.errors import EnvironmentProblem
from ..gitops import hooks
from ..gitops.merge import ATTRIBUTE_LINE, DRIVER, attribute_of, register_driver
from ..gitops.repo import GitRepo
from ..store.books import CONFIG_NAME, LEDGER_DIR, STATE_DIR, Books
from .verify import Auditor


@dataclass
class Finding:
    status: str  # "ok" | "fixed" | "problem" | "note"
    message: str
    hint: str | None = None


@dataclass
class DoctorReport:
    findings: list[Finding] = field(default_factory=list)

    def add(self, status: str, message: str, hint: str | None = None) -> None:
        self.findings.append(Finding(status, message, hint))

    @property
    def ok(self) -> bool:
        return all(f.status != "problem" for f in self.findings)


def doctor(books: Books) -> DoctorReport:
    report = DoctorReport()
    repo = GitRepo(books.root)
    repo.ensure_repository()
    changed, previous = register_driver(repo)
    if not changed:
        report.add("ok", "the ledger merge driver is registered")
    elif previous is None:
        report.add("fixed", "registered the ledger merge driver in this clone's git config (git config is not cloned)")
    else:
        report.add("fixed", f"updated the merge driver command (it was: {previous})")
    if attribute_of(repo, f"{LEDGER_DIR}/example.yaml") == DRIVER:
        report.add("ok", "ledger files use the merge driver (.gitattributes)")
    else:
        report.add(
            "problem",
            "ledger files are not merged with the ledger merge driver",
            hint=f"add the line `{ATTRIBUTE_LINE}` to .gitattributes and commit it",
        )
    status, _, _ = repo.run_status("check-ignore", "-q", f"{STATE_DIR}/lock")
    if status == 0:
        report.add("ok", f"{STATE_DIR}/ (local lock and cache) is ignored by git")
    else:
        report.add(
            "problem",
            f"{STATE_DIR}/ is not ignored: its lock and cache could be committed",
            hint=f"add the line `{STATE_DIR}/` to .gitignore and commit it",
        )
    status, _, _ = repo.run_status("check-ignore", "-q", "--no-index", f"{LEDGER_DIR}/.example.yaml.k3j9xa2b.tmp")
    if status == 0:
        report.add("ok", "temp files of interrupted writes (.*.tmp) are ignored by git")
    else:
        report.add(
            "problem",
            "temp files of interrupted writes (.*.tmp) are not ignored: they could be committed",
            hint="add the line `.*.tmp` to .gitignore and commit it",
        )
    try:
        report.add("ok", f"git identity: {repo.identity()}")
    except EnvironmentProblem:
        report.add(
            "problem",
            "git has no identity, and every change is signed with one",
            hint='git config --global user.name "Your Name" && git config --global user.email you@example.com',
        )
    if hooks.installed(repo, "pre-commit"):
        report.add("ok", "the pre-commit hook runs `ledgerctl check`")
    else:
        report.add(
            "note",
            "no ledgerctl pre-commit hook",
            hint="`ledgerctl hooks install` checks the books before every commit",
        )
    _closed_marks(repo, report)
    status, out, _ = repo.run_status("rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}")
    if status == 0 and out.strip():
        report.add("ok", f"syncs with {out.strip()}")
    else:
        report.add(
            "note",
            "this branch has no upstream, so `ledgerctl sync` has nothing to sync with",
            hint="git push -u origin main (once the shared remote exists)",
        )
    return report


def _closed_marks(repo: GitRepo, report: DoctorReport) -> None:
    if not repo.has_head():
        return
    auditor = Auditor(repo)
    closed = auditor.closed(auditor.git.blob(f"HEAD:{CONFIG_NAME}"))
    found = auditor.closed_marks("HEAD")
    for problem in found:
        hint = (
            "`ledgerctl sync` fetches the remote's tags; if the close was interrupted, tag its commit (see "
            f"`git log -- {CONFIG_NAME}`): git tag -a -m 'books closed through {closed}' closed/{closed} COMMIT"
            if problem.code == "closed-tag-missing"
            else "closed_through was moved back outside `ledgerctl close --reopen`: `ledgerctl verify` names the commit"
        )
        report.add("problem", problem.message, hint=hint)
    if not found and closed is not None:
        report.add("ok", f"closed through {closed}, and the closed/* tags agree")
