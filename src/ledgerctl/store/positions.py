"""Positions at past month-ends, kept per file content, so last month's reports cost O(customers).

The cache keeps each ledger's position after its last entry, which serves any report as of
today. A report as of a past date (last month's aging on the 3rd, the twelve month-ends of
a period report) had to decode every entry and redo the arithmetic. The engine now tells the
entries it computed a position for (``note_position``); positions at a month-end are kept
here, one file per date (``positions/YYYY-MM-DD`` in the cache folder: relpath → blob id,
terms and the position), and handed back to the engine (``known_position``) when the same
file content is read for the same date again. A kept position is used only for the exact
blob and terms it was computed from; anything else (a changed file, a damaged record) is
computed afresh. Only month-ends are kept, so the number of files grows by twelve a year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal

import msgspec

from ..core import engine
from .cache import CachedLedger, LedgerCache, read_sealed, write_sealed

FOLDER = "positions"
Noted = list[tuple[dt.date, int, engine.Position]]


class _Kept(msgspec.Struct, array_like=True, frozen=True):
    blob: str
    terms_days: int
    balance: Decimal
    unapplied: Decimal
    debits: Decimal
    credits: Decimal
    open_items: list[engine.OpenItem]

    def position(self, as_of: dt.date) -> engine.Position:
        return engine.Position(as_of, self.balance, tuple(self.open_items), self.unapplied, self.debits, self.credits)


_file_decoder = msgspec.msgpack.Decoder(dict[str, msgspec.Raw])
_kept_decoder = msgspec.msgpack.Decoder(_Kept)
_encoder = msgspec.msgpack.Encoder()


def is_month_end(day: dt.date) -> bool:
    return (day + dt.timedelta(days=1)).day == 1


class KeptPositions:
    """The kept positions at the month-ends among ``dates``, for one run over the books."""

    def __init__(self, cache: LedgerCache, dates: Iterable[dt.date]):
        self._folder = cache.folder / FOLDER
        self.dates = sorted({day for day in dates if is_month_end(day)})
        self._files: dict[dt.date, dict[str, msgspec.Raw]] = {day: self._read(day) for day in self.dates}
        self._new: dict[dt.date, dict[str, _Kept]] = {day: {} for day in self.dates}

    def _read(self, day: dt.date) -> dict[str, msgspec.Raw]:
        payload = read_sealed(self._folder / day.isoformat())
        if payload is None:
            return {}
        try:
            return _file_decoder.decode(payload)
        except (msgspec.DecodeError, msgspec.ValidationError):
            return {}

    def attach(self, relpath: str, record: CachedLedger) -> None:
        """Hand the record's entries the positions kept for its content, and have them note new ones."""
        if not self.dates:
            return
        known: dict[tuple[dt.date, int], engine.Position] = {}
        for day in self.dates:
            raw = self._files[day].get(relpath)
            if raw is None:
                continue
            try:
                kept = _kept_decoder.decode(raw)
            except (msgspec.DecodeError, msgspec.ValidationError):
                continue
            if kept.blob == record.blob:
                known[(day, kept.terms_days)] = kept.position(day)
        entries = record.entries
        entries.positions = known
        entries.noted = []

    def noted(self, record: CachedLedger) -> Noted:
        """The month-end positions the engine computed for this record during the task."""
        found = (record.entries.noted or []) if self.dates else []
        return [(pos.as_of, terms, pos) for pos, terms in found if pos.as_of in self._new]

    def keep(self, relpath: str, blob: str, noted: Noted) -> None:
        for day, terms, pos in noted:
            if blob and day in self._new:
                self._new[day][relpath] = _Kept(
                    blob, terms, pos.balance, pos.unapplied, pos.debits, pos.credits, list(pos.open_items)
                )

    def save(self, relpaths: Sequence[str]) -> None:
        """Write the dates that gained positions; files no longer among ``relpaths`` are dropped."""
        present = set(relpaths)
        for day, new in self._new.items():
            if not new:
                continue
            merged: dict[str, msgspec.Raw | _Kept] = {
                relpath: raw for relpath, raw in self._files[day].items() if relpath in present
            }
            merged.update(new)
            write_sealed(self._folder / day.isoformat(), _encoder.encode(merged))
