"""Shared fixtures: real temporary git repositories, a pinned clock, a CLI runner."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ledgerctl.cli.app import app

TODAY = "2026-11-23"
IDENTITY = {
    "GIT_AUTHOR_NAME": "Test Bookkeeper",
    "GIT_AUTHOR_EMAIL": "test@books.example",
    "GIT_COMMITTER_NAME": "Test Bookkeeper",
    "GIT_COMMITTER_EMAIL": "test@books.example",
}


# The fast tier (`make test-fast`, `pytest -m fast`): pure rule tests, no git, no files, no subprocess.
# A module of such tests joins it here or with `pytestmark = pytest.mark.fast`; tests/fast.py builds ledgers from text.
FAST_MODULES = {
    "core/test_engine.py",
    "core/test_validate.py",
    "core/test_money.py",
    "core/test_rules_from_text.py",
    "core/test_architecture.py",
    "dunning/test_dunning_core.py",
    "segments/test_segment_classes.py",
    "segments/test_settlement_dates.py",
}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "fast: pure rule tests without git or files (make test-fast)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    tests = Path(__file__).parent
    for item in items:
        if item.path.is_relative_to(tests) and item.path.relative_to(tests).as_posix() in FAST_MODULES:
            item.add_marker(pytest.mark.fast)


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No test sees the developer's git config, clock or books."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / "gitconfig"))
    monkeypatch.setenv("LEDGERCTL_TODAY", TODAY)
    monkeypatch.setenv("LEDGERCTL_WIDTH", "200")
    monkeypatch.setenv("LEDGERCTL_LOCK_TIMEOUT", "2")
    monkeypatch.delenv("LEDGERCTL_BOOKS", raising=False)
    monkeypatch.delenv("LEDGERCTL_DEBUG", raising=False)
    for key, value in IDENTITY.items():
        monkeypatch.setenv(key, value)


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


@dataclass
class BooksFixture:
    root: Path

    def run(self, *args: str, env: dict[str, str] | None = None) -> Result:
        """Run the CLI in-process (CliRunner) against these books."""
        return run_cli(*_with_books(args, self.root), env=env)

    def git(self, *args: str) -> str:
        return subprocess.run(["git", *args], cwd=self.root, check=True, capture_output=True, text=True).stdout

    def head(self) -> str:
        return self.git("rev-parse", "HEAD").strip()

    def commit_count(self) -> int:
        return int(self.git("rev-list", "--count", "HEAD").strip())

    def ledger(self, customer: str) -> Path:
        return self.root / "ledgers" / f"{customer}.yaml"

    def snapshot(self) -> dict[str, str]:
        """Bytes of every file of the books (less .git and the local state) plus HEAD, to prove nothing changed."""
        state = {"HEAD": self.head()}
        for path in sorted(self.root.rglob("*")):
            rel = path.relative_to(self.root).as_posix()
            if path.is_file() and not rel.startswith((".git/", ".ledgerctl/")):
                state[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
        state["status"] = self.git("status", "--porcelain")
        return state


def _with_books(args: tuple[str, ...], root: Path) -> list[str]:
    """Insert --books ROOT after the (sub)command path, where Typer expects it."""
    args_list = list(args)
    if args_list and args_list[0] in ("init",):
        return args_list
    return [*args_list, "--books", str(root)]


def run_cli(*args: str, env: dict[str, str] | None = None) -> Result:
    result = CliRunner().invoke(app, list(args), env=env)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Result(result.exit_code, result.stdout, result.stderr)


def run_process(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `python -m ledgerctl` as a real subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "ledgerctl", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


@pytest.fixture
def empty_books(tmp_path: Path) -> BooksFixture:
    result = run_cli("init", str(tmp_path / "books"), "--name", "test books")
    assert result.exit_code == 0, result.output
    return BooksFixture(tmp_path / "books")


@pytest.fixture(scope="session")
def _sample_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("sample") / "books"
    env = {**os.environ, "LEDGERCTL_TODAY": TODAY, **IDENTITY}
    completed = subprocess.run(
        [sys.executable, "-m", "ledgerctl", "init", str(root), "--sample"], capture_output=True, text=True, env=env
    )
    assert completed.returncode == 0, completed.stderr
    return root


@pytest.fixture
def sample_books(_sample_template: Path, tmp_path: Path) -> BooksFixture:
    """A private clone of the sample books (init --sample once per session, then git clone)."""
    root = tmp_path / "books"
    subprocess.run(["git", "clone", "-q", str(_sample_template), str(root)], check=True)
    return BooksFixture(root)


@pytest.fixture
def books(empty_books: BooksFixture) -> Iterator[BooksFixture]:
    """Empty books with one CNY and one JPY customer."""
    assert empty_books.run("customer", "add", "acme", "--name", "华兴机械有限公司", "--currency", "CNY").exit_code == 0
    assert empty_books.run("customer", "add", "nippon", "--name", "Nippon K.K.", "--currency", "JPY").exit_code == 0
    yield empty_books


@pytest.fixture
def payers(books: BooksFixture) -> Iterator[BooksFixture]:
    """acme (华兴机械有限公司, CNY) with an alias, an account and two open invoices; nippon (JPY); beta (CNY)."""
    assert (
        books.run("customer", "edit", "acme", "--alias", "华兴机械", "--bank-account", "6222 0000 1111 2222").exit_code
        == 0
    )
    assert books.run("customer", "add", "beta", "--name", "Beta Trading Co., Ltd.", "--currency", "CNY").exit_code == 0
    for args in (
        ("5000.00", "--id", "INV-A1", "--date", "2026-10-01", "--ref", "FP-2026-0101"),
        ("3000.00", "--id", "INV-A2", "--date", "2026-10-15", "--ref", "FP-2026-0102"),
    ):
        result = books.run("add", "invoice", "acme", *args)
        assert result.exit_code == 0, result.output
    yield books
