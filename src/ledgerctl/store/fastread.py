"""A fast reader for ledgers in the tool's own layout, with the safe path as the judge.

Reading YAML through libyaml's event stream, pydantic models and then cache records
costs some 30 µs per entry; a cold report of a large books spends nearly all of its
time there. Files the tool writes have one shape: a header mapping, ``entries:`` at the
left margin, then one flow mapping per line, keys in :data:`ENTRY_KEY_ORDER`, scalars
in the few forms :mod:`.yamlwrite` emits. This module recognises exactly that shape
with one regular expression per line and builds the cache record directly.

It is a recogniser, not a parser: a line is taken only when the expression proves
what YAML and the models would make of it (a plain scalar only where it cannot be a
number, null, a boolean, a comment or an indicator; a double-quoted one only with the
escapes YAML and JSON read alike; every id, date and amount checked as the models
check it). Anything else (another key order, block-style entries, CRLF, anchors, a
line it does not know) returns None for the WHOLE file, and the safe path reads it.
The header, small and free in form, is read by the safe path itself; the rules of a
ledger are checked by the same :func:`validate_ledger`. The tests hold the two paths
to byte-identical records on random valid, mutated and hostile files.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from ..core.validate import SourcedLedger, validate_ledger
from .cache import CachedEntry, CachedLedger, record_of
from .fastbody import bulk_entries
from .fasthead import fast_header
from .fastscalars import AMOUNT as _AMOUNT
from .fastscalars import DATE as _DATE
from .fastscalars import ID as _ID
from .fastscalars import SKIPPED as _SKIPPED
from .fastscalars import TAG as _TAG
from .fastscalars import TEXT as _TEXT
from .fastscalars import WORDS as _WORDS
from .fastscalars import Refused as _Refused
from .fastscalars import amount_of as _amount
from .fastscalars import date_of as _date
from .fastscalars import id_of as _entry_id
from .fastscalars import maybe_date_of as _maybe_date
from .fastscalars import plain_is_text as _plain_is_text
from .fastscalars import positive_of as _positive
from .fastscalars import text_of as _text

MAX_FILE_BYTES = 64 * 1024 * 1024  # (yamlload's: a test pins the two)

# --- the shape of one entry line -------------------------------------------------------------------------------

#: what each key's value may look like (a group each: the whole token)
_VALUES = {
    "id": rf'{_ID}|"{_ID}"',
    "date": _DATE,
    "due": _DATE,
    "amount": _AMOUNT,
    "by": _DATE,
    "voids": rf'{_ID}|"{_ID}"',
    "level": "[1-9]",
    "invoices": rf"\[(?:{_ID}(?:, {_ID})*)?\]",
    "ref": _TEXT,
    "memo": _TEXT,
    "allocations": rf"\{{{_ID}: (?:{_AMOUNT})(?:, {_ID}: (?:{_AMOUNT}))*\}}",
    "tags": rf"\[(?:{_TAG}(?:, {_TAG})*)?\]",
    "fingerprint": _TEXT,
}
# Per type, the keys after id, type and date that its model has, required ones in capitals; every type may also
# have memo, tags and fingerprint. (A test pins these to the models' fields.)
_TYPE_KEYS = {
    "invoice": ("due", "AMOUNT", "ref"),
    "refund": ("AMOUNT", "ref"),
    "payment": ("AMOUNT", "ref", "allocations"),
    "credit_note": ("AMOUNT", "ref", "allocations"),
    "write_off": ("AMOUNT", "ref", "allocations"),
    "void": ("VOIDS",),
    "reminder": ("LEVEL", "invoices"),
    "note": (),
    "promise": ("AMOUNT", "BY", "invoices"),
    "balance": ("AMOUNT",),
}


# The writer's key order after id, type and date (models.ENTRY_KEY_ORDER, pinned by a test; not imported: a cold read
# of these files needs no pydantic).
_KEY_ORDER = ("due", "amount", "by", "voids", "level", "invoices", "ref", "memo", "allocations", "tags", "fingerprint")


@cache  # compiled on first use: most files are read by fastbody, and these patterns cost ~20 ms to compile
def _line_pattern(kind: str) -> re.Pattern[str]:
    """One entry of type ``kind`` on one line: its keys in the writer's order, a group for each value."""
    keys = {key.lower(): key.isupper() for key in _TYPE_KEYS[kind]} | {
        "memo": False,
        "tags": False,
        "fingerprint": False,
    }
    pattern = rf"  - \{{id: ({_VALUES['id']}), type: {kind}, date: ({_DATE})"
    for key in _KEY_ORDER:
        if key in keys:
            pair = rf", {key}: ({_VALUES[key]})"
            pattern += pair if keys[key] else f"(?:{pair})?"
    return re.compile(pattern + r"\}")


_FINGERPRINT = re.compile(r"[a-z]+:[!-~]{1,200}")  # the model's pattern, on the ASCII the Python and Rust \s agree on


def _ids(token: str | None) -> list[str]:
    if token is None:
        return []  # the models' default
    items = token[1:-1].split(", ") if len(token) > 2 else []
    for item in items:
        if not _plain_is_text(item):
            raise _Refused
    return items


def _allocations(token: str | None) -> dict[str, Decimal] | None:
    if token is None:
        return None
    pairs = [pair.split(": ") for pair in token[1:-1].split(", ")]
    allocations = {target: _positive(value) for target, value in pairs}
    if len(allocations) != len(pairs):
        raise _Refused  # a duplicate key: YAML refuses the file
    for target in allocations:
        if not _plain_is_text(target):
            raise _Refused
    return allocations


def _rest(memo: str | None, tags: str | None, fingerprint: str | None) -> str | None:
    """Check memo and tags (not kept: reports do not read them); the fingerprint."""
    if memo is not None:
        _text(memo)
    if tags is not None and len(tags) > 2:
        for tag in tags[1:-1].split(", "):
            if tag in _WORDS or tag.isdigit():
                raise _Refused
    if fingerprint is None:
        return None
    text = _text(fingerprint)
    if text is None or not _FINGERPRINT.fullmatch(text):
        raise _Refused
    return text


# One builder per type, from the groups of its line pattern (in _TYPE_KEYS order, then memo, tags, fingerprint;
# a credit's allocations come between memo and tags). CachedEntry's fields: id, type, date, amount, due, ref,
# allocations, voids, level, invoices, fingerprint, by.
Groups = tuple[Any, ...]


def _invoice(g: Groups) -> CachedEntry:
    id_, date, due, amount, ref, memo, tags, fp = g
    return CachedEntry(
        _entry_id(id_), "invoice", _date(date), _positive(amount), _maybe_date(due), _text(ref),
        None, None, None, None, _rest(memo, tags, fp), None,
    )  # fmt: skip


def _refund(g: Groups) -> CachedEntry:
    id_, date, amount, ref, memo, tags, fp = g
    return CachedEntry(
        _entry_id(id_), "refund", _date(date), _positive(amount), None, _text(ref),
        None, None, None, None, _rest(memo, tags, fp), None,
    )  # fmt: skip


def _credit(kind: str) -> Callable[[Groups], CachedEntry]:
    def build(g: Groups) -> CachedEntry:
        id_, date, amount, ref, memo, allocations, tags, fp = g
        return CachedEntry(
            _entry_id(id_), kind, _date(date), _positive(amount), None, _text(ref),
            _allocations(allocations), None, None, None, _rest(memo, tags, fp), None,
        )  # fmt: skip

    return build


def _void(g: Groups) -> CachedEntry:
    id_, date, voids, memo, tags, fp = g
    return CachedEntry(
        _entry_id(id_), "void", _date(date), None, None, None,
        None, _entry_id(voids), None, None, _rest(memo, tags, fp), None,
    )  # fmt: skip


def _reminder(g: Groups) -> CachedEntry:
    id_, date, level, invoices, memo, tags, fp = g
    return CachedEntry(
        _entry_id(id_), "reminder", _date(date), None, None, None,
        None, None, int(level), _ids(invoices), _rest(memo, tags, fp), None,
    )  # fmt: skip


def _note(g: Groups) -> CachedEntry:
    id_, date, memo, tags, fp = g
    return CachedEntry(
        _entry_id(id_), "note", _date(date), None, None, None, None, None, None, None, _rest(memo, tags, fp), None
    )


def _promise(g: Groups) -> CachedEntry:
    id_, date, amount, by, invoices, memo, tags, fp = g
    return CachedEntry(
        _entry_id(id_), "promise", _date(date), _positive(amount), None, None,
        None, None, None, _ids(invoices), _rest(memo, tags, fp), _date(by),
    )  # fmt: skip


def _balance(g: Groups) -> CachedEntry:
    id_, date, amount, memo, tags, fp = g
    return CachedEntry(
        _entry_id(id_), "balance", _date(date), _amount(amount), None, None,
        None, None, None, None, _rest(memo, tags, fp), None,
    )  # fmt: skip


_BUILDERS: dict[str, Callable[[Groups], CachedEntry]] = {
    "invoice": _invoice,
    "refund": _refund,
    "payment": _credit("payment"),
    "credit_note": _credit("credit_note"),
    "write_off": _credit("write_off"),
    "void": _void,
    "reminder": _reminder,
    "note": _note,
    "promise": _promise,
    "balance": _balance,
}


def _entry(line: str) -> CachedEntry | None:
    """The record of one entry line; None when the line is not one; refused when the models would not take it."""
    at = line.find(", type: ")
    end = line.find(",", at + 8)
    kind = line[at + 8 : end] if end > 0 else line[at + 8 : -1]
    build = _BUILDERS.get(kind)
    if build is None:
        return None
    match = _line_pattern(kind).fullmatch(line)
    return None if match is None else build(match.groups())


# --- the file ---------------------------------------------------------------------------------------------------

_ENTRIES_KEY = "\nentries:\n"
# The header, read by the safe path on its own, must end where it ends in the whole file: only comments, blank lines,
# the one key ``customer:`` at the left margin and indented lines (its block mapping) before ``entries:``.
_HEADER_LINE = re.compile(rf"(?:{_SKIPPED.pattern}|customer:| .*)")
_LINE_BREAKS = ("\r", "\x85", "\u2028", "\u2029")  # YAML line breaks other than \n would shift every line number


def _header(header: str, lines: list[str], relpath: str) -> SourcedLedger | None:
    """The ledger's header, read fast when it is in the writer's layout, else by the safe path on its own."""
    found = fast_header(lines)
    if found is not None:
        customer, key_lines = found
        return SourcedLedger(relpath, Path(relpath).stem, customer, header_lines=key_lines)  # type: ignore[arg-type]
    from .ledgerfile import load_ledger  # (pydantic and PyYAML: only for a header in another layout)

    source, _ = load_ledger(Path(relpath), relpath, raw=header.encode())
    return source if source.customer is not None and not source.problems and not source.entries else None


def fast_record(raw: bytes, relpath: str, blob: str) -> CachedLedger | None:
    """The cache record of this file, exactly as the safe path would build it
    (``from_source(load_ledger(...)[0], blob, validate_ledger(source))``), or None when the bytes are not in the
    canonical shape this reader proves equivalent (then the safe path runs)."""
    if len(raw) > MAX_FILE_BYTES:
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if text.startswith("\ufeff"):
        text = text[1:]
    for brk in _LINE_BREAKS:
        if brk in text:
            return None
    split = text.find(_ENTRIES_KEY)
    if split < 0 or text.find(_ENTRIES_KEY, split + 1) >= 0:
        return None
    header = text[: split + 1]
    header_lines = header.split("\n")
    header_lines.pop()  # after the final newline
    if header_lines.count("customer:") != 1:
        return None
    for line in header_lines:
        if not _HEADER_LINE.fullmatch(line):
            return None
    source = _header(header, header_lines, relpath)
    if source is None:
        return None

    first_line = len(header_lines) + 2  # 1-based line of the first line after "entries:"
    body = text[split + len(_ENTRIES_KEY) :]
    found = bulk_entries(body, first_line) or _line_by_line(body, first_line)  # the everyday form in one pass
    if found is None:
        return None
    entries, source.entry_lines = found
    return record_of(source, entries, blob, validate_ledger(source, entries=entries))


def _line_by_line(body: str, first_line: int) -> tuple[list[CachedEntry], dict[str, int]] | None:
    """The records of the entry lines in ``body`` and each id's first line, or None (see fast_record)."""
    lines = body.split("\n")
    if lines[-1] == "":
        lines.pop()
    entries: list[CachedEntry] = []
    entry_lines: dict[str, int] = {}
    try:
        for number, line in enumerate(lines, first_line):
            entry = _entry(line)
            if entry is None:
                if _SKIPPED.fullmatch(line):
                    continue
                return None
            entries.append(entry)
            entry_lines.setdefault(entry.id, number)
    except _Refused:
        return None
    return entries, entry_lines
