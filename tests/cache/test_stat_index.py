"""The stat-validated side index: a file is read again whenever its stat data could hide a change."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

from ledgerctl.store import bulk, statindex
from ledgerctl.store.cache import LedgerCache, blob_id
from ledgerctl.store.statindex import StatIndex, stat_key

HOUR_NS = 3600 * 10**9


def _age(path: Path, seconds: int = 3600) -> None:
    """Backdate the file's mtime (its ctime stays now, so it is still racy unless the index sees it later)."""
    past = time.time_ns() - seconds * 10**9
    os.utime(path, ns=(past, past))


def assert_reports_equal_cacheless(books) -> None:  # type: ignore[no-untyped-def]
    for args in (
        ("aging", "--all", "--format", "json"),
        ("balance", "--format", "json"),
        ("check", "--format", "json"),
    ):
        warm = books.run(*args).stdout
        shutil.rmtree(books.root / ".ledgerctl" / "cache", ignore_errors=True)
        assert warm == books.run(*args).stdout, args


def _totals(books) -> dict[str, str]:  # type: ignore[no-untyped-def]
    report = json.loads(books.run("balance", "--format", "json").stdout)
    return {t["currency"]: t["balance"] for t in report["totals"]}


def test_a_file_is_trusted_only_when_it_was_old_enough_at_the_read(tmp_path: Path) -> None:
    cache = LedgerCache(tmp_path)
    path = tmp_path / "a.yaml"
    path.write_bytes(b"one")
    key = stat_key(os.stat(path))
    index = StatIndex(cache)
    index.note("a.yaml", key, blob_id(b"one"), read_started_ns=time.time_ns())  # written just now: racy
    assert index.blob("a.yaml", key) is None
    index.note("a.yaml", key, blob_id(b"one"), read_started_ns=time.time_ns() + 2 * statindex.RACY_SLACK_NS)
    assert index.blob("a.yaml", key) == blob_id(b"one")
    index.save()
    assert StatIndex(cache).blob("a.yaml", key) == blob_id(b"one")  # kept across runs


def test_any_change_of_size_time_or_inode_is_a_miss(tmp_path: Path) -> None:
    index = StatIndex(LedgerCache(tmp_path))
    key = (10, 1_000, 1_000, 7)
    index.note("a.yaml", key, "b" * 40, read_started_ns=1_000 + 2 * statindex.RACY_SLACK_NS)
    assert index.blob("a.yaml", key) == "b" * 40
    for changed in ((11, 1_000, 1_000, 7), (10, 1_001, 1_000, 7), (10, 1_000, 1_001, 7), (10, 1_000, 1_000, 8)):
        assert index.blob("a.yaml", changed) is None
    assert index.blob("b.yaml", key) is None


def test_a_damaged_index_is_ignored(tmp_path: Path) -> None:
    cache = LedgerCache(tmp_path)
    index = StatIndex(cache)
    key = (10, 1_000, 1_000, 7)
    index.note("a.yaml", key, "b" * 40, read_started_ns=HOUR_NS)
    index.save()
    data = bytearray(index.path.read_bytes())
    data[-3] ^= 0x01
    index.path.write_bytes(bytes(data))
    assert StatIndex(cache).blob("a.yaml", key) is None


def test_an_edit_that_keeps_size_and_mtime_is_still_seen(sample_books, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The classic racy case: same size, mtime set back to what it was — the ctime (and the slack) give it away."""
    ledgers = sorted((sample_books.root / "ledgers").glob("*.yaml"))
    for path in ledgers:
        _age(path)
    # The ctime of the backdated files is now, so they are racy until a read comes RACY_SLACK_NS later;
    # instead of sleeping, this read is made to look later than that.
    later = time.time_ns() + 2 * statindex.RACY_SLACK_NS
    monkeypatch.setattr(bulk, "now_ns", lambda: later)
    before = _totals(sample_books)
    monkeypatch.undo()
    index = StatIndex(LedgerCache(sample_books.root))
    target = next(p for p in ledgers if b'amount: "' in p.read_bytes())
    relpath = f"ledgers/{target.name}"
    assert index.blob(relpath, stat_key(os.stat(target))) is not None  # trusted now
    text = target.read_bytes()
    start = text.index(b'amount: "') + len(b'amount: "')
    changed = text[:start] + (b"9" if text[start : start + 1] != b"9" else b"8") + text[start + 1 :]
    st = os.stat(target)
    target.write_bytes(changed)
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size, same mtime
    assert _totals(sample_books) != before


def test_reports_after_edits_deletions_and_renames_equal_a_cacheless_run(sample_books) -> None:  # type: ignore[no-untyped-def]
    for path in (sample_books.root / "ledgers").glob("*.yaml"):
        _age(path)
    assert_reports_equal_cacheless(sample_books)
    ledgers = sorted((sample_books.root / "ledgers").glob("*.yaml"))
    ledgers[0].unlink()
    sample_books.run("balance")
    moved = ledgers[1].read_bytes()
    ledgers[1].unlink()
    ledgers[2].write_bytes(moved.replace(ledgers[1].stem.encode(), ledgers[2].stem.encode()))
    assert_reports_equal_cacheless(sample_books)
    index = StatIndex(LedgerCache(sample_books.root))
    assert f"ledgers/{ledgers[0].name}" not in index.known()
