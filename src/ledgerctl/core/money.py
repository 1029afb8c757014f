"""Exact money: every amount is a ``Decimal`` built here, never a float.

ISO 4217 minor units come from Babel's CLDR tables, so JPY has 0 digits and
CNY/USD/EUR have 2 without a hand-kept list.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

# Plain decimal notation only: no exponent, no NaN/Infinity, no thousands separators.
# A bookkeeper who types 1e3 meant something, but we will not guess what.
_AMOUNT_TEXT = re.compile(r"^[+-]?(\d+)(\.(\d+))?$")
CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")


class MoneyError(ValueError):
    """An amount or currency that is not acceptable; the message is for people."""


@lru_cache(maxsize=None)
def _iso_currencies() -> frozenset[str]:
    from babel.core import get_global

    return frozenset(get_global("all_currencies"))


def is_currency(code: str) -> bool:
    return bool(CURRENCY_CODE.match(code)) and code in _iso_currencies()


@lru_cache(maxsize=None)
def minor_digits(currency: str) -> int:
    """Digits after the decimal point for ``currency`` (ISO 4217 minor unit)."""
    from babel.numbers import get_currency_precision

    if not is_currency(currency):
        raise MoneyError(f"unknown currency {currency!r} (expected an ISO 4217 code such as CNY, USD, JPY)")
    return get_currency_precision(currency)


def parse_decimal(value: object) -> Decimal:
    """Read a money value exactly from its text; floats are refused outright.

    Accepts ``str``, ``int`` and ``Decimal``. A YAML loader hands unquoted numbers
    over as ``Decimal`` built from the source text, so ``12.10`` stays ``12.10``.
    """
    if isinstance(value, bool):
        raise MoneyError(f"{value!r} is not an amount")
    if isinstance(value, float):
        raise MoneyError("amounts must not be binary floats; write them as text, e.g. \"12.50\"")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise MoneyError(f"{value} is not an amount")
        return value
    if isinstance(value, str):
        text = value.strip()
        if not _AMOUNT_TEXT.match(text):
            raise MoneyError(f"{value!r} is not an amount: write digits with an optional decimal point, e.g. 1200.50")
        try:
            return Decimal(text)
        except InvalidOperation:  # pragma: no cover - the regex already guarantees a valid literal
            raise MoneyError(f"{value!r} is not an amount") from None
    raise MoneyError(f"{value!r} is not an amount")


def decimals_of(amount: Decimal) -> int:
    exponent = amount.as_tuple().exponent
    assert isinstance(exponent, int)
    return max(0, -exponent)


def check_digits(amount: Decimal, currency: str) -> None:
    """Refuse more fractional digits than the currency has (12.345 CNY, 1.5 JPY)."""
    digits = minor_digits(currency)
    normalized = amount.normalize() if amount != 0 else Decimal(0)
    if decimals_of(normalized) > digits:
        unit = "no decimals" if digits == 0 else f"at most {digits} decimal{'s' if digits > 1 else ''}"
        raise MoneyError(f"{amount} has too many decimals: {currency} amounts have {unit}")


@lru_cache(maxsize=None)
def _quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-minor_digits(currency))


def quantize(amount: Decimal, currency: str) -> Decimal:
    """The amount at exactly the currency's minor unit; exact, never rounds money."""
    check_digits(amount, currency)
    return amount.quantize(_quantum(currency))


def parse_amount(value: object, currency: str, *, allow_zero: bool = False, allow_negative: bool = False) -> Decimal:
    """Parse user input into a quantized amount, enforcing sign and digits."""
    amount = parse_decimal(value)
    if amount < 0 and not allow_negative:
        raise MoneyError(f"{value} is negative: amounts are positive (use a credit entry to reduce a balance)")
    if amount == 0 and not allow_zero:
        raise MoneyError("the amount is zero: an entry must move money")
    return quantize(amount, currency)


def fmt_plain(amount: Decimal, currency: str) -> str:
    """Text for files, JSON and CSV: the currency's digits, no separators."""
    amount = abs(amount) if amount == 0 else amount  # never print "-0.00"
    return f"{amount.quantize(_quantum(currency)):f}"


def fmt_grouped(amount: Decimal, currency: str) -> str:
    """Text for tables: thousands separators, the currency's digits."""
    digits = minor_digits(currency)
    amount = abs(amount) if amount == 0 else amount
    return f"{amount.quantize(_quantum(currency)):,.{digits}f}"


ZERO = Decimal(0)
