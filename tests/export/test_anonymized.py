"""An anonymised export leaves no name behind, and the books rebuilt from it (`init --from-export`) report the same figures."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import BooksFixture, run_cli

from ledgerctl.core.anonymize import Pseudonyms
from ledgerctl.store.books import Books

SALT = "test-salt"
DATES = ["2026-06-30", "2026-08-31", "2026-10-17", "2026-11-23"]


def _json(books: BooksFixture, *args: str) -> Any:
    result = books.run(*args, "--format", "json")
    assert result.exit_code == 0, (args, result.output)
    return json.loads(result.stdout)


def _export(books: BooksFixture, path: Path, *extra: str) -> Path:
    result = books.run("export", "--format", "jsonl", "--anonymize", "--out", str(path), *extra)
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def rebuilt(sample_books: BooksFixture, tmp_path: Path) -> BooksFixture:
    exported = _export(sample_books, tmp_path / "shared.jsonl", "--salt", SALT)
    result = run_cli("init", str(tmp_path / "rebuilt"), "--from-export", str(exported))
    assert result.exit_code == 0, result.output
    return BooksFixture(tmp_path / "rebuilt")


def _by_customer(
    rows: list[dict[str, Any]], rename: dict[str, str], keep: tuple[str, ...]
) -> dict[str, dict[str, Any]]:
    return {rename.get(row["id"], row["id"]): {key: row[key] for key in keep} for row in rows}


def test_every_report_gives_the_same_figures_after_the_round_trip(
    sample_books: BooksFixture, rebuilt: BooksFixture
) -> None:
    names = Pseudonyms(SALT)
    rename = {
        Path(name).stem: names.customer_id(Path(name).stem) for name in Books.open(sample_books.root).ledger_names()
    }
    assert rebuilt.run("check").exit_code == 0
    for day in DATES:
        before, after = _json(sample_books, "balance", "--as-of", day), _json(rebuilt, "balance", "--as-of", day)
        assert _by_customer(before["customers"], rename, ("currency", "balance")) == _by_customer(
            after["customers"], {}, ("currency", "balance")
        ), day
        assert before["totals"] == after["totals"], day
        for basis in ("due", "date"):
            before = _json(sample_books, "aging", "--as-of", day, "--all", "--basis", basis)
            after = _json(rebuilt, "aging", "--as-of", day, "--all", "--basis", basis)
            assert _by_customer(before["customers"], rename, ("buckets", "unapplied", "total")) == _by_customer(
                after["customers"], {}, ("buckets", "unapplied", "total")
            ), (day, basis)
            assert before["totals"] == after["totals"], (day, basis)
        before, after = _json(sample_books, "segment", "--as-of", day), _json(rebuilt, "segment", "--as-of", day)
        assert _by_customer(before["customers"], rename, ("currency", "segments")) == _by_customer(
            after["customers"], {}, ("currency", "segments")
        ), day
        before = _json(sample_books, "customer", "list", "--as-of", day)
        after = _json(rebuilt, "customer", "list", "--as-of", day)
        assert len(before["customers"]) == len(after["customers"])
    totals = ("currency", "opening_balance", "total_debits", "total_credits", "closing_balance", "unapplied", "aging")
    for original, pseudonym in rename.items():
        for start, end in (("2026-05-01", "2026-07-31"), ("2026-10-01", "2026-10-31"), ("2026-11-01", "2026-11-23")):
            before = _json(sample_books, "statement", original, "--from", start, "--to", end)
            after = _json(rebuilt, "statement", pseudonym, "--from", start, "--to", end)
            assert {k: before[k] for k in totals} == {k: after[k] for k in totals}, (original, start)
            assert len(before["lines"]) == len(after["lines"]) and len(before["open_items"]) == len(after["open_items"])


def _identifying(books: Books) -> set[str]:
    """Names, ids, contacts, notes, aliases, bank accounts, memos, refs and entry ids of the books, and its name."""
    found = {books.config.name}
    for name in books.ledger_names():
        loaded = books.load(Path(name).stem)
        customer = loaded.source.customer
        assert customer is not None
        found |= {
            customer.id,
            customer.name,
            customer.notes or "",
            *getattr(customer, "aliases", ()),
            *getattr(customer, "bank_accounts", ()),
        }
        if customer.contact:
            found |= {v for v in customer.contact.model_dump().values() if v}
        for entry in loaded.source.entries:
            found |= {entry.id, entry.memo or "", getattr(entry, "ref", None) or ""}
    return {text for text in found if text}


def test_the_anonymised_export_holds_none_of_the_original_names(sample_books: BooksFixture, tmp_path: Path) -> None:
    secret = _identifying(Books.open(sample_books.root))
    assert {"hx-machinery", "华兴机械有限公司", "PO-NW-4411"} <= secret
    for fmt in ("jsonl", "csv", "hledger", "beancount"):
        result = sample_books.run("export", "--format", fmt, "--anonymize", "--salt", SALT)
        assert result.exit_code == 0, result.output
        text = result.stdout
        leaked = sorted(value for value in secret if value in text)
        assert not leaked, (fmt, leaked[:10])
        assert "80000.00" in text or "80000" in text  # the amounts stay


def test_pseudonyms_are_stable_under_one_salt_and_differ_under_another(
    sample_books: BooksFixture, tmp_path: Path
) -> None:
    one = _export(sample_books, tmp_path / "1.jsonl", "--salt", SALT).read_text(encoding="utf-8")
    two = _export(sample_books, tmp_path / "2.jsonl", "--salt", SALT).read_text(encoding="utf-8")
    other = _export(sample_books, tmp_path / "3.jsonl", "--salt", "another").read_text(encoding="utf-8")
    assert one == two and one != other
    assert Pseudonyms(SALT).customer_id("hx-machinery") in one
    for line in one.splitlines()[1:]:  # every pseudonym is a valid id
        row = json.loads(line)
        assert re.fullmatch(r"[a-z0-9][a-z0-9._-]{0,63}", row["customer_id"])
        assert row["entry_id"] is None or re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,63}", row["entry_id"])


def test_without_a_salt_a_random_one_is_printed_and_repeats_the_export(
    sample_books: BooksFixture, tmp_path: Path
) -> None:
    first = sample_books.run("export", "--format", "jsonl", "--anonymize")
    assert first.exit_code == 0
    salt = re.search(r"salt: (\w+)", first.stderr).group(1)  # type: ignore[union-attr]
    again = sample_books.run("export", "--format", "jsonl", "--anonymize", "--salt", salt)
    assert again.stdout == first.stdout and "salt:" not in again.stderr


def test_bad_options_and_files_are_clear_errors_and_create_nothing(sample_books: BooksFixture, tmp_path: Path) -> None:
    result = sample_books.run("export", "--format", "jsonl", "--salt", "x")
    assert result.exit_code == 2 and "--anonymize" in result.stderr
    result = sample_books.run("export", "--format", "csv", "--out", str(tmp_path / "missing" / "x.csv"))
    assert result.exit_code == 2 and "Traceback" not in result.output
    broken = tmp_path / "broken.jsonl"
    for text, words in (("not json\n", "not a JSON line"), ('{"kind": "entry"}\n', "not a ledgerctl jsonl export")):
        broken.write_text(text, encoding="utf-8")
        result = run_cli("init", str(tmp_path / "new"), "--from-export", str(broken))
        assert result.exit_code == 2 and words in result.stderr, result.output
        assert not (tmp_path / "new").exists()
    good = _export(sample_books, tmp_path / "good.jsonl", "--salt", SALT).read_text(encoding="utf-8").splitlines()
    row = json.loads(good[1])
    row["amount"] = "1.001"  # more digits than CNY has: a `check` rule, found before anything is written
    broken.write_text("\n".join([good[0], json.dumps(row), *good[2:]]) + "\n", encoding="utf-8")
    result = run_cli("init", str(tmp_path / "new"), "--from-export", str(broken))
    assert result.exit_code == 2 and "amount-digits" in result.output, result.output
    assert not (tmp_path / "new").exists()
