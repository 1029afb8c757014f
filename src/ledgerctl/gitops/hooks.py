"""Installing git hooks: where git looks for them, and writing one without clobbering another."""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

from ..core.errors import UsageError
from .repo import GitRepo

MARK = "installed by ledgerctl"
TEMPLATES = Path(__file__).resolve().parent.parent / "hooks"


def template(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


def render(name: str, python: str | None = None) -> str:
    """The shipped hook with this interpreter filled in (so a venv off PATH works)."""
    return template(name).replace("@PYTHON@", shlex.quote(python or sys.executable))


def hooks_dir(repo: GitRepo) -> Path:
    """The folder git runs hooks from (honours core.hooksPath); works in bare repositories."""
    status, out, _ = repo.run_status("rev-parse", "--git-path", "hooks")
    if status != 0 or not out.strip():
        raise UsageError(f"{repo.root} is not a git repository")
    path = Path(out.strip())
    return path if path.is_absolute() else (repo.root / path)


def is_bare(repo: GitRepo) -> bool:
    status, out, _ = repo.run_status("rev-parse", "--is-bare-repository")
    if status != 0:
        raise UsageError(f"{repo.root} is not a git repository")
    return out.strip() == "true"


def install(repo: GitRepo, name: str, *, force: bool) -> tuple[Path, str]:
    """Write hook ``name``; (its path, 'installed' | 'updated' | 'replaced')."""
    folder = hooks_dir(repo)
    path = folder / name
    how = "installed"
    if path.exists():
        current = path.read_text(encoding="utf-8", errors="replace")
        if MARK in current:
            how = "updated"
        elif not force:
            raise UsageError(
                f"{path} already exists and was not installed by ledgerctl; it was left as it is",
                hint="call ledgerctl from your hook yourself, or replace it with --force",
            )
        else:
            how = "replaced"
    folder.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{name}.ledgerctl-tmp")
    tmp.write_text(render(name), encoding="utf-8")
    os.chmod(tmp, 0o755)
    os.replace(tmp, path)
    return path, how


def installed(repo: GitRepo, name: str) -> bool:
    try:
        path = hooks_dir(repo) / name
    except UsageError:
        return False
    return path.is_file() and MARK in path.read_text(encoding="utf-8", errors="replace")
