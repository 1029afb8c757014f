"""Every period figure agrees with `balance` and `aging` at the period's end, on generated books."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.strategies import START, ledgers

from ledgerctl.core import engine
from ledgerctl.core.aging import aging_row
from ledgerctl.core.models import Customer
from ledgerctl.core.periods import STEPS, Flows, assemble, cei, customer_periods, dso, periods

CUSTOMER = Customer(id="c1", name="测试客户", currency="CNY", terms_days=30)
LIMITS = (30, 60, 90)
starts = st.integers(min_value=-40, max_value=300).map(lambda d: START + dt.timedelta(days=d))
lengths = st.integers(min_value=0, max_value=420)


@settings(max_examples=300, deadline=None)
@given(ledgers(), starts, lengths, st.sampled_from(STEPS))
def test_every_period_agrees_with_balance_and_aging_at_its_end(entries, start, length, step) -> None:  # type: ignore[no-untyped-def]
    bounds = periods(start, start + dt.timedelta(days=length), step)
    row = customer_periods(CUSTOMER, entries, bounds, days_to_pay=True)
    assert len(row.flows) == len(bounds)
    assert row.flows[0].opening == engine.balance(entries, start - dt.timedelta(days=1))
    for period, flows in zip(bounds, row.flows, strict=True):
        aging = aging_row(CUSTOMER, entries, period.end, LIMITS, "due")
        assert flows.closing == engine.balance(entries, period.end) == aging.total  # = balance --as-of END
        assert flows.overdue == sum((v for k, v in aging.buckets.items() if k != "current"), Decimal(0))
        assert flows.current == aging.buckets["current"]
        assert (
            flows.opening + flows.invoiced + flows.refunded - flows.credited - flows.collected - flows.written_off
        ) == flows.closing


@settings(max_examples=100, deadline=None)
@given(ledgers(), starts, lengths)
def test_consecutive_periods_chain_and_totals_add_up(entries, start, length) -> None:  # type: ignore[no-untyped-def]
    bounds = periods(start, start + dt.timedelta(days=length), "monthly")
    assert bounds[0].start == start and bounds[-1].end == start + dt.timedelta(days=length)
    assert all(a.end + dt.timedelta(days=1) == b.start for a, b in pairwise(bounds))
    row = customer_periods(CUSTOMER, entries, bounds)
    assert all(a.closing == b.opening for a, b in pairwise(row.flows))
    other = Customer(id="c2", name="other", currency="CNY", terms_days=30)
    report = assemble([row, customer_periods(other, entries, bounds)], bounds, "monthly")
    for index, totals in enumerate(report.totals):
        (cny,) = totals
        assert cny.flows == row.flows[index] + row.flows[index]


def test_dso_and_cei_follow_their_divisor_rules() -> None:
    assert dso(Flows(invoiced=Decimal(0), closing=Decimal(5)), 30) is None
    assert dso(Flows(invoiced=Decimal(3), closing=Decimal(1)), 30) == Decimal("10.0")
    assert dso(Flows(invoiced=Decimal(7), closing=Decimal(1)), 31) == Decimal("4.4")  # 4.428…
    assert dso(Flows(invoiced=Decimal(8), closing=Decimal(1)), 30) == Decimal("3.8")  # 3.75: half up
    assert cei(Flows()) is None
    assert cei(Flows(opening=Decimal(10), current=Decimal(10))) is None  # divisor 0
    assert cei(Flows(opening=Decimal(100), invoiced=Decimal(50), closing=Decimal(60), current=Decimal(20))) == Decimal(
        "69.2"
    )
