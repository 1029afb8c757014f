"""Positions and period flows at past month-ends, kept per file content: last month's reports cost O(customers).

The cache keeps each ledger's position after its last entry, which serves any report as of
today. A report as of a past date (last month's aging on the 3rd, the twelve month-ends of
a period report) had to decode every entry and redo the arithmetic. The engine and the
period report now tell the entries what they computed (``note_position``, ``note_flows``);
what falls on a month-end is kept here, one file per date (``positions/YYYY-MM-DD`` in the
cache folder: relpath → blob id, terms and the position, and the flows of the period ending
that day), and handed back (``known_position``, ``known_flows``) when the same file content
is read for the same date again. A kept figure is used only for the exact blob, terms (and
period start) it was computed from; anything else (a changed file, a damaged record) is
computed afresh. Only month-ends are kept, so the number of files grows by twelve a year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

import msgspec

from ..core import engine
from .cache import CachedLedger, LedgerCache, read_sealed, write_sealed

FOLDER = "positions"
Noted = list[tuple[tuple[Any, ...], Any]]  # what the entries noted: (kind, dates…, terms) -> figure
_FLOWS = "\tflows"  # the key of a file's period flows beside its position (relpaths hold no tab)


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


class _KeptFlows(msgspec.Struct, array_like=True, frozen=True):
    """One period's flows (core.periods.Flows, field by field) of the period ending on the file's date."""

    blob: str
    terms_days: int
    start: dt.date
    figures: list[Decimal]


_file_decoder = msgspec.msgpack.Decoder(dict[str, msgspec.Raw])
_kept_decoder = msgspec.msgpack.Decoder(_Kept)
_flows_decoder = msgspec.msgpack.Decoder(_KeptFlows)
_encoder = msgspec.msgpack.Encoder()


def is_month_end(day: dt.date) -> bool:
    return (day + dt.timedelta(days=1)).day == 1


class KeptPositions:
    """The kept positions and period flows at the month-ends among ``dates``, for one run over the books."""

    def __init__(self, cache: LedgerCache, dates: Iterable[dt.date]):
        self._folder = cache.folder / FOLDER
        self.dates = sorted({day for day in dates if is_month_end(day)})
        self._files: dict[dt.date, dict[str, msgspec.Raw]] = {day: self._read(day) for day in self.dates}
        self._new: dict[dt.date, dict[str, _Kept | _KeptFlows]] = {day: {} for day in self.dates}

    def _read(self, day: dt.date) -> dict[str, msgspec.Raw]:
        payload = read_sealed(self._folder / day.isoformat())
        if payload is None:
            return {}
        try:
            return _file_decoder.decode(payload)
        except (msgspec.DecodeError, msgspec.ValidationError):
            return {}

    def attach(self, relpath: str, record: CachedLedger) -> None:
        """Hand the record's entries the figures kept for its content, and have them note new ones."""
        if not self.dates:
            return
        entries = record.entries
        entries.kept = _KeptFor(self._files, relpath, record.blob)
        entries.noted = []

    def noted(self, record: CachedLedger) -> Noted:
        """The figures at these month-ends that the engine computed for this record during the task."""
        if not self.dates:
            return []
        return [(key, value) for key, value in record.entries.noted or () if key[-2] in self._new]

    def keep(self, relpath: str, blob: str, noted: Noted) -> None:
        if not blob:
            return
        for key, value in noted:
            if key[0] == "position":
                _, day, terms = key
                self._new[day][relpath] = _Kept(
                    blob, terms, value.balance, value.unapplied, value.debits, value.credits, list(value.open_items)
                )
            else:
                _, start, day, terms = key
                figures = [getattr(value, name) for name in value.__slots__]
                self._new[day][relpath + _FLOWS] = _KeptFlows(blob, terms, start, figures)

    def save(self, relpaths: Sequence[str]) -> None:
        """Write the dates that gained figures; files no longer among ``relpaths`` are dropped."""
        present = set(relpaths)
        for day, new in self._new.items():
            if not new:
                continue
            merged: dict[str, msgspec.Raw | _Kept | _KeptFlows] = {
                key: raw for key, raw in self._files[day].items() if key.split("\t")[0] in present
            }
            merged.update(new)
            write_sealed(self._folder / day.isoformat(), _encoder.encode(merged))


class _KeptFor:
    """The kept figures of one file content, decoded only when the engine asks for them."""

    __slots__ = ("_files", "_relpath", "_blob")

    def __init__(self, files: dict[dt.date, dict[str, msgspec.Raw]], relpath: str, blob: str):
        self._files, self._relpath, self._blob = files, relpath, blob

    def get(self, key: tuple[Any, ...]) -> Any:
        if key[0] == "position":
            _, day, terms = key
            found = self._files.get(day)
            position = _decoded(_kept_decoder, found.get(self._relpath) if found else None)
            if position is None or position.blob != self._blob or position.terms_days != terms:
                return None
            return position.position(day)
        _, start, day, terms = key
        found = self._files.get(day)
        flows = _decoded(_flows_decoder, found.get(self._relpath + _FLOWS) if found else None)
        if flows is None or flows.blob != self._blob or flows.terms_days != terms or flows.start != start:
            return None
        from ..core.periods import Flows  # only a period report asks for flows

        return Flows(*flows.figures)

    def __bool__(self) -> bool:
        return True


def _decoded(decoder: msgspec.msgpack.Decoder[Any], raw: msgspec.Raw | None) -> Any:
    if raw is None:
        return None
    try:
        return decoder.decode(raw)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None
