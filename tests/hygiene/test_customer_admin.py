"""`customer rename|merge|archive|unarchive`: one commit each, history follows a rename, a crash is recovered."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from tests.conftest import BooksFixture

CRASHING = textwrap.dedent("""
    import os, signal, sys
    from ledgerctl.ops import transaction
    real_apply = transaction.Transaction.apply
    def apply_and_die(self, message, **kwargs):
        kwargs["crash_hook"] = lambda stage: os.kill(os.getpid(), signal.SIGKILL)
        return real_apply(self, message, **kwargs)
    transaction.Transaction.apply = apply_and_die
    from ledgerctl.cli.app import app
    sys.argv = ["ledgerctl", *sys.argv[1:]]
    app()
""")


def _with_rule(books: BooksFixture) -> None:
    config = books.root / "ledgerctl.yaml"
    config.write_text(
        config.read_text() + "import:\n  rules:\n    - {match: 保理, customer: hx-machinry}\n"
        "check: {ignore: [hx-machinry+other]}\n"
    )


def test_rename_moves_the_file_updates_the_config_in_one_commit(sample_books: BooksFixture) -> None:
    books = sample_books
    assert books.run("customer", "rename", "hx-machinery", "hx-machinry").exit_code == 0
    _with_rule(books)
    assert books.run("commit", "-m", "a rule").exit_code == 0
    count = books.commit_count()
    result = books.run("customer", "rename", "hx-machinry", "hx-mach")
    assert result.exit_code == 0, result.output
    assert books.commit_count() == count + 1
    assert books.git("status", "--porcelain") == ""
    assert not books.ledger("hx-machinry").exists() and "id: hx-mach\n" in books.ledger("hx-mach").read_text()
    config = (books.root / "ledgerctl.yaml").read_text()
    assert "customer: hx-mach}" in config and "hx-mach+other" in config and "hx-machinry" not in config
    assert "R" in books.git("show", "--name-status", "--format=", "HEAD")  # git sees a rename
    assert "Ledger-Rename: hx-machinry hx-mach" in books.git("log", "-1", "--format=%B")
    assert books.run("check").exit_code == 0
    verified = books.run("verify")  # the entries moved files: not "posted entry deleted"
    assert verified.exit_code == 0, verified.output
    # history follows both renames back to the first commit of hx-machinery
    history = json.loads(books.run("history", "hx-mach", "--format", "json").stdout)["changes"]
    assert history[0]["change"] == "customer-added" and history[0]["file"] == "ledgers/hx-machinery.yaml"
    renames = [(c["field"], c["from"], c["to"]) for c in history if c["field"] == "id"]
    assert renames == [("id", "hx-machinery", "hx-machinry"), ("id", "hx-machinry", "hx-mach")]
    assert not any(c["change"] == "entry-added" and c["command"].startswith("rename") for c in history)


def test_rename_refusals_leave_the_books_as_they_were(sample_books: BooksFixture) -> None:
    before = sample_books.snapshot()
    for args, words in (
        (("hx-machinery", "sz-tengfei"), "already exists"),
        (("hx-machinery", "Bad Id"), "customer id"),
        (("nobody", "someone"), "nobody"),
    ):
        result = sample_books.run("customer", "rename", *args)
        assert result.exit_code == 2 and words in result.output and "Traceback" not in result.output
    assert sample_books.snapshot() == before


def test_rename_killed_after_writing_is_completed_by_the_next_command(books: BooksFixture) -> None:
    assert books.run("add", "invoice", "acme", "100.00", "--date", "2026-11-02").exit_code == 0
    count = books.commit_count()
    crashed = subprocess.run(
        [sys.executable, "-c", CRASHING, "customer", "rename", "acme", "acme-cn", "--books", str(books.root)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert crashed.returncode == -9, crashed.stderr
    assert not books.ledger("acme").exists() and books.ledger("acme-cn").exists()  # both written, nothing committed
    assert books.commit_count() == count
    result = books.run("add", "note", "nippon", "after the crash")
    assert result.exit_code == 0, result.output
    assert "completed" in result.output
    assert books.git("log", "-1", "--skip=1", "--format=%s").strip() == "rename customer acme to acme-cn"
    status = books.git("status", "--porcelain")
    assert status == "", status
    assert books.run("verify").exit_code == 0


def test_rename_journal_with_only_the_new_file_written_is_undone(books: BooksFixture) -> None:
    import base64
    import hashlib

    old = books.ledger("acme").read_bytes()
    new = old.replace(b"id: acme\n", b"id: acme-cn\n")
    books.ledger("acme-cn").write_bytes(new)  # the crash came before the old file was deleted
    journal = {
        "version": 1,
        "message": "rename customer acme to acme-cn\n",
        "commit": True,
        "files": [
            {"path": "ledgers/acme.yaml", "before": base64.b64encode(old).decode(), "after_sha256": None},
            {"path": "ledgers/acme-cn.yaml", "before": None, "after_sha256": hashlib.sha256(new).hexdigest()},
        ],
    }
    (books.root / ".ledgerctl" / "journal.json").write_text(json.dumps(journal))
    result = books.run("add", "note", "nippon", "hello")
    assert result.exit_code == 0, result.output
    assert "undid" in result.output
    assert books.ledger("acme").read_bytes() == old and not books.ledger("acme-cn").exists()
    assert books.git("status", "--porcelain") == ""


def test_merge_moves_entries_and_archives_the_duplicate(books: BooksFixture) -> None:
    assert books.run("customer", "add", "acme2", "--name", "华兴机械有限公司 ", "--currency", "CNY").exit_code == 0
    assert books.run("add", "invoice", "acme", "100.00", "--date", "2026-11-02", "--id", "INV-A").exit_code == 0
    assert books.run("add", "invoice", "acme2", "250.00", "--date", "2026-11-03", "--id", "INV-B").exit_code == 0
    assert books.run("add", "payment", "acme2", "250.00", "--date", "2026-11-10", "--id", "PAY-B").exit_code == 0
    assert json.loads(books.run("check", "--format", "json").stdout)["problems"][0]["entry"] == "acme+acme2"
    count = books.commit_count()
    result = books.run("customer", "merge", "acme2", "acme")
    assert result.exit_code == 0, result.output
    assert books.commit_count() == count + 1 and books.git("status", "--porcelain") == ""
    shown = json.loads(books.run("customer", "show", "acme", "--format", "json").stdout)
    assert [e["id"] for e in shown["entries"]] == ["INV-A", "INV-B", "PAY-B"] and shown["balance"] == "100.00"
    assert "archived: true" in books.ledger("acme2").read_text()
    assert books.run("check", "--strict").exit_code == 0  # an archived duplicate is no longer reported
    assert books.run("verify").exit_code == 0
    ids = [c["id"] for c in json.loads(books.run("customer", "list", "--format", "json").stdout)["customers"]]
    assert "acme2" not in ids
    ids = [c["id"] for c in json.loads(books.run("customer", "list", "--all", "--format", "json").stdout)["customers"]]
    assert "acme2" in ids


def test_merge_across_currencies_is_refused(books: BooksFixture) -> None:
    before = books.snapshot()
    result = books.run("customer", "merge", "nippon", "acme")
    assert result.exit_code == 2 and "different currencies" in result.output
    assert books.snapshot() == before


def test_archive_refused_with_an_open_balance_then_left_out_of_reports(books: BooksFixture) -> None:
    assert books.run("add", "invoice", "acme", "100.00", "--date", "2026-11-02", "--id", "INV-A").exit_code == 0
    before = books.snapshot()
    refused = books.run("customer", "archive", "acme")
    assert refused.exit_code == 2 and "open balance of 100.00 CNY" in refused.output
    assert books.snapshot() == before
    assert books.run("add", "payment", "acme", "100.00", "--date", "2026-11-05").exit_code == 0
    count = books.commit_count()
    assert books.run("customer", "archive", "acme").exit_code == 0
    assert books.commit_count() == count + 1
    listed = json.loads(books.run("balance", "--format", "json").stdout)["customers"]
    assert [c["id"] for c in listed] == ["nippon"]
    listed = json.loads(books.run("balance", "--all", "--format", "json").stdout)["customers"]
    assert [c["id"] for c in listed] == ["acme", "nippon"]
    assert books.run("customer", "unarchive", "acme").exit_code == 0
    assert "archived" not in books.ledger("acme").read_text()
    assert books.run("customer", "unarchive", "acme").exit_code == 2
