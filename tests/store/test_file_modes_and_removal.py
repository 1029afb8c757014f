"""Files the tool writes respect the umask; a ledger removed with `git rm` commits like one removed with `rm`."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.conftest import BooksFixture, run_cli


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_files_get_the_umask_s_mode(tmp_path: Path, umask_022: None) -> None:
    assert run_cli("init", str(tmp_path / "books")).exit_code == 0
    books = BooksFixture(tmp_path / "books")
    assert books.run("customer", "add", "acme", "--name", "Acme").exit_code == 0
    for path in (books.root / "ledgerctl.yaml", books.ledger("acme"), *(books.root / "schemas").iterdir()):
        assert _mode(path) == 0o644, path


def test_a_rewritten_file_keeps_its_mode(books: BooksFixture, umask_022: None) -> None:
    books.ledger("acme").chmod(0o640)
    assert books.run("add", "invoice", "acme", "10.00").exit_code == 0
    assert _mode(books.ledger("acme")) == 0o640


def test_a_private_umask_gives_private_files(tmp_path: Path) -> None:
    old = os.umask(0o077)
    try:
        assert run_cli("init", str(tmp_path / "books")).exit_code == 0
    finally:
        os.umask(old)
    assert _mode(tmp_path / "books" / "ledgerctl.yaml") == 0o600


@pytest.mark.parametrize("how", ["git rm", "rm"])
def test_removing_an_empty_ledger_commits_either_way(books: BooksFixture, how: str) -> None:
    assert books.run("customer", "add", "typo", "--name", "Typo").exit_code == 0
    if how == "git rm":
        books.git("rm", "-q", "ledgers/typo.yaml")
    else:
        books.ledger("typo").unlink()
    result = books.run("commit", "-m", "remove a customer added by mistake")
    assert result.exit_code == 0, result.output
    assert "ledgers/typo.yaml" not in books.git("ls-files")
    assert books.git("status", "--porcelain").strip() == ""


def test_git_rm_of_a_ledger_with_posted_entries_is_refused_with_the_reason(books: BooksFixture) -> None:
    assert books.run("add", "invoice", "acme", "10.00").exit_code == 0
    books.git("rm", "-q", "ledgers/acme.yaml")
    head = books.head()
    result = books.run("commit")
    assert result.exit_code == 1
    assert "posted-deleted" in result.output
    assert books.head() == head
