"""LedgerCache.put writes a record in place (no temporary file): a record cut short anywhere is a miss."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ledgerctl.store.cache import LedgerCache, _encoder
from ledgerctl.store.fastread import fast_record

RAW = (
    b"customer:\n  id: acme\n  name: Acme\n  currency: CNY\nentries:\n"
    b'  - {id: INV-1, type: invoice, date: 2026-01-05, amount: "100.00"}\n'
    b'  - {id: PAY-1, type: payment, date: 2026-01-07, amount: "50.00", allocations: {INV-1: "50.00"}}\n'
)
BLOB = "1" * 40
FILE = "ledgers/acme.yaml"


def test_put_makes_the_folder_and_get_reads_it_back(tmp_path: Path) -> None:
    cache = LedgerCache(tmp_path)
    record = fast_record(RAW, FILE, BLOB)
    assert record is not None
    cache.put(record)
    found = cache.get(BLOB, FILE)
    assert found is not None and _encoder.encode(found) == _encoder.encode(record)
    assert [p.name for p in cache.folder.rglob(".tmp-*")] == []
    cache.put(record)  # over itself: the same bytes
    assert _encoder.encode(cache.get(BLOB, FILE)) == _encoder.encode(record)  # type: ignore[arg-type]


def test_a_record_cut_short_anywhere_is_a_miss_and_is_written_again(tmp_path: Path) -> None:
    cache = LedgerCache(tmp_path)
    record = fast_record(RAW, FILE, BLOB)
    assert record is not None
    cache.put(record)
    path = Path(cache._path(BLOB, FILE))
    whole = path.read_bytes()
    for size in range(len(whole)):
        path.write_bytes(whole[:size])
        assert cache.get(BLOB, FILE) is None, size
    cache.put(record)
    assert path.read_bytes() == whole
    path.write_bytes(whole + b"left over")  # a longer file in its place: replaced whole, not written over in part
    assert cache.get(BLOB, FILE) is None
    cache.put(record)
    assert path.read_bytes() == whole


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_cache_that_cannot_be_written_is_only_slower(tmp_path: Path) -> None:
    cache = LedgerCache(tmp_path)
    record = fast_record(RAW, FILE, BLOB)
    assert record is not None
    cache.folder.parent.mkdir(parents=True)
    cache.folder.parent.chmod(0o500)
    try:
        cache.put(record)
        assert cache.get(BLOB, FILE) is None
    finally:
        cache.folder.parent.chmod(0o700)


def test_a_write_that_fails_leaves_no_exception(tmp_path: Path) -> None:
    cache = LedgerCache(tmp_path)
    record = fast_record(RAW, FILE, BLOB)
    assert record is not None
    cache.folder.parent.mkdir(parents=True)
    cache.folder.write_bytes(b"")  # a file where the folder should be
    cache.put(record)
    assert cache.get(BLOB, FILE) is None
