"""The ledger merge driver's place in git: its registration, and git's own text merge as a fallback.

Git keeps merge drivers in the repository's config, which a clone does not copy:
`init` registers the driver, `doctor` (and `sync`) register it again in a fresh clone.
The command runs the interpreter that registered it (``sys.executable -m ledgerctl``),
so it works from a virtual environment that is not on PATH.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from .repo import GitRepo

DRIVER = "ledgerctl"
DRIVER_NAME = "ledgerctl: union of ledger entries by id, conflicts only for real disagreements"
ATTRIBUTE_LINE = "ledgers/*.yaml merge=ledgerctl"


def driver_command(python: str | None = None) -> str:
    """What git runs (through the shell) to merge one ledger file."""
    return f"{shlex.quote(python or sys.executable)} -m ledgerctl merge-driver %O %A %B %P"


def registered_driver(repo: GitRepo) -> str | None:
    status, out, _ = repo.run_status("config", "--local", "--get", f"merge.{DRIVER}.driver")
    return out.strip() if status == 0 and out.strip() else None


def register_driver(repo: GitRepo) -> tuple[bool, str | None]:
    """(changed, the previous command) after making sure this interpreter's driver is registered."""
    previous = registered_driver(repo)
    wanted = driver_command()
    if previous == wanted:
        return False, previous
    repo.run("config", "--local", f"merge.{DRIVER}.name", DRIVER_NAME)
    repo.run("config", "--local", f"merge.{DRIVER}.driver", wanted)
    return True, previous


def attribute_of(repo: GitRepo, relpath: str) -> str | None:
    """The ``merge`` attribute git applies to a path (from .gitattributes), e.g. 'ledgerctl'."""
    status, out, _ = repo.run_status("check-attr", "merge", "--", relpath)
    if status != 0 or ": merge: " not in out:
        return None
    value = out.strip().rsplit(": merge: ", 1)[1]
    return None if value in ("unspecified", "unset") else value


def merge_file_as_text(repo: GitRepo, ours: Path, base: Path, theirs: Path) -> int:
    """git's line-based three-way merge into ``ours``; the number of conflicts (negative: it failed)."""
    status, _, _ = repo.run_status(
        "merge-file", "-L", "ours", "-L", "base", "-L", "theirs", "--", str(ours), str(base), str(theirs)
    )
    return status if status < 128 else -1
