"""The cache is never trusted over the files: every report equals a cache-less run."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from ledgerctl.store import cache as cache_module

REPORTS = (("aging", "--all", "--format", "json"), ("balance", "--format", "json"), ("check", "--format", "json"))


def cacheless(books, *args: str) -> str:  # type: ignore[no-untyped-def]
    shutil.rmtree(books.root / ".ledgerctl" / "cache", ignore_errors=True)
    result = books.run(*args)
    return result.stdout


def assert_reports_equal_cacheless(books) -> None:  # type: ignore[no-untyped-def]
    for args in REPORTS:
        warm = books.run(*args).stdout  # whatever the cache holds now
        assert warm == cacheless(books, *args), args
        assert books.run(*args).stdout == warm  # and again, from the rebuilt cache


def cache_files(books) -> list[Path]:  # type: ignore[no-untyped-def]
    """The per-file records (in two-letter folders), not the books-wide index files beside them."""
    return [p for p in (books.root / ".ledgerctl" / "cache").rglob("*") if p.is_file() and len(p.parent.name) == 2]


def test_cache_is_filled_and_used(sample_books) -> None:  # type: ignore[no-untyped-def]
    sample_books.run("aging")
    assert len(cache_files(sample_books)) == len(list((sample_books.root / "ledgers").glob("*.yaml")))
    assert_reports_equal_cacheless(sample_books)


def test_edit_with_same_size_in_the_same_second(sample_books) -> None:  # type: ignore[no-untyped-def]
    sample_books.run("aging")
    path = sample_books.ledger("hx-machinery")
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    edited = text.replace('amount: "86400.00"', 'amount: "86500.00"', 1)
    assert edited != text and len(edited.encode()) == len(text.encode())
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same mtime: a stat key would miss it
    before = json.loads(cacheless(sample_books, "balance", "--format", "json"))
    path.write_text(text, encoding="utf-8")
    sample_books.run("balance")  # cache the original again
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert json.loads(sample_books.run("balance", "--format", "json").stdout) == before
    assert_reports_equal_cacheless(sample_books)


def test_file_replaced_by_git_checkout(sample_books) -> None:  # type: ignore[no-untyped-def]
    assert sample_books.run("add", "invoice", "hx-machinery", "100.00").exit_code == 0
    sample_books.run("aging")
    sample_books.git("checkout", "-q", "HEAD~1", "--", "ledgers/hx-machinery.yaml")
    assert_reports_equal_cacheless(sample_books)


@pytest.mark.parametrize("damage", ["garbage", "truncate", "empty", "swap"])
def test_corrupt_cache_is_ignored_and_rebuilt(sample_books, damage: str) -> None:  # type: ignore[no-untyped-def]
    expected = {args: cacheless(sample_books, *args) for args in REPORTS}
    files = sorted(cache_files(sample_books))
    for number, path in enumerate(files):
        data = path.read_bytes()
        if damage == "garbage":
            path.write_bytes(b"\x93not msgpack at all")
        elif damage == "truncate":
            path.write_bytes(data[: len(data) // 2])
        elif damage == "empty":
            path.write_bytes(b"")
        else:  # another file's valid record under this key
            path.write_bytes(files[(number + 1) % len(files)].read_bytes())
    for args in REPORTS:
        assert sample_books.run(*args).stdout == expected[args], (damage, args)


def _tamper_records(books) -> None:  # type: ignore[no-untyped-def]
    """Rewrite every cached record with wrong money, a valid format and checksum: only its version can expose it."""
    import msgspec

    for path in cache_files(books):
        record = msgspec.msgpack.decode(cache_module.unseal(path.read_bytes()), type=cache_module.CachedLedger)
        doubled = [msgspec.structs.replace(e, amount=e.amount * 2) if e.amount else e for e in record.entries]
        record.entries_raw = msgspec.Raw(msgspec.msgpack.encode(doubled))
        if record.final is not None:
            record.final = msgspec.structs.replace(record.final, balance=record.final.balance * 2)
        path.write_bytes(cache_module.seal(msgspec.msgpack.encode(record)))


def test_package_version_change_ignores_old_cache(sample_books, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    expected = cacheless(sample_books, "balance", "--format", "json")
    _tamper_records(sample_books)
    assert (
        sample_books.run("balance", "--format", "json").stdout != expected
    )  # the control: a same-version record is trusted
    monkeypatch.setattr(cache_module, "__version__", "999.0")  # same folder, records of another version
    assert sample_books.run("balance", "--format", "json").stdout == expected
    monkeypatch.setattr(cache_module, "CACHE_FORMAT", 99)
    assert sample_books.run("balance", "--format", "json").stdout == expected


def test_a_flipped_bit_in_a_record_is_a_miss_not_other_figures(sample_books) -> None:  # type: ignore[no-untyped-def]
    """Issue 11 item 5: '0' (0x30) → '2' (0x32) in a cached amount turned 6000.00 into 6002.00 with exit 0."""
    expected = {args: cacheless(sample_books, *args) for args in REPORTS}
    flipped = 0
    for path in cache_files(sample_books):
        data = bytearray(path.read_bytes())
        for at in range(len(data) - 3, 0, -1):  # the last amount-like digit: inside the entries or final position
            if data[at] == ord("0") and data[at - 1] in b"0123456789" and data[at + 1] in b"0123456789.":
                data[at] ^= 0x02
                flipped += 1
                break
        path.write_bytes(bytes(data))
    assert flipped
    for args in REPORTS:
        result = sample_books.run(*args)
        assert result.exit_code in (0, 1) and result.stdout == expected[args], args


def test_every_single_bit_flip_of_a_record_is_a_miss(sample_books) -> None:  # type: ignore[no-untyped-def]
    sample_books.run("balance")
    file = "ledgers/hx-machinery.yaml"
    blob = cache_module.blob_id((sample_books.root / file).read_bytes())
    cache = cache_module.LedgerCache(sample_books.root)
    path = Path(cache._path(blob, file))
    good = path.read_bytes()
    assert cache.get(blob, file) is not None
    trusted = []
    for bit in range(len(good) * 8):
        damaged = bytearray(good)
        damaged[bit // 8] ^= 1 << (bit % 8)
        path.write_bytes(bytes(damaged))
        if cache.get(blob, file) is not None:
            trusted.append(bit)
    assert trusted == []
    path.write_bytes(good)
    assert cache.get(blob, file) is not None


@pytest.mark.parametrize("workers", ["1", "2"])
def test_parallel_and_serial_give_the_same_reports(sample_books, monkeypatch: pytest.MonkeyPatch, workers: str) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("LEDGERCTL_WORKERS", workers)
    expected = {args: cacheless(sample_books, *args) for args in REPORTS}
    monkeypatch.setenv("LEDGERCTL_WORKERS", "1" if workers == "2" else "2")
    for args in REPORTS:
        assert cacheless(sample_books, *args) == expected[args]
