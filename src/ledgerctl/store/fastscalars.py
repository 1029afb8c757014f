"""The scalars of a ledger line as YAML and the models read them, recognised without either.

Shared by :mod:`.fastread` (entry lines) and :mod:`.fasthead` (the customer header). Each pattern
accepts only forms whose meaning is certain (see fastread); each converter raises :class:`Refused`
where the loader or the models would read something else, and the whole file then goes to the safe path.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

from ..core.dates import FIRST_DATE, LAST_DATE
from .plainscalars import resolve_plain

# Characters libyaml reads as a line break or refuses outright (C0/C1 controls, DEL, BOM, U+FFFE/U+FFFF); a tab,
# which YAML sometimes takes as a space, is refused as well.
CONTROL = r"\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff"
# A plain scalar of a flow mapping: no flow indicator, no comment, no ': ' and no indicator as its first character
# (the writer's own rules, see yamlwrite.scalar); a ':' only before a character that continues the scalar, a '#'
# only right after one; single spaces or runs of them only between such characters.
_P = rf"[^{CONTROL} ,\[\]{{}}#:]"
_FIRST = rf"[^{CONTROL} ,\[\]{{}}#:\-?&*!|>'\"%@`]"
PLAIN = rf"{_FIRST}(?:{_P}++|#|:{_P}| +{_P})*+"  # possessive: the longest run is the only one YAML reads
# Double quotes with only the escapes that YAML and JSON read alike (no surrogate halves, no \/ \x \N …).
QUOTED = rf'"(?:[^"\\{CONTROL}]++|\\["\\bfnrt]|\\u(?![dD][89a-fA-F])[0-9a-fA-F]{{4}})*+"'
TEXT = rf"{PLAIN}|{QUOTED}"
ID = r"[A-Za-z0-9][A-Za-z0-9._/-]{0,63}"
DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
NUMBER = r"[+-]?[0-9]+(?:\.[0-9]+)?"
AMOUNT = rf'"{NUMBER}"|{NUMBER}'
TAG = r"[a-z0-9][a-z0-9_-]*(?::[a-z0-9_-]+)*"

# Lines YAML skips: blank, or a comment (whose characters libyaml still checks).
SKIPPED = re.compile(rf"[ ]*(?:#[^{CONTROL}]*+)?")

# Plain words the loader turns into something other than text (null, booleans); a plain scalar starting with a
# digit, sign, '.' or '~' may be a number or null: those go through the loader's own resolve_plain.
WORDS = frozenset({"null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE"})
_MAYBE_NOT_TEXT = frozenset("0123456789+.~")


class Refused(Exception):
    """A value the models would not take unchanged: the whole file goes to the safe path."""


def plain_is_text(value: str) -> bool:
    if value in WORDS:
        return False
    return value[0] not in _MAYBE_NOT_TEXT or isinstance(resolve_plain(value), str)


def text_of(token: str | None) -> str | None:
    """The text of a scalar token (refused when YAML would read a number, null or a boolean)."""
    if token is None:
        return None
    if token[0] == '"':
        return json.loads(token) if "\\" in token else token[1:-1]  # (only escapes JSON reads as YAML does)
    if plain_is_text(token):
        return token
    raise Refused


def id_of(token: str) -> str:
    if token[0] == '"':
        return token[1:-1]
    if plain_is_text(token):
        return token
    raise Refused


_date_cache: dict[str, dt.date | None] = {}


def date_of(text: str) -> dt.date:
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
        raise Refused
    return day


def maybe_date_of(text: str | None) -> dt.date | None:
    return None if text is None else date_of(text)


def amount_of(token: str) -> Decimal:
    """The amount the loader and the models read from a token (refused with too many digits)."""
    if token[0] == '"':
        amount = Decimal(token[1:-1])
    elif "." in token:
        amount = Decimal(token)  # the loader's exact Decimal of the text
    else:
        amount = Decimal(int(token))  # the loader reads an int: -0 is 0
    if len(token) > 15 and amount and amount.adjusted() >= 15:
        raise Refused
    return amount


def positive_of(token: str) -> Decimal:
    amount = amount_of(token)
    if amount <= 0:
        raise Refused
    return amount
