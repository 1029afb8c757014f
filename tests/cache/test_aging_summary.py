"""The aging summary kept with a final position gives the buckets that summing every open item gives."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from ledgerctl.core import engine
from ledgerctl.core.aging import aging_row
from ledgerctl.core.models import Customer
from ledgerctl.core.validate import SourcedLedger
from ledgerctl.store.cache import from_source
from strategies import ledgers

limits_lists = st.lists(st.integers(1, 200), min_size=1, max_size=5, unique=True).map(sorted)


@settings(max_examples=300, deadline=None)
@given(ledgers(), st.integers(0, 900), limits_lists, st.sampled_from(["due", "date"]), st.integers(0, 90))
def test_summary_buckets_equal_the_open_items_buckets(entries, days_after, limits, basis, terms_days) -> None:  # type: ignore[no-untyped-def]
    customer = Customer(id="acme", name="Acme", currency="CNY", terms_days=terms_days)
    record = from_source(SourcedLedger("ledgers/acme.yaml", "acme", customer, list(entries)), "a" * 40, [])
    last = max((e.date for e in entries), default=dt.date(2026, 1, 1))
    as_of = last + dt.timedelta(days=days_after - 30)  # before the last entry too: the summary must step aside
    fresh = aging_row(customer, list(entries), as_of, limits, basis, detail=True)
    cached = aging_row(record.customer, record.entries, as_of, limits, basis, detail=False)
    assert cached.buckets == fresh.buckets
    assert (cached.unapplied, cached.total, cached.open_count) == (fresh.unapplied, fresh.total, fresh.open_count)
    if as_of >= last and record.final is not None:
        assert record.entries.aging_summary(as_of, terms_days) is not None  # the path under test was taken
        assert record.entries.aging_summary(as_of, terms_days + 1) is None


def test_an_item_on_a_bucket_edge_falls_where_bucket_of_puts_it() -> None:
    item = engine.OpenItem(
        "I", "invoice", dt.date(2026, 1, 1), dt.date(2026, 1, 31), engine.ZERO + 5, engine.ZERO + 5, None
    )
    pos = engine.Position(dt.date(2026, 1, 31), item.open, (item,), engine.ZERO)
    summary = engine.AgingSummary.of(pos)
    names = engine.bucket_names([30, 60])
    for days in (0, 1, 30, 31, 60, 61):
        as_of = item.due + dt.timedelta(days=days)
        buckets = summary.buckets(as_of, [30, 60], "due", names)
        assert [name for name, value in buckets.items() if value] == [engine.bucket_of(days, [30, 60], names)]
