"""Reading the whole books fast: content-keyed cache, one customer at a time, both cores.

A report hands :func:`map_ledgers` a *task* (a top-level function of a
:class:`CachedLedger`); each file is read, keyed, taken from the cache or parsed
and validated once, and only the task's small result travels back. Memory stays
bounded by the largest customer, not by the books.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from .. import progress
from ..core.errors import EnvironmentProblem, Problem
from .cache import CachedLedger, LedgerCache, blob_id, from_head, from_source, head_of
from .positions import KeptPositions, Noted
from .statindex import StatIndex, StatKey, now_ns, stat_or_none

T = TypeVar("T")
PARALLEL_MIN_FILES = 400  # below this, starting workers costs more than it saves


def load_cached(root: Path, relpath: str, cache: LedgerCache) -> CachedLedger:
    return _read(root, relpath, cache).record


class FileRead(NamedTuple):
    record: CachedLedger
    key: StatKey | None  # the file's stat data, taken before its bytes were read
    started_ns: int


def _read(root: Path, relpath: str, cache: LedgerCache) -> FileRead:
    """The record of the file as it is now: its bytes read, keyed by their blob id, from the cache or parsed."""
    started = now_ns()
    key = stat_or_none(root, relpath)
    path = root / relpath
    try:
        with open(os.path.join(root, relpath), "rb") as handle:  # no Path objects on the hot path
            raw = handle.read()
    except OSError as exc:
        from ..core.validate import SourcedLedger

        unreadable = SourcedLedger(
            relpath, path.stem, None, problems=[Problem("io", f"cannot read the file: {exc.strerror}", relpath)]
        )
        return FileRead(from_source(unreadable, "", []), None, started)
    blob = blob_id(raw)
    record = cache.get(blob, relpath)
    if record is None:
        # A file in the tool's own layout is read by the fast reader (no YAML, no models); anything it cannot
        # prove equivalent, by the safe parser. A warm report imports neither.
        from .fastread import fast_record

        record = fast_record(raw, relpath, blob)
        if record is None:
            from ..core.validate import validate_ledger
            from .ledgerfile import load_ledger

            source, _ = load_ledger(path, relpath, raw=raw)
            record = from_source(source, blob, validate_ledger(source))
        cache.put(record)
    return FileRead(record, key, started)


def _known(root: Path, relpath: str, key: StatKey | None, cache: LedgerCache, index: StatIndex) -> CachedLedger | None:
    """The record (or its head) of an unchanged file without reading the file (see statindex), or None."""
    if key is None:
        return None
    found = index.head(relpath, key)
    if found is not None:
        known_blob, head = found
        record = from_head(head, known_blob, relpath, lambda: _whole(root, relpath, known_blob, cache))
        if record is not None:
            return record
    blob = index.blob(relpath, key)
    record = cache.get(blob, relpath) if blob is not None else None
    if record is not None:
        index.keep_head(relpath, record.blob, head_of(record))  # the next run reads the index alone
    return record


def _whole(root: Path, relpath: str, blob: str, cache: LedgerCache) -> CachedLedger:
    """The whole record of a head read from the index: from the cache, else the file read again (same content)."""
    record = cache.get(blob, relpath)
    if record is None:
        record = _read(root, relpath, cache).record
        if record.blob != blob:
            raise EnvironmentProblem(
                f"{relpath} changed while this command was reading the books", hint="run the command again"
            )
    return record


# relpath, result, stat key, blob, read start, positions, the record's head (for the index)
Done = tuple[str, T, StatKey | None, str, int, Noted, bytes]


def _run_chunk(
    root: Path, relpaths: Sequence[str], task: Callable[..., T], args: tuple[Any, ...], dates: Sequence[dt.date]
) -> list[Done[T]]:
    cache = LedgerCache(root)
    kept = KeptPositions(cache, dates)
    done = []
    for relpath in relpaths:
        read = _read(root, relpath, cache)
        kept.attach(relpath, read.record)
        value = task(read.record, *args)
        head = head_of(read.record) if read.key is not None else b""
        done.append((relpath, value, read.key, read.record.blob, read.started_ns, kept.noted(read.record), head))
    return done


def _worker_init() -> None:
    gc.disable()  # bulk loads allocate millions of small objects; the cyclic collector only slows them


def worker_count(files: int) -> int:
    configured = os.environ.get("LEDGERCTL_WORKERS")
    if configured and configured.isdigit():
        return max(1, int(configured))
    if files < PARALLEL_MIN_FILES:
        return 1
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return min(os.cpu_count() or 1, 8)


def map_ledgers(
    root: Path,
    relpaths: Sequence[str],
    task: Callable[..., T],
    *args: Any,
    positions_at: Sequence[dt.date] = (),
) -> Iterator[tuple[str, T]]:
    """``task(record, *args)`` for every ledger file, in the order given.

    Files whose stat data is unchanged since they were last read are answered from the cache
    in this process without reading them; only the others are read, hashed and (on a cache
    miss) parsed, on every core when there are many. ``positions_at``: the as-of dates the task
    asks the engine for; positions at those that are month-ends are kept (store/positions.py).
    """
    # Bulk reads allocate millions of small objects and no cycles: the cyclic collector would only walk them
    # (and every object the imports made) again and again, a fifth of a warm report.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        results = _map_all(root, relpaths, task, args, positions_at)
    finally:
        if was_enabled:
            gc.enable()
    for relpath in relpaths:
        yield relpath, results[relpath]


def _map_all(
    root: Path, relpaths: Sequence[str], task: Callable[..., T], args: tuple[Any, ...], positions_at: Sequence[dt.date]
) -> dict[str, T]:
    cache = LedgerCache(root)
    index = StatIndex(cache)
    kept = KeptPositions(cache, positions_at)
    results: dict[str, T] = {}
    with progress.track(len(relpaths), "reading ledgers") as advance:
        unread: list[str] = []
        for relpath in relpaths:
            record = _known(root, relpath, stat_or_none(root, relpath), cache, index)
            if record is None:
                unread.append(relpath)
                continue
            kept.attach(relpath, record)
            results[relpath] = task(record, *args)
            kept.keep(relpath, record.blob, kept.noted(record))
            advance(1)
        for relpath, value, key, blob, started, noted, head in _map_unread(root, unread, task, args, kept.dates):
            results[relpath] = value
            if key is not None:
                index.note(relpath, key, blob, started, head)
            kept.keep(relpath, blob, noted)
            advance(1)
    index.forget_others(results)
    index.save()
    kept.save(relpaths)
    return results


def _map_unread(
    root: Path, relpaths: Sequence[str], task: Callable[..., T], args: tuple[Any, ...], dates: Sequence[dt.date]
) -> Iterator[Done[T]]:
    workers = worker_count(len(relpaths))
    if workers <= 1:
        yield from _run_chunk(root, relpaths, task, args, dates)
        return
    import multiprocessing  # only a read of hundreds of changed files pays for the pool's imports
    from concurrent.futures import ProcessPoolExecutor

    size = max(1, len(relpaths) // (workers * 8))
    chunks = [relpaths[i : i + size] for i in range(0, len(relpaths), size)]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_init) as pool:
        futures = [pool.submit(_run_chunk, root, chunk, task, args, dates) for chunk in chunks]
        for future in futures:
            yield from future.result()
