"""Positions and period flows at past month-ends, kept per file content: last month's reports cost O(customers).

The cache keeps each ledger's position after its last entry, which serves any report as of
today. A report as of a past date (last month's aging on the 3rd, the twelve month-ends of
a period report) had to decode every entry and redo the arithmetic. The engine and the
period report now tell the entries what they computed (``note_position``, ``note_flows``);
what falls on a month-end is kept here, one file per kind and date (``positions/YYYY-MM-DD``
and ``flows/YYYY-MM-DD`` in the cache folder: relpath → blob id, terms and the position, or
the flows of the period ending that day), and handed back (``known_position``, ``known_flows``) when the same file content
is read for the same date again. A kept figure is used only for the exact blob, terms (and
period start) it was computed from; anything else (a changed file, a damaged record) is
computed afresh. Only month-ends are kept, so the number of files grows by twelve a year.

A report may also keep its own result per customer (``entries.note`` / ``entries.known``, keyed
(kind, parameters…, as-of, terms): `segment`'s figures, `followups`' lines) at any as-of date, so
that the same report on the same day costs O(customers) too: one file per kind and date again,
used only for the exact blob, terms and parameters. Of the dates that are not month-ends, only the
:data:`RECENT_DAYS` most recently written files are kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import msgspec

from ..core import engine
from .cache import CachedLedger, LedgerCache, read_sealed, write_sealed

# one file per kind and date, read only when asked
FOLDERS = {"position": "positions", "flows": "flows", "segment": "segments", "followups": "followups"}
MONTH_END_ONLY = ("position", "flows")  # the others: reports' results (see result_types), kept at any date
RECENT_DAYS = 3  # files kept per result kind for dates that are not month-ends (today, a day or two before)
Noted = list[tuple[tuple[Any, ...], Any]]  # what the entries noted: (kind, dates…, terms) -> figure


class _Kept(msgspec.Struct, array_like=True, frozen=True):
    blob: str
    terms_days: int
    balance: Decimal
    unapplied: Decimal
    debits: Decimal
    credits: Decimal
    open_items: msgspec.Raw  # list[engine.OpenItem], decoded only for a position (an aging needs the summary)
    aging: engine.AgingSummary

    def position(self, as_of: dt.date) -> engine.Position:
        items = tuple(_items_decoder.decode(self.open_items))
        return engine.Position(as_of, self.balance, items, self.unapplied, self.debits, self.credits)


class _KeptFlows(msgspec.Struct, array_like=True, frozen=True):
    """One period's flows (core.periods.Flows, field by field) of the period ending on the file's date."""

    blob: str
    terms_days: int
    start: dt.date
    figures: list[Decimal]


class _KeptResult(msgspec.Struct, array_like=True, frozen=True):
    """A report's result for one customer, with what it was computed from; decoded by kind when asked."""

    blob: str
    terms_days: int
    params: bytes  # the key's parameters between its kind and its date, msgpack-encoded
    value: msgspec.Raw


def result_types() -> dict[str, Any]:
    """What each kind of report result decodes into (imported only when a result is read)."""
    from ..core.followups import FollowUp
    from ..core.segments import Figures

    return {"segment": Figures, "followups": tuple[FollowUp, ...]}


_decoders: dict[str, msgspec.msgpack.Decoder[Any]] = {
    "position": msgspec.msgpack.Decoder(dict[str, _Kept]),
    "flows": msgspec.msgpack.Decoder(dict[str, _KeptFlows]),
    "segment": msgspec.msgpack.Decoder(dict[str, _KeptResult]),
    "followups": msgspec.msgpack.Decoder(dict[str, _KeptResult]),
}
_value_decoders: dict[str, msgspec.msgpack.Decoder[Any]] = {}
_encoder = msgspec.msgpack.Encoder()
_items_decoder = msgspec.msgpack.Decoder(list[engine.OpenItem])


def is_month_end(day: dt.date) -> bool:
    return (day + dt.timedelta(days=1)).day == 1


class KeptPositions:
    """The kept positions and period flows at the month-ends among ``dates``, for one run over the books."""

    def __init__(self, cache: LedgerCache, dates: Iterable[dt.date]):
        self._cache = cache
        self.dates = sorted({day for day in dates if is_month_end(day)})  # for positions and flows
        self.days = sorted(set(dates))  # for reports' results
        self._files: dict[tuple[str, dt.date], dict[str, Any]] = {}
        self._new: dict[tuple[str, dt.date], dict[str, Any]] = {}

    def _path(self, kind: str, day: dt.date) -> Path:
        return self._cache.folder / FOLDERS[kind] / day.isoformat()

    def file(self, kind: str, day: dt.date) -> dict[str, Any]:
        """relpath → kept figure of ``kind`` at ``day``, decoded in one go on first use (a damaged file: none)."""
        found = self._files.get((kind, day))
        if found is None:
            payload = read_sealed(self._path(kind, day))
            try:
                found = _decoders[kind].decode(payload) if payload is not None else {}
            except (msgspec.DecodeError, msgspec.ValidationError):
                found = {}
            self._files[(kind, day)] = found
        return found

    def attach(self, relpath: str, record: CachedLedger) -> None:
        """Hand the record's entries the figures kept for its content, and have them note new ones."""
        if not self.days:
            return
        entries = record.entries
        entries.kept = _KeptFor(self, relpath, record.blob)
        entries.noted = []

    def noted(self, record: CachedLedger) -> Noted:
        """The figures at these month-ends that the engine computed for this record during the task."""
        if not self.days:
            return []
        return [
            (key, value)
            for key, value in record.entries.noted or ()
            if key[-2] in (self.dates if key[0] in MONTH_END_ONLY else self.days)
        ]

    def keep(self, relpath: str, blob: str, noted: Noted) -> None:
        if not blob:
            return
        for key, value in noted:
            kept: _Kept | _KeptFlows | _KeptResult
            if key[0] in MONTH_END_ONLY and not is_month_end(key[-2]):
                continue
            if key[0] == "position":
                _, day, terms = key
                items = msgspec.Raw(_encoder.encode(list(value.open_items)))
                summary = engine.AgingSummary.of(value)
                kept = _Kept(blob, terms, value.balance, value.unapplied, value.debits, value.credits, items, summary)
            elif key[0] == "flows":
                _, start, day, terms = key
                kept = _KeptFlows(blob, terms, start, [getattr(value, name) for name in value.__slots__])
            elif key[0] in FOLDERS:
                _, *params, day, terms = key
                kept = _KeptResult(blob, terms, _encoder.encode(params), msgspec.Raw(_encoder.encode(value)))
            else:
                continue
            self._new.setdefault((key[0], day), {})[relpath] = kept

    def save(self, relpaths: Sequence[str]) -> None:
        """Write the files that gained figures; ledgers no longer among ``relpaths`` are dropped from them."""
        present = set(relpaths)
        for (kind, day), new in self._new.items():
            merged = {relpath: kept for relpath, kept in self.file(kind, day).items() if relpath in present}
            merged.update(new)
            write_sealed(self._path(kind, day), _encoder.encode(merged))
            if not is_month_end(day):
                self._prune(kind)

    def _prune(self, kind: str) -> None:
        """Keep the files of the :data:`RECENT_DAYS` most recently written dates that are not month-ends."""
        try:
            written = []
            for path in (self._cache.folder / FOLDERS[kind]).iterdir():
                try:
                    if not is_month_end(dt.date.fromisoformat(path.name)):
                        written.append((path.stat().st_mtime_ns, path.name, path))
                except ValueError:
                    continue  # a temporary file being written
            for _, _, path in sorted(written, reverse=True)[RECENT_DAYS:]:
                path.unlink()
        except OSError:
            pass  # best effort, like every cache write


class _KeptFor:
    """The kept figures of one file content, for the engine to ask (``entries.known_position`` / ``known_flows``)."""

    __slots__ = ("_kept", "_relpath", "_blob")

    def __init__(self, kept: KeptPositions, relpath: str, blob: str):
        self._kept, self._relpath, self._blob = kept, relpath, blob

    def get(self, key: tuple[Any, ...]) -> Any:
        if key[0] == "aging":  # (balance, unapplied, summary) of the kept position: no open item decoded
            _, day, terms = key
            kept = self._kept.file("position", day).get(self._relpath) if day in self._kept.dates else None
            if kept is None or kept.blob != self._blob or kept.terms_days != terms:
                return None
            return kept.balance, kept.unapplied, kept.aging
        if key[0] not in MONTH_END_ONLY:
            return self._result(key)
        if key[0] == "position":
            _, day, terms = key
            position = self._kept.file("position", day).get(self._relpath) if day in self._kept.dates else None
            if position is None or position.blob != self._blob or position.terms_days != terms:
                return None
            return position.position(day)
        _, start, day, terms = key
        flows = self._kept.file("flows", day).get(self._relpath) if day in self._kept.dates else None
        if flows is None or flows.blob != self._blob or flows.terms_days != terms or flows.start != start:
            return None
        from ..core.periods import Flows  # only a period report asks for flows

        return Flows(*flows.figures)

    def _result(self, key: tuple[Any, ...]) -> Any:
        kind, *params, day, terms = key
        if kind not in FOLDERS or day not in self._kept.days:
            return None
        kept = self._kept.file(kind, day).get(self._relpath)
        if (
            kept is None
            or kept.blob != self._blob
            or kept.terms_days != terms
            or kept.params != _encoder.encode(params)
        ):
            return None
        decoder = _value_decoders.get(kind)
        if decoder is None:
            decoder = _value_decoders[kind] = msgspec.msgpack.Decoder(result_types()[kind])
        try:
            return decoder.decode(kept.value)
        except (msgspec.DecodeError, msgspec.ValidationError):
            return None
