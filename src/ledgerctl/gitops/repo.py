"""The only code that talks to git.

Commands run the git binary with argument lists (no shell) and ``--`` before every path, so
a user-supplied name can never become an option. Plain ``subprocess``: GitPython cost ~60 ms
to import and two `git version` runs before the first command, on every writing command.
"""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from ..core.errors import EnvironmentProblem, UsageError
from .headstate import head_commit

# git's messages are parsed and quoted to the user in English, whatever the user's locale.
_LOCALE = {"LANGUAGE": "C", "LC_ALL": "C"}


class GitRepo:
    def __init__(self, root: Path):
        self.root = root
        self._batch: subprocess.Popen[bytes] | None = None  # `git cat-file --batch`, started on first use

    # --- plumbing -------------------------------------------------------------

    def _exec(
        self, args: Sequence[str], env: Mapping[str, str] | None = None, stdin: Any = None, input: bytes | None = None
    ) -> tuple[int, bytes, bytes]:
        try:
            done = subprocess.run(
                ["git", *args],
                cwd=self.root,
                env={**os.environ, **_LOCALE, **(env or {})},
                stdin=subprocess.DEVNULL if stdin is None and input is None else stdin,
                input=input,
                capture_output=True,
                check=False,
            )
        except FileNotFoundError:
            raise EnvironmentProblem("git is not installed or not on PATH") from None
        return done.returncode, done.stdout, done.stderr

    def run(self, *args: str, env: Mapping[str, str] | None = None, check: bool = True, strip: bool = True) -> str:
        status, out, err = self._exec(args, env)
        if status != 0:
            if not check:
                return ""
            message = _text(err).strip()
            raise EnvironmentProblem(
                f"git {args[0]} failed: {message or f'exit status {status}'}",
                hint="fix the git problem and run the command again",
            )
        text = _text(out)
        return text[:-1] if strip and text.endswith("\n") else text

    def run_bytes(self, *args: str) -> bytes | None:
        status, out, _ = self._exec(args)
        return out if status == 0 else None

    def run_status(self, *args: str, env: Mapping[str, str] | None = None, stdin: Any = None) -> tuple[int, str, str]:
        """(exit status, stdout, stderr) of a git command whose failure is an answer, not an error."""
        status, out, err = self._exec(args, env, stdin)
        message = _text(err)
        return status, _text(out), message[:-1] if message.endswith("\n") else message

    def read_object(self, ref: str) -> tuple[str, bytes] | None:
        """(type, bytes) of an object (an id, or COMMIT:PATH) through one long-lived `git cat-file --batch`."""
        if "\n" in ref:
            return None  # one request per line: no object is named with a newline
        batch = self._cat_file()
        assert batch.stdin is not None and batch.stdout is not None
        batch.stdin.write(ref.encode("utf-8", "surrogateescape") + b"\n")
        batch.stdin.flush()
        header = batch.stdout.readline()
        if not header:
            self.close()
            raise EnvironmentProblem("git cat-file stopped answering")
        parts = header.split()
        if len(parts) != 3 or not parts[2].isdigit():  # "<ref> missing", "<ref> ambiguous"
            return None
        data = _read_exactly(batch.stdout, int(parts[2]) + 1)[:-1]  # the object, then a newline
        return parts[1].decode(), data

    def _cat_file(self) -> subprocess.Popen[bytes]:
        if self._batch is None or self._batch.poll() is not None:
            try:
                self._batch = subprocess.Popen(
                    ["git", "cat-file", "--batch"],
                    cwd=self.root,
                    env={**os.environ, **_LOCALE},
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                )
            except FileNotFoundError:
                raise EnvironmentProblem("git is not installed or not on PATH") from None
        return self._batch

    def close(self) -> None:
        """End the `git cat-file --batch` helper (it also ends by itself when this process does)."""
        batch, self._batch = self._batch, None
        if batch is None:
            return
        for stream in (batch.stdin, batch.stdout):
            try:
                if stream is not None:
                    stream.close()
            except OSError:
                pass
        try:
            batch.wait(timeout=5)
        except subprocess.TimeoutExpired:  # pragma: no cover - it exits on end of input
            batch.kill()
            batch.wait()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # noqa: S110 - at interpreter exit the subprocess module may be gone
            pass

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

    def staged_paths(self) -> set[str] | None:
        """Paths whose version in git's index differs from HEAD's: what a plain `git commit` would commit.

        `git diff-index --cached` compares through the index's cached tree ids, so it costs about the same
        on 10 ledgers as on 10,000 (`git status` stats every file). None without a commit yet.
        """
        status, out, _ = self.run_status("diff-index", "--cached", "--name-only", "--no-renames", "-z", "HEAD")
        return {p for p in out.split("\0") if p} if status == 0 else None

    def index_holds(self, relpath: str, data: bytes) -> bool:
        """Whether git's index holds exactly ``data`` for ``relpath``, with the file's mode as it is now.

        One `git ls-files` of that path and a hash of its bytes, against `git status` over the books. False
        means only "not shown": a file git keeps converted (line endings, filters), in conflict, untracked.
        """
        status, out, _ = self.run_status("--literal-pathspecs", "ls-files", "-s", "-z", "--", relpath)
        records = [r for r in out.split("\0") if r]
        if status != 0 or len(records) != 1:
            return False
        meta, _, path = records[0].partition("\t")
        fields = meta.split(" ")
        if path != relpath or len(fields) != 3 or fields[2] != "0":
            return False
        mode, oid, _ = fields
        try:
            st = os.lstat(self.root / relpath)
        except OSError:
            return False
        now = "120000" if stat.S_ISLNK(st.st_mode) else "100755" if st.st_mode & 0o100 else "100644"
        return mode == now and oid == object_id(data, len(oid))

    def files_containing(self, needles: Sequence[str], pathspec: str) -> list[str] | None:
        """Work-tree files (tracked or not, unless ignored) whose text contains any needle; None if git failed."""
        if not needles:
            return []
        args = ["grep", "-l", "-z", "-F", "--untracked"]
        for needle in needles:
            args += ["-e", needle]
        status, out, _ = self.run_status(*args, "--", pathspec)
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

    def commit(
        self, paths: Sequence[str], message: str, env: Mapping[str, str] | None = None, *, tracked: bool = False
    ) -> str:
        """Commit exactly ``paths`` (other staged changes stay staged) and return the new HEAD.

        ``tracked``: the caller knows git's index holds every one of ``paths`` (it checked them with
        :meth:`index_holds`), so `git commit` can stage them itself: one `git diff-index` and the commit,
        instead of `git add`, `git diff --cached`, the commit and `git rev-parse`.
        """
        if tracked:
            staged = self.staged_paths()  # just before the commit: what the index holds besides ours
            if staged is not None:
                # -i stages ``paths`` and commits the whole index, which is then HEAD plus ``paths``. With
                # anything else staged, --only commits HEAD plus ``paths`` from a temporary index and leaves
                # the rest staged: the same commit, but git builds that index from HEAD's tree, which costs
                # +15 ms at 10,000 customers. The hooks run either way, as for any `git commit`.
                self._commit_with_message(message, ["-i" if staged <= set(paths) else "--only", "--", *paths], env)
                return self._head_after_commit()
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
        return self._head_after_commit()

    def _head_after_commit(self) -> str:
        return head_commit(self.root) or self.run("rev-parse", "HEAD")  # read from .git's files: no process

    def _commit_with_message(self, message: str, tail: list[str], env: Mapping[str, str] | None) -> None:
        # On stdin, not -m: an import's trailers name every entry, and one argument may not exceed 128 KiB.
        status, _, err = self._exec(["commit", "-q", "-F", "-", *tail], env, input=message.encode("utf-8"))
        if status != 0:
            raise EnvironmentProblem(
                f"git commit failed: {_text(err).strip() or f'exit status {status}'}",
                hint="fix the git problem and run the command again",
            )

    def has_tag(self, name: str) -> bool:
        return bool(self.run("rev-parse", "-q", "--verify", f"refs/tags/{name}", check=False))

    def tag(self, name: str, message: str, target: str | None = None) -> None:
        self.run("tag", "-a", "-m", message, "--", name, *([target] if target else []))


def object_id(data: bytes, length: int = 40) -> str:
    """git's id of ``data`` as a blob (`git hash-object`): SHA-1, or SHA-256 in a repository that uses it."""
    digest = hashlib.sha1(usedforsecurity=False) if length == 40 else hashlib.sha256()
    digest.update(b"blob %d\0" % len(data))
    digest.update(data)
    return digest.hexdigest()


def _text(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def _read_exactly(stream: IO[bytes], size: int) -> bytes:
    chunks, left = [], size
    while left > 0:
        chunk = stream.read(left)
        if not chunk:
            raise EnvironmentProblem("git cat-file stopped answering")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


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
