"""A content-keyed cache of validated ledgers under ``.ledgerctl/cache/``.

Parsing YAML in Python is the bottleneck of every report, so each file content
is parsed and validated once. The key is the git blob id of the file's bytes
(SHA-1 of ``blob <size>\\0<bytes>``), computed from the bytes themselves: a
stat-based key (size, mtime) can miss an edit made within the timestamp
granularity, a content key cannot.

Entries are stored as msgpack arrays decoded straight into lean typed records
(msgspec): several times faster than JSON plus pydantic, and the records carry
exactly what reports need. The models stay the source of truth: a record is
only ever written from a fully validated model. A cache file that is corrupt,
partial, of another format or package version, or for another blob is
ignored and rewritten, never trusted over the file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
from decimal import Decimal
from pathlib import Path

import msgspec

from .. import __version__
from ..core.errors import Problem
from ..core.models import SIGNS
from ..core.validate import SourcedLedger

CACHE_FORMAT = 1
VERSION_TAG = f"f{CACHE_FORMAT}-v{__version__}"


class CachedCustomer(msgspec.Struct, frozen=True):
    id: str
    name: str
    currency: str
    terms_days: int
    credit_limit: Decimal | None = None
    tags: list[str] = []
    segments: dict[str, str] | None = None


class CachedEntry(msgspec.Struct, array_like=True, frozen=True):
    """What reports read of an entry; duck-types :class:`ledgerctl.core.engine.EntryLike`."""

    id: str
    type: str
    date: dt.date
    amount: Decimal | None = None
    due: dt.date | None = None
    ref: str | None = None
    allocations: dict[str, Decimal] | None = None
    voids: str | None = None

    @property
    def sign(self) -> int:
        return SIGNS[self.type]


class CachedProblem(msgspec.Struct, array_like=True, frozen=True):
    code: str
    message: str
    line: int | None = None
    entry: str | None = None


class CachedLedger(msgspec.Struct):
    format: int
    version: str
    blob: str
    file: str
    customer: CachedCustomer | None
    entries: list[CachedEntry]
    lines: list[int]
    load_problems: list[CachedProblem]  # the file does not (fully) load: reports must not use it
    rule_problems: list[CachedProblem]  # the file's own SPEC 3 rules (validate_ledger)

    @property
    def loads(self) -> bool:
        return self.customer is not None and not self.load_problems

    def to_problems(self) -> list[Problem]:
        return [Problem(p.code, p.message, self.file, p.line, p.entry) for p in (*self.load_problems, *self.rule_problems)]


_encoder = msgspec.msgpack.Encoder()
_decoder = msgspec.msgpack.Decoder(CachedLedger)


def blob_id(data: bytes) -> str:
    """git's object id of ``data`` as a blob: the same key `git ls-files -s` shows."""
    digest = hashlib.sha1(b"blob %d\0" % len(data))
    digest.update(data)
    return digest.hexdigest()


def _cached(problems: list[Problem]) -> list[CachedProblem]:
    return [CachedProblem(p.code, p.message, p.line, p.entry) for p in problems]


def from_source(source: SourcedLedger, blob: str, rule_problems: list[Problem]) -> CachedLedger:
    """A cache record of a loaded ledger, its loading problems and its rule findings."""
    customer = source.customer
    cached_customer = None
    if customer is not None:
        cached_customer = CachedCustomer(
            id=customer.id, name=customer.name, currency=customer.currency, terms_days=customer.terms_days,
            credit_limit=customer.credit_limit, tags=list(customer.tags),
            segments=customer.segments.model_dump(exclude_none=True) if customer.segments else None,
        )
    entries = [
        CachedEntry(e.id, e.type, e.date, getattr(e, "amount", None), getattr(e, "due", None),  # type: ignore[attr-defined]
                    getattr(e, "ref", None), getattr(e, "allocations", None), getattr(e, "voids", None))
        for e in source.entries
    ]
    return CachedLedger(
        format=CACHE_FORMAT, version=__version__, blob=blob, file=source.file, customer=cached_customer,
        entries=entries, lines=[source.entry_lines.get(e.id, 0) for e in source.entries],
        load_problems=_cached(source.problems), rule_problems=_cached(rule_problems),
    )


class LedgerCache:
    def __init__(self, books_root: Path):
        self.folder = books_root / ".ledgerctl" / "cache" / VERSION_TAG

    def _path(self, blob: str, file: str) -> Path:
        # Validation depends on the file name too (customer.id must equal the stem).
        key = hashlib.sha1(f"{file}\0{blob}".encode()).hexdigest()
        return self.folder / key[:2] / key[2:]

    def get(self, blob: str, file: str) -> CachedLedger | None:
        try:
            with open(self._path(blob, file), "rb") as handle:
                data = handle.read()
        except OSError:
            return None
        try:
            record = _decoder.decode(data)
        except (msgspec.DecodeError, msgspec.ValidationError, ValueError):
            return None  # corrupt or partial: rebuilt by the caller
        if record.format != CACHE_FORMAT or record.version != __version__ or record.blob != blob or record.file != file:
            return None
        return record

    def put(self, record: CachedLedger) -> None:
        path = self._path(record.blob, record.file)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as handle:
                handle.write(_encoder.encode(record))
            os.replace(tmp, path)  # readers see the old or the new record, never half of one
        except OSError:
            pass  # a read-only or full disk costs speed, never correctness
