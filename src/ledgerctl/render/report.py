"""`report` as JSON, CSV and a terminal table: one row per period and currency, and per customer with --by-customer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..core.money import fmt_grouped, fmt_plain
from ..core.periods import CustomerPeriods, Flows, Period, PeriodReport, cei, dso
from .output import fitting

if TYPE_CHECKING:  # rich loads only when a table is drawn: JSON and CSV never need it
    from rich.table import Table

AMOUNTS = ("opening", "invoiced", "credited", "collected", "written_off", "refunded", "closing", "overdue")
RATIOS = ("dso", "cei")
CSV_HEADER = ("start", "end", "currency", "customer", "name", *AMOUNTS, *RATIOS, "days_to_pay")
CSV_NUMBERS = (*AMOUNTS, *RATIOS, "days_to_pay")
_DAY = dt.timedelta(days=1)


def period_label(period: Period) -> str:
    """2026-11 for a whole month, 2026-Q4 for a whole quarter, 2026 for a whole year; else first–last day."""
    start, end = period.start, period.end
    whole = start.day == 1 and (end + _DAY).day == 1
    if whole and start.month == end.month:
        return f"{start:%Y-%m}"
    if whole and start.month % 3 == 1 and end.month == start.month + 2:
        return f"{start.year}-Q{start.month // 3 + 1}"
    if whole and start.month == 1 and end.month == 12:
        return str(start.year)
    return f"{start}–{end}"


def _ratio(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _figures(flows: Flows, days: int, currency: str) -> dict[str, Any]:
    data: dict[str, Any] = {name: fmt_plain(getattr(flows, name), currency) for name in AMOUNTS}
    data["dso"] = _ratio(dso(flows, days))
    data["cei"] = _ratio(cei(flows))
    return data


def _customers(report: PeriodReport, index: int) -> Iterator[CustomerPeriods]:
    """The customers shown for a period: those with anything owed or moved in it."""
    return (row for row in report.customers if row.flows[index].moved)


def report_json(report: PeriodReport) -> dict[str, object]:
    periods = []
    for index, period in enumerate(report.periods):
        data: dict[str, object] = {
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "totals": [
                {"currency": t.currency, **_figures(t.flows, period.days, t.currency)} for t in report.totals[index]
            ],
        }
        if report.converted is not None:  # with a reporting currency: the period's totals converted and summed
            conv = report.converted[index]
            data["converted"] = {"currency": conv.currency, **_figures(conv.flows, period.days, conv.currency)}
        if report.by_customer:
            data["customers"] = [
                {
                    "id": row.id,
                    "name": row.name,
                    "currency": row.currency,
                    **_figures(row.flows[index], period.days, row.currency),
                    "days_to_pay": _ratio(row.days_to_pay(index)),
                }
                for row in _customers(report, index)
            ]
        periods.append(data)
    return {
        "step": report.step,
        "from": report.periods[0].start.isoformat(),
        "to": report.periods[-1].end.isoformat(),
        "periods": periods,
    }


def _csv_cells(flows: Flows, days: int, currency: str) -> list[object]:
    figures = _figures(flows, days, currency)
    return [figures[name] for name in AMOUNTS] + [figures[name] or "" for name in RATIOS]


def report_csv(report: PeriodReport) -> tuple[tuple[str, ...], list[list[object]], tuple[str, ...]]:
    rows: list[list[object]] = []
    for index, period in enumerate(report.periods):
        span = [period.start.isoformat(), period.end.isoformat()]
        for total in report.totals[index]:
            rows.append([*span, total.currency, "", "", *_csv_cells(total.flows, period.days, total.currency), ""])
        if report.by_customer:
            for row in _customers(report, index):
                days = row.days_to_pay(index)
                rows.append(
                    [
                        *span,
                        row.currency,
                        row.id,
                        row.name,
                        *_csv_cells(row.flows[index], period.days, row.currency),
                        "" if days is None else str(days),
                    ]
                )
    return CSV_HEADER, rows, CSV_NUMBERS


_COLUMNS = (
    "opening",
    "invoiced",
    "credited",
    "collected",
    "written off",
    "refunded",
    "closing",
    "overdue",
    "DSO",
    "CEI %",
)
_FIELDS = dict(zip(_COLUMNS, (*AMOUNTS, *RATIOS), strict=True))
# On a narrow terminal these go first (the closing, overdue and the ratios say the most); CSV has them all.
_OPTIONAL = ("refunded", "written off", "credited", "opening", "days to pay", "CEI %")


def report_table(report: PeriodReport, width: int | None = None) -> Table:
    table, left_out = fitting(lambda hidden: _report_table(report, hidden), _OPTIONAL, width)
    if left_out:
        table.caption = f"left out to fit the terminal: {', '.join(left_out)} (--format csv or json has them)"
    return table


def _report_table(report: PeriodReport, hidden: frozenset[str]) -> Table:
    from rich import box
    from rich.table import Table

    columns = [name for name in _COLUMNS if name not in hidden]
    table = Table(
        title=f"Flows per period, {report.periods[0].start} – {report.periods[-1].end}",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        collapse_padding=True,
        pad_edge=False,
        caption_justify="left",
    )
    table.add_column("period", no_wrap=True)
    table.add_column("customer", no_wrap=True)
    for name in columns:
        table.add_column(name, justify="right", no_wrap=True)
    paid = report.by_customer and "days to pay" not in hidden
    if paid:
        table.add_column("days\nto pay", justify="right", no_wrap=True)

    def cells(flows: Flows, days: int, currency: str) -> list[str]:
        ratios = {"dso": dso(flows, days), "cei": cei(flows)}
        return [
            _ratio(ratios[_FIELDS[name]]) or "–"
            if _FIELDS[name] in ratios
            else fmt_grouped(getattr(flows, _FIELDS[name]), currency)
            for name in columns
        ]

    for index, period in enumerate(report.periods):
        label = period_label(period)
        for total in report.totals[index]:
            extra = [""] if paid else []
            table.add_row(label, total.currency, *cells(total.flows, period.days, total.currency), *extra, style="bold")
            label = ""
            if report.by_customer:
                for row in _customers(report, index):
                    if row.currency == total.currency:
                        days = row.days_to_pay(index)
                        table.add_row(
                            "",
                            f"  {row.id}",
                            *cells(row.flows[index], period.days, row.currency),
                            *(["–" if days is None else str(days)] if paid else []),
                        )
        if report.converted is not None:
            conv = report.converted[index]
            table.add_row(
                label,
                f"= {conv.currency}",
                *cells(conv.flows, period.days, conv.currency),
                *([""] if paid else []),
                style="bold italic",
            )
        if index < len(report.periods) - 1:
            table.add_section()
    return table
