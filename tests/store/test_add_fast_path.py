"""`add`, `void` and `tag` check one ledger and commit it with a single `git commit`: the guarantees that path keeps.

Real git repositories, no mocked git: a staged unrelated file is not swept in, a ledger edited by hand (content,
staging or mode) is refused, an explicit --id already used elsewhere is refused, a generated id that some other
ledger holds is drawn again, and a commit that landed while git was killed before it put its new index in place
is completed by the next command.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re

import pytest

from conftest import BooksFixture

NOTE = "  - {id: NT-20261101-HAND, type: note, date: 2026-11-01, memo: typed by hand}\n"


def ok(books: BooksFixture, *args: str) -> str:
    result = books.run(*args)
    assert result.exit_code == 0, result.output
    return result.stdout.strip().splitlines()[0] if result.stdout.strip() else ""


def committed_files(books: BooksFixture, rev: str = "HEAD") -> list[str]:
    return str(books.git("show", "--format=", "--name-only", rev)).split()


def status(books: BooksFixture) -> str:
    return str(books.git("status", "--porcelain", "--untracked-files=all"))


# --- nothing else goes into the tool's commit --------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ("add", "invoice", "acme", "100.00"),
        ("add", "payment", "acme", "5.00"),
        ("add", "promise", "acme", "50.00", "--by", "2026-11-30"),
        ("tag", "acme", "vip"),
    ],
)
def test_a_staged_change_of_another_file_stays_staged_and_out_of_the_commit(
    books: BooksFixture, command: tuple[str, ...]
) -> None:
    with books.ledger("nippon").open("a", encoding="utf-8") as handle:
        handle.write(NOTE)
    books.git("add", "ledgers/nippon.yaml")
    staged_blob = books.git("rev-parse", ":ledgers/nippon.yaml").strip()
    count = books.commit_count()
    ok(books, *command)
    assert books.commit_count() == count + 1
    assert committed_files(books) == ["ledgers/acme.yaml"]
    assert status(books) == "M  ledgers/nippon.yaml\n"  # still staged, exactly as it was
    assert books.git("rev-parse", ":ledgers/nippon.yaml").strip() == staged_blob


def test_with_nothing_else_staged_the_commit_holds_the_one_ledger_and_leaves_nothing_behind(
    books: BooksFixture,
) -> None:
    invoice = ok(books, "add", "invoice", "acme", "100.00", "--date", "2026-11-01")
    ok(books, "void", invoice, "--reason", "entered twice")
    assert committed_files(books) == ["ledgers/acme.yaml"]
    assert status(books) == ""


# --- a ledger with hand edits is refused, whatever git knows of them ---------------------------------------


def _edit_content(books: BooksFixture) -> None:
    with books.ledger("acme").open("a", encoding="utf-8") as handle:
        handle.write(NOTE)


def _stage_edit(books: BooksFixture) -> None:
    _edit_content(books)
    books.git("add", "ledgers/acme.yaml")


def _stage_edit_then_undo_it_in_the_file(books: BooksFixture) -> None:
    """The file is as committed again, but the index still holds the edit: a commit would record it."""
    original = books.ledger("acme").read_bytes()
    _stage_edit(books)
    books.ledger("acme").write_bytes(original)


def _make_executable(books: BooksFixture) -> None:
    books.ledger("acme").chmod(0o755)


@pytest.mark.parametrize(
    "hand_edit", [_edit_content, _stage_edit, _stage_edit_then_undo_it_in_the_file, _make_executable]
)
@pytest.mark.parametrize(
    "command",
    [
        ("add", "invoice", "acme", "100.00"),
        ("add", "payment", "acme", "5.00"),
        ("add", "promise", "acme", "50.00", "--by", "2026-11-30"),
        ("tag", "acme", "vip"),
    ],
)
def test_a_ledger_with_uncommitted_edits_is_refused(books: BooksFixture, hand_edit, command: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    hand_edit(books)
    snapshot = books.snapshot()
    index = books.git("ls-files", "-s")
    result = books.run(*command)
    assert result.exit_code == 2, result.output
    assert "ledgers/acme.yaml has uncommitted edits" in result.output
    assert books.snapshot() == snapshot
    assert books.git("ls-files", "-s") == index


def test_void_of_an_entry_in_a_hand_edited_ledger_is_refused(books: BooksFixture) -> None:
    invoice = ok(books, "add", "invoice", "acme", "100.00", "--date", "2026-11-01")
    _stage_edit_then_undo_it_in_the_file(books)
    snapshot = books.snapshot()
    result = books.run("void", invoice, "--reason", "entered twice")
    assert result.exit_code == 2, result.output
    assert "uncommitted edits" in result.output
    assert books.snapshot() == snapshot


def test_a_ledger_staged_by_no_commit_is_committed_with_the_next_change(books: BooksFixture) -> None:
    first = ok(books, "add", "invoice", "acme", "100.00", "--no-commit")
    second = ok(books, "add", "invoice", "acme", "200.00")
    assert committed_files(books) == ["ledgers/acme.yaml"]
    assert status(books) == ""
    committed = books.git("show", "HEAD:ledgers/acme.yaml")
    assert first in committed and second in committed


# --- entry ids are unique books-wide --------------------------------------------------------------------------


def test_an_explicit_id_used_by_another_customer_is_refused(books: BooksFixture) -> None:
    ok(books, "add", "invoice", "nippon", "3000", "--id", "FP-2026-00123")
    snapshot = books.snapshot()
    result = books.run("add", "invoice", "acme", "100.00", "--id", "FP-2026-00123")
    assert result.exit_code == 2, result.output
    assert "FP-2026-00123 is already used (customer nippon)" in result.output
    assert books.snapshot() == snapshot


def test_an_explicit_id_only_an_uncommitted_ledger_holds_is_refused(books: BooksFixture) -> None:
    """A ledger created by hand and not committed yet still holds its ids."""
    books.ledger("zeta").write_text(
        "customer: {id: zeta, name: Zeta, currency: CNY}\n"
        "entries:\n  - {id: INV-ZETA-1, type: invoice, date: 2026-11-01, amount: 10.00, due: 2026-11-30}\n",
        encoding="utf-8",
    )
    result = books.run("add", "invoice", "acme", "100.00", "--id", "INV-ZETA-1")
    assert result.exit_code == 2, result.output
    assert "INV-ZETA-1 is already used (customer zeta)" in result.output


@pytest.mark.parametrize("index", ["id index", "a ledger that does not load: no id index, git grep"])
@pytest.mark.parametrize(("kind", "args"), [("invoice", ("100.00",)), ("payment", ("5.00",))])
def test_a_generated_id_another_ledger_holds_is_drawn_again(
    books: BooksFixture, monkeypatch: pytest.MonkeyPatch, kind: str, args: tuple[str, ...], index: str
) -> None:
    prefix = {"invoice": "INV", "payment": "PAY"}[kind]
    taken = f"{prefix}-20261123-AAAA"
    ok(books, "add", kind, "nippon", *(["3000"] if kind == "invoice" else ["300"]), "--id", taken)
    if index != "id index":
        books.ledger("zeta").write_text("customer: {id: zeta, name: [broken\n", encoding="utf-8")
    # The first four draws spell the id nippon holds; every later one is a Z.
    draws = iter("AAAA")
    monkeypatch.setattr("ledgerctl.ops.entries.secrets.choice", lambda alphabet: next(draws, "Z"))
    new_id = ok(books, "add", kind, "acme", *args)
    assert new_id == f"{prefix}-20261123-ZZZZ"
    assert new_id in books.ledger("acme").read_text(encoding="utf-8")
    assert taken not in books.ledger("acme").read_text(encoding="utf-8")
    assert books.run("check").exit_code == (0 if index == "id index" else 1)


def test_a_void_id_another_ledger_holds_is_drawn_again(books: BooksFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    invoice = ok(books, "add", "invoice", "acme", "100.00", "--date", "2026-11-01")
    ok(books, "add", "note", "nippon", "x", "--id", "VD-20261123-AAAA")
    draws = iter("AAAA")
    monkeypatch.setattr("ledgerctl.ops.entries.secrets.choice", lambda alphabet: next(draws, "Q"))
    assert ok(books, "void", invoice, "--reason", "entered twice") == "VD-20261123-QQQQ"


# --- recovery: the commit landed, git's new index did not ----------------------------------------------------


def test_a_commit_that_landed_before_git_put_its_index_in_place_is_completed(books: BooksFixture) -> None:
    """`git commit -i` moves HEAD, then renames its new index into place: killed in between, the index
    is left at the old version; the next command finds the change committed and puts HEAD's version back."""
    before = books.ledger("acme").read_bytes()
    new_id = ok(books, "add", "invoice", "acme", "100.00")
    after = books.ledger("acme").read_bytes()
    head = books.head()
    books.git("reset", "-q", "HEAD~1", "--", "ledgers/acme.yaml")  # the index as the killed git left it
    assert status(books) == "MM ledgers/acme.yaml\n"
    journal = {
        "version": 1,
        "message": f"add invoice {new_id} for acme\n",
        "commit": True,
        "files": [
            {
                "path": "ledgers/acme.yaml",
                "before": base64.b64encode(before).decode(),
                "after_sha256": hashlib.sha256(after).hexdigest(),
            }
        ],
    }
    (books.root / ".ledgerctl" / "journal.json").write_text(json.dumps(journal))
    result = books.run("add", "note", "nippon", "later")
    assert result.exit_code == 0, result.output
    assert re.search(r"interrupted change .* had already been committed", result.output)
    assert books.git("rev-parse", "HEAD~1").strip() == head  # no second commit of the same change
    assert committed_files(books) == ["ledgers/nippon.yaml"]
    assert status(books) == ""
    assert books.run("check").exit_code == 0
