"""The only code that talks to git.

Commands go through GitPython's ``Git.execute`` with argument lists (no shell)
and ``--`` before every path, so a user-supplied name can never become an
option. GitPython's ``Repo`` object and index API are avoided: they cost far
more per call than the git binary itself.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, cast

from ..core.errors import EnvironmentProblem, UsageError


def _git_module() -> Any:
    import git  # deferred: importing GitPython costs ~60 ms

    return git


class GitRepo:
    def __init__(self, root: Path):
        self.root = root
        self._git = _git_module().cmd.Git(str(root))

    # --- plumbing -------------------------------------------------------------

    def run(self, *args: str, env: Mapping[str, str] | None = None, check: bool = True, strip: bool = True) -> str:
        git = _git_module()
        full_env = {**os.environ, **env} if env else None
        try:
            # GitPython is imported lazily (startup time), so its types are not seen here.
            return cast(
                str,
                self._git.execute(["git", *args], env=full_env, strip_newline_in_stdout=strip, with_exceptions=True),
            )
        except git.exc.GitCommandError as exc:
            if not check:
                return ""
            stderr = (exc.stderr or "").strip().removeprefix("stderr:").strip().strip("'").strip()
            raise EnvironmentProblem(
                f"git {args[0]} failed: {stderr or exc}", hint="fix the git problem and run the command again"
            ) from None
        except git.exc.GitCommandNotFound:
            raise EnvironmentProblem("git is not installed or not on PATH") from None

    def run_bytes(self, *args: str) -> bytes | None:
        git = _git_module()
        try:
            return cast(bytes, self._git.execute(["git", *args], stdout_as_string=False, strip_newline_in_stdout=False))
        except git.exc.GitCommandError:
            return None

    def run_status(self, *args: str, env: Mapping[str, str] | None = None, stdin: Any = None) -> tuple[int, str, str]:
        """(exit status, stdout, stderr) of a git command whose failure is an answer, not an error."""
        git = _git_module()
        full_env = {**os.environ, **env} if env else None
        try:
            status, out, err = self._git.execute(
                ["git", *args],
                env=full_env,
                istream=stdin,
                with_extended_output=True,
                with_exceptions=False,
                strip_newline_in_stdout=False,
            )
        except git.exc.GitCommandNotFound:
            raise EnvironmentProblem("git is not installed or not on PATH") from None
        return int(status), out or "", err or ""

    def read_object(self, ref: str) -> tuple[str, bytes] | None:
        """(type, bytes) of an object (an id, or COMMIT:PATH) through one long-lived `git cat-file --batch`."""
        try:
            _, kind, _, data = self._git.get_object_data(ref)
        except ValueError:  # "<ref> missing"
            return None
        return (kind.decode() if isinstance(kind, bytes) else kind), data

    @property
    def git_dir(self) -> Path:
        return self.root / ".git"

    # --- state checks -----------------------------------------------------------

    def ensure_repository(self) -> None:
        if not self.git_dir.exists():
            raise EnvironmentProblem(
                f"{self.root} is not a git repository",
                hint="run `ledgerctl init` there, or `git init` if the books already exist",
            )

    def ensure_ready_to_commit(self, *, under_books_lock: bool = False) -> str | None:
        """Refuse early, with what to do, when git could not commit; returns a note of a stale lock removed.

        Only under the books lock (no other ledgerctl run is committing) may a stale index.lock go.
        """
        from .indexlock import is_stale

        self.ensure_repository()
        note = None
        # A git killed in `git commit` leaves the index's lock, or HEAD's or the branch's while it moves them.
        for lock in self._commit_locks():
            name = lock.relative_to(self.git_dir).as_posix()
            if lock.exists() and under_books_lock and is_stale(lock, self.root):
                lock.unlink(missing_ok=True)
                note = (
                    f"removed a stale .git/{name} (older than this command, and no git process is running "
                    "in these books): a git killed mid-commit had left it"
                )
            if lock.exists():
                raise EnvironmentProblem(
                    f"git's {'index' if name == 'index.lock' else 'HEAD'} is locked (.git/{name} exists)",
                    hint=f"if no other git command is running, a crashed one left it behind: remove .git/{name}",
                )
        for marker, what in (
            ("rebase-merge", "a rebase"),
            ("rebase-apply", "a rebase"),
            ("MERGE_HEAD", "a merge"),
            ("CHERRY_PICK_HEAD", "a cherry-pick"),
        ):
            if (self.git_dir / marker).exists():
                raise EnvironmentProblem(
                    f"{what} is in progress in {self.root}",
                    hint="finish it (git rebase --continue / git commit) or abort it before changing the books",
                )
        self.identity()
        return note

    def _commit_locks(self) -> list[Path]:
        locks = [self.git_dir / "index.lock", self.git_dir / "HEAD.lock"]
        head = self.git_dir / "HEAD"
        try:
            ref = head.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError):
            return locks
        if ref.startswith("ref: refs/heads/") and ".." not in ref.split("/"):  # never a path outside .git
            locks.append(self.git_dir / f"{ref[5:]}.lock")
        return locks

    def identity(self) -> str:
        """Author 'Name <email>' or exit 3 when git has none configured."""
        ident = self.run("var", "GIT_AUTHOR_IDENT", check=False)
        if not ident:
            raise EnvironmentProblem(
                "git does not know who you are, and every change is signed with your name",
                hint='run: git config --global user.name "Your Name" && git config --global user.email you@example.com',
            )
        return ident.rsplit(" ", 2)[0]

    def has_head(self) -> bool:
        return bool(self.run("rev-parse", "-q", "--verify", "HEAD", check=False))

    def head(self) -> str | None:
        return self.run("rev-parse", "-q", "--verify", "HEAD", check=False) or None

    # --- content -------------------------------------------------------------------

    def show_head(self, relpath: str) -> bytes | None:
        """The file's bytes in HEAD, or None when it is not there."""
        return self.run_bytes("cat-file", "blob", f"HEAD:{relpath}")

    def changed_paths(self, *pathspecs: str) -> dict[str, str]:
        """Paths whose working tree or index differ from HEAD: path -> two-letter status."""
        out = self.run("status", "--porcelain=v1", "-z", "--untracked-files=all", "--", *pathspecs, strip=False)
        result: dict[str, str] = {}
        records = out.split("\0")
        index = 0
        while index < len(records):
            record = records[index]
            index += 1
            if len(record) < 4:
                continue
            status, path = record[:2], record[3:]
            if status[0] in "RC":  # renames carry the old path in the next record
                index += 1
            result[path] = status
        return result

    def files_containing(self, needles: Sequence[str], pathspec: str) -> list[str] | None:
        """Work-tree files (tracked or not, unless ignored) whose text contains any needle; None if git failed."""
        if not needles:
            return []
        args = ["git", "grep", "-l", "-z", "-F", "--untracked"]
        for needle in needles:
            args += ["-e", needle]
        status, out, _ = self._git.execute([*args, "--", pathspec], with_extended_output=True, with_exceptions=False)
        if status not in (0, 1):  # 1: nothing found
            return None
        return [path for path in out.split("\0") if path]

    # --- writing -----------------------------------------------------------------

    def stage(self, paths: Sequence[str]) -> None:
        present = [p for p in paths if (self.root / p).exists()]
        gone = [p for p in paths if not (self.root / p).exists()]
        if present:
            self.run("add", "-A", "--", *present)
        if (
            gone
        ):  # removed by hand or already by `git rm`: stage the removal, which `git add` of a vanished path refuses
            self.run("rm", "-q", "--cached", "--ignore-unmatch", "--", *gone)

    def commit(self, paths: Sequence[str], message: str, env: Mapping[str, str] | None = None) -> str:
        """Commit exactly ``paths`` (other staged changes stay staged) and return the new HEAD."""
        self.stage(paths)
        staged = {
            p for p in self.run("diff", "--cached", "--name-only", "--no-renames", "-z", strip=False).split("\0") if p
        }
        if staged <= set(paths):
            # Nothing else is staged, so a plain commit is the same commit; with a pathspec, git
            # writes a temporary index of every file (+0.05 s at 10,000 customers).
            self._commit_with_message(message, [], env)
        else:
            self._commit_with_message(message, ["--", *paths], env)
        return self.run("rev-parse", "HEAD")

    def _commit_with_message(self, message: str, tail: list[str], env: Mapping[str, str] | None) -> None:
        # Through a file, not -m: an import's trailers name every entry, and one argument may not exceed 128 KiB.
        fd, name = tempfile.mkstemp(dir=self.git_dir if self.git_dir.is_dir() else None, prefix="ledgerctl-msg-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(message)
            self.run("commit", "-q", "-F", name, *tail, env=env)
        finally:
            os.unlink(name)

    def has_tag(self, name: str) -> bool:
        return bool(self.run("rev-parse", "-q", "--verify", f"refs/tags/{name}", check=False))

    def tag(self, name: str, message: str, target: str | None = None) -> None:
        self.run("tag", "-a", "-m", message, "--", name, *([target] if target else []))


def init_repository(root: Path) -> GitRepo:
    repo = GitRepo(root)
    if not (root / ".git").exists():
        repo.run("init", "-q")
    return repo


REOPEN_TRAILER = "Ledger-Reopen-Reason"  # marks the one kind of commit that may move closed_through back


def commit_message(
    subject: str,
    customers: Sequence[str] = (),
    entries: Sequence[str] = (),
    body: str = "",
    reopen_reason: str | None = None,
) -> str:
    """SPEC 7: a subject that says what happened and machine-readable trailers."""
    if "\n" in subject:
        raise UsageError("a commit subject is one line")
    trailers = [f"Ledger-Customer: {c}" for c in customers] + [f"Ledger-Entry: {e}" for e in entries]
    if reopen_reason is not None:
        trailers.append(f"{REOPEN_TRAILER}: {' '.join(reopen_reason.split())}")  # one line: a trailer value
    parts = [subject]
    if body:
        parts.append(body.strip())
    if trailers:
        parts.append("\n".join(trailers))
    return "\n\n".join(parts) + "\n"
