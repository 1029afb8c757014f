"""SPEC 5/7: when git cannot commit, a writing command exits 3 with what to do, and changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

WRITING_COMMANDS = [
    ("add", "invoice", "acme", "100.00"),
    ("add", "payment", "acme", "10.00"),
    ("add", "note", "nippon", "called"),
    ("customer", "add", "zeta", "--name", "Zeta"),
    ("customer", "edit", "acme", "--credit-limit", "5000"),
    ("tag", "acme", "vip"),
    ("commit",),
]


@pytest.fixture
def posted(books):  # type: ignore[no-untyped-def]
    """Books with one posted invoice (for void)."""
    result = books.run("add", "invoice", "acme", "500.00", "--date", "2026-11-01")
    assert result.exit_code == 0, result.output
    books.invoice = result.stdout.strip()
    return books


def all_commands(books) -> list[tuple[str, ...]]:  # type: ignore[no-untyped-def]
    return [*WRITING_COMMANDS, ("void", books.invoice, "--reason", "typo")]


def assert_refused(books, command: tuple[str, ...], *words: str) -> str:  # type: ignore[no-untyped-def]
    snapshot = books.snapshot()
    result = books.run(*command)
    assert result.exit_code == 3, (command, result.output)
    assert "Traceback" not in result.output
    text = result.output.lower()
    for word in words:
        assert word.lower() in text, (command, result.output)
    assert "hint" in text, result.output  # says what to do about it
    assert books.snapshot() == snapshot
    assert not (books.root / ".ledgerctl" / "journal.json").exists()
    return result.output


def test_no_git_identity(posted, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    empty = tmp_path / "empty-gitconfig"
    empty.write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))
    for key in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "EMAIL"):
        monkeypatch.delenv(key, raising=False)
    for command in all_commands(posted):
        output = assert_refused(posted, command, "who you are")
        assert "git config" in output and "user.name" in output and "user.email" in output


def test_no_git_identity_in_a_real_process(posted, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import os
    import subprocess
    import sys

    empty = tmp_path / "empty-gitconfig"
    empty.write_text("")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_AUTHOR_", "GIT_COMMITTER_")) and k != "EMAIL"}
    env["GIT_CONFIG_GLOBAL"] = str(empty)
    snapshot = posted.snapshot()
    completed = subprocess.run(
        [sys.executable, "-m", "ledgerctl", "add", "invoice", "acme", "1.00", "--books", str(posted.root)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert completed.returncode == 3, completed.stderr
    assert "Traceback" not in completed.stderr
    assert "user.name" in completed.stderr
    assert posted.snapshot() == snapshot


def test_identity_from_repository_config_is_enough(posted, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    empty = tmp_path / "empty-gitconfig"
    empty.write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))
    for key in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "EMAIL"):
        monkeypatch.delenv(key, raising=False)
    posted.git("config", "user.name", "Repo Keeper")
    posted.git("config", "user.email", "keeper@books.example")
    result = posted.run("add", "note", "acme", "hello")
    assert result.exit_code == 0, result.output
    assert posted.git("log", "-1", "--format=%an <%ae>").strip() == "Repo Keeper <keeper@books.example>"


def test_stale_index_lock(posted) -> None:  # type: ignore[no-untyped-def]
    (posted.root / ".git" / "index.lock").write_text("")
    for command in all_commands(posted):
        output = assert_refused(posted, command, "index.lock")
        assert "remove" in output.lower()
    assert (posted.root / ".git" / "index.lock").exists()  # never removed behind the user's back


def test_rebase_in_progress(posted) -> None:  # type: ignore[no-untyped-def]
    (posted.root / ".git" / "rebase-merge").mkdir()
    for command in all_commands(posted):
        output = assert_refused(posted, command, "rebase")
        assert "--continue" in output or "abort" in output


def test_rebase_apply_in_progress(posted) -> None:  # type: ignore[no-untyped-def]
    (posted.root / ".git" / "rebase-apply").mkdir()
    assert_refused(posted, ("add", "invoice", "acme", "1.00"), "rebase")


def test_merge_in_progress(posted) -> None:  # type: ignore[no-untyped-def]
    (posted.root / ".git" / "MERGE_HEAD").write_text(posted.head() + "\n")
    for command in all_commands(posted):
        output = assert_refused(posted, command, "merge")
        assert "abort" in output or "commit" in output


def test_cherry_pick_in_progress(posted) -> None:  # type: ignore[no-untyped-def]
    (posted.root / ".git" / "CHERRY_PICK_HEAD").write_text(posted.head() + "\n")
    assert_refused(posted, ("add", "note", "acme", "x"), "cherry-pick")


def test_not_a_git_repository(posted) -> None:  # type: ignore[no-untyped-def]
    import shutil

    shutil.rmtree(posted.root / ".git")
    before = posted.ledger("acme").read_bytes()
    result = posted.run("add", "invoice", "acme", "1.00")
    assert result.exit_code == 3, result.output
    assert "git" in result.output.lower() and "Traceback" not in result.output
    assert posted.ledger("acme").read_bytes() == before


def test_reading_commands_still_work_mid_merge(posted) -> None:  # type: ignore[no-untyped-def]
    (posted.root / ".git" / "MERGE_HEAD").write_text(posted.head() + "\n")
    (posted.root / ".git" / "index.lock").write_text("")
    for command in (("check",), ("balance",), ("customer", "show", "acme")):
        assert posted.run(*command).exit_code == 0
