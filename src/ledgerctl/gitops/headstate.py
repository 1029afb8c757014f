"""What the last commit holds, cheaply enough to ask on every report.

Reports run this on every call, so it avoids GitPython (~60 ms to import) and,
on the common path, any process at all: HEAD's commit id is read from the files
under ``.git`` (a loose ref or ``packed-refs``). Anything unusual (a worktree's
``.git`` file, a symbolic ref chain) falls back to one ``git rev-parse``. The
blob ids of the committed ledgers cost one ``git ls-tree``, which the caller
keeps per commit id.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

_OID = re.compile(r"^[0-9a-f]{40}([0-9a-f]{24})?$")


def head_commit(root: Path) -> str | None:
    """HEAD's commit id, or None when there is no repository or no commit yet."""
    git_dir = root / ".git"
    try:
        if git_dir.is_dir():
            head = (git_dir / "HEAD").read_text(encoding="ascii").strip()
            if _OID.match(head):
                return head  # detached
            if head.startswith("ref: refs/"):
                found = _read_ref(git_dir, head[5:])
                if found is not None:
                    return found or None  # "": an unborn branch, no commit yet
    except (OSError, UnicodeDecodeError):
        pass
    out = _git(root, "rev-parse", "-q", "--verify", "HEAD^{commit}")
    return out.decode().strip() if out and _OID.match(out.decode().strip()) else None


def _read_ref(git_dir: Path, ref: str) -> str | None:
    """The id a ref names; "" when it does not exist; None when it is not a plain id (let git decide)."""
    try:
        value = (git_dir / ref).read_text(encoding="ascii").strip()
        return value if _OID.match(value) else None
    except FileNotFoundError:
        pass
    try:
        packed = (git_dir / "packed-refs").read_text(encoding="ascii")
    except FileNotFoundError:
        return ""
    for line in packed.splitlines():
        oid, _, name = line.partition(" ")
        if name == ref and _OID.match(oid):
            return oid
    return ""


def committed_blobs(root: Path, commit: str, folder: str) -> dict[str, str] | None:
    """path -> blob id of every file under ``folder`` in ``commit`` (one `git ls-tree`), or None if git fails."""
    out = _git(root, "ls-tree", "-r", "-z", commit, "--", folder)  # paths relative to the books folder
    if out is None:
        return None
    found = {}
    for record in out.decode("utf-8", "surrogateescape").split("\0"):
        meta, _, path = record.partition("\t")
        parts = meta.split()
        if len(parts) == 3 and parts[1] == "blob":
            found[path] = parts[2]
    return found


def read_blob(root: Path, blob: str) -> bytes | None:
    return _git(root, "cat-file", "blob", blob)


def _git(root: Path, *args: str) -> bytes | None:
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, check=False)
    except OSError:
        return None  # no git: nothing to compare with
    return done.stdout if done.returncode == 0 else None
