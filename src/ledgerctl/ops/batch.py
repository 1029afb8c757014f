"""The per-ledger half of a large batch (an import into hundreds of ledgers), on every core.

Each ledger is read, its new entries inserted and the new text loaded and checked in a
worker; only the texts and the problems travel back. What needs the whole batch (ids new
to two ledgers, ids another customer already holds) stays with the caller:
:meth:`ledgerctl.ops.session.WriteSession.post_entries`.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import re
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from ..core.errors import Problem
from ..core.models import EntryBase
from ..core.validate import validate_ledger
from ..store.cache import LedgerCache, blob_id, from_source
from ..store.fastread import fast_record
from ..store.ledgerfile import load_ledger
from ..store.yamlwrite import insert_at, insert_entries

PARALLEL_MIN_LEDGERS = 40  # below this, starting workers costs more than it saves


@dataclass(frozen=True)
class Prepared:
    relpath: str
    stem: str
    text: str  # the new text
    raw: bytes  # the bytes it was made from
    load_problems: tuple[Problem, ...]  # the ledger as it is does not load: nothing was inserted
    problems: tuple[Problem, ...]  # of the new text, before any check against other ledgers
    added: tuple[str, ...]


_ITEM = re.compile(r"^[ \t]*-[ \t]+")
_TOP_LEVEL = re.compile(r"^[^\s#]")


def _from_cache(root: Path, relpath: str, raw: bytes, entries: Sequence[EntryBase]) -> Prepared | None:
    """The insertion without parsing the file first: where each item starts comes from the cache's record of
    these very bytes (validated when it was written). None when the record or the layout does not allow it."""
    record = LedgerCache(root).get(blob_id(raw), relpath)
    if record is None or not record.loads or record.customer is None or not record.entries or record.rule_problems:
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    lines = text.splitlines(keepends=True)
    starts = [line - 1 for line in record.lines]
    if any(b <= a for a, b in pairwise(starts)) or not 0 <= starts[0] <= starts[-1] < len(lines):
        return None
    first = _ITEM.match(lines[starts[0]])
    # An item ends where the next begins; the last one where the file ends, so nothing may follow the list.
    if first is None or any(_TOP_LEVEL.match(line) for line in lines[starts[-1] + 1 :]):
        return None
    ends = [_last_content(lines, a, b - 1) for a, b in zip(starts, [*starts[1:], len(lines)], strict=True)]
    keys = [(e.date.isoformat(), e.id) for e in record.entries]
    new_text = insert_at(text, keys, starts, ends, first.end(), entries, record.customer.currency)
    return _checked(root, relpath, raw, new_text, {e.id for e in record.entries})


def _last_content(lines: list[str], start: int, end: int) -> int:
    # As the parser sees it: an item ends at its last value, before blank and comment-only lines.
    while end > start and (not lines[end].strip() or lines[end].lstrip().startswith("#")):
        end -= 1
    return end


def _checked(root: Path, relpath: str, raw: bytes, text: str, known: set[str]) -> Prepared:
    path = root / relpath
    data = text.encode("utf-8")
    blob = blob_id(data)
    # The new text is loaded and checked whole, as any report would read it: by the fast reader when it is in the
    # tool's own layout (what the writer just made), else by the safe parser. Both give the same record.
    record = fast_record(data, relpath, blob)
    if record is None:
        new, _ = load_ledger(path, relpath, raw=data)
        record = from_source(new, blob, validate_ledger(new))
    problems = tuple(record.to_problems())
    if not problems:
        # The next command reads these bytes: record them now, as a report would (content-keyed, so a batch
        # that is refused later leaves only a record no file has).
        LedgerCache(root).put(record)
    added = tuple(e.id for e in record.entries if e.id not in known)
    return Prepared(relpath, path.stem, text, raw, (), problems, added)


def prepare(root: Path, relpath: str, entries: Sequence[EntryBase]) -> Prepared:
    path = root / relpath
    raw = path.read_bytes()
    fast = _from_cache(root, relpath, raw, entries)
    if fast is not None:
        return fast
    source, parsed = load_ledger(path, relpath, raw=raw)
    stem = path.stem
    if source.problems or source.customer is None or parsed is None:
        return Prepared(relpath, stem, "", raw, tuple(source.problems), (), ())
    text = insert_entries(parsed.text, parsed.tree, entries, source.customer.currency)
    return _checked(root, relpath, raw, text, {e.id for e in source.entries})


def _chunk(root: Path, jobs: Sequence[tuple[str, Sequence[EntryBase]]]) -> list[Prepared]:
    return [prepare(root, relpath, entries) for relpath, entries in jobs]


def _quiet() -> None:
    gc.disable()  # parsing allocates millions of small objects; the cyclic collector only slows it


def prepare_all(root: Path, jobs: Sequence[tuple[str, Sequence[EntryBase]]]) -> Iterator[Prepared]:
    """:func:`prepare` for every (relpath, entries), in the order given; on every core when there are many."""
    workers = min(os.cpu_count() or 1, 8)
    if len(jobs) < PARALLEL_MIN_LEDGERS or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        enabled = gc.isenabled()
        gc.disable()
        try:
            yield from _chunk(root, jobs)
        finally:
            if enabled:
                gc.enable()
        return
    size = max(1, len(jobs) // (workers * 4))
    chunks = [jobs[i : i + size] for i in range(0, len(jobs), size)]
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=multiprocessing.get_context("fork"), initializer=_quiet
    ) as pool:
        for future in [pool.submit(_chunk, root, chunk) for chunk in chunks]:
            yield from future.result()
