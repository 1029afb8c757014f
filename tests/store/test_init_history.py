"""`init --sample`: a plausible git history; `init` never overwrites existing books."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import IDENTITY, TODAY, run_cli


def test_sample_history_has_many_commits(sample_books) -> None:  # type: ignore[no-untyped-def]
    assert sample_books.commit_count() > 10
    subjects = sample_books.git("log", "--format=%s").splitlines()
    assert subjects[-1].startswith("init books")
    assert any(s.startswith("add customer ") for s in subjects)
    assert any(s.startswith("post ") for s in subjects)


def test_sample_history_has_at_least_two_authors(sample_books) -> None:  # type: ignore[no-untyped-def]
    authors = set(sample_books.git("log", "--format=%an <%ae>").splitlines())
    assert len(authors) >= 2
    committers = set(sample_books.git("log", "--format=%cn").splitlines())
    assert len(committers) >= 2


def test_sample_history_is_in_date_order_and_not_in_the_future(sample_books) -> None:  # type: ignore[no-untyped-def]
    dates = sample_books.git("log", "--reverse", "--format=%ad", "--date=short").split()
    assert dates == sorted(dates)
    assert dates[-1] <= TODAY


def test_sample_commits_carry_trailers(sample_books) -> None:  # type: ignore[no-untyped-def]
    shas = sample_books.git("log", "--format=%H", "--grep=^post ").split()
    assert shas
    for sha in shas:
        body = sample_books.git("log", "-1", "--format=%B", sha)
        assert "Ledger-Customer: " in body and "Ledger-Entry: " in body
        assert len(sample_books.git("show", "--format=", "--name-only", sha).split()) == 1


def test_sample_books_check_passes_and_tree_is_clean(sample_books) -> None:  # type: ignore[no-untyped-def]
    result = sample_books.run("check")
    assert result.exit_code == 0, result.output
    assert sample_books.git("status", "--porcelain", "--untracked-files=all") == ""
    files = sample_books.git("ls-files").split()
    assert "ledgerctl.yaml" in files and ".gitattributes" in files and ".gitignore" in files
    assert any(f.startswith("ledgers/") and f.endswith(".yaml") for f in files)
    assert any(f.startswith("schemas/") for f in files)
    assert not any(f.startswith(".ledgerctl/") for f in files)


def test_every_sample_commit_only_appends_entries(sample_books) -> None:  # type: ignore[no-untyped-def]
    """The history shows no posted entry edited or deleted: ledger diffs only add lines."""
    shas = sample_books.git("log", "--format=%H", "--", "ledgers").split()
    for sha in shas:
        diff = sample_books.git("show", "--format=", "--unified=0", sha, "--", "ledgers")
        removed = [line for line in diff.splitlines() if line.startswith("-") and not line.startswith("---")]
        assert removed == [], (sha, removed)


def test_sample_init_in_a_real_process_without_identity(tmp_path: Path) -> None:
    """The sample history is signed by its fictional bookkeepers, so it works without a git identity."""
    empty = tmp_path / "empty-gitconfig"
    empty.write_text("")
    env = {k: v for k, v in os.environ.items() if k not in IDENTITY and k != "EMAIL"}
    env.update({"GIT_CONFIG_GLOBAL": str(empty), "LEDGERCTL_TODAY": TODAY})
    root = tmp_path / "books"
    completed = subprocess.run(
        [sys.executable, "-m", "ledgerctl", "init", str(root), "--sample"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    log = subprocess.run(["git", "log", "--format=%an"], cwd=root, capture_output=True, text=True, env=env).stdout
    assert len(set(log.split("\n")) - {""}) >= 2


def test_init_into_existing_books_fails(sample_books) -> None:  # type: ignore[no-untyped-def]
    snapshot = sample_books.snapshot()
    count = sample_books.commit_count()
    for args in (
        ("init", str(sample_books.root)),
        ("init", str(sample_books.root), "--sample"),
        ("init", str(sample_books.root), "--name", "other"),
    ):
        result = run_cli(*args)
        assert result.exit_code == 2, (args, result.output)
        assert "already" in result.output
        assert "Traceback" not in result.output
    assert sample_books.snapshot() == snapshot
    assert sample_books.commit_count() == count


def test_init_into_existing_empty_books_fails(empty_books) -> None:  # type: ignore[no-untyped-def]
    snapshot = empty_books.snapshot()
    result = run_cli("init", str(empty_books.root), "--sample")
    assert result.exit_code == 2, result.output
    assert empty_books.snapshot() == snapshot


def test_init_onto_a_file_fails(tmp_path: Path) -> None:
    target = tmp_path / "a-file"
    target.write_text("not a folder\n")
    result = run_cli("init", str(target))
    assert result.exit_code == 2, result.output
    assert target.read_text() == "not a folder\n"


def test_plain_init_makes_one_commit(empty_books) -> None:  # type: ignore[no-untyped-def]
    assert empty_books.commit_count() == 1
    assert empty_books.git("log", "-1", "--format=%an").strip() == IDENTITY["GIT_AUTHOR_NAME"]
    assert empty_books.git("status", "--porcelain", "--untracked-files=all") == ""
    assert empty_books.run("check").exit_code == 0
