from decimal import Decimal

import pytest

from ledgerctl.core.money import MoneyError, fmt_grouped, fmt_plain, minor_digits, parse_amount, parse_decimal


def test_minor_units_from_iso_4217() -> None:
    assert (minor_digits("CNY"), minor_digits("USD"), minor_digits("EUR"), minor_digits("JPY")) == (2, 2, 2, 0)
    with pytest.raises(MoneyError):
        minor_digits("XYZ")


@pytest.mark.parametrize("text, currency, expected", [
    ("12.10", "CNY", "12.10"), ("12", "CNY", "12.00"), ("12.1", "USD", "12.10"), ("1500", "JPY", "1500"),
    ("1500.00", "JPY", "1500"), (" 7.5 ", "EUR", "7.50"),
])
def test_parse_amount_exact(text: str, currency: str, expected: str) -> None:
    amount = parse_amount(text, currency)
    assert isinstance(amount, Decimal) and fmt_plain(amount, currency) == expected


@pytest.mark.parametrize("text, currency, fragment", [
    ("12.345", "CNY", "too many decimals"), ("1.5", "JPY", "no decimals"), ("-5", "CNY", "negative"),
    ("0", "CNY", "zero"), ("abc", "CNY", "not an amount"), ("1e3", "CNY", "not an amount"),
    ("NaN", "CNY", "not an amount"), ("Infinity", "CNY", "not an amount"), ("1,000", "CNY", "not an amount"),
])
def test_parse_amount_refuses(text: str, currency: str, fragment: str) -> None:
    with pytest.raises(MoneyError, match=fragment):
        parse_amount(text, currency)


def test_floats_are_refused_everywhere() -> None:
    with pytest.raises(MoneyError, match="float"):
        parse_decimal(0.1)
    with pytest.raises(MoneyError):
        parse_decimal(True)


def test_formatting_never_shows_negative_zero() -> None:
    assert fmt_plain(Decimal("-0.00"), "CNY") == "0.00"
    assert fmt_grouped(Decimal("-1234567.5"), "CNY") == "-1,234,567.50"
    assert fmt_grouped(Decimal("1234567"), "JPY") == "1,234,567"
