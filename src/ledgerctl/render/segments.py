"""`segment` as JSON and CSV rows: the classes, the changes since the last apply, one customer explained.

No Rich here: `--format json|csv` never loads it. The terminal tables are in render/segments_table.py.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..core.money import fmt_plain
from ..core.segments import DIMENSIONS, SegmentReport, SegmentRow

if TYPE_CHECKING:  # named for the checker only: render calls no use case
    from ..ops.segments import Explanation

_TENTH = Decimal("0.1")


def average_late(row: SegmentRow) -> str:
    average = row.figures.average_days_late
    return "" if average is None else str(average.quantize(_TENTH))


def segments_csv(report: SegmentReport) -> tuple[list[str], list[list[object]], tuple[str, ...]]:
    header = [
        "id",
        "name",
        "currency",
        *DIMENSIONS,
        "invoiced",
        "invoices",
        "settled_invoices",
        "average_days_late",
        "days_overdue",
        "changed",
    ]
    rows: list[list[object]] = []
    for row in report.rows:
        f = row.figures
        rows.append(
            [
                f.id,
                f.name,
                f.currency,
                *(row.classes[d] or "" for d in DIMENSIONS),
                fmt_plain(f.invoiced, f.currency),
                f.invoices,
                f.settled,
                average_late(row),
                f.days_overdue,
                "yes" if row.changed else "no",
            ]
        )
    return header, rows, ("invoiced", "invoices", "settled_invoices", "average_days_late", "days_overdue")


def changes_csv(report: SegmentReport) -> tuple[list[str], list[list[object]], tuple[str, ...]]:
    rows: list[list[object]] = []
    for row in report.rows:
        if row.changed:
            rows.extend(
                [row.id, row.figures.name, dim, old or "", new or ""] for dim, (old, new) in row.differences().items()
            )
    return ["id", "name", "dimension", "from", "to"], rows, ()


def segments_json(report: SegmentReport) -> dict[str, object]:
    return {
        "as_of": report.as_of.isoformat(),
        "window": {"from": report.start.isoformat(), "to": report.as_of.isoformat()},
        "customers": [
            {"id": r.id, "name": r.figures.name, "currency": r.figures.currency, "segments": r.classes}
            for r in report.rows
        ],
    }


def segment_changes_json(report: SegmentReport) -> dict[str, object]:
    return {
        "as_of": report.as_of.isoformat(),
        "changes": [
            {
                "id": r.id,
                "name": r.figures.name,
                "from": r.applied,
                "to": r.computed,
                "dimensions": list(r.differences()),
            }
            for r in report.rows
            if r.changed
        ],
    }


def explanation_json(explanation: Explanation) -> dict[str, Any]:  # JSON: the CLI reads its parts back for CSV
    f = explanation.row.figures
    cur = f.currency
    rank = explanation.row.rank
    oldest = f.oldest_open
    average = f.average_days_late
    return {
        "as_of": explanation.as_of.isoformat(),
        "window": {"from": explanation.start.isoformat(), "to": explanation.as_of.isoformat()},
        "id": f.id,
        "name": f.name,
        "currency": cur,
        "segments": explanation.row.classes,
        "applied": f.applied,
        "figures": {
            "invoiced": fmt_plain(f.invoiced, cur),
            "invoices": f.invoices,
            "rank": rank.position,
            "ranked": rank.of,
            "invoiced_before": fmt_plain(rank.before, rank.currency or cur),
            "invoiced_total": fmt_plain(rank.total, rank.currency or cur),
            "ranked_in": rank.currency or cur,
            "settled_invoices": f.settled,
            "average_days_late": None if average is None else str(average.quantize(_TENTH)),
            "open": fmt_plain(f.open_total, cur),
            "oldest_open_item": None
            if oldest is None
            else {
                "id": oldest.id,
                "date": oldest.date.isoformat(),
                "due": oldest.due.isoformat(),
                "open": fmt_plain(oldest.open, cur),
                "days_overdue": f.days_overdue,
            },
            "write_offs": list(f.write_offs),
        },
        "reasons": explanation.row.reasons,
        "settled": [
            {"id": s.id, "due": s.due.isoformat(), "settled_on": s.settled_on.isoformat(), "days_late": s.days_late}
            for s in explanation.settled
        ],
    }


def explanation_csv(data: dict[str, Any]) -> tuple[list[str], list[list[object]], tuple[str, ...]]:
    """`segment --explain --format csv`: one row per dimension, its class and why."""
    return (
        ["dimension", "class", "because"],
        [[d, data["segments"][d] or "", data["reasons"][d]] for d in data["segments"]],
        (),
    )
