"""Exact money: every amount is a ``Decimal`` built here, never a float.

ISO 4217 minor units come from Babel's CLDR tables, so JPY has 0 digits and
CNY/USD/EUR have 2 without a hand-kept list.
"""

from __future__ import annotations

import decimal
import re
from decimal import Decimal, InvalidOperation
from functools import cache

# Plain decimal notation only: no exponent, no NaN/Infinity, no thousands separators.
# A bookkeeper who types 1e3 meant something, but we will not guess what. ASCII digits
# only: str.isdigit/\d accept １２ and ١٢, which no other tool reads as twelve.
_AMOUNT_TEXT = re.compile(r"^[+-]?([0-9]+)(\.([0-9]+))?\Z")
CURRENCY_CODE = re.compile(r"^[A-Z]{3}\Z")

#: Digits before the decimal point of any one amount (what common ERPs allow: under a quadrillion).
MAX_INTEGER_DIGITS = 15
#: Precision of every computation on amounts. An amount has at most 15 + 3 significant digits
#: (3 = the most minor digits of any currency, e.g. KWD), so a sum of up to 10**40 of them is exact:
#: no sum of accepted amounts is ever rounded. (The default 28 digits rounded a sum of two
#: 26-digit amounts, and quantize raised on a 31-digit one.)
MONEY_PRECISION = 60


def _install_money_context() -> None:
    # Once, when the first amount can be built: the current thread's context, and the template
    # of threads started later (DefaultContext). Forked workers inherit the current one.
    decimal.DefaultContext.prec = MONEY_PRECISION
    decimal.getcontext().prec = MONEY_PRECISION


_install_money_context()


class MoneyError(ValueError):
    """An amount or currency that is not acceptable; the message is for people."""


@cache
def _iso_currencies() -> frozenset[str]:
    """ISO 4217 codes that are money: legal tender of some territory at some time (CLDR).

    Leaves out what ISO lists but nobody is paid in: XXX (no currency), XTS (testing), metals
    (XAU…), units of account and fund codes (XDR, CLF, USN…).
    """
    from babel.core import get_global

    known = get_global("all_currencies")
    return frozenset(
        code
        for periods in get_global("territory_currencies").values()
        for code, *_, tender in periods
        if tender and code in known
    )


def is_currency(code: str) -> bool:
    return bool(CURRENCY_CODE.match(code)) and code in _iso_currencies()


def currency_problem(code: str) -> str | None:
    """Why ``code`` is not a currency amounts can be kept in, or None."""
    if is_currency(code):
        return None
    from babel.core import get_global

    if CURRENCY_CODE.match(code) and code in get_global("all_currencies"):
        return f"{code!r} is an ISO 4217 code but not money (no currency, a test code, a metal or a unit of account)"
    return f"{code!r} is not an ISO 4217 currency code (e.g. CNY, USD, JPY)"


#: Babel's answers kept from an earlier run (see store/configcache.py): loading Babel's CLDR data costs more
#: than a warm report, and the minor units of the currencies in use do not change between two runs.
_minor_units: dict[str, int] = {}


def use_minor_units(table: dict[str, int]) -> None:
    """Take ``table`` (from :func:`all_minor_units` of an earlier run with the same Babel) as Babel's answers."""
    _minor_units.update(table)


def all_minor_units() -> dict[str, int]:
    """The minor digits of every currency amounts can be kept in, from Babel."""
    from babel.numbers import get_currency_precision

    return {code: get_currency_precision(code) for code in sorted(_iso_currencies())}


@cache
def minor_digits(currency: str) -> int:
    """Digits after the decimal point for ``currency`` (ISO 4217 minor unit)."""
    known = _minor_units.get(currency)
    if known is not None:
        return known
    from babel.numbers import get_currency_precision

    problem = currency_problem(currency)
    if problem:
        raise MoneyError(problem)
    return get_currency_precision(currency)


def parse_decimal(value: object) -> Decimal:
    """Read a money value exactly from its text; floats are refused outright.

    Accepts ``str``, ``int`` and ``Decimal``. A YAML loader hands unquoted numbers
    over as ``Decimal`` built from the source text, so ``12.10`` stays ``12.10``.
    """
    if isinstance(value, bool):
        raise MoneyError(f"{value!r} is not an amount")
    if isinstance(value, float):
        raise MoneyError('amounts must not be binary floats; write them as text, e.g. "12.50"')
    if isinstance(value, int):
        return _within_limit(Decimal(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise MoneyError(f"{value} is not an amount")
        return _within_limit(value)
    if isinstance(value, str):
        text = value.strip()
        if not _AMOUNT_TEXT.match(text):
            raise MoneyError(
                f"{value!r} is not an amount: write digits 0-9 with an optional decimal point, e.g. 1200.50"
            )
        try:
            return _within_limit(Decimal(text))
        except InvalidOperation:  # pragma: no cover - the regex already guarantees a valid literal
            raise MoneyError(f"{value!r} is not an amount") from None
    raise MoneyError(f"{value!r} is not an amount")


def _within_limit(amount: Decimal) -> Decimal:
    # By value, not by text: 000001 is 1. adjusted() is the exponent of the first digit.
    if amount != 0 and amount.adjusted() >= MAX_INTEGER_DIGITS:
        raise MoneyError(
            f"{amount} is too large: amounts have at most {MAX_INTEGER_DIGITS} digits before the decimal point"
        )
    return amount


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


@cache
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
