"""SPEC 6 in the pure core: every dimension's boundaries (at, one below, one above), per currency, window edges, ABC."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ledgerctl.core.models import Customer, Invoice, Payment, SegmentsConfig, Void, WriteOff
from ledgerctl.core.segments import classify, customer_figures, window_start

D = dt.date
AS_OF = D(2026, 11, 30)
START = D(2025, 12, 1)  # AS_OF − 365 + 1
CONFIG = SegmentsConfig()  # the documented defaults


def inv(n: int, date: dt.date, amount: str = "100.00", due: dt.date | None = None) -> Invoice:
    return Invoice(id=f"INV-{n:04d}", type="invoice", date=date, due=due or date, amount=Decimal(amount))


def pay(n: int, date: dt.date, amount: str, **alloc: str) -> Payment:
    return Payment(
        id=f"PAY-{n:04d}",
        type="payment",
        date=date,
        amount=Decimal(amount),
        allocations={k.replace("_", "-"): Decimal(v) for k, v in alloc.items()} or None,
    )


def customer(cid: str = "c1", currency: str = "CNY") -> Customer:
    return Customer(id=cid, name=f"客户 {cid}", currency=currency, terms_days=30)


def classes(entries, *, currency: str = "CNY", config: SegmentsConfig = CONFIG, as_of: dt.date = AS_OF) -> dict:
    fig = customer_figures(customer(currency=currency), entries, as_of, config.window_days)
    return classify([fig], as_of, config).rows[0].classes


def invoices(count: int, amount: str = "100.00", first: dt.date = START) -> list[Invoice]:
    """``count`` invoices in the window, each paid on its due date (so nothing else moves)."""
    out: list = []
    for n in range(count):
        day = first + dt.timedelta(days=n)
        out += [inv(n, day, amount), pay(n, day, amount, **{f"INV_{n:04d}": amount})]
    return out


# --- the window ------------------------------------------------------------------------------------------------------


def test_window_is_365_days_ending_on_the_as_of_date() -> None:
    assert window_start(AS_OF, 365) == START
    assert window_start(AS_OF, 1) == AS_OF


@pytest.mark.parametrize(
    ("day", "counted"),
    [(START, True), (START - dt.timedelta(days=1), False), (AS_OF, True), (AS_OF + dt.timedelta(days=1), False)],
)
def test_window_edges(day: dt.date, counted: bool) -> None:
    fig = customer_figures(
        customer(), [inv(1, day, "600000.00"), pay(1, day, "600000.00", INV_0001="600000.00")], AS_OF, 365
    )
    assert (fig.invoices, fig.invoiced) == ((1, Decimal("600000.00")) if counted else (0, Decimal(0)))
    assert classes([inv(1, day, "600000.00"), pay(1, day, "600000.00", INV_0001="600000.00")])["size"] == (
        "large" if counted else "small"
    )


def test_a_voided_invoice_does_not_count() -> None:
    entries = [inv(1, D(2026, 6, 1), "600000.00"), Void(id="VD-1", type="void", date=D(2026, 6, 2), voids="INV-0001")]
    fig = customer_figures(customer(), entries, AS_OF, 365)
    assert (fig.invoices, fig.invoiced) == (0, 0)
    before_void = customer_figures(customer(), entries, D(2026, 6, 1), 365)
    assert before_void.invoices == 1


# --- frequency: >= high → high, < low → low --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "expected"),
    [(0, "low"), (2, "low"), (3, "normal"), (4, "normal"), (11, "normal"), (12, "high"), (13, "high")],
)
def test_frequency_boundaries(count: int, expected: str) -> None:
    assert classes(invoices(count))["frequency"] == expected


def test_frequency_thresholds_are_configurable() -> None:
    config = SegmentsConfig.model_validate({"frequency": {"high": 2, "low": 2}})
    assert [classes(invoices(n), config=config)["frequency"] for n in (1, 2, 3)] == ["low", "high", "high"]


# --- size: per currency, at or above large / medium -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("currency", "amount", "expected"),
    [
        ("CNY", "500000.00", "large"),
        ("CNY", "499999.99", "medium"),
        ("CNY", "500000.01", "large"),
        ("CNY", "50000.00", "medium"),
        ("CNY", "49999.99", "small"),
        ("CNY", "50000.01", "medium"),
        ("JPY", "10000000", "large"),
        ("JPY", "9999999", "medium"),
        ("JPY", "10000001", "large"),
        ("JPY", "1000000", "medium"),
        ("JPY", "999999", "small"),
        ("JPY", "1000001", "medium"),
        ("USD", "70000.00", "large"),
        ("USD", "69999.99", "medium"),
        ("USD", "7000.00", "medium"),
        ("USD", "6999.99", "small"),
        ("EUR", "65000.00", "large"),
        ("EUR", "6499.99", "small"),
    ],
)
def test_size_boundaries_per_currency(currency: str, amount: str, expected: str) -> None:
    assert classes(invoices(1, amount), currency=currency)["size"] == expected


def test_size_sums_the_window_and_uses_configured_limits() -> None:
    config = SegmentsConfig.model_validate({"size": {"CNY": {"large": "300.00", "medium": "200.00"}}})
    assert [classes(invoices(n), config=config)["size"] for n in (1, 2, 3, 4)] == ["small", "medium", "large", "large"]


def test_a_currency_without_limits_gets_no_size() -> None:
    config = SegmentsConfig.model_validate({"size": {"CNY": {"large": "1", "medium": "0"}}})
    fig = customer_figures(customer(currency="GBP"), invoices(1), AS_OF, 365)
    report = classify([fig], AS_OF, config)
    assert report.rows[0].classes["size"] is None and "size" not in report.rows[0].computed
    assert report.unsized == ["GBP"]


# --- credit: days late of settled invoices and the oldest overdue item ------------------------------------------------


def late_payments(*days_late: int) -> list:
    """One invoice per value, due in the window and paid that many days after its due date."""
    out: list = []
    for n, late in enumerate(days_late):
        due = D(2026, 3, 1) + dt.timedelta(days=10 * n)
        out += [
            inv(n, due - dt.timedelta(days=30), due=due),
            pay(n, due + dt.timedelta(days=late), "100.00", **{f"INV_{n:04d}": "100.00"}),
        ]
    return out


@pytest.mark.parametrize(
    ("days_late", "expected"),
    [
        ((), "good"),
        ((0,), "good"),
        ((7,), "good"),
        ((8,), "fair"),
        ((6,), "good"),
        ((7, 8), "fair"),  # average 7.5 > 7
        ((6, 8), "good"),  # average 7
        ((30,), "fair"),
        ((31,), "poor"),
        ((29,), "fair"),
        ((30, 31), "poor"),  # average 30.5
        ((0, 60), "fair"),  # average 30
    ],
)
def test_credit_boundaries_on_average_days_late(days_late: tuple[int, ...], expected: str) -> None:
    assert classes(late_payments(*days_late))["credit"] == expected


def test_paying_early_counts_as_zero_days_late() -> None:
    assert classes(late_payments(-20, 14))["credit"] == "good"  # (0 + 14) / 2 = 7, not (−20 + 14) / 2


@pytest.mark.parametrize(("overdue", "expected"), [(0, "good"), (7, "good"), (8, "fair"), (30, "fair"), (31, "poor")])
def test_credit_boundaries_on_current_overdue(overdue: int, expected: str) -> None:
    due = AS_OF - dt.timedelta(days=overdue)
    assert classes([inv(1, due - dt.timedelta(days=30), due=due)])["credit"] == expected


def test_credit_takes_the_worse_of_history_and_current() -> None:
    entries = late_payments(0, 0) + [inv(9, D(2026, 10, 1), due=AS_OF - dt.timedelta(days=8))]
    assert classes(entries)["credit"] == "fair"


def test_only_invoices_settled_in_the_window_count() -> None:
    old = [
        inv(1, START - dt.timedelta(days=100), due=START - dt.timedelta(days=60)),
        pay(1, START - dt.timedelta(days=1), "100.00", INV_0001="100.00"),
    ]
    assert classes(old)["credit"] == "good"  # 59 days late, but settled the day before the window
    edge = [
        inv(1, START - dt.timedelta(days=100), due=START - dt.timedelta(days=60)),
        pay(1, START, "100.00", INV_0001="100.00"),
    ]
    assert classes(edge)["credit"] == "poor"  # 60 days late, settled on the window's first day


def test_a_voided_payment_reopens_and_the_later_settlement_counts() -> None:
    entries = [
        inv(1, D(2026, 5, 1), due=D(2026, 6, 1)),
        pay(1, D(2026, 6, 1), "100.00", INV_0001="100.00"),
        Void(id="VD-1", type="void", date=D(2026, 6, 5), voids="PAY-0001"),
        pay(2, D(2026, 7, 11), "100.00"),
    ]
    fig = customer_figures(customer(), entries, AS_OF, 365)
    assert (fig.settled, fig.days_late_total) == (1, 40)


def test_fifo_pool_settles_the_oldest_due_first() -> None:
    entries = [
        inv(1, D(2026, 5, 1), due=D(2026, 6, 1)),
        inv(2, D(2026, 5, 2), due=D(2026, 5, 20)),
        pay(1, D(2026, 6, 10), "100.00"),
        pay(2, D(2026, 6, 30), "100.00"),
    ]
    fig = customer_figures(customer(), entries, AS_OF, 365)
    assert (fig.settled, fig.days_late_total) == (2, 21 + 29)  # INV-2 on 06-10 (21 late), INV-1 on 06-30 (29 late)


# --- status: bad-debt > doubtful > overdue > normal ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overdue", "expected"),
    [(-1, "normal"), (0, "normal"), (1, "overdue"), (89, "overdue"), (90, "overdue"), (91, "doubtful")],
)
def test_status_boundaries(overdue: int, expected: str) -> None:
    due = AS_OF - dt.timedelta(days=overdue)
    assert classes([inv(1, min(due, AS_OF) - dt.timedelta(days=1), due=due)])["status"] == expected


def test_status_thresholds_are_configurable() -> None:
    config = SegmentsConfig.model_validate({"status": {"overdue_days": 5, "doubtful_days": 30}})
    for overdue, expected in ((5, "normal"), (6, "overdue"), (30, "overdue"), (31, "doubtful")):
        due = AS_OF - dt.timedelta(days=overdue)
        assert classes([inv(1, due - dt.timedelta(days=1), due=due)], config=config)["status"] == expected


def write_off(day: dt.date) -> WriteOff:
    return WriteOff(
        id="WO-1", type="write_off", date=day, amount=Decimal("100.00"), allocations={"INV-0001": Decimal("100.00")}
    )


@pytest.mark.parametrize(
    ("day", "expected"), [(START, "bad-debt"), (AS_OF, "bad-debt"), (START - dt.timedelta(days=1), "normal")]
)
def test_bad_debt_is_a_write_off_in_the_window(day: dt.date, expected: str) -> None:
    entries = [inv(1, START - dt.timedelta(days=200), due=START - dt.timedelta(days=170)), write_off(day)]
    assert classes(entries)["status"] == expected


def test_bad_debt_outranks_doubtful_and_a_voided_write_off_does_not_count() -> None:
    entries = [
        inv(1, D(2026, 1, 1), due=D(2026, 2, 1)),
        inv(2, D(2026, 1, 2), due=D(2026, 2, 1)),
        write_off(D(2026, 9, 1)),
    ]
    assert classes(entries)["status"] == "bad-debt"
    voided = entries + [Void(id="VD-1", type="void", date=D(2026, 9, 2), voids="WO-1")]
    assert classes(voided)["status"] == "doubtful"


# --- value: ABC per currency, exactly SPEC 6 ---------------------------------------------------------------------------


def abc(amounts: dict[str, str], config: SegmentsConfig = CONFIG, currency: str = "CNY") -> dict[str, str]:
    figs = [
        customer_figures(customer(cid, currency), invoices(1, amount) if amount else [], AS_OF, 365)
        for cid, amount in amounts.items()
    ]
    return {row.id: row.classes["value"] for row in classify(figs, AS_OF, config).rows}


def test_abc_share_of_the_customers_before() -> None:
    # order: a 80, b 10, c 5, d 5; shares before: 0, .80, .90, .95
    assert abc({"a": "80.00", "b": "10.00", "c": "5.00", "d": "5.00"}) == {"a": "A", "b": "B", "c": "B", "d": "C"}


def test_abc_one_cent_either_side_of_the_thresholds() -> None:
    # total 100.00: share before b is 79.99% (< 80% → A) or 80.01% (→ B)
    assert abc({"a": "79.99", "b": "15.01", "c": "5.00"}) == {"a": "A", "b": "A", "c": "C"}
    assert abc({"a": "80.01", "b": "14.99", "c": "5.00"}) == {"a": "A", "b": "B", "c": "C"}
    assert abc({"a": "80.00", "b": "14.99", "c": "5.01"}) == {"a": "A", "b": "B", "c": "B"}  # c: 94.99% < 95%


def test_abc_ties_are_ordered_by_id() -> None:
    # equal amounts: "m" comes before "z"; with a = 0.5 the first half is A
    config = SegmentsConfig.model_validate({"value": {"a": "0.5", "b": "0.75"}})
    assert abc({"z": "25.00", "m": "25.00", "b": "25.00", "k": "25.00"}, config) == {
        "b": "A",
        "k": "A",
        "m": "B",
        "z": "C",
    }


def test_nothing_invoiced_is_c_and_a_lone_customer_is_a() -> None:
    assert abc({"only": "1.00", "idle": "", "idle2": ""}) == {"idle": "C", "idle2": "C", "only": "A"}
    assert abc({"idle": ""}) == {"idle": "C"}


def test_abc_is_per_currency() -> None:
    figs = [
        customer_figures(customer("big-cny"), invoices(1, "1000000.00"), AS_OF, 365),
        customer_figures(customer("small-cny"), invoices(1, "1.00"), AS_OF, 365),
        customer_figures(customer("small-jpy", "JPY"), invoices(1, "5"), AS_OF, 365),
    ]
    values = {row.id: row.classes["value"] for row in classify(figs, AS_OF, CONFIG).rows}
    assert values == {"big-cny": "A", "small-cny": "C", "small-jpy": "A"}


def test_abc_with_a_equal_to_b_has_no_b() -> None:
    config = SegmentsConfig.model_validate({"value": {"a": "0.5", "b": "0.5"}})
    assert abc({"a": "50.00", "b": "30.00", "c": "20.00"}, config) == {"a": "A", "b": "C", "c": "C"}


def test_explain_reasons_name_the_figures() -> None:
    fig = customer_figures(customer(), late_payments(7, 8), AS_OF, 365)
    row = classify([fig], AS_OF, CONFIG).rows[0]
    assert row.reasons["credit"].startswith("7.5 days late on average over 2 settled invoices")
    assert (
        row.reasons["value"]
        == "rank 1 of 1 CNY customers by invoiced amount; those before it hold 0.0% (< a 80.0%) → A"
    )
    assert row.reasons["frequency"] == "2 invoices in the window (< low 3) → low"
