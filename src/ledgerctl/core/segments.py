"""SPEC 6 — customer segments: value (ABC), frequency, size, credit, status.

Two steps, so the bulk of the work streams through the cache and worker processes:
:func:`customer_figures` reduces one customer's entries to a few numbers (a top-level
function of ``(customer, entries, …)``), then :func:`classify` assigns the classes,
ABC across all customers of a currency. Open items and their ages come only from
:func:`engine.position` (and :func:`engine.settlement_dates`, built on it). Pure: the
as-of date is an argument, nothing here reads a file or the clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from . import engine
from .fx import RateTable
from .kinds import SEGMENT_CLASSES
from .money import fmt_grouped

# The customer filter every report applies has a module of its own (no dataclasses to build on import);
# re-exported here, beside the segments it filters on.
from .selection import SegmentFilter as SegmentFilter
from .selection import matches as matches
from .selection import parse_filters as parse_filters
from .selection import selected as selected

if TYPE_CHECKING:
    from .models import SegmentsConfig

ZERO = Decimal(0)


#: every dimension with its classes, best first
DIMENSIONS: dict[str, tuple[str, ...]] = SEGMENT_CLASSES

# --- step 1: one customer's figures --------------------------------------------------------


def window_start(as_of: dt.date, window_days: int) -> dt.date:
    """The first day of the window [D − window_days + 1, D]."""
    return as_of - dt.timedelta(days=window_days - 1)


@dataclass(frozen=True, slots=True)
class Settled:
    """An invoice whose last open amount was paid (or credited, or written off) in the window."""

    id: str
    due: dt.date
    settled_on: dt.date

    @property
    def days_late(self) -> int:
        return engine.days_overdue(self.due, self.settled_on)


@dataclass(frozen=True)
class Figures:
    """What the classes of one customer are computed from (small: it travels back from a worker)."""

    id: str
    name: str
    currency: str
    tags: tuple[str, ...]
    applied: dict[str, str] | None  # the segments in the header, from the last `segment --apply`
    invoiced: Decimal  # live invoices dated in the window
    invoices: int
    settled: int  # invoices settled in the window
    days_late_total: int  # Σ days late of those
    oldest_open: engine.OpenItem | None  # the open item due first (the most overdue)
    days_overdue: int  # of the oldest open item; 0 when nothing is past due
    open_total: Decimal
    write_offs: tuple[str, ...]  # live write-offs dated in the window

    @property
    def average_days_late(self) -> Decimal | None:
        return None if not self.settled else Decimal(self.days_late_total) / self.settled


def settled_invoices(
    entries: Sequence[engine.EntryLike],
    as_of: dt.date,
    terms_days: int,
    since: dt.date,
    *,
    live: Sequence[engine.EntryLike] | None = None,
    final: engine.Position | None = None,
) -> list[Settled]:
    """Invoices settled in [since, as_of], with their due and settlement dates, in settlement order.

    ``live`` and ``final``: the effective entries and the position at ``as_of``, when the caller has them.
    """
    if live is None:
        live = engine.effective_entries(entries, as_of)
    invoices = {e.id: e for e in live if e.type == "invoice"}
    dates = engine.settlement_dates(entries, as_of, terms_days, since=since, final=final)
    found = [Settled(i, engine.due_date(invoices[i], terms_days), day) for i, day in dates.items() if i in invoices]
    return sorted(found, key=lambda s: (s.settled_on, s.id))


def customer_figures(customer: Any, entries: Sequence[engine.EntryLike], as_of: dt.date, window_days: int) -> Figures:
    """One customer's figures as of ``as_of``; ``customer`` is a header model or a cache record.

    Entries read from the cache may hold the figures of an earlier run on the same file content, date and
    window (``entries.known``, see store/positions.py) and are told of new ones (``entries.note``).
    """
    key = ("segment", window_days, as_of, customer.terms_days)
    known = getattr(entries, "known", None)
    figures: Figures | None = known(key) if known is not None else None
    if figures is None:
        figures = _figures(customer, entries, as_of, window_days)
        note = getattr(entries, "note", None)
        if note is not None:
            note(key, figures)
    return figures


def _figures(customer: Any, entries: Sequence[engine.EntryLike], as_of: dt.date, window_days: int) -> Figures:
    start = window_start(as_of, window_days)
    live = engine.effective_entries(entries, as_of)
    in_window = [e for e in live if e.date >= start]
    invoices = [e for e in in_window if e.type == "invoice"]
    pos = engine.position(entries, as_of, customer.terms_days)
    settled = settled_invoices(entries, as_of, customer.terms_days, start, live=live, final=pos)
    oldest = pos.open_items[0] if pos.open_items else None  # open items come ordered by (due, date, id)
    segments = customer.segments
    if segments is not None and not isinstance(segments, dict):
        segments = segments.model_dump(exclude_none=True)
    return Figures(
        id=customer.id,
        name=customer.name,
        currency=customer.currency,
        tags=tuple(customer.tags),
        applied=dict(segments) if segments else None,
        invoiced=sum((e.amount for e in invoices), ZERO),  # type: ignore[attr-defined]
        invoices=len(invoices),
        settled=len(settled),
        days_late_total=sum(s.days_late for s in settled),
        oldest_open=oldest,
        days_overdue=oldest.days_overdue(as_of) if oldest else 0,
        open_total=pos.open_total,
        write_offs=tuple(e.id for e in in_window if e.type == "write_off"),
    )


# --- step 2: the classes -------------------------------------------------------------------


@dataclass(frozen=True)
class Rank:
    """Where a customer stands in its currency's ABC order."""

    position: int | None  # 1 = largest; None when nothing was invoiced in the window
    of: int  # customers of the currency with something invoiced
    before: Decimal  # invoiced by the customers ahead of it
    total: Decimal  # invoiced by all customers of the currency
    currency: str = ""  # what the amounts are in: the customers' currency, or the reporting currency

    @property
    def share_before(self) -> Decimal | None:
        return None if not self.total else self.before / self.total


@dataclass(frozen=True)
class SegmentRow:
    figures: Figures
    classes: dict[str, str | None]  # every dimension; size is None for a currency without limits
    rank: Rank
    reasons: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.figures.id

    @property
    def computed(self) -> dict[str, str]:
        """The map `segment --apply` writes (dimensions without a class left out)."""
        return {dim: value for dim, value in self.classes.items() if value is not None}

    @property
    def applied(self) -> dict[str, str]:
        return dict(self.figures.applied or {})

    @property
    def changed(self) -> bool:
        return self.computed != self.applied

    def differences(self) -> dict[str, tuple[str | None, str | None]]:
        old, new = self.applied, self.computed
        return {dim: (old.get(dim), new.get(dim)) for dim in DIMENSIONS if old.get(dim) != new.get(dim)}


@dataclass(frozen=True)
class SegmentReport:
    as_of: dt.date
    start: dt.date
    rows: list[SegmentRow]  # sorted by id
    unsized: list[str]  # currencies of customers that have no size limits

    def select(self, tags: Iterable[str] | None, wanted: SegmentFilter | None) -> SegmentReport:
        """The rows of customers with all ``tags`` whose applied segments match; classes stay as computed on all."""
        if tags:
            from .suggest import require_known

            require_known(
                "tag",
                tags,
                (t for r in self.rows for t in r.figures.tags),
                hint="see the tags column of `ledgerctl customer list`",
            )
        rows = [r for r in self.rows if selected(r.figures.tags, r.figures.applied, tags, wanted)]
        return SegmentReport(self.as_of, self.start, rows, self.unsized)


@dataclass(frozen=True)
class Conversion:
    """With a reporting currency: every customer's invoiced amount in it, so ABC and size rank all customers together."""

    currency: str
    invoiced: Mapping[str, Decimal]  # customer id -> invoiced in the window, converted


def value_ranks(
    figures: Sequence[Figures], config: SegmentsConfig, conversion: Conversion | None = None
) -> dict[str, tuple[str, Rank]]:
    """SPEC 6 ABC per currency: by invoiced amount descending, then id; A while the share before is < a, B while < b.

    With a ``conversion``, one ranking of all customers by their converted amounts.
    """
    out: dict[str, tuple[str, Rank]] = {}
    a, b = config.value.a, config.value.b

    def invoiced(fig: Figures) -> Decimal:
        return conversion.invoiced[fig.id] if conversion else fig.invoiced

    def group_of(fig: Figures) -> str:
        return conversion.currency if conversion else fig.currency

    for currency in sorted({group_of(f) for f in figures}):
        group = [f for f in figures if group_of(f) == currency]
        ranked = sorted((f for f in group if invoiced(f) > 0), key=lambda f: (-invoiced(f), f.id))
        total = sum((invoiced(f) for f in ranked), ZERO)
        before = ZERO
        for position, fig in enumerate(ranked, 1):
            # share before < a  ⇔  before < a × total: exact, no division
            cls = "A" if before < a * total else "B" if before < b * total else "C"
            out[fig.id] = (cls, Rank(position, len(ranked), before, total, currency))
            before += invoiced(fig)
        for fig in group:
            if fig.id not in out:
                out[fig.id] = ("C", Rank(None, len(ranked), ZERO, total, currency))
    return out


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def _pct(share: Decimal) -> str:
    return f"{(share * 100).quantize(Decimal('0.1'))}%"


Verdict = tuple[str | None, str]  # (class, the reason in words)


def _value(fig: Figures, value: str, rank: Rank, config: SegmentsConfig) -> Verdict:
    if rank.position is None:
        return value, f"nothing invoiced in the window → {value}"
    a, b = _pct(config.value.a), _pct(config.value.b)
    test = {"A": f"< a {a}", "B": f"≥ a {a}, < b {b}", "C": f"≥ b {b}"}[value]
    converted = " converted" if rank.currency and rank.currency != fig.currency else ""
    return value, (
        f"rank {rank.position} of {rank.of} {rank.currency or fig.currency} customers by{converted} "
        "invoiced amount; "
        f"those before it hold {_pct(rank.share_before or ZERO)} ({test}) → {value}"
    )


def _frequency(fig: Figures, config: SegmentsConfig) -> Verdict:
    high, low = config.frequency.high, config.frequency.low
    cls = "high" if fig.invoices >= high else "low" if fig.invoices < low else "normal"
    test = {"high": f"≥ high {high}", "low": f"< low {low}", "normal": f"≥ low {low}, < high {high}"}[cls]
    return cls, f"{_count(fig.invoices, 'invoice')} in the window ({test}) → {cls}"


def _size(fig: Figures, config: SegmentsConfig, conversion: Conversion | None = None) -> Verdict:
    cur = conversion.currency if conversion else fig.currency
    amount = conversion.invoiced[fig.id] if conversion else fig.invoiced
    limits = config.size.get(cur)
    if limits is None:
        return None, f"no size limits for {cur} in ledgerctl.yaml (segments.size.{cur}) → no class"
    cls = "large" if amount >= limits.large else "medium" if amount >= limits.medium else "small"
    large, medium = fmt_grouped(limits.large, cur), fmt_grouped(limits.medium, cur)
    test = {
        "large": f"≥ large {large}",
        "medium": f"≥ medium {medium}, < large {large}",
        "small": f"< medium {medium}",
    }[cls]
    what = f"{fmt_grouped(amount, cur)} {cur}" + (" (converted)" if cur != fig.currency else "")
    return cls, f"invoiced {what} in the window ({test}) → {cls}"


def _credit(fig: Figures, config: SegmentsConfig) -> Verdict:
    good, fair = config.credit.good_days_late, config.credit.fair_days_late

    def within(days: int) -> bool:  # the average and the oldest overdue item both within `days`, in exact integers
        return fig.days_late_total <= days * fig.settled and fig.days_overdue <= days

    cls = "good" if within(good) else "fair" if within(fair) else "poor"
    average = fig.average_days_late
    paid = (
        "no invoice settled in the window"
        if average is None
        else f"{average.quantize(Decimal('0.1'))} days late on average over {_count(fig.settled, 'settled invoice')}"
    )
    test = {"good": f"both ≤ good {good}", "fair": f"both ≤ fair {fair}", "poor": f"one > fair {fair}"}[cls]
    return cls, f"{paid}; oldest open item {_count(fig.days_overdue, 'day')} overdue ({test}) → {cls}"


def _status(fig: Figures, config: SegmentsConfig) -> Verdict:
    if fig.write_offs:
        return "bad-debt", f"written off in the window ({', '.join(fig.write_offs)}) → bad-debt"
    overdue, limits = fig.days_overdue, config.status
    cls = "doubtful" if overdue > limits.doubtful_days else "overdue" if overdue > limits.overdue_days else "normal"
    what = (
        "nothing open"
        if fig.oldest_open is None
        else f"oldest open item {fig.oldest_open.id} {_count(overdue, 'day')} overdue"
    )
    test = {
        "doubtful": f"> {limits.doubtful_days}",
        "overdue": f"> {limits.overdue_days}, ≤ {limits.doubtful_days}",
        "normal": f"≤ {limits.overdue_days}",
    }[cls]
    return cls, f"{what} ({test}) → {cls}"


def classify_one(
    fig: Figures, value: str, rank: Rank, config: SegmentsConfig, conversion: Conversion | None = None
) -> SegmentRow:
    """The five classes of one customer (its ABC class already decided among its currency's customers)."""
    verdicts = {
        "value": _value(fig, value, rank, config),
        "frequency": _frequency(fig, config),
        "size": _size(fig, config, conversion),
        "credit": _credit(fig, config),
        "status": _status(fig, config),
    }
    return SegmentRow(
        fig,
        {dim: cls for dim, (cls, _) in verdicts.items()},
        rank,
        {dim: reason for dim, (_, reason) in verdicts.items()},
    )


def classify(
    figures: Iterable[Figures], as_of: dt.date, config: SegmentsConfig, rates: RateTable | None = None
) -> SegmentReport:
    """Every customer's five classes; ABC across all the customers given, per currency, or with ``rates`` across
    all of them by their amounts converted at the as-of date's rates (a missing rate: exit 2)."""
    ordered = sorted(figures, key=lambda f: f.id)
    conversion = None
    if rates is not None:
        rates.require({f.currency for f in ordered if f.invoiced}, as_of)
        conversion = Conversion(
            rates.reporting,
            {f.id: rates.convert(f.invoiced, f.currency, as_of) if f.invoiced else ZERO for f in ordered},
        )
    values = value_ranks(ordered, config, conversion)
    rows = [classify_one(f, *values[f.id], config, conversion) for f in ordered]
    unsized = sorted(
        {conversion.currency} - set(config.size)
        if conversion and ordered
        else {f.currency for f in ordered if f.currency not in config.size}
    )
    return SegmentReport(as_of, window_start(as_of, config.window_days), rows, unsized)
