"""Reading the whole books fast: content-keyed cache, one customer at a time, both cores.

A report hands :func:`map_ledgers` a *task* (a top-level function of a
:class:`CachedLedger`); each file is read, keyed, taken from the cache or parsed
and validated once, and only the task's small result travels back. Memory stays
bounded by the largest customer, not by the books.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from .. import progress
from ..core.errors import Problem
from ..core.validate import SourcedLedger, validate_ledger
from .cache import CachedLedger, LedgerCache, blob_id, from_source
from .ledgerfile import load_ledger

T = TypeVar("T")
PARALLEL_MIN_FILES = 400  # below this, starting workers costs more than it saves


def load_cached(root: Path, relpath: str, cache: LedgerCache) -> CachedLedger:
    path = root / relpath
    try:
        with open(os.path.join(root, relpath), "rb") as handle:  # no Path objects on the hot path
            raw = handle.read()
    except OSError as exc:
        unreadable = SourcedLedger(
            relpath, path.stem, None, problems=[Problem("io", f"cannot read the file: {exc.strerror}", relpath)]
        )
        return from_source(unreadable, "", [])
    blob = blob_id(raw)
    record = cache.get(blob, relpath)
    if record is not None:
        return record
    source, _ = load_ledger(path, relpath, raw=raw)
    record = from_source(source, blob, validate_ledger(source))
    cache.put(record)
    return record


def _run_chunk(
    root: Path, relpaths: Sequence[str], task: Callable[..., T], args: tuple[Any, ...]
) -> list[tuple[str, T]]:
    cache = LedgerCache(root)
    return [(relpath, task(load_cached(root, relpath, cache), *args)) for relpath in relpaths]


def _worker_init() -> None:
    gc.disable()  # bulk loads allocate millions of small objects; the cyclic collector only slows them


def worker_count(files: int) -> int:
    configured = os.environ.get("LEDGERCTL_WORKERS")
    if configured and configured.isdigit():
        return max(1, int(configured))
    if files < PARALLEL_MIN_FILES or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return min(os.cpu_count() or 1, 8)


def map_ledgers(root: Path, relpaths: Sequence[str], task: Callable[..., T], *args: Any) -> Iterator[tuple[str, T]]:
    """``task(record, *args)`` for every ledger file, in the order given."""
    with progress.track(len(relpaths), "reading ledgers") as advance:
        for result in _map_ledgers(root, relpaths, task, args):
            yield result
            advance(1)


def _map_ledgers(
    root: Path, relpaths: Sequence[str], task: Callable[..., T], args: tuple[Any, ...]
) -> Iterator[tuple[str, T]]:
    workers = worker_count(len(relpaths))
    if workers <= 1:
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            yield from _run_chunk(root, relpaths, task, args)
        finally:
            if was_enabled:
                gc.enable()
        return
    size = max(1, len(relpaths) // (workers * 8))
    chunks = [relpaths[i : i + size] for i in range(0, len(relpaths), size)]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_init) as pool:
        futures = [pool.submit(_run_chunk, root, chunk, task, args) for chunk in chunks]
        for future in futures:
            yield from future.result()
