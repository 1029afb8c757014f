"""Which files are unchanged since they were last read, without reading them: a stat-validated side index.

A warm report used to read and SHA-1 every ledger to find its cache record (0.5 s of CPU
at a million entries). git solves the same problem with its index: the blob id of each
tracked file is kept beside the file's stat data, and a file whose stat data is unchanged
is not read again. This is the same idea, kept beside the cache (``stat-index`` in the
cache folder), with the same care about "racy" timestamps:

* the key is (size, mtime, ctime, inode) — ctime cannot be set by a program, and a
  file replaced by rename (as our own writes and most editors do) gets a new inode;
* the stat data is taken *before* the bytes are read, so a change during the read
  leaves a stat that no longer matches (a miss), never a stale blob that does;
* an entry is only trusted when the file's mtime and ctime are older than the moment it
  was read by more than :data:`RACY_SLACK_NS`: an edit within the same timestamp tick as
  our read (coarse file systems count whole seconds) would otherwise keep its stat data.
  Such a file is simply hashed again next time.

Any doubt is a miss, and a miss costs one hash of the file's bytes, never a wrong answer.

Each entry also holds the head of the file's cache record (everything but its entries and
their lines, see :func:`ledgerctl.store.cache.head_of`): a report as of today reads this one
file and no record at all, and reads a record only when it needs the entries themselves.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Collection, Mapping
from pathlib import Path

import msgspec

from .cache import LedgerCache, blob_id, read_sealed, write_sealed

RACY_SLACK_NS = 3_000_000_000  # 3 s: above the 2 s granularity of the coarsest file systems in use (FAT)
INDEX_NAME = "stat-index"

StatKey = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode


def stat_key(st: os.stat_result) -> StatKey:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


_NONE = msgspec.Raw(b"\xc0")  # msgpack nil: no head known


def _has_head(found: _Stored) -> bool:
    head = found.head
    return len(head) != 1 or memoryview(head)[0] != 0xC0


class _Stored(msgspec.Struct, array_like=True):
    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int
    blob: str
    head: msgspec.Raw = _NONE  # the head of the file's cache record (store.cache.head_of), if known


_decoder = msgspec.msgpack.Decoder(dict[str, _Stored])
_encoder = msgspec.msgpack.Encoder()


class StatIndex:
    """relpath → (stat key, blob id) of files read before; see the module docstring for when it is trusted."""

    def __init__(self, cache: LedgerCache):
        self.path = cache.folder / INDEX_NAME
        payload = read_sealed(self.path)
        stored: dict[str, _Stored] = {}
        if payload is not None:
            try:
                stored = _decoder.decode(payload)
            except (msgspec.DecodeError, msgspec.ValidationError):
                stored = {}  # damaged: every file is hashed once more
        self._stored = stored
        self._changed = False

    def blob(self, relpath: str, key: StatKey) -> str | None:
        """The blob id of the file at ``relpath`` if its stat key is the one stored; None means read and hash it."""
        found = self._found(relpath, key)
        return None if found is None else found.blob

    def head(self, relpath: str, key: StatKey) -> tuple[str, bytes] | None:
        """The blob id and the record head of an unchanged file, when both are known."""
        found = self._found(relpath, key)
        return None if found is None or not _has_head(found) else (found.blob, bytes(found.head))

    def _found(self, relpath: str, key: StatKey) -> _Stored | None:
        found = self._stored.get(relpath)
        if found is None or (found.size, found.mtime_ns, found.ctime_ns, found.inode) != key:
            return None
        return found

    def note(self, relpath: str, key: StatKey, blob: str, read_started_ns: int, head: bytes = b"") -> None:
        """Remember ``blob`` (and its record's head) for ``key``, taken before the read that started at
        ``read_started_ns``, unless the file was too young then to trust its stat data."""
        size, mtime_ns, ctime_ns, inode = key
        if not blob or max(mtime_ns, ctime_ns) + RACY_SLACK_NS >= read_started_ns:
            # Too young to trust. An older entry for the file may stay: its stat data (its ctime above all, which
            # no program can set back) no longer matches, so it is never used, and keeping it spares rewriting
            # the whole index after every edit.
            return
        found = self._stored.get(relpath)
        if (
            found is not None
            and found.blob == blob
            and (found.size, found.mtime_ns, found.ctime_ns, found.inode) == key
            and (_has_head(found) or not head)
        ):
            return
        self._stored[relpath] = _Stored(size, mtime_ns, ctime_ns, inode, blob, msgspec.Raw(head) if head else _NONE)
        self._changed = True

    def keep_head(self, relpath: str, blob: str, head: bytes) -> None:
        """Add the record head of an entry already trusted for ``blob``."""
        found = self._stored.get(relpath)
        if found is not None and found.blob == blob and not _has_head(found):
            self._stored[relpath] = msgspec.structs.replace(found, head=msgspec.Raw(head))
            self._changed = True

    def forget_others(self, relpaths: Mapping[str, object] | set[str]) -> None:
        """Drop entries of files no longer among ``relpaths`` (deleted or renamed ledgers)."""
        gone = [relpath for relpath in self._stored if relpath not in relpaths]
        for relpath in gone:
            del self._stored[relpath]
        self._changed = self._changed or bool(gone)

    def save(self) -> None:
        if self._changed:
            write_sealed(self.path, _encoder.encode(self._stored))
            self._changed = False

    def known(self) -> Mapping[str, str]:
        """relpath → blob for every stored file (used to answer cheap questions such as id lookups)."""
        return {relpath: found.blob for relpath, found in self._stored.items()}


def now_ns() -> int:
    return time.time_ns()


def stat_or_none(root: Path, relpath: str) -> StatKey | None:
    try:
        return stat_key(os.stat(os.path.join(root, relpath)))
    except OSError:
        return None


# --- which entry ids the books already hold ------------------------------------------------------------------

IDS_NAME = "entry-ids"
_FEW = 16  # up to this many ids, a byte search per file beats building a set of every id held
_ids_decoder = msgspec.msgpack.Decoder(dict[str, bytes])


def _id_hash(entry_id: str) -> bytes:
    return hashlib.blake2b(entry_id.encode(), digest_size=8).digest()


class _StatOnly(msgspec.Struct, array_like=True):
    """An index entry without its record head (msgspec skips the rest): what an id lookup needs."""

    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int
    blob: str


_stat_only_decoder = msgspec.msgpack.Decoder(dict[str, _StatOnly])


def maybe_taken(root: Path, ids: Collection[str]) -> set[str] | None:
    """Those of ``ids`` that an entry of the books may already use: never misses one, may name a free one.

    Answered without parsing ledgers: each file content's entry ids are kept as 8-byte hashes
    (``entry-ids`` in the cache folder, by blob id) beside the stat index, so a new entry's id is checked
    in time that does not grow with the size of the files. A file whose content has no hashes yet (the
    ledger the last command wrote) is searched as bytes when it holds no backslash: YAML writes a value
    without a backslash as it reads it (only escapes change text, and an entry id cannot hold the spaces
    or quotes that folding and quoting produce), so every id in it is in its bytes. A hash or a text that
    matches by chance only makes the caller draw another id or confirm with a text search. None: a
    ledger does not load, so the question cannot be answered (the caller searches the text instead).
    """
    cache = LedgerCache(root)
    payload = read_sealed(cache.folder / INDEX_NAME)
    try:
        stats = _stat_only_decoder.decode(payload) if payload is not None else {}
    except (msgspec.DecodeError, msgspec.ValidationError):
        stats = {}
    path = cache.folder / IDS_NAME
    payload = read_sealed(path)
    try:
        known: dict[str, bytes] = _ids_decoder.decode(payload) if payload is not None else {}
    except (msgspec.DecodeError, msgspec.ValidationError):
        known = {}
    wanted = {entry_id: _id_hash(entry_id) for entry_id in ids}
    taken: set[str] = set()
    current: set[str] = set()
    new: dict[str, bytes] = {}
    try:
        with os.scandir(root / "ledgers") as found:
            names = sorted(e.name for e in found if e.name.endswith(".yaml") and e.is_file())
    except FileNotFoundError:
        names = []
    for name in names:
        relpath = f"ledgers/{name}"
        key = stat_or_none(root, relpath)
        stat = stats.get(relpath)
        trusted = stat is not None and (stat.size, stat.mtime_ns, stat.ctime_ns, stat.inode) == key
        hashes = known.get(stat.blob) if trusted and stat is not None else None
        if hashes is None and trusted and stat is not None:
            record = cache.get(stat.blob, relpath)  # unchanged since a report read it: its record has the ids
            if record is not None and record.loads:
                hashes = new[stat.blob] = b"".join(_id_hash(entry.id) for entry in record.entries)
        if hashes is None:
            found_hashes = _hashes_of_file(root, relpath, cache, known, wanted, taken)
            if found_hashes is None:
                return None
            blob, hashes = found_hashes
            if hashes is None:
                continue  # searched as bytes
            new[blob] = hashes
        current.add(stat.blob if trusted and stat is not None else blob)
        if len(wanted) <= _FEW:
            taken.update(entry_id for entry_id, digest in wanted.items() if digest in hashes)
        else:  # an import's thousands of ids: one set lookup per id held, not one search per id and file
            held = {hashes[i : i + 8] for i in range(0, len(hashes), 8)}
            taken.update(entry_id for entry_id, digest in wanted.items() if digest in held)
    if new:  # rewritten only when hashes were made: an add leaves a stale entry behind, the next parse drops it
        known.update(new)
        write_sealed(path, msgspec.msgpack.encode({blob: known[blob] for blob in current | new.keys()}))
    return taken


def _hashes_of_file(
    root: Path, relpath: str, cache: LedgerCache, known: dict[str, bytes], wanted: dict[str, bytes], taken: set[str]
) -> tuple[str, bytes | None] | None:
    """(blob, its id hashes) of a file the index could not vouch for; hashes None when it was searched as bytes
    (``taken`` updated); None when it does not load."""
    try:
        with open(os.path.join(root, relpath), "rb") as handle:
            raw = handle.read()
    except OSError:
        return None
    blob = blob_id(raw)
    hashes = known.get(blob)
    if hashes is not None:
        return blob, hashes
    if b"\\" not in raw and _is_utf8(raw):
        taken.update(entry_id for entry_id in wanted if entry_id.encode() in raw)
        return blob, None
    from .bulk import load_cached  # bulk builds on this module

    record = load_cached(root, relpath, cache)
    if not record.loads:
        return None
    return record.blob, b"".join(_id_hash(entry.id) for entry in record.entries)


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
