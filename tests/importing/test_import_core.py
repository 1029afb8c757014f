"""The pure pieces: amounts, dates, names, header detection, matching, memo allocation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledgerctl.core.bankimport import direction_of
from ledgerctl.core.matching import Directory, Payable, Payee, Rule, allocate_by_memo, normalise
from ledgerctl.core.tabular import parse_amount, parse_date
from ledgerctl.store.tabular import number_text


@pytest.mark.parametrize(
    "text,value",
    [
        ("1,234.50", "1234.50"),
        (" +12,000.00\t", "12000.00"),
        ("-5", "-5"),
        ("(3.00)", "-3.00"),
        ("¥1,000", "1000"),
        ("1,200.00-", "-1200.00"),
        ("--", None),
        ("-", None),
        ("", None),
        ("\t", None),
    ],
)
def test_bank_amounts(text: str, value: str | None) -> None:
    assert parse_amount(text) == (None if value is None else Decimal(value))


def test_not_an_amount() -> None:
    with pytest.raises(ValueError):
        parse_amount("12abc")


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-05",
        "2026/11/05",
        "20261105",
        "2026-11-05 10:11:12",
        "2026/11/5 9:30",
        "2026年11月5日",
        "2026-11-05T10:11:12",
        "\t2026.11.05 ",
    ],
)
def test_bank_dates(text: str) -> None:
    assert parse_date(text) == dt.date(2026, 11, 5)


@pytest.mark.parametrize("text", ["人民币合计", "2026-13-05", "10:01:00", "", "合计 2026-11-05"])
def test_not_dates(text: str) -> None:
    assert parse_date(text) is None


@given(st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2, allow_nan=False))
def test_a_float_cell_reads_back_as_the_decimal_typed(value: Decimal) -> None:
    assert Decimal(number_text(float(value))) == value


def test_normalisation_full_width_case_spaces_punctuation() -> None:
    assert normalise("ＢＥＴＡ Trading （Co.，Ltd）") == normalise("beta trading(co.,ltd)") == "betatradingcoltd"


@pytest.mark.parametrize(
    "flag,direction",
    [
        ("贷", 1),
        ("Cr", 1),
        ("贷 Cr", 1),
        ("收入", 1),
        ("借", -1),
        ("D", -1),
        ("支出", -1),
        ("不计收支", 0),
        ("?", None),
    ],
)
def test_directions(flag: str, direction: int | None) -> None:
    assert direction_of(flag) == direction


def _directory() -> Directory:
    return Directory.of(
        [
            Payee("a", "华兴机械有限公司", "CNY", ("华兴机械",), ("6222 0000 1111",)),
            Payee("b", "Beta Ltd", "CNY", ("华兴",)),
            Payee("c", "Gamma", "CNY", (), ("6222 0000 1111",)),
        ],
        [Rule("保理", "counterparty", "b"), Rule("^SUB-", "memo", "c")],
    )


def test_matching_never_guesses() -> None:
    d = _directory()
    assert d.match("华兴机械有限公司").customer == "a"
    assert d.match("华兴").customer == "b"
    assert d.match("华兴机械有限公司1234567").customer == "a"  # name and account glued
    assert d.match("someone", "6222-0000-1111").ambiguous  # two customers pay from that account
    assert d.match("华兴机械", "622200001111").candidates == ("a", "c")
    assert d.match("某保理公司").customer == "b"
    assert d.match("x", memo="SUB-1").customer == "c"
    assert d.match("nobody").customer is None


def test_a_memo_allocates_in_its_order_up_to_what_is_open() -> None:
    payables = [
        Payable("INV-1", "FP-0001", Decimal(100)),
        Payable("INV-2", "FP-0002", Decimal(50)),
        Payable("INV-12", None, Decimal(70)),
    ]
    left = {p.id: p.open for p in payables}
    assert allocate_by_memo("pay fp-0002 and INV-1", Decimal(120), payables, left) == {
        "INV-2": Decimal(50),
        "INV-1": Decimal(70),
    }
    assert allocate_by_memo("INV-123", Decimal(10), payables, left) == {}  # INV-12 is not INV-123
    assert allocate_by_memo("", Decimal(10), payables, left) == {}
