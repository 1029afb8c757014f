from decimal import Decimal

import pytest

from ledgerctl.core.money import (
    MoneyError,
    fmt_grouped,
    fmt_plain,
    is_currency,
    minor_digits,
    parse_amount,
    parse_decimal,
)


def test_minor_units_from_iso_4217() -> None:
    assert (minor_digits("CNY"), minor_digits("USD"), minor_digits("EUR"), minor_digits("JPY")) == (2, 2, 2, 0)
    with pytest.raises(MoneyError):
        minor_digits("XYZ")


@pytest.mark.parametrize(
    "text, currency, expected",
    [
        ("12.10", "CNY", "12.10"),
        ("12", "CNY", "12.00"),
        ("12.1", "USD", "12.10"),
        ("1500", "JPY", "1500"),
        ("1500.00", "JPY", "1500"),
        (" 7.5 ", "EUR", "7.50"),
    ],
)
def test_parse_amount_exact(text: str, currency: str, expected: str) -> None:
    amount = parse_amount(text, currency)
    assert isinstance(amount, Decimal) and fmt_plain(amount, currency) == expected


@pytest.mark.parametrize(
    "text, currency, fragment",
    [
        ("12.345", "CNY", "too many decimals"),
        ("1.5", "JPY", "no decimals"),
        ("-5", "CNY", "negative"),
        ("0", "CNY", "zero"),
        ("abc", "CNY", "not an amount"),
        ("1e3", "CNY", "not an amount"),
        ("NaN", "CNY", "not an amount"),
        ("Infinity", "CNY", "not an amount"),
        ("1,000", "CNY", "not an amount"),
    ],
)
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


# --- issue 11: limits ------------------------------------------------------------------------------------------------

LARGEST = Decimal("999999999999999.999")  # 15 integer digits and the most minor digits of any currency (KWD: 3)


def test_an_amount_has_at_most_15_integer_digits_however_it_arrives() -> None:
    assert parse_amount("999999999999999.99", "CNY") == Decimal("999999999999999.99")
    assert parse_amount("000000000000000001", "CNY") == Decimal("1.00")
    for value in ("1000000000000000", Decimal("1000000000000000.00"), 10**15, "-1000000000000000"):
        with pytest.raises(MoneyError, match="at most 15 digits before the decimal point"):
            parse_decimal(value)


def test_partial_sums_of_up_to_2_to_the_40_accepted_amounts_are_never_rounded() -> None:
    """Summing by halves reaches every partial sum size; the default 28-digit context rounded from 2**34 on."""
    total, count = LARGEST, 1
    for _ in range(40):
        total, count = total + total, count * 2
        assert total == Decimal(int(LARGEST * 1000) * count).scaleb(-3), count


@pytest.mark.parametrize("text", ["１２", "١٢", "۱۲", "१२", "1２.00", "12.０0"])
def test_only_ascii_digits_make_an_amount(text: str) -> None:
    with pytest.raises(MoneyError, match="not an amount"):
        parse_amount(text, "CNY")


@pytest.mark.parametrize("code", ["XXX", "XTS", "XAU", "XAG", "XPT", "XPD", "XDR", "XBA", "XSU", "XUA", "CLF", "USN"])
def test_codes_that_are_not_money_are_no_currency(code: str) -> None:
    assert not is_currency(code)
    with pytest.raises(MoneyError, match="not money"):
        minor_digits(code)


@pytest.mark.parametrize("code", ["CNY", "USD", "EUR", "JPY", "KWD", "XAF", "XOF", "XCD", "XPF", "HKD"])
def test_real_currencies_stay_currencies(code: str) -> None:
    assert is_currency(code)
