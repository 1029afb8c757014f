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
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from pathlib import Path

import msgspec

from .cache import LedgerCache, read_sealed, write_sealed

RACY_SLACK_NS = 3_000_000_000  # 3 s: above the 2 s granularity of the coarsest file systems in use (FAT)
INDEX_NAME = "stat-index"

StatKey = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode


def stat_key(st: os.stat_result) -> StatKey:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


class _Stored(msgspec.Struct, array_like=True):
    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int
    blob: str


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
        found = self._stored.get(relpath)
        if found is None or (found.size, found.mtime_ns, found.ctime_ns, found.inode) != key:
            return None
        return found.blob

    def note(self, relpath: str, key: StatKey, blob: str, read_started_ns: int) -> None:
        """Remember ``blob`` for ``key`` (taken before the read that started at ``read_started_ns``), if not racy."""
        size, mtime_ns, ctime_ns, inode = key
        if not blob or max(mtime_ns, ctime_ns) + RACY_SLACK_NS >= read_started_ns:
            if self._stored.pop(relpath, None) is not None:
                self._changed = True
            return
        found = self._stored.get(relpath)
        if (
            found is not None
            and found.blob == blob
            and (found.size, found.mtime_ns, found.ctime_ns, found.inode) == key
        ):
            return
        self._stored[relpath] = _Stored(size, mtime_ns, ctime_ns, inode, blob)
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
