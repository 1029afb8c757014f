"""Positions kept at month-ends equal a fresh computation, and are used only for the content they came from."""

from __future__ import annotations

import calendar
import datetime as dt
import json
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledgerctl.core import engine
from ledgerctl.core.models import Customer
from ledgerctl.core.validate import SourcedLedger
from ledgerctl.store.cache import LedgerCache, from_source
from ledgerctl.store.positions import KeptPositions, is_month_end
from strategies import ledgers

month_ends = st.builds(
    lambda year, month: dt.date(year, month, calendar.monthrange(year, month)[1]),
    st.integers(2025, 2027),
    st.integers(1, 12),
)


def _record(entries, terms_days: int, blob: str):  # type: ignore[no-untyped-def]
    customer = Customer(id="acme", name="Acme", currency="CNY", terms_days=terms_days)
    return from_source(SourcedLedger("ledgers/acme.yaml", "acme", customer, list(entries)), blob, [])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ledgers(), month_ends, st.integers(min_value=0, max_value=90))
def test_a_kept_position_is_the_fresh_one(tmp_path: Path, entries, as_of, terms_days) -> None:  # type: ignore[no-untyped-def]
    cache = LedgerCache(tmp_path / "books")
    shutil.rmtree(cache.folder, ignore_errors=True)
    fresh = engine.position(list(entries), as_of, terms_days)

    first = KeptPositions(cache, [as_of])
    record = _record(entries, terms_days, "a" * 40)
    first.attach("ledgers/acme.yaml", record)
    assert engine.position(record.entries, as_of, terms_days) == fresh
    first.keep("ledgers/acme.yaml", record.blob, first.noted(record))
    first.save(["ledgers/acme.yaml"])

    again = _record(entries, terms_days, "a" * 40)
    KeptPositions(cache, [as_of]).attach("ledgers/acme.yaml", again)
    kept = again.entries.known_position(as_of, terms_days)
    if final_covers := (again.entries.final is not None and again.entries.final.at(as_of, terms_days) is not None):
        assert kept is None  # nothing was computed, so nothing was kept: the final position serves
    else:
        assert kept == fresh
    assert engine.position(again.entries, as_of, terms_days) == fresh
    assert final_covers or again.entries.known_position(as_of, terms_days + 1) is None  # other terms: computed

    other = _record(entries, terms_days, "b" * 40)  # other file content: nothing kept applies
    KeptPositions(cache, [as_of]).attach("ledgers/acme.yaml", other)
    assert other.entries.known_position(as_of, terms_days) is None


def test_only_month_ends_are_kept(tmp_path: Path) -> None:
    assert is_month_end(dt.date(2026, 2, 28)) and is_month_end(dt.date(2024, 12, 31))
    assert not is_month_end(dt.date(2024, 2, 28)) and not is_month_end(dt.date(2026, 11, 23))
    assert KeptPositions(LedgerCache(tmp_path), [dt.date(2026, 11, 23), dt.date(2026, 10, 31)]).dates == [
        dt.date(2026, 10, 31)
    ]


def test_last_months_aging_from_kept_positions_equals_a_cacheless_run(sample_books) -> None:  # type: ignore[no-untyped-def]
    args = ("aging", "--as-of", "2026-10-31", "--all", "--detail", "--format", "json")
    cacheless = sample_books.run(*args).stdout
    positions = next((sample_books.root / ".ledgerctl" / "cache").glob("*/positions/2026-10-31"))
    assert positions.is_file()
    assert sample_books.run(*args).stdout == cacheless
    report = ("report", "--to", "2026-10-31", "--by-customer", "--format", "json")
    first = sample_books.run(*report).stdout
    assert sample_books.run(*report).stdout == first
    shutil.rmtree(sample_books.root / ".ledgerctl" / "cache")
    assert sample_books.run(*report).stdout == first
    assert json.loads(first)["periods"]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ledgers(), month_ends, st.integers(min_value=0, max_value=90), st.sampled_from(["monthly", "quarterly"]))
def test_kept_period_flows_are_the_fresh_ones(tmp_path: Path, entries, end, terms_days, step) -> None:  # type: ignore[no-untyped-def]
    from ledgerctl.core.periods import customer_periods, default_start, periods

    cache = LedgerCache(tmp_path / "books")
    shutil.rmtree(cache.folder, ignore_errors=True)
    bounds = periods(default_start(end, step), end, step)
    customer = Customer(id="acme", name="Acme", currency="CNY", terms_days=terms_days)
    fresh = customer_periods(customer, list(entries), bounds)

    first = KeptPositions(cache, [p.end for p in bounds])
    record = _record(entries, terms_days, "a" * 40)
    first.attach("ledgers/acme.yaml", record)
    assert customer_periods(record.customer, record.entries, bounds) == fresh
    first.keep("ledgers/acme.yaml", record.blob, first.noted(record))
    first.save(["ledgers/acme.yaml"])

    again = _record(entries, terms_days, "a" * 40)
    KeptPositions(cache, [p.end for p in bounds]).attach("ledgers/acme.yaml", again)
    assert all(again.entries.known_flows(p.start, p.end, terms_days) is not None for p in bounds)
    assert customer_periods(again.customer, again.entries, bounds) == fresh
    shifted = periods(bounds[0].start.replace(day=2), end, step)  # another start: not this kept period
    assert again.entries.known_flows(shifted[0].start, shifted[0].end, terms_days) is None


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ledgers(), month_ends, st.integers(min_value=0, max_value=90), st.sampled_from(["due", "date"]))
def test_last_months_aging_from_a_kept_summary_is_the_fresh_one(
    tmp_path: Path, entries, as_of, terms_days, basis
) -> None:  # type: ignore[no-untyped-def]
    from ledgerctl.core.aging import aging_row

    cache = LedgerCache(tmp_path / "books")
    shutil.rmtree(cache.folder, ignore_errors=True)
    customer = Customer(id="acme", name="Acme", currency="CNY", terms_days=terms_days)
    fresh = aging_row(customer, list(entries), as_of, [30, 60, 90], basis, detail=True)
    first = KeptPositions(cache, [as_of])
    record = _record(entries, terms_days, "a" * 40)
    first.attach("ledgers/acme.yaml", record)
    aging_row(record.customer, record.entries, as_of, [30, 60, 90], basis, detail=False)
    first.keep("ledgers/acme.yaml", record.blob, first.noted(record))
    first.save(["ledgers/acme.yaml"])
    again = _record(entries, terms_days, "a" * 40)
    KeptPositions(cache, [as_of]).attach("ledgers/acme.yaml", again)
    assert again.entries.aging_summary(as_of, terms_days) is not None
    kept = aging_row(again.customer, again.entries, as_of, [30, 60, 90], basis, detail=False)
    assert (kept.buckets, kept.unapplied, kept.total, kept.open_count) == (
        fresh.buckets,
        fresh.unapplied,
        fresh.total,
        fresh.open_count,
    )
