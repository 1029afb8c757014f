"""The month-end marks as an audit trail: closed_through and its closed/* tags, reopening, and the remote's copy."""

from __future__ import annotations

import json

import pytest
from gitflow_support import Team, git, team_fixture  # noqa: F401  (the `team` fixture)


def ok(books, *args: str) -> str:  # type: ignore[no-untyped-def]
    result = books.run(*args)
    assert result.exit_code == 0, result.output
    return result.stdout.strip()


def verify_problems(books) -> tuple[int, list[dict]]:  # type: ignore[no-untyped-def]
    result = books.run("verify", "--format", "json")
    return result.exit_code, json.loads(result.stdout)["problems"]


def set_closed_by_hand(books, date: str) -> None:  # type: ignore[no-untyped-def]
    config = books.root / "ledgerctl.yaml"
    text = config.read_text()
    kept = "".join(line for line in text.splitlines(keepends=True) if not line.startswith("closed_through:"))
    config.write_text(kept + f"closed_through: {date}\n")


def late_invoice_by_hand(books, entry_id: str, date: str) -> None:  # type: ignore[no-untyped-def]
    path = books.ledger("acme")
    path.write_text(path.read_text() + f'  - {{id: {entry_id}, type: invoice, date: {date}, amount: "9.00"}}\n')


# --- item 10: closed_through goes back only through `close --reopen` ----------------------------------


def test_a_plain_git_reopen_is_a_verify_problem_at_the_commit_that_moved_the_date(books) -> None:  # type: ignore[no-untyped-def]
    ok(books, "add", "invoice", "acme", "100.00", "--date", "2026-10-05")
    ok(books, "close", "2026-10-31")
    set_closed_by_hand(books, "2026-09-30")
    git(books.root, "commit", "-q", "--no-verify", "-am", "tidy config")
    moved = books.head()
    late_invoice_by_hand(books, "INV-LATE", "2026-10-20")
    git(books.root, "commit", "-q", "--no-verify", "-am", "late invoice")

    code, problems = verify_problems(books)
    assert code == 1
    # The move itself, at its commit (the late invoice is then in the open period); the tag is now ahead.
    assert [(p["code"], p["commit"], p["file"]) for p in problems if p["code"] != "closed-tag-ahead"] == [
        ("closed-moved-back", moved, "ledgerctl.yaml")
    ]
    assert [p["code"] for p in problems].count("closed-tag-ahead") == 1
    assert "2026-10-31 to 2026-09-30" in problems[0]["message"] and "close --reopen" in problems[0]["message"]


def test_deleting_closed_through_by_hand_is_a_move_back_too(books) -> None:  # type: ignore[no-untyped-def]
    ok(books, "close", "2026-10-31")
    config = books.root / "ledgerctl.yaml"
    config.write_text(
        "".join(line for line in config.read_text().splitlines(keepends=True) if not line.startswith("closed_"))
    )
    git(books.root, "commit", "-q", "--no-verify", "-am", "no more closing")
    code, problems = verify_problems(books)
    assert code == 1 and [p["code"] for p in problems] == ["closed-moved-back", "closed-tag-ahead"]
    assert "to nothing" in problems[0]["message"] and "closed_through is not set" in problems[1]["message"]


def test_close_reopen_records_its_reason_as_a_trailer_and_verifies(books) -> None:  # type: ignore[no-untyped-def]
    ok(books, "add", "invoice", "acme", "100.00", "--date", "2026-10-05")
    ok(books, "close", "2026-10-31")
    ok(books, "close", "--reopen", "2026-09-30", "--reason", "late credit note\nfrom the auditor")
    trailer = books.git("log", "-1", "--format=%(trailers:key=Ledger-Reopen-Reason,valueonly)").strip()
    assert trailer == "late credit note from the auditor"
    ok(books, "add", "credit-note", "acme", "10.00", "--date", "2026-10-20")
    assert verify_problems(books) == (0, [])


def test_a_merge_that_keeps_the_reopened_date_is_not_a_move_back(books) -> None:  # type: ignore[no-untyped-def]
    ok(books, "close", "2026-10-31")
    git(books.root, "branch", "side")
    ok(books, "close", "--reopen", "2026-09-30", "--reason", "late credit note")
    git(books.root, "switch", "-q", "side")
    ok(books, "add", "note", "acme", "on the side")
    git(books.root, "merge", "-q", "--no-edit", "master")  # the merge takes the reopened date
    assert verify_problems(books) == (0, [])


@pytest.fixture
def guarded(team: Team) -> Team:
    result = team.one.run("hooks", "install", "--server", str(team.remote))
    assert result.exit_code == 0, result.output
    return team


def test_the_server_refuses_a_plain_git_reopen(guarded: Team) -> None:
    clone = guarded.one
    ok(clone, "close", "2026-10-31")
    assert clone.run("sync").exit_code == 0
    before = guarded.remote_head()
    set_closed_by_hand(clone, "2026-09-30")
    git(clone.root, "commit", "-q", "--no-verify", "-am", "tidy config")
    late_invoice_by_hand(clone, "INV-LATE", "2026-10-20")
    git(clone.root, "commit", "-q", "--no-verify", "-am", "late invoice")
    done = git(clone.root, "push", "origin", "HEAD", check=False)
    assert done.returncode != 0 and "closed-moved-back" in done.stderr and "tidy config" in done.stderr
    assert guarded.remote_head() == before
    git(clone.root, "reset", "-q", "--hard", before)
    ok(clone, "close", "--reopen", "2026-09-30", "--reason", "late invoice")
    ok(clone, "add", "invoice", "acme", "9.00", "--date", "2026-10-20")
    assert git(clone.root, "push", "origin", "HEAD", check=False).returncode == 0


# --- item 9: closed_through and its closed/* tag agree -----------------------------------------------


def doctor_problems(books) -> tuple[int, list[str]]:  # type: ignore[no-untyped-def]
    result = books.run("doctor", "--format", "json")
    return result.exit_code, [f["message"] for f in json.loads(result.stdout)["findings"] if f["status"] == "problem"]


def test_a_close_without_its_tag_is_reported_by_verify_and_doctor(books) -> None:  # type: ignore[no-untyped-def]
    ok(books, "close", "2026-10-31")
    assert verify_problems(books) == (0, [])
    git(books.root, "tag", "-d", "closed/2026-10-31")  # what a crash between the commit and the tag leaves
    code, problems = verify_problems(books)
    assert code == 1 and [p["code"] for p in problems] == ["closed-tag-missing"]
    assert "closed through 2026-10-31" in problems[0]["message"] and "closed/2026-10-31" in problems[0]["message"]
    code, messages = doctor_problems(books)
    assert code == 1 and any("no tag closed/2026-10-31" in m for m in messages)
    git(books.root, "tag", "-a", "-m", "books closed through 2026-10-31", "closed/2026-10-31")
    assert verify_problems(books) == (0, [])
    assert doctor_problems(books)[1] == []


def test_a_tag_later_than_closed_through_is_reported_by_verify_and_doctor(books) -> None:  # type: ignore[no-untyped-def]
    ok(books, "close", "2026-10-31")
    set_closed_by_hand(books, "2026-09-30")
    git(books.root, "commit", "-q", "--no-verify", "-am", "tidy config")
    code, problems = verify_problems(books)
    assert code == 1 and sorted(p["code"] for p in problems) == ["closed-moved-back", "closed-tag-ahead"]
    code, messages = doctor_problems(books)
    assert code == 1 and any("tag closed/2026-10-31" in m and "2026-09-30" in m for m in messages)


def test_a_reopen_needs_no_tag_for_its_date_and_keeps_the_later_tags_as_history(books) -> None:  # type: ignore[no-untyped-def]
    ok(books, "close", "2026-10-31")
    ok(books, "close", "--reopen", "2026-10-15", "--reason", "late credit note")
    assert verify_problems(books) == (0, [])
    assert doctor_problems(books) == (0, [])


# --- item 13: sync carries the closed/* tags both ways ---------------------------------------------------


def remote_tags(guarded: Team) -> dict[str, str]:
    out = git(guarded.remote, "for-each-ref", "--format=%(refname:short) %(objectname)", "refs/tags/closed/").stdout
    return dict(line.split() for line in out.splitlines())


def test_sync_pushes_the_closed_tags_and_the_other_clone_fetches_them(guarded: Team) -> None:
    ok(guarded.one, "add", "invoice", "acme", "100.00", "--date", "2026-10-05")
    ok(guarded.one, "close", "2026-10-31")
    result = guarded.one.run("sync")
    assert result.exit_code == 0, result.output
    assert "pushed tag closed/2026-10-31" in result.output
    local = git(guarded.one.root, "rev-parse", "refs/tags/closed/2026-10-31").stdout.strip()
    assert remote_tags(guarded) == {"closed/2026-10-31": local}
    assert guarded.two.run("sync").exit_code == 0
    assert git(guarded.two.root, "rev-parse", "refs/tags/closed/2026-10-31").stdout.strip() == local
    assert verify_problems(guarded.two) == (0, [])
    assert "already in sync" in guarded.one.run("sync").output  # nothing left to send


def test_sync_sends_a_tag_the_remote_lacks_even_with_no_commit_to_push(guarded: Team) -> None:
    ok(guarded.one, "close", "2026-10-31")
    git(guarded.one.root, "push", "-q", "origin", "HEAD")  # the commit went out, its tag did not (an old sync)
    assert remote_tags(guarded) == {}
    result = guarded.one.run("sync")
    assert result.exit_code == 0, result.output
    assert "pushed tag closed/2026-10-31" in result.output
    assert list(remote_tags(guarded)) == ["closed/2026-10-31"]


def test_a_tag_on_a_commit_the_branch_does_not_reach_is_fetched_too(guarded: Team) -> None:
    ok(guarded.one, "close", "2026-10-31")
    assert guarded.one.run("sync").exit_code == 0
    assert guarded.two.run("sync").exit_code == 0
    # a tag the remote holds whose commit another clone already has: fetched without a new commit
    git(guarded.two.root, "tag", "-d", "closed/2026-10-31")
    assert guarded.two.run("sync").exit_code == 0
    assert git(guarded.two.root, "tag", "--list", "closed/*").stdout.split() == ["closed/2026-10-31"]


def test_a_local_closed_tag_that_differs_from_the_remote_one_stops_sync(guarded: Team) -> None:
    ok(guarded.one, "close", "2026-10-31")
    assert guarded.one.run("sync").exit_code == 0
    assert guarded.two.run("sync").exit_code == 0
    git(guarded.two.root, "tag", "-f", "-a", "-m", "mine", "closed/2026-10-31", "HEAD~1")
    before = guarded.two.snapshot()
    result = guarded.two.run("sync")
    assert result.exit_code == 3, result.output
    assert "closed/2026-10-31" in result.output and "Traceback" not in result.output
    assert guarded.two.snapshot() == before


def test_closing_again_through_a_reopened_date_keeps_its_tag(books) -> None:  # type: ignore[no-untyped-def]
    ok(books, "close", "2026-10-31")
    first = git(books.root, "rev-parse", "closed/2026-10-31^{commit}").stdout.strip()
    ok(books, "close", "--reopen", "2026-10-15", "--reason", "late credit note")
    ok(books, "add", "credit-note", "acme", "10.00", "--date", "2026-10-20")
    result = books.run("close", "2026-10-31")  # was: exit 3 after committing, "tag already exists"
    assert result.exit_code == 0, result.output
    assert "tag closed/2026-10-31" in result.output
    # tags never move: the first close keeps it, and it still marks a commit that set the date
    assert git(books.root, "rev-parse", "closed/2026-10-31^{commit}").stdout.strip() == first
    assert verify_problems(books) == (0, [])
    assert not (books.root / ".ledgerctl" / "journal.json").exists()
