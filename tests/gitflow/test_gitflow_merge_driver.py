"""The ledger merge driver, run by git itself through the command `init` / `doctor` register."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from gitflow_support import Team, entry_ids, git, team_fixture  # noqa: F401  (the `team` fixture)

from conftest import run_process

HEADER = "customer:\n  id: acme\n  name: Acme\n  currency: CNY\n  tags: [a]\nentries:\n"
INV1 = '  - {id: INV-1, type: invoice, date: 2026-11-01, due: 2026-12-01, amount: "100.00"}\n'
INV2 = '  - {id: INV-2, type: invoice, date: 2026-11-03, due: 2026-12-03, amount: "200.00"}\n'
INV3 = '  - {id: INV-3, type: invoice, date: 2026-11-02, due: 2026-12-02, amount: "300.00"}\n'


def branch_and_merge(books, ours: list[tuple[str, ...]], theirs: list[tuple[str, ...]]):  # type: ignore[no-untyped-def]
    """Run CLI commands on a side branch (theirs) and on master (ours), then `git merge side`."""
    git(books.root, "checkout", "-q", "-b", "side")
    for args in theirs:
        result = books.run(*args)
        assert result.exit_code == 0, result.output
    git(books.root, "checkout", "-q", "master")
    for args in ours:
        result = books.run(*args)
        assert result.exit_code == 0, result.output
    return git(books.root, "merge", "--no-edit", "side", check=False)


def test_init_registers_the_driver_with_this_interpreter(books) -> None:  # type: ignore[no-untyped-def]
    driver = git(books.root, "config", "--get", "merge.ledgerctl.driver").stdout.strip()
    assert driver == f"{shlex.quote(sys.executable)} -m ledgerctl merge-driver %O %A %B %P"
    assert git(books.root, "config", "--get", "merge.ledgerctl.name").stdout.strip()
    assert git(books.root, "check-attr", "merge", "--", "ledgers/acme.yaml").stdout.strip().endswith("merge: ledgerctl")


def test_a_clean_merge_of_two_appends_changes_only_the_added_lines(books) -> None:  # type: ignore[no-untyped-def]
    merged = branch_and_merge(
        books,
        ours=[("add", "payment", "acme", "40.00", "--date", "2026-11-10")],
        theirs=[("add", "invoice", "acme", "100.00", "--date", "2026-11-05")],
    )
    assert merged.returncode == 0, merged.stdout + merged.stderr
    ours_before = git(books.root, "show", "HEAD^1:ledgers/acme.yaml").stdout
    merged_text = books.ledger("acme").read_text()
    theirs_line = [
        line
        for line in git(books.root, "show", "side:ledgers/acme.yaml").stdout.splitlines(keepends=True)
        if "type: invoice" in line
    ]
    assert len(theirs_line) == 1
    lines = ours_before.splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if "type: payment" in line)  # the invoice (11-05) goes before it
    assert merged_text == "".join(lines[:index] + theirs_line + lines[index:])
    assert books.run("check").exit_code == 0


def test_a_header_change_on_one_side_wins(books) -> None:  # type: ignore[no-untyped-def]
    merged = branch_and_merge(
        books,
        ours=[("add", "invoice", "acme", "10.00")],
        theirs=[("customer", "edit", "acme", "--terms-days", "45", "--phone", "+86 21 1234")],
    )
    assert merged.returncode == 0, merged.stdout + merged.stderr
    result = books.run("customer", "show", "acme")
    assert result.exit_code == 0
    text = books.ledger("acme").read_text()
    assert "terms_days: 45" in text and "+86 21 1234" in text and "10.00" in text


def test_tags_added_on_both_sides_are_both_kept(books) -> None:  # type: ignore[no-untyped-def]
    merged = branch_and_merge(books, ours=[("tag", "acme", "vip")], theirs=[("tag", "acme", "region:east")])
    assert merged.returncode == 0, merged.stdout + merged.stderr
    text = books.ledger("acme").read_text()
    assert "vip" in text and "region:east" in text


def test_one_header_field_changed_differently_on_both_sides_is_a_conflict(books) -> None:  # type: ignore[no-untyped-def]
    merged = branch_and_merge(
        books,
        ours=[("customer", "edit", "acme", "--name", "Acme East")],
        theirs=[("customer", "edit", "acme", "--name", "Acme West")],
    )
    assert merged.returncode != 0
    assert "customer name was changed on both sides" in merged.stderr + merged.stdout
    text = books.ledger("acme").read_text()
    block = text.split("<<<<<<< ours\n")[1].split(">>>>>>> theirs\n")[0]
    ours, theirs = block.split("=======\n")
    assert "Acme East" in ours and "Acme West" in theirs
    assert books.run("check").exit_code == 1  # conflict markers are never taken for a ledger


def test_the_same_entry_id_with_two_contents_is_a_conflict(books) -> None:  # type: ignore[no-untyped-def]
    merged = branch_and_merge(
        books,
        ours=[("add", "invoice", "acme", "100.00", "--id", "FP-1")],
        theirs=[("add", "invoice", "acme", "250.00", "--id", "FP-1")],
    )
    assert merged.returncode != 0
    text = books.ledger("acme").read_text()
    assert text.count("<<<<<<< ours\n") == 1 and text.count("=======\n") == 1 and text.count(">>>>>>> theirs\n") == 1
    ours, theirs = text.split("<<<<<<< ours\n")[1].split(">>>>>>> theirs\n")[0].split("=======\n")
    assert "FP-1" in ours and '"100.00"' in ours
    assert "FP-1" in theirs and '"250.00"' in theirs


def _files(tmp_path: Path, base: str, ours: str, theirs: str) -> list[str]:
    paths = []
    for name, text in (("base", base), ("ours", ours), ("theirs", theirs)):
        path = tmp_path / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    return paths


def test_the_driver_command_merges_files_and_says_so_in_its_exit_status(tmp_path: Path) -> None:
    base, ours, theirs = _files(tmp_path, HEADER + INV1, HEADER + INV1 + INV2, HEADER + INV1 + INV3)
    done = run_process("merge-driver", base, ours, theirs, "ledgers/acme.yaml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert Path(ours).read_text() == HEADER + INV1 + INV3 + INV2  # (date, id) order, ours' bytes kept

    base, ours, theirs = _files(
        tmp_path, HEADER + INV1, HEADER + INV1 + INV2, HEADER + INV1 + INV2.replace('"200.00"', '"201.00"')
    )
    done = run_process("merge-driver", base, ours, theirs, "ledgers/acme.yaml", cwd=tmp_path)
    assert done.returncode == 1
    assert "INV-2 has two different contents: amount 200.00 (ours) vs 201.00 (theirs)" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_side_that_does_not_load_is_merged_by_git_line_by_line(tmp_path: Path) -> None:
    broken = HEADER + INV1 + "  - {id: INV-9, type: invoice, date: 2026-11-09, amount: [\n"
    base, ours, theirs = _files(tmp_path, HEADER + INV1, HEADER + INV1 + INV2, broken)
    done = run_process("merge-driver", base, ours, theirs, "ledgers/acme.yaml", cwd=tmp_path)
    assert done.returncode == 1
    assert "merged line by line" in done.stderr
    assert "<<<<<<< ours" in Path(ours).read_text()


def test_the_merge_driver_has_help_with_an_example() -> None:
    done = run_process("merge-driver", "--help")
    assert done.returncode == 0
    assert "Example" in done.stdout and "%O %A %B %P" in done.stdout
    assert "merge-driver" not in run_process("--help").stdout  # hidden from the main help


def test_doctor_registers_the_driver_in_a_fresh_clone(team: Team, tmp_path: Path) -> None:
    fresh = team.clone(tmp_path / "fresh")
    assert git(fresh.root, "config", "--get", "merge.ledgerctl.driver", check=False).returncode != 0
    first = fresh.run("doctor")
    assert first.exit_code == 0, first.output
    assert "fixed: registered the ledger merge driver" in first.output
    assert (
        "-m ledgerctl merge-driver %O %A %B %P" in git(fresh.root, "config", "--get", "merge.ledgerctl.driver").stdout
    )
    again = fresh.run("doctor")
    assert again.exit_code == 0 and "ok: the ledger merge driver is registered" in again.output
    assert "fixed" not in again.output


def test_doctor_repairs_a_stale_driver_and_reports_what_it_cannot_fix(books) -> None:  # type: ignore[no-untyped-def]
    git(books.root, "config", "merge.ledgerctl.driver", "/old/venv/bin/python -m ledgerctl merge-driver %O %A %B %P")
    (books.root / ".gitattributes").write_text("")
    result = books.run("doctor", "--format", "json")
    assert result.exit_code == 1, result.output
    import json

    report = json.loads(result.stdout)
    statuses = {f["status"] for f in report["findings"]}
    assert report["ok"] is False and {"fixed", "problem"} <= statuses
    assert any("/old/venv" in f["message"] for f in report["findings"] if f["status"] == "fixed")
    assert any(".gitattributes" in (f["hint"] or "") for f in report["findings"] if f["status"] == "problem")


def test_merge_keeps_every_entry_of_both_sides_in_date_order(team: Team) -> None:
    for day in ("01", "09", "17"):
        assert team.one.run("add", "invoice", "acme", "1.00", "--date", f"2026-11-{day}").exit_code == 0
    for day in ("05", "13"):
        assert team.two.run("add", "payment", "acme", "1.00", "--date", f"2026-11-{day}").exit_code == 0
    assert team.one.run("sync").exit_code == 0
    assert team.two.run("sync").exit_code == 0
    ids = entry_ids(team.two.ledger("acme"))
    assert [i.split("-")[0] for i in ids] == ["INV", "PAY", "INV", "PAY", "INV"]


def test_allocations_a_credit_gained_on_one_side_merge_and_verify(books) -> None:  # type: ignore[no-untyped-def]
    assert books.run("add", "invoice", "acme", "100.00", "--date", "2026-11-01").exit_code == 0
    payment = books.run("add", "payment", "acme", "100.00", "--date", "2026-11-10").stdout.strip()
    merged = branch_and_merge(
        books,
        ours=[("add", "invoice", "acme", "50.00", "--date", "2026-11-12")],
        theirs=[("reconcile", "acme", "--apply")],
    )
    assert merged.returncode == 0, merged.stdout + merged.stderr
    text = books.ledger("acme").read_text()
    line = next(line for line in text.splitlines() if payment in line)
    assert "allocations: {INV-" in line and '"50.00"' in text
    assert books.run("check").exit_code == 0
    assert books.run("verify").exit_code == 0  # gaining allocations is not an edit of a posted entry
