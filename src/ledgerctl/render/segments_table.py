"""`segment` as terminal tables (rich): the classes, the changes since the last apply, one customer explained.

The JSON and CSV forms live in render/segments.py.
"""

from __future__ import annotations

from decimal import Decimal

from rich import box
from rich.console import Group, JustifyMethod
from rich.table import Table
from rich.text import Text

from ..core.money import fmt_grouped
from ..core.segments import DIMENSIONS, SegmentReport
from .output import fitting, keep_whole
from .segments import average_late

_STYLES = {
    "A": "bold green",
    "C": "dim",
    "high": "green",
    "low": "dim",
    "large": "green",
    "small": "dim",
    "good": "green",
    "fair": "yellow",
    "poor": "bold red",
    "overdue": "yellow",
    "doubtful": "red",
    "bad-debt": "bold red",
}


def _cls(value: str | None) -> Text:
    return Text(value or "—", style=_STYLES.get(value or "", "dim" if value is None else ""))


# Optional columns, the first given up first when the terminal is too narrow for all of them.
_OPTIONAL = ("name", "avg late", "invoices", "overdue", "invoiced")


def segments_table(report: SegmentReport, width: int | None = None) -> Table:
    """The classes per customer; at ``width`` columns, optional columns are left out rather than folded."""
    table, _ = fitting(lambda left_out: _segments_table(report, left_out), _OPTIONAL, width)
    return table


def _segments_table(report: SegmentReport, dropped: frozenset[str]) -> Table:
    caption = "* differs from the applied segments (see --changes; write them with --apply)"
    if dropped:
        caption += (
            f"\nnot shown for lack of width: {', '.join(c for c in _OPTIONAL if c in dropped)} (see --format csv)"
        )
    table = Table(
        title=f"Segments as of {report.as_of} (window {report.start} – {report.as_of})",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        caption=caption,
        caption_justify="left",
    )
    columns: list[tuple[str, JustifyMethod]] = [("customer", "left"), ("name", "left"), ("cur", "left")]
    columns += [(dim, "left") for dim in DIMENSIONS]
    columns += [(name, "right") for name in ("invoiced", "invoices", "avg late", "overdue")]
    shown = [(name, justify) for name, justify in columns if name not in dropped]
    for name, justify in shown:
        table.add_column(name, justify=justify, no_wrap=True)  # a folded id or amount misreads
    for row in report.rows:
        f = row.figures
        mark = Text(" *", style="bold yellow") if row.changed else Text("")
        cells: dict[str, object] = {
            "customer": Text(f.id) + mark,
            "name": f.name,
            "cur": f.currency,
            **{d: _cls(row.classes[d]) for d in DIMENSIONS},
            "invoiced": fmt_grouped(f.invoiced, f.currency),
            "invoices": str(f.invoices),
            "avg late": average_late(row),
            "overdue": str(f.days_overdue) if f.days_overdue else "",
        }
        table.add_row(*(cells[name] for name, _ in shown))  # type: ignore[arg-type]
    return keep_whole(table)


def changes_table(report: SegmentReport) -> Table:
    changed = [r for r in report.rows if r.changed]
    table = Table(
        title=f"Segment changes as of {report.as_of}: {len(changed)} customer{'s' if len(changed) != 1 else ''} "
        "differ from the applied segments",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    table.add_column("customer", no_wrap=True)
    table.add_column("name", overflow="fold")
    table.add_column("dimension", no_wrap=True)
    table.add_column("from", no_wrap=True)
    table.add_column("", no_wrap=True)
    table.add_column("to", no_wrap=True)
    for row in changed:
        for number, (dim, (old, new)) in enumerate(row.differences().items()):
            table.add_row(
                row.id if number == 0 else "", row.figures.name if number == 0 else "", dim, _cls(old), "→", _cls(new)
            )
    return keep_whole(table)


def explain_panel(data: dict) -> Group:  # type: ignore[type-arg]
    """``explanation_json`` for people: the figures, then each class with its reason."""
    cur = data["currency"]
    fig = data["figures"]
    head = Table.grid(padding=(0, 2))
    head.add_column(style="bold")
    head.add_column()
    head.add_row("customer", f"{data['id']} — {data['name']} ({cur})")
    head.add_row("window", f"{data['window']['from']} – {data['window']['to']}")
    head.add_row(
        "invoiced in window",
        f"{fmt_grouped(Decimal(fig['invoiced']), cur)} {cur} in {fig['invoices']} "
        f"invoice{'s' if fig['invoices'] != 1 else ''}",
    )
    if fig["rank"] is not None:
        ranked_in = fig.get("ranked_in", cur)  # the reporting currency when amounts are converted
        head.add_row(
            "value rank",
            f"{fig['rank']} of {fig['ranked']}; invoiced before it "
            f"{fmt_grouped(Decimal(fig['invoiced_before']), ranked_in)} of "
            f"{fmt_grouped(Decimal(fig['invoiced_total']), ranked_in)}"
            + (f" {ranked_in} (converted)" if ranked_in != cur else ""),
        )
    late = fig["average_days_late"]
    head.add_row(
        "average days late",
        "— (no invoice settled in the window)"
        if late is None
        else f"{late} over {fig['settled_invoices']} settled invoice{'s' if fig['settled_invoices'] != 1 else ''}",
    )
    oldest = fig["oldest_open_item"]
    head.add_row("open", f"{fmt_grouped(Decimal(fig['open']), cur)} {cur}")
    head.add_row(
        "oldest open item",
        "—"
        if oldest is None
        else f"{oldest['id']} due {oldest['due']}, {fmt_grouped(Decimal(oldest['open']), cur)} open, "
        f"{oldest['days_overdue']} days overdue",
    )
    if fig["write_offs"]:
        head.add_row("write-offs in window", ", ".join(fig["write_offs"]))
    applied = data["applied"] or {}
    head.add_row("applied", " ".join(f"{k}={v}" for k, v in applied.items()) or "— (never applied)")

    classes = Table(title="Classes", title_justify="left", box=box.SIMPLE_HEAD)
    classes.add_column("dimension", no_wrap=True)
    classes.add_column("class", no_wrap=True)
    classes.add_column("because")
    for dim in DIMENSIONS:
        classes.add_row(dim, _cls(data["segments"][dim]), data["reasons"][dim])

    parts: list[object] = [head, Text(""), classes]
    if data["settled"]:
        settled = Table(title="Invoices settled in the window", title_justify="left", box=box.SIMPLE_HEAD)
        for name in ("invoice", "due", "settled", "days late"):
            settled.add_column(name, justify="right" if name == "days late" else "left", no_wrap=True)
        for s in data["settled"]:
            settled.add_row(
                s["id"], s["due"], s["settled_on"], Text(str(s["days_late"]), style="red" if s["days_late"] else "")
            )
        parts.append(settled)
    return Group(*parts)  # type: ignore[arg-type]
