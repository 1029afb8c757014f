"""`ledgerctl segment` on real temporary git repositories: classes, --apply (one commit, idempotent), --changes,
--explain, and the --segment filter on every report."""

from __future__ import annotations

import json
import re

import pytest

from conftest import BooksFixture, Result

AS_OF = "2026-11-30"
EXPECTED = {
    "acme": {"value": "A", "frequency": "low", "size": "small", "credit": "fair", "status": "normal"},
    "beta": {"value": "B", "frequency": "low", "size": "small", "credit": "fair", "status": "overdue"},
    "idle": {"value": "C", "frequency": "low", "size": "small", "credit": "good", "status": "normal"},
    "nippon": {"value": "A", "frequency": "low", "size": "small", "credit": "good", "status": "normal"},
}


def ok(books: BooksFixture, *args: str) -> str:
    result = books.run(*args)
    assert result.exit_code == 0, result.output
    return result.stdout


def refused(books: BooksFixture, *args: str, says: str, code: int = 2) -> Result:
    before = books.snapshot()
    result = books.run(*args)
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output, result.output
    assert re.search(says, result.output), f"{says!r} not in:\n{result.output}"
    assert books.snapshot() == before, "a refused command changed the books"
    return result


def segments_json(books: BooksFixture, *args: str) -> dict[str, dict[str, str]]:
    data = json.loads(ok(books, "segment", "--as-of", AS_OF, "--format", "json", *args))
    return {c["id"]: c["segments"] for c in data["customers"]}


@pytest.fixture
def classed(books: BooksFixture) -> BooksFixture:
    """acme 800.00 paid 10 days late; beta 200.00 open 30 days overdue; idle nothing; nippon ¥5000 not yet due."""
    ok(books, "customer", "add", "beta", "--name", "Beta 贸易", "--currency", "CNY", "--tag", "vip")
    ok(books, "customer", "add", "idle", "--name", "Idle Ltd", "--currency", "CNY")
    ok(books, "tag", "acme", "vip", "region:east")
    ok(books, "add", "invoice", "acme", "800.00", "--id", "INV-A1", "--date", "2026-06-01", "--due", "2026-07-01")
    ok(books, "add", "payment", "acme", "800.00", "--date", "2026-07-11", "--apply", "INV-A1")
    ok(books, "add", "invoice", "beta", "200.00", "--id", "INV-B1", "--date", "2026-10-01", "--due", "2026-10-31")
    ok(books, "add", "invoice", "nippon", "5000", "--id", "INV-N1", "--date", "2026-11-01", "--due", "2026-12-01")
    return books


def test_segment_json(classed: BooksFixture) -> None:
    data = json.loads(ok(classed, "segment", "--as-of", AS_OF, "--format", "json"))
    assert data["as_of"] == AS_OF and data["window"] == {"from": "2025-12-01", "to": AS_OF}
    assert [c["id"] for c in data["customers"]] == ["acme", "beta", "idle", "nippon"]
    assert {c["id"]: c["segments"] for c in data["customers"]} == EXPECTED
    assert list(data["customers"][0]["segments"]) == ["value", "frequency", "size", "credit", "status"]


def test_segment_table_and_csv(classed: BooksFixture) -> None:
    table = ok(classed, "segment", "--as-of", AS_OF)
    assert "Beta 贸易" in table and "overdue" in table and "acme *" in table  # * = not applied yet
    lines = ok(classed, "segment", "--as-of", AS_OF, "--format", "csv").splitlines()
    assert (
        lines[0] == "id,name,currency,value,frequency,size,credit,status,invoiced,invoices,settled_invoices,"
        "average_days_late,days_overdue,changed"
    )
    assert lines[1] == "acme,华兴机械有限公司,CNY,A,low,small,fair,normal,800.00,1,1,10.0,0,yes"
    assert lines[2] == "beta,Beta 贸易,CNY,B,low,small,fair,overdue,200.00,1,0,,30,yes"


def test_apply_twice_in_a_row_makes_one_commit(classed: BooksFixture) -> None:
    commits = classed.commit_count()
    first = classed.run("segment", "--as-of", AS_OF, "--apply")
    assert first.exit_code == 0, first.output
    assert classed.commit_count() == commits + 1
    assert "acme: value — → A" in first.stdout
    message = classed.git("log", "-1", "--format=%B")
    assert message.startswith(f"segment as of {AS_OF}: 4 customers changed")
    assert "Ledger-Customer: acme" in message and "Ledger-Customer: nippon" in message
    assert set(classed.git("show", "--name-only", "--format=", "HEAD").split()) == {
        f"ledgers/{c}.yaml" for c in EXPECTED
    }
    assert "  segments: {value: A, frequency: low, size: small, credit: fair, status: normal}\n" in classed.ledger(
        "acme"
    ).read_text(encoding="utf-8")

    before = classed.snapshot()
    second = classed.run("segment", "--as-of", AS_OF, "--apply")
    assert second.exit_code == 0, second.output
    assert "nothing changed" in second.stderr and second.stdout == ""
    assert classed.snapshot() == before and classed.commit_count() == commits + 1


def test_apply_writes_only_the_files_that_change(classed: BooksFixture) -> None:
    ok(classed, "segment", "--as-of", AS_OF, "--apply")
    acme_before = classed.ledger("acme").read_text(encoding="utf-8")
    ok(classed, "add", "invoice", "beta", "5000.00", "--date", "2026-11-20", "--due", "2026-12-20")
    changes = json.loads(ok(classed, "segment", "--as-of", AS_OF, "--changes", "--format", "json"))
    assert changes["changes"] == [
        {
            "id": "acme",
            "name": "华兴机械有限公司",
            "from": EXPECTED["acme"],
            "to": {**EXPECTED["acme"], "value": "B"},
            "dimensions": ["value"],
        },
        {
            "id": "beta",
            "name": "Beta 贸易",
            "from": EXPECTED["beta"],
            "to": {**EXPECTED["beta"], "value": "A"},
            "dimensions": ["value"],
        },
    ]
    assert ok(classed, "segment", "--as-of", AS_OF, "--changes", "--format", "csv").splitlines() == [
        "id,name,dimension,from,to",
        "acme,华兴机械有限公司,value,A,B",
        "beta,Beta 贸易,value,B,A",
    ]
    table = ok(classed, "segment", "--as-of", AS_OF, "--changes")
    assert re.search(r"acme\s+华兴机械有限公司\s+value\s+A\s+→\s+B", table), table

    head = classed.head()
    applied = ok(classed, "segment", "--as-of", AS_OF, "--apply")
    assert applied.splitlines() == ["acme: value A → B", "beta: value B → A"]
    assert classed.git("rev-list", "--count", f"{head}..HEAD").strip() == "1"
    assert sorted(classed.git("show", "--name-only", "--format=", "HEAD").split()) == [
        "ledgers/acme.yaml",
        "ledgers/beta.yaml",
    ]
    diff = classed.git("diff", f"{head}..HEAD", "--", "ledgers/acme.yaml")
    assert [line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")] == [
        "-  segments: {value: A, frequency: low, size: small, credit: fair, status: normal}",
        "+  segments: {value: B, frequency: low, size: small, credit: fair, status: normal}",
    ]
    assert classed.ledger("acme").read_text(encoding="utf-8") == acme_before.replace("value: A,", "value: B,")
    assert json.loads(ok(classed, "segment", "--as-of", AS_OF, "--changes", "--format", "json"))["changes"] == []


def test_apply_json_names_the_commit_and_a_currency_without_limits_is_noted(classed: BooksFixture) -> None:
    ok(classed, "customer", "add", "brit", "--name", "Brit Ltd", "--currency", "GBP")
    result = classed.run("segment", "--as-of", AS_OF, "--apply", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["commit"] == classed.head() and len(data["changes"]) == 5
    brit = next(c for c in data["changes"] if c["id"] == "brit")
    assert (
        brit["from"] == {}
        and "size" not in brit["to"]
        and brit["dimensions"] == ["value", "frequency", "credit", "status"]
    )
    assert "no size limits for GBP" in result.stderr
    again = json.loads(ok(classed, "segment", "--as-of", AS_OF, "--apply", "--format", "json"))
    assert again == {"as_of": AS_OF, "changes": [], "commit": None}
    listed = json.loads(ok(classed, "segment", "--as-of", AS_OF, "--format", "json", "--segment", "value=C"))
    assert [(c["id"], c["segments"]["size"]) for c in listed["customers"]] == [("brit", None), ("idle", "small")]


def test_applied_segments_survive_check(classed: BooksFixture) -> None:
    ok(classed, "segment", "--as-of", AS_OF, "--apply")
    result = classed.run("check", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["ok"] is True
    shown = json.loads(ok(classed, "customer", "show", "beta", "--format", "json"))
    assert shown["customer"]["segments"] == EXPECTED["beta"]


def test_apply_no_commit_stages_the_batch(classed: BooksFixture) -> None:
    commits = classed.commit_count()
    result = classed.run("segment", "--as-of", AS_OF, "--apply", "--no-commit")
    assert result.exit_code == 0 and "staged" in result.stderr, result.output
    assert classed.commit_count() == commits
    assert len(classed.git("diff", "--cached", "--name-only").split()) == 4
    assert classed.run("commit", "-m", "segments").exit_code == 0
    assert classed.commit_count() == commits + 1


def test_apply_with_a_tag_writes_only_those_customers(classed: BooksFixture) -> None:
    ok(classed, "segment", "--as-of", AS_OF, "--apply", "--tag", "vip")
    assert sorted(classed.git("show", "--name-only", "--format=", "HEAD").split()) == [
        "ledgers/acme.yaml",
        "ledgers/beta.yaml",
    ]


def test_apply_refuses_a_file_with_uncommitted_edits(classed: BooksFixture) -> None:
    path = classed.ledger("beta")
    path.write_text(path.read_text(encoding="utf-8") + "# a note\n", encoding="utf-8")
    refused(classed, "segment", "--as-of", AS_OF, "--apply", says="uncommitted edits")


def test_apply_edits_a_block_style_segments_map_in_place(books: BooksFixture) -> None:
    text = (
        "customer:\n  id: blocky\n  name: Blocky Ltd\n  currency: CNY\n  segments:\n    value: A   # applied in October\n"
        "    frequency: high\n    size: small\n    credit: good\n    status: normal\n  notes: keep me\nentries:\n"
        '  - {id: INV-BL1, type: invoice, date: 2026-11-01, due: 2026-12-01, amount: "10.00"}\n'
    )
    books.ledger("blocky").write_text(text, encoding="utf-8")
    books.git("add", "ledgers/blocky.yaml")
    books.git("commit", "-qm", "blocky by hand")
    ok(books, "segment", "--as-of", AS_OF, "--apply")
    assert books.ledger("blocky").read_text(encoding="utf-8") == text.replace("frequency: high", "frequency: low")


def test_explain(classed: BooksFixture) -> None:
    data = json.loads(ok(classed, "segment", "--as-of", AS_OF, "--explain", "acme", "--format", "json"))
    assert data["segments"] == EXPECTED["acme"] and data["applied"] is None
    assert data["figures"] == {
        "invoiced": "800.00",
        "invoices": 1,
        "rank": 1,
        "ranked": 2,
        "invoiced_before": "0.00",
        "invoiced_total": "1000.00",
        "ranked_in": "CNY",
        "settled_invoices": 1,
        "average_days_late": "10.0",
        "open": "0.00",
        "oldest_open_item": None,
        "write_offs": [],
    }
    assert data["settled"] == [{"id": "INV-A1", "due": "2026-07-01", "settled_on": "2026-07-11", "days_late": 10}]
    assert data["reasons"]["credit"] == (
        "10.0 days late on average over 1 settled invoice; oldest open item 0 days overdue (both ≤ fair 30) → fair"
    )
    beta = json.loads(ok(classed, "segment", "--as-of", AS_OF, "--explain", "beta", "--format", "json"))
    assert beta["figures"]["oldest_open_item"] == {
        "id": "INV-B1",
        "date": "2026-10-01",
        "due": "2026-10-31",
        "open": "200.00",
        "days_overdue": 30,
    }
    assert beta["reasons"]["value"] == (
        "rank 2 of 2 CNY customers by invoiced amount; those before it hold 80.0% (≥ a 80.0%, < b 95.0%) → B"
    )
    table = ok(classed, "segment", "--as-of", AS_OF, "--explain", "beta")
    for text in ("invoiced in window", "average days late", "oldest open item", "INV-B1", "30 days overdue"):
        assert text in table


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--explain", "nobody"), "unknown customer 'nobody'"),
        (("--explain", "Bad Id"), "not a valid customer id"),
        (("--explain", "acme", "--apply"), "one of --apply, --changes and --explain"),
        (("--changes", "--apply"), "one of --apply, --changes and --explain"),
        (("--explain", "acme", "--tag", "vip"), "--tag and --segment do not apply"),
        (("--no-commit",), "--no-commit goes with --apply"),
        (("--as-of", "2026-13-01"), "not a date"),
    ],
)
def test_bad_segment_usage(classed: BooksFixture, args: tuple[str, ...], says: str) -> None:
    refused(classed, "segment", *args, says=re.escape(says))


# --- --tag and --segment on every report -------------------------------------------------------------------------------


def report_ids(books: BooksFixture, command: tuple[str, ...], *filters: str) -> list[str]:
    data = json.loads(ok(books, *command, "--as-of", AS_OF, "--format", "json", *filters))
    return [c["id"] for c in data["customers"]]


REPORTS = [("balance",), ("aging", "--all"), ("customer", "list"), ("segment",)]


@pytest.mark.parametrize("command", REPORTS)
def test_every_report_filters_on_the_applied_segments(classed: BooksFixture, command: tuple[str, ...]) -> None:
    assert report_ids(classed, command, "--segment", "value=A") == []  # nothing applied yet
    ok(classed, "segment", "--as-of", AS_OF, "--apply")
    assert report_ids(classed, command) == ["acme", "beta", "idle", "nippon"]
    assert report_ids(classed, command, "--segment", "value=A") == ["acme", "nippon"]
    assert report_ids(classed, command, "--segment", "value=a", "--segment", "credit=fair") == ["acme"]
    assert report_ids(classed, command, "--segment", "value=B", "--segment", "value=C") == ["beta", "idle"]
    assert report_ids(classed, command, "--segment", "status=overdue", "--tag", "vip") == ["beta"]
    assert report_ids(classed, command, "--tag", "vip", "--tag", "region:east") == ["acme"]


@pytest.mark.parametrize("command", REPORTS)
@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("colour=red", "unknown dimension 'colour'"),
        ("value=D", "value is one of A, B, C"),
        ("value", "write DIM=VALUE"),
    ],
)
def test_every_report_refuses_a_bad_segment_filter(
    classed: BooksFixture, command: tuple[str, ...], value: str, says: str
) -> None:
    refused(classed, *command, "--segment", value, says=re.escape(says))


def test_filters_choose_rows_but_never_change_the_classes(classed: BooksFixture) -> None:
    everyone = segments_json(classed)
    assert segments_json(classed, "--tag", "vip") == {c: everyone[c] for c in ("acme", "beta")}
    beta_alone = json.loads(
        ok(
            classed,
            "segment",
            "--as-of",
            AS_OF,
            "--format",
            "json",
            "--tag",
            "vip",
            "--segment",
            "value=B",
            "--segment",
            "value=C",
            "--segment",
            "value=A",
        )
    )
    assert beta_alone["customers"] == []  # nothing applied yet: --segment matches the header, not the computed classes


def test_customer_list_shows_tags_and_segments(classed: BooksFixture) -> None:
    ok(classed, "segment", "--as-of", AS_OF, "--apply")
    data = json.loads(ok(classed, "customer", "list", "--format", "json", "--tag", "vip"))
    assert [(c["id"], c["tags"], c["segments"]) for c in data["customers"]] == [
        ("acme", ["vip", "region:east"], EXPECTED["acme"]),
        ("beta", ["vip"], EXPECTED["beta"]),
    ]
    csv_lines = ok(classed, "customer", "list", "--format", "csv", "--segment", "status=overdue").splitlines()
    assert csv_lines[0].endswith(",tags,segments")
    assert csv_lines[1:] == [
        "beta,Beta 贸易,CNY,30,,200.00,vip,value=B frequency=low size=small credit=fair status=overdue"
    ]
    table = ok(classed, "customer", "list")
    assert "region:east" in table and "status=overdue" in table


# --- tag -----------------------------------------------------------------------------------------------------------------


def test_tag_add_and_remove_one_commit_each(books: BooksFixture) -> None:
    commits = books.commit_count()
    assert ok(books, "tag", "acme", "vip", "region:east", "vip").strip() == "vip region:east"
    assert ok(books, "tag", "acme", "--remove", "vip").strip() == "region:east"
    assert books.commit_count() == commits + 2
    assert books.git("log", "-2", "--format=%s").splitlines() == ["untag acme: vip", "tag acme: vip region:east vip"]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("acme", "VIP"), "not a tag: 'VIP'"),
        (("acme", "-x"), "No such option|not a tag"),
        (("acme", "a b"), "not a tag: 'a b'"),
        (("acme", "nope", "--remove"), "acme has no tag nope"),
        (("nobody", "vip"), "unknown customer 'nobody'"),
    ],
)
def test_bad_tags_are_refused(books: BooksFixture, args: tuple[str, ...], says: str) -> None:
    refused(books, "tag", *args, says=says)


def test_bad_segments_configuration_is_refused_with_its_line(classed: BooksFixture) -> None:
    config = classed.root / "ledgerctl.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("frequency: {high: 12, low: 3}", "frequency: {high: 2, low: 3}"),
        encoding="utf-8",
    )
    refused(
        classed, "segment", says=r"ledgerctl.yaml:\d+.*\n.*frequency.low \(3\) must not be above frequency.high \(2\)"
    )


def test_thresholds_come_from_the_configuration(classed: BooksFixture) -> None:
    config = classed.root / "ledgerctl.yaml"
    text = (
        config.read_text(encoding="utf-8")
        .replace("window_days: 365", "window_days: 100")
        .replace('CNY: {large: "500000.00", medium: "50000.00"}', 'CNY: {large: "800.00", medium: "200.00"}')
    )
    config.write_text(text, encoding="utf-8")
    got = segments_json(classed)
    # acme's June invoice is outside a 100-day window; beta's 200.00 is exactly medium
    assert got["acme"] == {"value": "C", "frequency": "low", "size": "small", "credit": "good", "status": "normal"}
    assert got["beta"]["value"] == "A" and got["beta"]["size"] == "medium"


# --- the sample books -------------------------------------------------------------------------------------------------


def test_sample_books_apply_check_and_workers(sample_books: BooksFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEDGERCTL_WORKERS", "1")
    one = ok(sample_books, "segment", "--format", "json")
    monkeypatch.setenv("LEDGERCTL_WORKERS", "2")
    assert ok(sample_books, "segment", "--format", "json") == one  # worker processes give the same answer
    commits = sample_books.commit_count()
    ok(sample_books, "segment", "--apply")
    assert sample_books.run("segment", "--apply").exit_code == 0
    assert sample_books.commit_count() == commits + 1
    assert sample_books.run("check").exit_code == 0
    bj = json.loads(ok(sample_books, "segment", "--explain", "bj-huaxia", "--format", "json"))
    assert bj["segments"]["status"] == "bad-debt" and bj["figures"]["write_offs"] == ["WO-20261031-SZEZ"]
