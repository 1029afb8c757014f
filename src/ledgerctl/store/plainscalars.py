"""What a plain (unquoted) YAML scalar means in a ledger file: the one rule, without the YAML library.

:mod:`.yamlload` applies it to libyaml's events; :mod:`.fastread` to the scalars it recognises
itself, so a cold read of files in the tool's layout need not import PyYAML at all.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

_INT = re.compile(r"^[-+]?[0-9]+$")
_DECIMAL = re.compile(r"^[-+]?([0-9]+\.[0-9]*|\.[0-9]+)$")
_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}


def resolve_plain(value: str) -> Any:
    """YAML 1.2 core schema, except that dates stay text and only exponent-free decimals are numbers (exact)."""
    if value in _NULL:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if _INT.match(value):
        return int(value)
    if _DECIMAL.match(value):
        return Decimal(value)
    return value
