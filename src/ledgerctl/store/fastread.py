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

import datetime as dt
import json
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..core.dates import FIRST_DATE, LAST_DATE
from ..core.models import ENTRY_KEY_ORDER
from ..core.validate import validate_ledger
from .cache import CachedEntry, CachedLedger, record_of
from .ledgerfile import load_ledger
from .yamlload import MAX_FILE_BYTES, resolve_plain

# --- the shape of one entry line -------------------------------------------------------------------------------

# Characters libyaml reads as a line break or refuses outright (C0/C1 controls, DEL, BOM, U+FFFE/U+FFFF); a tab,
# which YAML sometimes takes as a space, is refused as well.
_CONTROL = r"\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff"
# A plain scalar of a flow mapping: no flow indicator, no comment, no ': ' and no indicator as its first character
# (the writer's own rules, see yamlwrite.scalar); a ':' only before a character that continues the scalar, a '#'
# only right after one; single spaces or runs of them only between such characters.
_P = rf"[^{_CONTROL} ,\[\]{{}}#:]"
_FIRST = rf"[^{_CONTROL} ,\[\]{{}}#:\-?&*!|>'\"%@`]"
_PLAIN = rf"{_FIRST}(?:{_P}++|#|:{_P}| +{_P})*+"  # possessive: the longest run is the only one YAML reads
# Double quotes with only the escapes that YAML and JSON read alike (no surrogate halves, no \/ \x \N …).
_QUOTED = rf'"(?:[^"\\{_CONTROL}]++|\\["\\bfnrt]|\\u(?![dD][89a-fA-F])[0-9a-fA-F]{{4}})*+"'
_TEXT = rf"{_PLAIN}|{_QUOTED}"
_ID = r"[A-Za-z0-9][A-Za-z0-9._/-]{0,63}"
_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
_NUMBER = r"[+-]?[0-9]+(?:\.[0-9]+)?"
_AMOUNT = rf'"{_NUMBER}"|{_NUMBER}'
_TAG = r"[a-z0-9][a-z0-9_-]*(?::[a-z0-9_-]+)*"
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


def _line_pattern(kind: str) -> re.Pattern[str]:
    """One entry of type ``kind`` on one line: its keys in the writer's order, a group for each value."""
    keys = {key.lower(): key.isupper() for key in _TYPE_KEYS[kind]} | {
        "memo": False,
        "tags": False,
        "fingerprint": False,
    }
    pattern = rf"  - \{{id: ({_VALUES['id']}), type: {kind}, date: ({_DATE})"
    for key in ENTRY_KEY_ORDER[3:]:
        if key in keys:
            pair = rf", {key}: ({_VALUES[key]})"
            pattern += pair if keys[key] else f"(?:{pair})?"
    return re.compile(pattern + r"\}")


_LINES = {kind: _line_pattern(kind) for kind in _TYPE_KEYS}
# Lines YAML skips: blank, or a comment (whose characters libyaml still checks).
_SKIPPED = re.compile(rf"[ ]*(?:#[^{_CONTROL}]*+)?")
_FINGERPRINT = re.compile(r"[a-z]+:[!-~]{1,200}")  # the model's pattern, on the ASCII the Python and Rust \s agree on

# Plain words the loader turns into something other than text (null, booleans); a plain scalar starting with a
# digit, sign, '.' or '~' may be a number or null: those go through the loader's own resolve_plain.
_WORDS = frozenset({"null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE"})
_MAYBE_NOT_TEXT = frozenset("0123456789+.~")


class _Refused(Exception):
    """A value the models would not take unchanged: the whole file goes to the safe path."""


def _plain_is_text(value: str) -> bool:
    if value in _WORDS:
        return False
    return value[0] not in _MAYBE_NOT_TEXT or isinstance(resolve_plain(value), str)


def _text(token: str | None) -> str | None:
    """The text of a scalar token (refused when YAML would read a number, null or a boolean)."""
    if token is None:
        return None
    if token[0] == '"':
        return json.loads(token) if "\\" in token else token[1:-1]  # (only escapes JSON reads as YAML does)
    if _plain_is_text(token):
        return token
    raise _Refused


def _entry_id(token: str) -> str:
    if token[0] == '"':
        return token[1:-1]
    if _plain_is_text(token):
        return token
    raise _Refused


_date_cache: dict[str, dt.date | None] = {}


def _date(text: str) -> dt.date:
    """The date the models read from ``text`` (refused when they refuse it: not a date, out of range)."""
    day = _date_cache.get(text, dt.date.min)
    if day is dt.date.min:
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            day = None
        if day is not None and not FIRST_DATE <= day <= LAST_DATE:
            day = None
        if len(_date_cache) > 100_000:
            _date_cache.clear()
        _date_cache[text] = day
    if day is None:
        raise _Refused
    return day


def _maybe_date(text: str | None) -> dt.date | None:
    return None if text is None else _date(text)


def _amount(token: str) -> Decimal:
    """The amount the loader and the models read from a token (refused with too many digits)."""
    if token[0] == '"':
        amount = Decimal(token[1:-1])
    elif "." in token:
        amount = Decimal(token)  # the loader's exact Decimal of the text
    else:
        amount = Decimal(int(token))  # the loader reads an int: -0 is 0
    if len(token) > 15 and amount and amount.adjusted() >= 15:
        raise _Refused
    return amount


def _positive(token: str) -> Decimal:
    amount = _amount(token)
    if amount <= 0:
        raise _Refused
    return amount


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


_BUILDERS: dict[str, tuple[re.Pattern[str], Callable[[Groups], CachedEntry]]] = {
    "invoice": (_LINES["invoice"], _invoice),
    "refund": (_LINES["refund"], _refund),
    "payment": (_LINES["payment"], _credit("payment")),
    "credit_note": (_LINES["credit_note"], _credit("credit_note")),
    "write_off": (_LINES["write_off"], _credit("write_off")),
    "void": (_LINES["void"], _void),
    "reminder": (_LINES["reminder"], _reminder),
    "note": (_LINES["note"], _note),
    "promise": (_LINES["promise"], _promise),
    "balance": (_LINES["balance"], _balance),
}


def _entry(line: str) -> CachedEntry | None:
    """The record of one entry line; None when the line is not one; refused when the models would not take it."""
    at = line.find(", type: ")
    end = line.find(",", at + 8)
    found = _BUILDERS.get(line[at + 8 : end] if end > 0 else line[at + 8 : -1])
    if found is None:
        return None
    match = found[0].fullmatch(line)
    return None if match is None else found[1](match.groups())


# --- the file ---------------------------------------------------------------------------------------------------

_ENTRIES_KEY = "\nentries:\n"
# The header, read by the safe path on its own, must end where it ends in the whole file: only comments, blank lines,
# the one key ``customer:`` at the left margin and indented lines (its block mapping) before ``entries:``.
_HEADER_LINE = re.compile(rf"(?:{_SKIPPED.pattern}|customer:| .*)")
_LINE_BREAKS = ("\r", "\x85", "\u2028", "\u2029")  # YAML line breaks other than \n would shift every line number


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
    source, _ = load_ledger(Path(relpath), relpath, raw=header.encode())
    if source.customer is None or source.problems or source.entries:
        return None

    first_line = len(header_lines) + 2  # 1-based line of the first line after "entries:"
    body = text[split + len(_ENTRIES_KEY) :]
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
    source.entry_lines = entry_lines
    return record_of(source, entries, blob, validate_ledger(source, entries=entries))
