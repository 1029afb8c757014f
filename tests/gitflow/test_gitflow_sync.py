"""`sync` between clones of one bare remote: real repositories, the merge driver run by git itself."""

from __future__ import annotations

from filelock import FileLock
from gitflow_support import Team, entry_ids, git, team_fixture  # noqa: F401  (the `team` fixture)


def add(clone, *args: str) -> str:  # type: ignore[no-untyped-def]
    result = clone.run("add", *args)
    assert result.exit_code == 0, result.output
    return result.stdout.strip()


def test_two_clones_append_to_one_customer_and_both_end_with_every_entry(team: Team) -> None:
    mine = [
        add(team.one, "invoice", "acme", "100.00", "--date", "2026-11-02"),
        add(team.one, "invoice", "acme", "120.00", "--date", "2026-11-20"),
    ]
    theirs = [
        add(team.two, "invoice", "acme", "300.00", "--date", "2026-11-05"),
        add(team.two, "payment", "acme", "50.00", "--date", "2026-11-21"),
    ]

    first = team.one.run("sync")
    assert first.exit_code == 0, first.output
    assert "pushed 2 commits" in first.output
    before_merge = team.two.head()
    second = team.two.run("sync")
    assert second.exit_code == 0, second.output
    assert "merged: 2 commits" in second.output and "pushed" in second.output
    third = team.one.run("sync")
    assert third.exit_code == 0, third.output
    assert "fast-forward" in third.output

    for clone in (team.one, team.two):
        assert sorted(entry_ids(clone.ledger("acme"))) == sorted(mine + theirs)
        assert clone.run("check").exit_code == 0
        assert clone.head() == team.remote_head()
        assert git(clone.root, "status", "--porcelain").stdout == ""
    assert team.one.ledger("acme").read_bytes() == team.two.ledger("acme").read_bytes()
    # The driver starts from ours and inserts theirs' lines: the merge adds two lines and removes none.
    diff = git(team.two.root, "diff", "--unified=0", before_merge, "HEAD", "--", "ledgers/acme.yaml").stdout
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert sorted(line[0] for line in changed) == ["+", "+"]
    assert all(any(entry in line for entry in mine) for line in changed)
    # In (date, id) order: the 2026-11-02 invoice lands before the 2026-11-05 one.
    ids = entry_ids(team.two.ledger("acme"))
    assert ids.index(mine[0]) < ids.index(theirs[0]) < ids.index(mine[1]) < ids.index(theirs[1])
    assert team.one.run("verify").exit_code == 0


def test_the_same_id_with_different_amounts_is_a_conflict_and_nothing_is_lost(team: Team) -> None:
    add(team.one, "invoice", "acme", "100.00", "--id", "FP-2026-001")
    assert team.one.run("sync").exit_code == 0
    add(team.two, "invoice", "acme", "250.00", "--id", "FP-2026-001")
    snapshot = team.two.snapshot()
    remote_before = team.remote_head()

    result = team.two.run("sync")
    assert result.exit_code == 1, result.output
    assert "conflict" in result.output and "nothing was merged or pushed" in result.output
    assert "FP-2026-001" in result.output and "100.00" in result.output and "250.00" in result.output
    assert "ledgers/acme.yaml" in result.output
    assert "Traceback" not in result.output
    # the clone is exactly as before (no merge in progress), the remote kept the other version
    assert team.two.snapshot() == snapshot
    assert not (team.two.root / ".git" / "MERGE_HEAD").exists()
    assert '"250.00"' in team.two.ledger("acme").read_text()
    assert team.remote_head() == remote_before
    assert '"100.00"' in git(team.two.root, "show", "origin/master:ledgers/acme.yaml").stdout


def test_a_conflict_is_written_in_the_standard_form_by_the_registered_driver(team: Team) -> None:
    add(team.one, "invoice", "acme", "100.00", "--id", "FP-7")
    assert team.one.run("sync").exit_code == 0
    add(team.two, "invoice", "acme", "250.00", "--id", "FP-7")
    git(team.two.root, "fetch", "-q")
    merged = git(team.two.root, "merge", "origin/master", check=False)
    assert merged.returncode != 0
    assert "FP-7 has two different contents" in merged.stderr + merged.stdout  # the driver's own message
    text = team.two.ledger("acme").read_text()
    ours, theirs = text.split("<<<<<<< ours\n")[1].split(">>>>>>> theirs\n")[0].split("=======\n")
    assert '"250.00"' in ours and "FP-7" in ours
    assert '"100.00"' in theirs and "FP-7" in theirs
    git(team.two.root, "merge", "--abort")


def test_sync_stops_and_resets_when_check_fails_after_a_clean_merge(team: Team) -> None:
    add(team.one, "invoice", "acme", "100.00", "--id", "DUP-1")
    assert team.one.run("sync").exit_code == 0
    add(team.two, "invoice", "nippon", "1000", "--id", "DUP-1")  # another customer's file: merges cleanly
    head, remote_before = team.two.head(), team.remote_head()

    result = team.two.run("sync")
    assert result.exit_code == 1, result.output
    assert "duplicate-id" in result.output and "DUP-1" in result.output and "nothing was pushed" in result.output
    assert team.two.head() == head
    assert team.remote_head() == remote_before
    assert git(team.two.root, "status", "--porcelain").stdout == ""


def test_sync_without_an_upstream_is_bad_usage(books) -> None:  # type: ignore[no-untyped-def]
    snapshot = books.snapshot()
    result = books.run("sync")
    assert result.exit_code == 2, result.output
    assert "no upstream" in result.output and "git remote add origin" in result.output
    assert books.snapshot() == snapshot


def test_an_unreachable_remote_is_an_environment_failure(team: Team, tmp_path) -> None:  # type: ignore[no-untyped-def]
    git(team.one.root, "remote", "set-url", "origin", str(tmp_path / "gone.git"))
    add(team.one, "note", "acme", "called")
    head = team.one.head()
    result = team.one.run("sync")
    assert result.exit_code == 3, result.output
    assert "could not fetch from origin" in result.output and "Traceback" not in result.output
    assert team.one.head() == head


def test_sync_refuses_uncommitted_hand_edits(team: Team) -> None:
    path = team.one.ledger("acme")
    path.write_text(path.read_text() + "  - {id: NT-1, type: note, date: 2026-11-20, memo: typed by hand}\n")
    result = team.one.run("sync")
    assert result.exit_code == 2, result.output
    assert "uncommitted changes in ledgers/acme.yaml" in result.output and "ledgerctl commit" in result.output


def test_sync_registers_the_driver_in_a_clone_that_lacks_it(team: Team, tmp_path) -> None:  # type: ignore[no-untyped-def]
    fresh = team.clone(tmp_path / "fresh")
    assert git(fresh.root, "config", "--get", "merge.ledgerctl.driver", check=False).returncode != 0
    add(team.one, "invoice", "acme", "10.00")
    assert team.one.run("sync").exit_code == 0
    add(fresh, "invoice", "acme", "20.00")
    result = fresh.run("sync")
    assert result.exit_code == 0, result.output
    assert "registered the ledger merge driver" in result.output
    assert len(entry_ids(fresh.ledger("acme"))) == 2


def test_sync_takes_turns_with_other_runs(team: Team) -> None:
    folder = team.one.root / ".ledgerctl"
    folder.mkdir(exist_ok=True)
    with FileLock(str(folder / "lock")):
        result = team.one.run("sync", env={"LEDGERCTL_LOCK_TIMEOUT": "0.2"})
    assert result.exit_code == 3, result.output
    assert "lock" in result.output


def test_already_in_sync(team: Team) -> None:
    result = team.one.run("sync")
    assert result.exit_code == 0, result.output
    assert "already in sync with origin/master" in result.output
