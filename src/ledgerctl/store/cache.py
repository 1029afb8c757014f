"""A content-keyed cache of validated ledgers under ``.ledgerctl/cache/``.

Parsing YAML in Python is the bottleneck of every report, so each file content
is parsed and validated once. The key is the git blob id of the file's bytes
(SHA-1 of ``blob <size>\\0<bytes>``), computed from the bytes themselves: a
stat-based key (size, mtime) can miss an edit made within the timestamp
granularity, a content key cannot.

Entries are stored as msgpack arrays decoded straight into lean typed records
(msgspec): several times faster than JSON plus pydantic, and the records carry
exactly what reports need. Each record also holds the ledger's position after
its last entry (:class:`ledgerctl.core.engine.FinalPosition`, computed by the
engine); the entries stay undecoded bytes until something reads them, so a
report as of today decodes only the header and the open items. The models stay
the source of truth: a record is only ever written from a fully validated model. A cache file that is corrupt,
partial, of another format or package version, or for another blob is
ignored and rewritten, never trusted over the file.

A record on disk is its CRC-32 (4 bytes, little-endian) followed by the msgpack
bytes it covers. A flipped bit can still decode into a well-formed record with
other money, dates or ids, so the checksum is verified before decoding and a
mismatch is a miss. CRC-32 catches every single-bit error and every burst up to
32 bits, and costs about 0.5 µs per 2 KB record (blake2b costs five times that).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import struct
import zlib
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

import msgspec

from .. import __version__
from ..core import engine
from ..core.errors import Problem
from ..core.kinds import SIGNS

if TYPE_CHECKING:  # only a cache miss builds a record from a parsed file
    from ..core.validate import SourcedLedger

# 4: records carry a checksum; 5: aliases, bank accounts and fingerprints; 6: promises (by); 7: tax id, archived;
# 8: the final position's open items undecoded, with their aging summary
CACHE_FORMAT = 8
VERSION_TAG = f"f{CACHE_FORMAT}-v{__version__}"


class CachedCustomer(msgspec.Struct, frozen=True):
    id: str
    name: str
    currency: str
    terms_days: int
    credit_limit: Decimal | None = None
    tags: list[str] = []
    segments: dict[str, str] | None = None
    aliases: list[str] = []
    bank_accounts: list[str] = []
    tax_id: str | None = None
    archived: bool = False


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
    level: int | None = None  # reminders (dunning)
    invoices: list[str] | None = None
    fingerprint: str | None = None  # imported entries (import bank|invoices)
    by: dt.date | None = None  # promises (followups)

    @property
    def sign(self) -> int:
        return SIGNS[self.type]


class CachedProblem(msgspec.Struct, array_like=True, frozen=True):
    code: str
    message: str
    line: int | None = None
    entry: str | None = None


_items_encoder = msgspec.msgpack.Encoder()
_items_decoder = msgspec.msgpack.Decoder(list[engine.OpenItem])


class CachedFinal(msgspec.Struct, array_like=True, frozen=True):
    """:class:`ledgerctl.core.engine.FinalPosition` as stored."""

    last_date: dt.date
    terms_days: int
    balance: Decimal
    unapplied: Decimal
    debits: Decimal
    credits: Decimal
    # list[engine.OpenItem], decoded only when read: an aging without --detail needs only the summary below
    open_items: msgspec.Raw
    aging: engine.AgingSummary

    @classmethod
    def of(cls, final: engine.FinalPosition) -> CachedFinal:
        pos = final.position
        return cls(
            final.last_date,
            final.terms_days,
            pos.balance,
            pos.unapplied,
            pos.debits,
            pos.credits,
            msgspec.Raw(_items_encoder.encode(list(pos.open_items))),
            engine.AgingSummary.of(pos),
        )

    def to_engine(self) -> engine.FinalPosition:
        items = tuple(_items_decoder.decode(self.open_items))
        return engine.FinalPosition(
            self.last_date,
            self.terms_days,
            engine.Position(self.last_date, self.balance, items, self.unapplied, self.debits, self.credits),
        )


_entries_encoder = msgspec.msgpack.Encoder()
_entries_decoder = msgspec.msgpack.Decoder(list[CachedEntry])


class LedgerEntries(Sequence[CachedEntry]):
    """A ledger's entries, decoded on first use, carrying their final position for the engine."""

    __slots__ = ("_raw", "_items", "_final", "_decoded_final", "kept", "noted")

    def __init__(self, raw: bytes | Callable[[], bytes], final: CachedFinal | None):
        self._raw = raw  # or where to get them: a record read from the books' index has only its head
        self._items: list[CachedEntry] | None = None
        self._final = final
        self._decoded_final: engine.FinalPosition | None = None
        #: figures kept from earlier runs for this content, and the ones computed now (see store/positions.py):
        #: ("position", as-of, terms) -> engine.Position; ("flows", start, end, terms) -> periods.Flows
        self.kept: Any = None  # anything with .get(key), e.g. store.positions._KeptFor
        self.noted: list[tuple[tuple[Any, ...], Any]] | None = None

    def known_position(self, as_of: dt.date, terms_days: int) -> engine.Position | None:
        return self.kept.get(("position", as_of, terms_days)) if self.kept else None

    def note_position(self, position: engine.Position, terms_days: int) -> None:
        if self.noted is not None:
            self.noted.append((("position", position.as_of, terms_days), position))

    def known(self, key: tuple[Any, ...]) -> Any:
        """A report's own figure kept for this content: key (kind, parameters…, as-of, terms), see core.segments."""
        return self.kept.get(key) if self.kept else None

    def note(self, key: tuple[Any, ...], value: Any) -> None:
        if self.noted is not None:
            self.noted.append((key, value))

    def known_flows(self, start: dt.date, end: dt.date, terms_days: int) -> Any:
        return self.kept.get(("flows", start, end, terms_days)) if self.kept else None

    def note_flows(self, start: dt.date, end: dt.date, terms_days: int, flows: Any) -> None:
        if self.noted is not None:
            self.noted.append((("flows", start, end, terms_days), flows))

    @property
    def final(self) -> engine.FinalPosition | None:
        if self._decoded_final is None and self._final is not None:
            self._decoded_final = self._final.to_engine()
        return self._decoded_final

    def aging_summary(self, as_of: dt.date, terms_days: int) -> tuple[Decimal, Decimal, engine.AgingSummary] | None:
        """(balance, unapplied, the open items' aging summary) at ``as_of``: after the last entry, or a kept month-end."""
        final = self._final
        if final is None or as_of < final.last_date or terms_days != final.terms_days:
            # as of a past month-end: the summary kept with that position, if one was kept (store/positions.py)
            return self.kept.get(("aging", as_of, terms_days)) if self.kept else None
        return final.balance, final.unapplied, final.aging

    @property
    def final_balance(self) -> tuple[dt.date, Decimal] | None:
        """What engine.balance needs of the final position, without building its open items."""
        return None if self._final is None else (self._final.last_date, self._final.balance)

    def _load(self) -> list[CachedEntry]:
        if self._items is None:
            raw = self._raw
            self._items = _entries_decoder.decode(raw() if callable(raw) else raw)
        return self._items

    @overload
    def __getitem__(self, index: int) -> CachedEntry: ...
    @overload
    def __getitem__(self, index: slice) -> list[CachedEntry]: ...
    def __getitem__(self, index: Any) -> Any:
        return self._load()[index]

    def __len__(self) -> int:
        return len(self._load())

    def __iter__(self) -> Iterator[CachedEntry]:
        return iter(self._load())


class CachedLedger(msgspec.Struct, dict=True):  # dict: room for the decoded entries
    format: int
    version: str
    blob: str
    file: str
    customer: CachedCustomer | None
    entries_raw: msgspec.Raw  # list[CachedEntry], decoded only when read (see entries)
    final: CachedFinal | None
    # Each entry's line, decoded only when read (check, duplicates, batch edits): most reports never need them.
    lines_raw: msgspec.Raw = msgspec.field(name="lines")
    load_problems: list[CachedProblem]  # the file does not (fully) load: reports must not use it
    rule_problems: list[CachedProblem]  # the file's own SPEC 3 rules (validate_ledger)

    @property
    def entries(self) -> LedgerEntries:
        entries = self.__dict__.get("_entries")
        if entries is None:
            raw: bytes | Callable[[], bytes] = self.entries_raw
            if self.is_head:
                # Not a method of self: a closure over the record would make a cycle, and bulk reads run with the
                # cyclic collector off, so every record read would stay in memory to the end of the report.
                full: Callable[[], CachedLedger] = self.__dict__["_full"]
                raw = lambda: full().entries_raw  # noqa: E731
            entries = self.__dict__["_entries"] = LedgerEntries(raw, self.final)
        return entries

    @property
    def lines(self) -> list[int]:
        lines = self.__dict__.get("_lines")
        if lines is None:
            raw = self.full().lines_raw if self.is_head else self.lines_raw
            lines = self.__dict__["_lines"] = _lines_decoder.decode(raw)
        return lines

    @property
    def is_head(self) -> bool:
        """Whether this is the head of the record kept in the books' index (see :func:`head_of`)."""
        raw = self.entries_raw
        return len(raw) == 1 and memoryview(raw)[0] == _HEAD_MARK[0]  # an empty entry list is b"\x90"

    def full(self) -> CachedLedger:
        """The whole record of a head: its entries and lines are in the record's own file."""
        return self.__dict__["_full"]()  # type: ignore[no-any-return]

    @property
    def loads(self) -> bool:
        return self.customer is not None and not self.load_problems

    def to_problems(self) -> list[Problem]:
        return [
            Problem(p.code, p.message, self.file, p.line, p.entry) for p in (*self.load_problems, *self.rule_problems)
        ]


_encoder = msgspec.msgpack.Encoder()
_decoder = msgspec.msgpack.Decoder(CachedLedger)
_HEAD_MARK = b"\xc0"  # msgpack nil in place of the entries and lines: this is a head (see head_of)


def head_of(record: CachedLedger) -> bytes:
    """The record without its entries and lines: what a report as of today reads, kept in the books' index so
    that a warm report reads one file, not one per ledger (store/statindex.py)."""
    marker = msgspec.Raw(_HEAD_MARK)
    return _encoder.encode(msgspec.structs.replace(record, entries_raw=marker, lines_raw=marker))


def from_head(head: bytes, blob: str, file: str, full: Callable[[], CachedLedger]) -> CachedLedger | None:
    """The head of ``file``'s record for ``blob``, or None; ``full()`` gives the whole record when it is read."""
    try:
        record = _decoder.decode(head)
    except (msgspec.DecodeError, msgspec.ValidationError, ValueError):
        return None
    if record.format != CACHE_FORMAT or record.version != __version__ or record.blob != blob or record.file != file:
        return None
    if not record.is_head:
        return None
    record.__dict__["_full"] = full
    return record


_lines_decoder = msgspec.msgpack.Decoder(list[int])
_CHECKSUM = struct.Struct("<I")


def seal(payload: bytes) -> bytes:
    """A record's bytes as stored: the checksum of ``payload``, then ``payload``."""
    return _CHECKSUM.pack(zlib.crc32(payload)) + payload


def unseal(data: bytes) -> bytes | None:
    """The payload of a stored record, or None when it is too short or its checksum does not match."""
    if len(data) < _CHECKSUM.size:
        return None
    payload = data[_CHECKSUM.size :]
    return payload if _CHECKSUM.unpack_from(data)[0] == zlib.crc32(payload) else None


def blob_id(data: bytes) -> str:
    """git's object id of ``data`` as a blob: the same key `git ls-files -s` shows."""
    digest = hashlib.sha1(b"blob %d\0" % len(data))
    digest.update(data)
    return digest.hexdigest()


def _cached(problems: list[Problem]) -> list[CachedProblem]:
    return [CachedProblem(p.code, p.message, p.line, p.entry) for p in problems]


def _cached_entry(fields: dict[str, Any]) -> CachedEntry:
    # A model's fields are its __dict__: a missing one read with getattr goes through pydantic's __getattr__ and an
    # AttributeError, which cost more than all the rest of the record (0.4 s of 0.5 s per 30,000 entries).
    get = fields.get
    return CachedEntry(
        fields["id"],
        fields["type"],
        fields["date"],
        get("amount"),
        get("due"),
        get("ref"),
        get("allocations"),
        get("voids"),
        get("level"),
        get("invoices"),
        get("fingerprint"),
        get("by"),
    )


def from_source(source: SourcedLedger, blob: str, rule_problems: list[Problem]) -> CachedLedger:
    """A cache record of a loaded ledger, its loading problems and its rule findings."""
    return record_of(source, [_cached_entry(e.__dict__) for e in source.entries], blob, rule_problems)


def record_of(
    source: SourcedLedger, entries: list[CachedEntry], blob: str, rule_problems: list[Problem]
) -> CachedLedger:
    """The cache record of ``source`` whose entries, as records, are ``entries`` (store.fastread builds them
    without models: both paths end here, so their records cannot differ in how they are put together)."""
    customer = source.customer
    cached_customer = None
    if isinstance(customer, CachedCustomer):  # read by store.fasthead, without the model
        cached_customer = customer
    elif customer is not None:
        cached_customer = CachedCustomer(
            id=customer.id,
            name=customer.name,
            currency=customer.currency,
            terms_days=customer.terms_days,
            credit_limit=customer.credit_limit,
            tags=list(customer.tags),
            segments=customer.segments.model_dump(exclude_none=True) if customer.segments else None,
            aliases=list(customer.aliases),
            bank_accounts=list(customer.bank_accounts),
            tax_id=customer.tax_id,
            archived=customer.archived,
        )
    final = None
    if customer is not None and not source.problems:
        final = CachedFinal.of(engine.final_position(entries, customer.terms_days))
    return CachedLedger(
        format=CACHE_FORMAT,
        version=__version__,
        blob=blob,
        file=source.file,
        customer=cached_customer,
        entries_raw=msgspec.Raw(_entries_encoder.encode(entries)),
        final=final,
        lines_raw=msgspec.Raw(_encoder.encode([source.entry_lines.get(e.id, 0) for e in entries])),
        load_problems=_cached(source.problems),
        rule_problems=_cached(rule_problems),
    )


class LedgerCache:
    def __init__(self, books_root: Path):
        self.folder = books_root / ".ledgerctl" / "cache" / VERSION_TAG
        self.committed_file = books_root / ".ledgerctl" / "committed-blobs"  # beside the records, not among them
        self._folder_text = os.fspath(self.folder)

    def _path(self, blob: str, file: str) -> str:
        # Validation depends on the file name too (customer.id must equal the stem). A string, not a Path:
        # a warm report looks up every ledger's record, and pathlib costs more than the lookup.
        key = hashlib.sha1(f"{file}\0{blob}".encode()).hexdigest()
        return os.path.join(self._folder_text, key[:2], key[2:])

    def get(self, blob: str, file: str) -> CachedLedger | None:
        try:
            with open(self._path(blob, file), "rb") as handle:
                data = handle.read()
        except OSError:
            return None
        payload = unseal(data)
        if payload is None:
            return None  # damaged on disk: a decodable record could still carry other figures
        try:
            record = _decoder.decode(payload)
        except (msgspec.DecodeError, msgspec.ValidationError, ValueError):
            return None  # corrupt or partial: rebuilt by the caller
        if record.format != CACHE_FORMAT or record.version != __version__ or record.blob != blob or record.file != file:
            return None
        return record

    def put(self, record: CachedLedger) -> None:
        _write_record(self._path(record.blob, record.file), seal(_encoder.encode(record)))

    def committed(self, commit: str) -> dict[str, str] | None:
        """The ledger blob ids of ``commit`` (path -> blob) as last stored by :meth:`put_committed`, or None."""
        try:
            payload = unseal(self.committed_file.read_bytes())
            found_commit, blobs = _committed_decoder.decode(payload) if payload is not None else ("", {})
        except (OSError, msgspec.DecodeError, msgspec.ValidationError):
            return None
        return blobs if found_commit == commit else None

    def put_committed(self, commit: str, blobs: dict[str, str]) -> None:
        # One file, replaced on each new commit: asking git again after a commit is cheaper than a file per commit.
        _write(self.committed_file, seal(_encoder.encode((commit, blobs))))


_committed_decoder = msgspec.msgpack.Decoder(tuple[str, dict[str, str]])


def read_sealed(path: Path) -> bytes | None:
    """The payload of a sealed file beside the records, or None when it is missing or damaged."""
    try:
        return unseal(path.read_bytes())
    except OSError:
        return None


def write_sealed(path: Path, payload: bytes) -> None:
    """Replace a sealed file beside the records (best effort: a cache that cannot be written is only slower)."""
    _write(path, seal(payload))


def _write_record(path: str, data: bytes) -> None:
    """Write a record straight to its place: one open and one write, no temporary file and rename.

    A record's name is its content key and its bytes are sealed: a reader that meets a record half written, or one
    left short by a crash or a full disk, finds that its checksum does not match and reads the file again, and two
    writers of one name write the same bytes. (A cold read of 1,000 ledgers saves 1,000 renames and temp files.)
    """
    try:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        except FileNotFoundError:  # its fan-out folder, made on the first record in it
            os.makedirs(os.path.dirname(path), exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
    except OSError:
        pass  # a read-only or full disk costs speed, never correctness


def _write(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        import tempfile  # only a write needs it (and its random module); a warm report writes nothing

        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)  # readers see the old or the new record, never half of one
    except OSError:
        pass  # a read-only or full disk costs speed, never correctness
