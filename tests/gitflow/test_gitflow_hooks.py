"""Hooks on real repositories: pre-receive on a bare remote, pre-commit in a clone."""

from __future__ import annotations

from pathlib import Path

import pytest
from gitflow_support import Team, git, team_fixture  # noqa: F401  (the `team` fixture)

import ledgerctl


@pytest.fixture
def guarded(team: Team) -> Team:
    result = team.one.run("hooks", "install", "--server", str(team.remote))
    assert result.exit_code == 0, result.output
    hook = team.remote / "hooks" / "pre-receive"
    assert hook.is_file() and hook.stat().st_mode & 0o111
    return team


def push(clone, *args: str):  # type: ignore[no-untyped-def]
    return git(clone.root, "push", *args, check=False)


def test_a_good_push_is_accepted(guarded: Team) -> None:
    assert guarded.one.run("add", "invoice", "acme", "100.00").exit_code == 0
    done = push(guarded.one)
    assert done.returncode == 0, done.stderr
    assert guarded.remote_head() == guarded.one.head()


def test_an_edited_posted_amount_is_rejected_by_the_server(guarded: Team) -> None:
    invoice = guarded.one.run("add", "invoice", "acme", "100.00").stdout.strip()
    assert push(guarded.one).returncode == 0
    path = guarded.one.ledger("acme")
    path.write_text(path.read_text().replace('"100.00"', '"150.00"'))
    git(guarded.one.root, "commit", "-q", "-am", "fix amount")
    before = guarded.remote_head()

    done = push(guarded.one)
    assert done.returncode != 0
    assert "pre-receive hook declined" in done.stderr
    assert "posted-changed" in done.stderr and invoice in done.stderr
    assert guarded.one.head()[:8] in done.stderr and "fix amount" in done.stderr
    assert guarded.remote_head() == before
    # `sync` reports the server's refusal as an environment failure, with its reasons
    result = guarded.one.run("sync")
    assert result.exit_code == 3, result.output
    assert "rejected the push" in result.output and invoice in result.output


def test_a_history_rewrite_is_rejected(guarded: Team) -> None:
    for amount in ("100.00", "200.00"):
        assert guarded.one.run("add", "invoice", "acme", amount).exit_code == 0
    assert push(guarded.one).returncode == 0
    before = guarded.remote_head()
    git(guarded.one.root, "reset", "-q", "--hard", "HEAD~1")
    assert guarded.one.run("add", "invoice", "acme", "300.00").exit_code == 0
    done = push(guarded.one, "--force")
    assert done.returncode != 0
    assert "history rewrite refused" in done.stderr
    assert guarded.remote_head() == before


def test_a_new_branch_is_verified_too(guarded: Team) -> None:
    assert guarded.one.run("add", "invoice", "acme", "100.00").exit_code == 0
    assert push(guarded.one, "origin", "HEAD:refs/heads/feature").returncode == 0
    path = guarded.one.ledger("acme")
    path.write_text(path.read_text().replace('"100.00"', '"101.00"'))
    git(guarded.one.root, "commit", "-q", "-am", "edit on a branch")
    done = push(guarded.one, "origin", "HEAD:refs/heads/other")
    assert done.returncode != 0 and "posted-changed" in done.stderr


def test_closed_tags_and_the_default_branch_are_protected(guarded: Team) -> None:
    clone = guarded.one
    config = clone.root / "ledgerctl.yaml"
    config.write_text(config.read_text() + "closed_through: 2026-10-31\n")
    git(clone.root, "commit", "-q", "-am", "close books through 2026-10-31")
    git(clone.root, "tag", "-a", "-m", "closed", "closed/2026-10-31")
    done = push(clone, "origin", "HEAD", "closed/2026-10-31")
    assert done.returncode == 0, done.stderr
    assert clone.run("add", "note", "acme", "later").exit_code == 0
    git(clone.root, "tag", "-f", "-a", "-m", "moved", "closed/2026-10-31")
    moved = push(clone, "--force", "origin", "HEAD", "closed/2026-10-31")
    assert moved.returncode != 0 and "closed tags never move" in moved.stderr
    deleted = push(clone, "origin", ":refs/heads/master")
    assert deleted.returncode != 0 and "default branch is never deleted" in deleted.stderr
    git(clone.root, "tag", "-a", "-m", "wrong", "closed/2026-09-30")
    wrong = push(clone, "origin", "closed/2026-09-30")
    assert wrong.returncode != 0 and "refs/tags/closed/2026-09-30" in wrong.stderr
    assert "closed_through is 2026-10-31" in wrong.stderr


def test_install_never_clobbers_a_foreign_hook(team: Team, tmp_path: Path) -> None:
    foreign = team.remote / "hooks" / "pre-receive"
    foreign.write_text("#!/bin/sh\nexit 0\n")
    refused = team.one.run("hooks", "install", "--server", str(team.remote))
    assert refused.exit_code == 2 and "--force" in refused.output
    assert foreign.read_text() == "#!/bin/sh\nexit 0\n"
    forced = team.one.run("hooks", "install", "--server", str(team.remote), "--force")
    assert forced.exit_code == 0 and "replaced" in forced.output
    again = team.one.run("hooks", "install", "--server", str(team.remote))
    assert again.exit_code == 0 and "updated" in again.output
    not_bare = team.one.run("hooks", "install", "--server", str(team.one.root))
    assert not_bare.exit_code == 2 and "not a bare repository" in not_bare.output
    missing = team.one.run("hooks", "install", "--server", str(tmp_path / "nowhere"))
    assert missing.exit_code == 2


def test_the_pre_commit_hook_stops_a_bad_hand_commit(books) -> None:  # type: ignore[no-untyped-def]
    installed = books.run("hooks", "install")
    assert installed.exit_code == 0, installed.output
    invoice = books.run("add", "invoice", "acme", "100.00").stdout.strip()  # the tool's own commits pass the hook
    assert invoice and books.commit_count() == 4
    path = books.ledger("acme")
    path.write_text(path.read_text().replace('"100.00"', '"150.00"'))
    refused = git(books.root, "commit", "-am", "edit", check=False)
    assert refused.returncode != 0
    assert "commit refused" in refused.stderr and "posted-changed" in refused.stderr and invoice in refused.stderr
    assert books.commit_count() == 4
    # a staged version that differs from the working tree is checked as staged
    git(books.root, "add", "ledgers/acme.yaml")
    path.write_text(path.read_text().replace('"150.00"', '"100.00"'))
    staged = git(books.root, "commit", "-m", "edit", check=False)
    assert staged.returncode != 0 and "(staged)" in staged.stderr
    assert git(books.root, "commit", "--no-verify", "-m", "forced", check=False).returncode == 0
    (books.root / ".git" / "hooks" / "pre-commit").write_text("#!/bin/sh\nexit 0\n")
    assert books.run("hooks", "install").exit_code == 2


def test_the_shipped_hooks_run_python3_when_copied_by_hand() -> None:
    folder = Path(ledgerctl.__file__).parent / "hooks"
    for name in ("pre-receive", "pre-commit"):
        text = (folder / name).read_text()
        assert text.startswith("#!/bin/sh") and "PYTHON=@PYTHON@" in text and "PYTHON=python3" in text
        assert f"-m ledgerctl hooks {name}" in text


def test_a_letter_template_that_escapes_the_sandbox_is_rejected_by_the_server(guarded: Team) -> None:
    folder = guarded.one.root / "templates"
    folder.mkdir()
    (folder / "final.txt.j2").write_text("{{ cycler.__init__.__globals__.os.system('id') }}\n", encoding="utf-8")
    git(guarded.one.root, "add", "templates")
    git(guarded.one.root, "commit", "-q", "-m", "a friendlier final letter")
    before = guarded.remote_head()
    done = push(guarded.one)
    assert done.returncode != 0
    assert "templates/final.txt.j2:1" in done.stderr and "template-unsafe" in done.stderr, done.stderr
    assert guarded.remote_head() == before
    (folder / "final.txt.j2").write_text("{{ notice.name }}: {{ money(notice.overdue_total) }}\n", encoding="utf-8")
    git(guarded.one.root, "commit", "-q", "-am", "the final letter, fixed")
    assert push(guarded.one).returncode == 0
