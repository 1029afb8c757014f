"""The entries of a ledger in the writer's everyday form, recognised in one pass over the whole block.

:mod:`.fastread` proves each entry line with one regular expression and a dozen small Python
calls: some 4.5 µs per entry, most of it the calls. Nearly every line the tool writes uses a
narrower form still: plain ids that start with a letter, quoted amounts, plain or escape-free
quoted texts, plain tags and fingerprints. Here one expression over the whole ``entries:`` block
(``findall``, C speed) takes exactly those lines, and a single loop turns each into its record.

It proves a subset of what fastread proves, and answers for a whole block or not at all: when
not every line is such a line or one YAML skips (a value in another form, a block-style entry) or a value is
one the models would refuse, it returns None and fastread's line-by-line reader runs, then the
safe parser. The tests hold its records to the safe path's, byte for byte.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal

from ..core.dates import FIRST_DATE, LAST_DATE
from .cache import CachedEntry
from .fastscalars import CONTROL, SKIPPED

# A plain id that starts with a letter is text unless it is one of YAML's words (null, true, false): no number,
# no indicator, no ': ' or ' #' (no spaces at all).
_WORD = r"(?:null|Null|NULL|true|True|TRUE|false|False|FALSE)"
_ID = rf"(?!{_WORD}(?![A-Za-z0-9._/-]))[A-Za-z][A-Za-z0-9._/-]{{0,63}}"
_DATE = r"(?:19|2[0-9])[0-9]{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
# A quoted amount with at most 15 digits before the point: never more than the models take (fastscalars.amount_of).
_AMOUNT = r'"(-?[0-9]{1,15}(?:\.[0-9]{1,12})?)"'
_POSITIVE = r'"[0-9]{1,15}(?:\.[0-9]{1,12})?"'
# A plain text whose first character makes it text for certain (not a sign, '.', '~' or an indicator), that is not a
# word and not all digits with at most one point (plainscalars' int and decimal); or a quoted text without escapes.
# (A plain scalar in a flow mapping ends at ',' or '}'.)
_P = rf"[^{CONTROL} ,\[\]{{}}#:]"
_FIRST = rf"[^{CONTROL} ,\[\]{{}}#:\-?&*!|>'\"%@`+.~]"
_PLAIN = rf"(?!{_WORD}[,}}]|[0-9]+(?:\.[0-9]*)?[,}}]){_FIRST}(?:{_P}++|#|:{_P}| +{_P})*+"
_QUOTED = rf'"[^"\\{CONTROL}]++"'
_TAG = r"(?!(?:null|true|false|[0-9]+)[,\]])[a-z0-9][a-z0-9_-]*(?::[a-z0-9_-]+)*"

# Keys in the writer's order (fastread._KEY_ORDER), every one optional here; which ones a type may have, and must
# have, is checked per type below. Groups: id, type, date, due, amount, by, voids, level, invoices, ref (quoted),
# ref (plain), allocations, fingerprint. Memo and tags are only checked: reports do not read them.
_ENTRY = (
    rf"  - \{{id: ({_ID}), type: ([a-z_]+), date: ({_DATE})"
    rf"(?:, due: ({_DATE}))?"
    rf"(?:, amount: {_AMOUNT})?"
    rf"(?:, by: ({_DATE}))?"
    rf"(?:, voids: ({_ID}))?"
    r"(?:, level: ([1-9]))?"
    rf"(?:, invoices: (\[(?:{_ID}(?:, {_ID})*)?\]))?"
    rf'(?:, ref: (?:"([^"\\{CONTROL}]++)"|({_PLAIN})))?'
    rf"(?:, memo: (?:{_QUOTED}|{_PLAIN}))?"
    rf"(?:, allocations: \{{({_ID}: {_POSITIVE}(?:, {_ID}: {_POSITIVE})*)\}})?"
    rf"(?:, tags: \[(?:{_TAG}(?:, {_TAG})*)?\])?"
    r"(?:, fingerprint: ([a-z]+:[A-Za-z0-9_./=+-]{1,200}))?"
    r"\}"
)
_LINE = re.compile(rf"^{_ENTRY}$", re.MULTILINE)
_LINE_OR_SKIPPED = re.compile(rf"^(?:{_ENTRY}|{SKIPPED.pattern})$", re.MULTILINE)  # a skipped line: groups empty

_days: dict[str, dt.date] = {}
_ZERO = Decimal(0)


class _Doubt(Exception):
    pass


def _day(text: str) -> dt.date:
    day = _days.get(text)
    if day is None:
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            raise _Doubt from None  # 2023-02-30
        if not FIRST_DATE <= day <= LAST_DATE:
            raise _Doubt
        if len(_days) > 100_000:
            _days.clear()
        _days[text] = day
    return day


def _positive(text: str) -> Decimal:
    amount = Decimal(text)
    if amount <= _ZERO:
        raise _Doubt
    return amount


def _allocations(text: str) -> dict[str, Decimal]:
    pairs = text.split(", ")
    allocations = {}
    for pair in pairs:
        target, amount = pair.split(': "')
        allocations[target] = _positive(amount[:-1])
    if len(allocations) != len(pairs):
        raise _Doubt  # a key twice: YAML refuses the file
    return allocations


def _ids(text: str) -> list[str]:
    return text[1:-1].split(", ") if len(text) > 2 else []  # absent or []: the models' default, an empty list


# One builder per type, from a line's groups (see _LINE) and its date: each refuses a key its type does not have.
Row = tuple[str, ...]


def _invoice(r: Row, day: dt.date) -> CachedEntry:
    _, _, _, due, amount, by, voids, level, invoices, ref_q, ref_p, allocations, fp = r
    if not amount or by or voids or level or invoices or allocations:
        raise _Doubt
    return CachedEntry(
        r[0], "invoice", day, _positive(amount), (_days.get(due) or _day(due)) if due else None, ref_q or ref_p or None,
        None, None, None, None, fp or None, None,
    )  # fmt: skip


def _credit(kind: str) -> Callable[[Row, dt.date], CachedEntry]:
    def build(r: Row, day: dt.date) -> CachedEntry:
        _, _, _, due, amount, by, voids, level, invoices, ref_q, ref_p, allocations, fp = r
        if not amount or due or by or voids or level or invoices:
            raise _Doubt
        return CachedEntry(
            r[0], kind, day, _positive(amount), None, ref_q or ref_p or None,
            _allocations(allocations) if allocations else None, None, None, None, fp or None, None,
        )  # fmt: skip

    return build


def _refund(r: Row, day: dt.date) -> CachedEntry:
    _, _, _, due, amount, by, voids, level, invoices, ref_q, ref_p, allocations, fp = r
    if not amount or due or by or voids or level or invoices or allocations:
        raise _Doubt
    return CachedEntry(
        r[0], "refund", day, _positive(amount), None, ref_q or ref_p or None, None, None, None, None, fp or None, None
    )


def _note(r: Row, day: dt.date) -> CachedEntry:
    if any(r[3:12]):  # due … allocations
        raise _Doubt
    return CachedEntry(r[0], "note", day, None, None, None, None, None, None, None, r[12] or None, None)


def _reminder(r: Row, day: dt.date) -> CachedEntry:
    _, _, _, due, amount, by, voids, level, invoices, ref_q, ref_p, allocations, fp = r
    if not level or amount or due or by or voids or ref_q or ref_p or allocations:
        raise _Doubt
    return CachedEntry(
        r[0], "reminder", day, None, None, None, None, None, int(level), _ids(invoices), fp or None, None
    )


def _balance(r: Row, day: dt.date) -> CachedEntry:
    _, _, _, due, amount, by, voids, level, invoices, ref_q, ref_p, allocations, fp = r
    if not amount or due or by or voids or level or invoices or ref_q or ref_p or allocations:
        raise _Doubt
    # Any sign; "-0.00" stays as written, as the loader reads a quoted amount.
    return CachedEntry(r[0], "balance", day, Decimal(amount), None, None, None, None, None, None, fp or None, None)


def _void(r: Row, day: dt.date) -> CachedEntry:
    _, _, _, due, amount, by, voids, level, invoices, ref_q, ref_p, allocations, fp = r
    if not voids or amount or due or by or level or invoices or ref_q or ref_p or allocations:
        raise _Doubt
    return CachedEntry(r[0], "void", day, None, None, None, None, voids, None, None, fp or None, None)


def _promise(r: Row, day: dt.date) -> CachedEntry:
    _, _, _, due, amount, by, voids, level, invoices, ref_q, ref_p, allocations, fp = r
    if not amount or not by or due or voids or level or ref_q or ref_p or allocations:
        raise _Doubt
    return CachedEntry(
        r[0], "promise", day, _positive(amount), None, None,
        None, None, None, _ids(invoices), fp or None, _days.get(by) or _day(by),
    )  # fmt: skip


def _not_a_type(r: Row, day: dt.date) -> CachedEntry:
    raise _Doubt


_BUILDERS = {
    "invoice": _invoice,
    "payment": _credit("payment"),
    "credit_note": _credit("credit_note"),
    "write_off": _credit("write_off"),
    "refund": _refund,
    "note": _note,
    "reminder": _reminder,
    "balance": _balance,
    "void": _void,
    "promise": _promise,
}


def _rows(body: str) -> list[Row] | None:
    """The groups of every line of ``body``, when each is an entry in the everyday form or one YAML skips."""
    # Each match is one whole line, so as many matches as lines means every line is one. (With skipped lines, the
    # empty line after the last newline is one as well.)
    found: list[Row] = _LINE.findall(body)
    if len(found) == body.count("\n") + (not body.endswith("\n")) - (not body):
        return found
    found = _LINE_OR_SKIPPED.findall(body)
    return found if len(found) == body.count("\n") + 1 else None


def bulk_entries(body: str, first_line: int) -> tuple[list[CachedEntry], dict[str, int]] | None:
    """The records of the entry lines in ``body`` (the text after ``entries:``, its first line ``first_line``) and
    each id's first line, when every line is an entry in the everyday form or one YAML skips; else None."""
    found = _rows(body)
    if found is None:
        return None
    entries: list[CachedEntry] = []
    append = entries.append
    numbers: list[int] = []
    days = _days
    builders = _BUILDERS
    try:
        for number, row in enumerate(found, first_line):
            if not row[0]:
                continue  # a blank or comment line
            numbers.append(number)
            date = row[2]
            append(builders.get(row[1], _not_a_type)(row, days.get(date) or _day(date)))
    except _Doubt:
        return None
    lines = dict(zip([e.id for e in entries], numbers, strict=True))
    if len(lines) != len(entries):  # an id twice: the first line it is on, as fastread keeps it
        lines = {}
        for number, entry in zip(numbers, entries, strict=True):
            lines.setdefault(entry.id, number)
    return entries, lines
