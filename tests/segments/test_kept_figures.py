"""Segment figures and follow-up lines kept per file content equal a fresh computation, for that content only."""

from __future__ import annotations

import datetime as dt
import shutil
import time
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledgerctl.core.dunning import numbered_levels
from ledgerctl.core.followups import customer_followups
from ledgerctl.core.models import Customer
from ledgerctl.core.segments import customer_figures
from ledgerctl.core.validate import SourcedLedger
from ledgerctl.store.cache import LedgerCache, from_source
from ledgerctl.store.positions import RECENT_DAYS, KeptPositions
from strategies import as_of_dates, ledgers

FILE = "ledgers/acme.yaml"
LEVELS = numbered_levels([(7, "gentle"), (30, "firm"), (-5, "courtesy")])


def _record(entries, terms_days: int, blob: str, limit: Decimal | None = None):  # type: ignore[no-untyped-def]
    customer = Customer(id="acme", name="Acme", currency="CNY", terms_days=terms_days, credit_limit=limit, tags=["vip"])
    return from_source(SourcedLedger(FILE, "acme", customer, list(entries)), blob, [])


def _run(cache: LedgerCache, record, as_of: dt.date, compute, *args):  # type: ignore[no-untyped-def]
    """One report's pass over one record: attach what is kept, compute, keep what was noted."""
    kept = KeptPositions(cache, [as_of])
    kept.attach(FILE, record)
    value = compute(record.customer, record.entries, as_of, *args)
    kept.keep(FILE, record.blob, kept.noted(record))
    kept.save([FILE])
    return value


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    ledgers(),
    as_of_dates,
    st.integers(0, 90),
    st.sampled_from([None, Decimal("1000.00"), Decimal("50000.00")]),
    st.sampled_from([(customer_figures, 365), (customer_figures, 90), (customer_followups, 7, LEVELS)]),
)
def test_a_kept_result_is_the_fresh_one(tmp_path: Path, entries, as_of, terms_days, limit, report) -> None:  # type: ignore[no-untyped-def]
    compute, *args = report
    cache = LedgerCache(tmp_path / "books")
    shutil.rmtree(cache.folder, ignore_errors=True)
    fresh = compute(_record(entries, terms_days, "a" * 40, limit).customer, list(entries), as_of, *args)

    assert _run(cache, _record(entries, terms_days, "a" * 40, limit), as_of, compute, *args) == fresh
    again = _record(entries, terms_days, "a" * 40, limit)
    KeptPositions(cache, [as_of]).attach(FILE, again)
    kind = "segment" if compute is customer_figures else "followups"
    key = (kind, *_params(compute, args), as_of, terms_days)
    kept = again.entries.known(key)
    assert kept is not None  # it was kept, and it is what a fresh computation gives
    assert (kept or None) == fresh
    assert compute(again.customer, again.entries, as_of, *args) == fresh

    other_terms = (kind, *_params(compute, args), as_of, terms_days + 1)
    assert again.entries.known(other_terms) is None
    other = _record(entries, terms_days, "b" * 40, limit)  # another file content: nothing kept applies
    KeptPositions(cache, [as_of]).attach(FILE, other)
    assert other.entries.known(key) is None
    later = _record(entries, terms_days, "a" * 40, limit)  # another date: not kept for it
    KeptPositions(cache, [as_of + dt.timedelta(days=1)]).attach(FILE, later)
    assert later.entries.known((kind, *_params(compute, args), as_of + dt.timedelta(days=1), terms_days)) is None


def _params(compute, args):  # type: ignore[no-untyped-def]
    if compute is customer_figures:
        return (args[0],)
    days, levels = args
    return (days, [(level.number, level.after_days, level.template) for level in levels])


def test_other_settings_are_not_served_and_old_days_are_dropped(tmp_path: Path) -> None:
    from ledgerctl.core.models import Invoice

    entries = [Invoice(id="I", type="invoice", date=dt.date(2026, 1, 5), amount=Decimal("10.00"))]
    cache = LedgerCache(tmp_path / "books")
    days = [dt.date(2026, 3, d) for d in range(1, RECENT_DAYS + 3)]
    for day in days:
        _run(cache, _record(entries, 30, "a" * 40), day, customer_followups, 7, LEVELS)
    record = _record(entries, 30, "a" * 40)
    KeptPositions(cache, [days[-1]]).attach(FILE, record)
    ladder = [(level.number, level.after_days, level.template) for level in LEVELS]
    assert record.entries.known(("followups", 7, ladder, days[-1], 30)) is not None
    assert record.entries.known(("followups", 8, ladder, days[-1], 30)) is None  # another --days
    assert record.entries.known(("followups", 7, ladder[:2], days[-1], 30)) is None  # another ladder
    kept = sorted(path.name for path in (cache.folder / "followups").iterdir())
    assert kept == [day.isoformat() for day in days[-RECENT_DAYS:]]


def test_segment_and_followups_from_kept_results_equal_a_cacheless_run(sample_books) -> None:  # type: ignore[no-untyped-def]
    time.sleep(3.2)  # files this young are read every time (store/statindex.py: racy timestamps); none kept then
    for as_of in ("2026-11-23", "2026-10-31", "2026-07-04"):
        for args in (("segment", "--format", "json"), ("followups", "--days", "30", "--format", "json")):
            shutil.rmtree(sample_books.root / ".ledgerctl" / "cache", ignore_errors=True)
            first = sample_books.run(*args, "--as-of", as_of).stdout
            sample_books.run(*args, "--as-of", as_of)  # the files are read once, then results are kept
            assert next((sample_books.root / ".ledgerctl" / "cache").glob(f"*/{args[0]}*/{as_of}")).is_file()
            assert sample_books.run(*args, "--as-of", as_of).stdout == first
