"""maybe_taken: which entry ids the books may already hold, without reading unchanged ledgers."""

from __future__ import annotations

import json
import shutil
import time

from ledgerctl.store import bulk, statindex
from ledgerctl.store.cache import LedgerCache
from ledgerctl.store.statindex import maybe_taken


def _ids(books) -> list[str]:  # type: ignore[no-untyped-def]
    found = json.loads(books.run("check", "--format", "json").stdout)
    assert found["ok"], found
    ids = []
    for path in sorted((books.root / "ledgers").glob("*.yaml")):
        ids += [line.split("id: ", 1)[1].split(",", 1)[0] for line in path.read_text().splitlines() if "{id: " in line]
    return ids


def test_every_id_in_the_books_is_found_and_a_new_one_is_not(sample_books, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    ids = _ids(sample_books)
    assert len(ids) > 20
    later = time.time_ns() + 2 * statindex.RACY_SLACK_NS  # the files are trusted as if read long after written
    monkeypatch.setattr(bulk, "now_ns", lambda: later)
    fresh = ["INV-20991231-ZZZZ", "PAY-20991231-QQQQ"]
    assert maybe_taken(sample_books.root, [*ids, *fresh]) == set(ids)
    # Answered again from the kept hashes alone: no record is read (they are gone) and none is rebuilt.
    records = LedgerCache(sample_books.root).folder
    for sub in records.iterdir():
        if sub.is_dir() and len(sub.name) == 2:
            shutil.rmtree(sub)
    assert maybe_taken(sample_books.root, [ids[0], fresh[0]]) in ({ids[0]}, {ids[0], fresh[0]})
    assert not [sub for sub in records.iterdir() if sub.is_dir() and len(sub.name) == 2]


def test_an_entry_typed_by_hand_is_found_at_once(sample_books) -> None:  # type: ignore[no-untyped-def]
    maybe_taken(sample_books.root, ["X"])
    path = sorted((sample_books.root / "ledgers").glob("*.yaml"))[0]
    with path.open("a", encoding="utf-8") as handle:
        handle.write("  - {id: NT-20261101-HAND, type: note, date: 2026-11-01, memo: typed by hand}\n")
    assert maybe_taken(sample_books.root, ["NT-20261101-HAND"]) == {"NT-20261101-HAND"}


def test_a_ledger_that_does_not_load_is_searched_as_text_or_cannot_answer(sample_books) -> None:  # type: ignore[no-untyped-def]
    path = sorted((sample_books.root / "ledgers").glob("*.yaml"))[0]
    text = path.read_text()
    path.write_text(text + "  - {id: NT-20261101-BROKEN, memo: [broken\n", encoding="utf-8")
    assert maybe_taken(sample_books.root, ["NT-20261101-BROKEN", "INV-20991231-ZZZZ"]) == {"NT-20261101-BROKEN"}
    # With a backslash, YAML may spell an id differently from its bytes: only parsing could tell, and it fails.
    path.write_text(text + '  - {id: "NT-\\x41", memo: [broken\n', encoding="utf-8")
    assert maybe_taken(sample_books.root, ["NT-A"]) is None


def test_an_escaped_id_in_a_file_that_loads_is_found(sample_books) -> None:  # type: ignore[no-untyped-def]
    path = sorted((sample_books.root / "ledgers").glob("*.yaml"))[0]
    with path.open("a", encoding="utf-8") as handle:
        handle.write('  - {id: "NT-20261101-\\x41BC", type: note, date: 2026-11-01, memo: typed by hand}\n')
    assert sample_books.run("check").exit_code == 0
    assert maybe_taken(sample_books.root, ["NT-20261101-ABC"]) == {"NT-20261101-ABC"}


def test_many_ids_at_once_give_the_same_answer(sample_books) -> None:  # type: ignore[no-untyped-def]
    ids = _ids(sample_books)
    fresh = [f"PAY-20991231-{n:04d}" for n in range(40)]
    assert maybe_taken(sample_books.root, [*ids, *fresh]) == set(ids)
    assert maybe_taken(sample_books.root, ids[:3] + fresh[:3]) == set(ids[:3])
