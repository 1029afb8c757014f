"""When a `.git/index.lock` is stale: a git killed mid-commit left it, and nothing will ever remove it.

Only a caller that holds the books lock asks (no other ledgerctl run is committing). The lock
is stale when it is older than this process and no live git process works in this repository.
Where that cannot be known (no /proc, a process that cannot be inspected), it is not stale.
"""

from __future__ import annotations

import os
from pathlib import Path

_PROC = Path("/proc")


def process_start() -> float | None:
    """When this process started (epoch seconds, rounded down to the second), or None without /proc."""
    try:
        fields = (_PROC / "self" / "stat").read_text().rsplit(")", 1)[1].split()
        ticks = int(fields[19])  # field 22 of proc(5), counted after "pid (comm)"
        boot = next(
            int(line.split()[1]) for line in (_PROC / "stat").read_text().splitlines() if line.startswith("btime ")
        )
        return boot + ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, StopIteration):
        return None


def _git_works_here(pid: str, root: Path, own_pid: int) -> bool:
    """Whether process ``pid`` is a git working in ``root``; True when it is a git that cannot be inspected."""
    base = _PROC / pid
    try:
        argv = [arg.decode(errors="replace") for arg in (base / "cmdline").read_bytes().split(b"\0") if arg]
        parent = (base / "stat").read_text().rsplit(")", 1)[1].split()[1]
    except (OSError, IndexError):
        return False  # gone, or not a process we can see at all
    if not argv or not os.path.basename(argv[0]).startswith("git") or os.path.basename(argv[0]).startswith("gitk"):
        return False
    if parent == str(own_pid):
        return False  # this process's own helpers (e.g. `git cat-file --batch`) never hold the index lock
    here = str(root)
    if any(arg == here or arg.startswith(here + os.sep) for arg in argv[1:]):
        return True  # git -C ROOT, --git-dir=ROOT/.git, ...
    try:
        cwd = Path(os.readlink(base / "cwd"))
        environ = (base / "environ").read_bytes().split(b"\0")
    except OSError:
        return True
    if cwd == root or root in cwd.parents:
        return True
    return any(
        var.startswith((b"GIT_DIR=", b"GIT_WORK_TREE=", b"GIT_INDEX_FILE=")) and here.encode() in var for var in environ
    )


def is_stale(lock: Path, root: Path) -> bool:
    started = process_start()
    if started is None or not _PROC.is_dir():
        return False
    try:
        if lock.stat().st_mtime >= started:
            return False
        pids = [name for name in os.listdir(_PROC) if name.isdigit() and name != str(os.getpid())]
    except OSError:
        return False
    resolved = root.resolve()
    return not any(_git_works_here(pid, resolved, os.getpid()) for pid in pids)
