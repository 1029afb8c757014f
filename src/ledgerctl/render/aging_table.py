"""The aging report as terminal tables (rich); the JSON and CSV forms live in render/aging.py."""

from __future__ import annotations

from decimal import Decimal

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from ..core.aging import AgingReport
from ..core.money import fmt_grouped
from .output import keep_whole
from .tables import converted_note

_EIGHTHS = " ▏▎▍▌▋▊▉"


def bar(share: Decimal, width: int = 8) -> str:
    """A horizontal bar of ``share`` (0–1) in ``width`` cells, in eighths of a cell."""
    eighths = int((share * width * 8).to_integral_value())
    full, part = divmod(max(0, min(eighths, width * 8)), 8)
    return ("█" * full + (_EIGHTHS[part] if part else "")).ljust(width)


def _amount(value: Decimal, currency: str, style: str = "") -> Text:
    if value == 0:
        return Text("·", style="dim", justify="right")
    return Text(fmt_grouped(value, currency), style=style or ("red" if value < 0 else ""), justify="right")


def aging_table(report: AgingReport, width: int | None = None) -> Table:
    """The summary table; on a terminal too narrow for it, the name column goes first."""
    if width is None:
        return _aging_table(report, name_width=None)
    from rich.console import Console

    console = Console(width=width)
    without_name = _aging_table(report, name_width=0)
    natural = without_name.__rich_measure__(console, console.options.update(max_width=10_000)).maximum
    room = width - natural - 2
    return _aging_table(report, name_width=room) if room >= 10 else without_name


def _aging_table(report: AgingReport, *, name_width: int | None) -> Table:
    with_name = name_width != 0
    basis = "due date" if report.basis == "due" else "invoice date"
    legend = "bars: share of each bucket in the open items"
    if any(row.over_limit for row in report.rows):  # the legend explains a mark only where one is shown
        legend = "⚠ over credit limit · " + legend
    table = Table(
        title=f"Aging as of {report.as_of} (by {basis})",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        collapse_padding=True,
        pad_edge=False,
        caption=legend,
        caption_justify="left",
    )
    # Ids and money are never folded or cut (see keep_whole); only the name gives way.
    table.add_column("customer", no_wrap=True)
    if with_name:
        table.add_column("name", overflow="fold", max_width=name_width)
    table.add_column("cur", no_wrap=True)
    for name in report.bucket_names:
        table.add_column(name, justify="right", no_wrap=True)
    table.add_column("unapplied", justify="right", no_wrap=True)
    table.add_column("total", justify="right", no_wrap=True)
    for row in report.rows:
        cur = row.customer.currency
        marker = Text(" ⚠", style="bold red") if row.over_limit else Text("")
        table.add_row(
            Text(row.customer.id) + marker,
            *([row.customer.name] if with_name else []),
            cur,
            *(
                _amount(row.buckets[n], cur, "bold red" if n == report.bucket_names[-1] else "")
                for n in report.bucket_names
            ),
            _amount(row.unapplied, cur),
            _amount(row.total, cur, "bold red" if row.over_limit else "bold"),
        )
    for total in report.totals:
        table.add_section()
        cur = total.currency
        blank = [""] if with_name else []
        table.add_row(
            Text("total", style="bold"),
            *blank,
            cur,
            *(_amount(total.buckets[n], cur, "bold") for n in report.bucket_names),
            _amount(total.unapplied, cur),
            _amount(total.total, cur, "bold"),
        )
        shares = total.shares()
        table.add_row(
            Text("share", style="dim"),
            *blank,
            "",
            *(
                Text(f"{bar(shares[n], 4)}{shares[n] * 100:4.0f}%" if shares[n] else "", style="cyan", justify="right")
                for n in report.bucket_names
            ),
            "",
            "",
        )
    if report.converted is not None:
        table.add_section()
        conv, cur = report.converted, report.converted.currency
        table.add_row(
            Text("converted", style="bold"),
            *([Text(converted_note(conv), style="dim")] if with_name else []),
            cur,
            *(_amount(conv.figures[n], cur, "bold") for n in report.bucket_names),
            _amount(conv.figures["unapplied"], cur),
            _amount(conv.figures["total"], cur, "bold"),
        )
    return keep_whole(table)


def aging_detail(report: AgingReport, width: int | None = None) -> Group:
    parts: list[object] = [aging_table(report, width)]
    for row in report.rows:
        if not row.items:
            continue
        cur = row.customer.currency
        table = Table(title=f"{row.customer.id} — {row.customer.name} ({cur})", title_justify="left")
        for name in ("entry", "date", "due", "amount", "open", "days overdue", "bucket", "ref"):
            table.add_column(
                name, justify="right" if name in ("amount", "open", "days overdue") else "left", no_wrap=name != "ref"
            )
        for aged in row.items:
            item = aged.item
            overdue = item.days_overdue(report.as_of)
            table.add_row(
                item.id,
                str(item.date),
                str(item.due),
                fmt_grouped(item.amount, cur),
                fmt_grouped(item.open, cur),
                Text(str(overdue), style="red" if overdue else ""),
                aged.bucket,
                item.ref or "",
            )
        parts.append(keep_whole(table))
    return Group(*parts)  # type: ignore[arg-type]
