"""`history`: the audit trail from git, entry by entry."""

from __future__ import annotations

import json

from gitflow_support import Team, git, team_fixture  # noqa: F401  (the `team` fixture)

LI = {
    "GIT_AUTHOR_NAME": "李会计",
    "GIT_AUTHOR_EMAIL": "li@books.example",
    "GIT_COMMITTER_NAME": "李会计",
    "GIT_COMMITTER_EMAIL": "li@books.example",
}


def history(books, *args: str) -> list[dict]:  # type: ignore[no-untyped-def]
    result = books.run("history", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["changes"]  # type: ignore[no-any-return]


def test_an_entry_shows_its_creation_and_its_void_with_authors_and_times(books) -> None:  # type: ignore[no-untyped-def]
    created = books.run(
        "add",
        "invoice",
        "acme",
        "12000.00",
        "--date",
        "2026-11-05",
        "--ref",
        "PO-778",
        env={"GIT_AUTHOR_DATE": "2026-11-05T09:30:00+08:00"},
    )
    invoice = created.stdout.strip()
    books.run("add", "note", "acme", "unrelated")
    voided = books.run(
        "void", invoice, "--reason", "entered twice", env={**LI, "GIT_AUTHOR_DATE": "2026-11-20T16:45:00+08:00"}
    )
    assert voided.exit_code == 0, voided.output
    void_id = voided.stdout.strip()

    changes = history(books, "--entry", invoice)
    assert [c["change"] for c in changes] == ["entry-added", "entry-voided"]
    added, void = changes
    assert added["entry"] == invoice and added["author"] == "Test Bookkeeper"
    assert added["time"] == "2026-11-05T09:30:00+08:00" and added["customer"] == "acme"
    assert added["command"].startswith(f"add invoice {invoice} for acme: 12000.00 CNY")
    assert "12000.00 CNY" in added["description"] and "PO-778" in added["description"]
    assert void["entry"] == void_id and void["voids"] == invoice
    assert void["author"] == "李会计" and void["email"] == "li@books.example"
    assert void["time"] == "2026-11-20T16:45:00+08:00"
    assert "entered twice" in void["description"]
    assert added["commit"] != void["commit"] and len(added["commit"]) == 40

    table = books.run("history", "acme", "--entry", invoice)
    assert table.exit_code == 0
    for text in ("Test Bookkeeper", "李会计", "2026-11-05 09:30", "2026-11-20 16:45", invoice, void_id):
        assert text in table.output
    assert "unrelated" not in table.output


def test_the_history_of_a_customer_shows_header_changes_from_and_to(books) -> None:  # type: ignore[no-untyped-def]
    assert books.run("customer", "edit", "acme", "--terms-days", "45", "--phone", "+86 21 5555").exit_code == 0
    changes = history(books, "acme")
    assert changes[0]["change"] == "customer-added" and "华兴机械有限公司" in changes[0]["description"]
    header = {c["field"]: (c["from"], c["to"]) for c in changes if c["change"] == "header-changed"}
    assert header == {"terms_days": ("30", "45"), "contact.phone": (None, "+86 21 5555")}


def test_a_hand_edit_shows_what_changed(books) -> None:  # type: ignore[no-untyped-def]
    invoice = books.run("add", "invoice", "acme", "100.00").stdout.strip()
    path = books.ledger("acme")
    path.write_text(path.read_text().replace('"100.00"', '"150.00"'))
    git(books.root, "commit", "-q", "-am", "hand edit")
    last = history(books, "--entry", invoice)[-1]
    assert last["change"] == "entry-changed" and last["command"] == "hand edit"
    assert "amount 100.00 → 150.00" in last["description"]


def test_merges_add_nothing_of_their_own(team: Team) -> None:
    one = team.one.run("add", "invoice", "acme", "1.00").stdout.strip()
    two = team.two.run("add", "invoice", "acme", "2.00").stdout.strip()
    assert team.one.run("sync").exit_code == 0
    assert team.two.run("sync").exit_code == 0
    changes = [c for c in history(team.two, "acme") if c["change"] != "customer-added"]
    assert sorted(c["entry"] for c in changes) == sorted([one, two])
    assert not any(c["command"].startswith("sync:") for c in changes)


def test_history_of_the_whole_books_and_csv(books) -> None:  # type: ignore[no-untyped-def]
    books.run("add", "invoice", "acme", "100.00")
    books.run("add", "invoice", "nippon", "5000")
    changes = history(books)
    assert {c["customer"] for c in changes} == {"acme", "nippon"}
    csv = books.run("history", "--format", "csv")
    assert csv.exit_code == 0 and csv.stdout.splitlines()[0].startswith("time,author,email,commit,command")


def test_unknown_entry_or_customer_is_bad_usage(books) -> None:  # type: ignore[no-untyped-def]
    for args in (("--entry", "INV-NOPE"), ("nobody",), ("Bad/Id",)):
        result = books.run("history", *args)
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output
