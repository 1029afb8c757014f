"""Shared by the tests/gitflow tests: a bare remote and two clones (real repositories), git helpers.

Import the `team` fixture into a test module to use it."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import BooksFixture


def git(
    cwd: Path, *args: str, check: bool = True, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=check, env={**os.environ, **(env or {})}
    )


def entry_ids(path: Path) -> list[str]:
    from ledgerctl.store.ledgerfile import load_ledger

    source, _ = load_ledger(path, f"ledgers/{path.name}")
    assert not source.problems, source.problems
    return [entry.id for entry in source.entries]


@dataclass
class Team:
    remote: Path
    one: BooksFixture
    two: BooksFixture

    def remote_head(self) -> str:
        return git(self.remote, "rev-parse", "HEAD").stdout.strip()

    def clone(self, path: Path) -> BooksFixture:
        git(path.parent, "clone", "-q", str(self.remote), str(path))
        return BooksFixture(path)


# Registered as "team" under another name: a test module imports it and takes a `team` argument without shadowing it.
@pytest.fixture(name="team")
def team_fixture(books: BooksFixture, tmp_path: Path) -> Team:
    """The `books` fixture pushed to a bare remote, and two fresh clones of it made ready with `doctor`."""
    remote = tmp_path / "remote.git"
    git(tmp_path, "clone", "-q", "--bare", str(books.root), str(remote))
    clones = []
    for name in ("one", "two"):
        path = tmp_path / name
        git(tmp_path, "clone", "-q", str(remote), str(path))
        clone = BooksFixture(path)
        result = clone.run("doctor")
        assert result.exit_code == 0, result.output
        assert "registered the ledger merge driver" in result.output
        clones.append(clone)
    return Team(remote, *clones)
