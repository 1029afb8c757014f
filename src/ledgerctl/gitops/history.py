"""Reading history from git: commits, which files each changed, and their blobs.

Built for long histories: one ``git log`` (or one ``git diff-tree --stdin``)
lists every commit with the blob ids of the files it changed, and one long-lived
``git cat-file --batch`` process serves the blobs. Nothing here parses YAML.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..core.errors import UsageError
from .repo import REOPEN_TRAILER, GitRepo

_NULL = re.compile(r"^0+$")
_FIELDS = ("%H", "%P", "%an", "%ae", "%aI", "%s", f"%(trailers:key={REOPEN_TRAILER},valueonly,separator=%x20)")


def is_null(sha: str | None) -> bool:
    return sha is None or bool(_NULL.match(sha))


@dataclass(frozen=True)
class FileDiff:
    """One path a commit changed: its blob in each parent (None: absent) and in the commit."""

    path: str
    old: tuple[str | None, ...]
    new: str | None


@dataclass
class LogCommit:
    sha: str
    parents: tuple[str, ...]
    author: str
    email: str
    time: str  # ISO 8601 with the author's offset
    subject: str
    signature: str | None = None  # %G? when asked for
    files: list[FileDiff] = field(default_factory=list)
    reopen_reason: str = ""  # the Ledger-Reopen-Reason trailer of a `close --reopen` commit

    @property
    def short(self) -> str:
        return self.sha[:8]


def _parse_raw(line: str) -> FileDiff | None:
    meta, sep, path = line.partition("\t")
    if not sep or not meta.startswith(":"):
        return None
    parents = len(meta) - len(meta.lstrip(":"))
    parts = meta.lstrip(":").split()
    shas = parts[parents + 1 : 2 * parents + 2]
    if len(shas) != parents + 1:
        return None
    old = tuple(None if is_null(s) else s for s in shas[:parents])
    new = None if is_null(shas[parents]) else shas[parents]
    return FileDiff(path, old, new)


class GitHistory:
    def __init__(self, repo: GitRepo):
        self.repo = repo

    # --- commits ----------------------------------------------------------------------

    def _log(self, args: Sequence[str], signatures: bool) -> list[LogCommit]:
        fmt = "%x01" + "%x00".join(_FIELDS + (("%G?",) if signatures else ()))
        status, out, err = self.repo.run_status("log", f"--format={fmt}", *args)
        if status != 0:
            raise UsageError(
                f"git log failed: {err.strip() or 'unknown revision'}",
                hint="name commits as git does, e.g. --range origin/main..HEAD",
            )
        commits: list[LogCommit] = []
        for record in out.split("\x01")[1:]:
            head, _, rest = record.partition("\n")
            values = head.split("\x00")
            commit = LogCommit(
                values[0],
                tuple(values[1].split()),
                values[2],
                values[3],
                values[4],
                values[5],
                values[7] if signatures and len(values) > 7 else None,
                reopen_reason=values[6].strip() if len(values) > 6 else "",
            )
            for line in rest.splitlines():
                diff = _parse_raw(line)
                if diff is not None:
                    commit.files.append(diff)
            commits.append(commit)
        return commits

    def file_log(self, pathspecs: Sequence[str], rev: str = "HEAD") -> list[LogCommit]:
        """Commits that changed these paths, oldest first, each with its changed files.

        Merges list a file only where the merge differs from every parent (what the merge itself did).
        """
        return self._log(
            [
                "--full-history",
                "--topo-order",
                "--reverse",
                "--root",
                "-c",
                "--raw",
                "--no-abbrev",
                "--no-renames",
                rev,
                "--",
                *pathspecs,
            ],
            signatures=False,
        )

    def commits(self, revs: Sequence[str], *, signatures: bool = False) -> list[LogCommit]:
        """Every commit of the range, parents before children (no file lists)."""
        return self._log(["--topo-order", "--reverse", *revs, "--"], signatures=signatures)

    def diff_pairs(self, pairs: Sequence[tuple[str, str | None]], pathspecs: Sequence[str]) -> list[list[FileDiff]]:
        """For each (commit, parent or None for a root commit): the files in ``pathspecs`` that differ."""
        if not pairs:
            return []
        lines = "".join(f"{commit} {parent}\n" if parent else f"{commit}\n" for commit, parent in pairs)
        with tempfile.TemporaryFile() as stdin:
            stdin.write(lines.encode())
            stdin.seek(0)
            status, out, err = self.repo.run_status(
                "diff-tree",
                "--stdin",
                "--always",
                "--root",
                "-r",
                "--raw",
                "--no-abbrev",
                "--no-renames",
                "--format=>%H",
                "--",
                *pathspecs,
                stdin=stdin,
            )
        if status != 0:
            raise UsageError(f"git diff-tree failed: {err.strip()}")
        blocks: list[list[FileDiff]] = []
        for line in out.splitlines():
            if line.startswith(">"):
                blocks.append([])
            elif blocks:
                diff = _parse_raw(line)
                if diff is not None:
                    blocks[-1].append(diff)
        if len(blocks) != len(pairs):  # pragma: no cover - git answers every input line
            raise UsageError("git diff-tree answered an unexpected number of commits")
        return blocks

    # --- objects ------------------------------------------------------------------------

    def blob(self, ref: str) -> bytes | None:
        """An object's bytes (a blob id, or COMMIT:PATH); None when it does not exist."""
        found = self.repo.read_object(ref)
        return found[1] if found is not None and found[0] == "blob" else None

    def resolve(self, rev: str) -> str | None:
        status, out, _ = self.repo.run_status("rev-parse", "-q", "--verify", "--end-of-options", f"{rev}^{{commit}}")
        return out.strip() if status == 0 and out.strip() else None

    def is_ancestor(self, ancestor: str, descendant: str) -> bool:
        status, _, _ = self.repo.run_status("merge-base", "--is-ancestor", ancestor, descendant)
        return status == 0

    def grep_files(self, rev: str, needles: Sequence[str], pathspec: str) -> list[str]:
        """Paths at ``rev`` whose text contains any of ``needles`` (fixed strings)."""
        if not needles:
            return []
        with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8") as patterns:
            patterns.write("\n".join(needles) + "\n")
            patterns.flush()
            status, out, _ = self.repo.run_status("grep", "-l", "-F", "-f", patterns.name, rev, "--", pathspec)
        if status not in (0, 1):
            return []
        prefix = f"{rev}:"
        return sorted(line[len(prefix) :] if line.startswith(prefix) else line for line in out.splitlines() if line)

    def tags(self, prefix: str) -> list[tuple[str, str]]:
        """(tag name without refs/tags/, commit it points to) for tags under ``prefix``."""
        status, out, _ = self.repo.run_status(
            "for-each-ref", "--format=%(refname)%00%(objectname)%00%(*objectname)", f"refs/tags/{prefix}"
        )
        found = []
        for line in out.splitlines() if status == 0 else []:
            name, obj, peeled = (line.split("\x00") + ["", ""])[:3]
            found.append((name.removeprefix("refs/tags/"), peeled or obj))
        return found

    def reopens(self, rev: str) -> list[str]:
        """Commits in the history of ``rev`` that carry a Ledger-Reopen-Reason trailer (`close --reopen`)."""
        status, out, _ = self.repo.run_status(
            "log",
            "-F",
            f"--grep={REOPEN_TRAILER}:",
            f"--format=%H%x00%(trailers:key={REOPEN_TRAILER},valueonly)",
            rev,
            "--",
        )
        found = []
        for line in out.splitlines() if status == 0 else []:
            sha, _, reason = line.partition("\x00")
            if reason.strip():
                found.append(sha)
        return found

    def renames(self, rev: str, trailer: str) -> list[tuple[str, str, str]]:
        """(commit, old id, new id) of every `customer rename` in the history of ``rev``, newest first."""
        status, out, _ = self.repo.run_status(
            "log",
            "-F",
            f"--grep={trailer}:",
            f"--format=%H%x00%(trailers:key={trailer},valueonly,separator=%x00)",
            rev,
            "--",
        )
        found = []
        for line in out.splitlines() if status == 0 else []:
            sha, _, value = line.partition("\x00")
            parts = value.split()
            if len(parts) == 2:
                found.append((sha, parts[0], parts[1]))
        return found

    def last_change(self, rev: str, regex: str, path: str) -> str | None:
        """The latest commit in the history of ``rev`` whose diff of ``path`` adds or removes a line matching ``regex``."""
        status, out, _ = self.repo.run_status("log", "-1", "--format=%H", f"-G{regex}", rev, "--", path)
        return out.strip() or None if status == 0 else None

    def tree_blobs(self, rev: str, folder: str) -> dict[str, str]:
        """path -> blob id of every file under ``folder`` at ``rev`` (names only, nothing read)."""
        status, out, _ = self.repo.run_status("ls-tree", "-r", "-z", "--full-tree", rev, "--", folder)
        found = {}
        for record in out.split("\0") if status == 0 else []:
            meta, _, path = record.partition("\t")
            parts = meta.split()
            if len(parts) == 3 and parts[1] == "blob":
                found[path] = parts[2]
        return found
