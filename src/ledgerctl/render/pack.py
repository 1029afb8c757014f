"""The month-end pack: one self-contained printable HTML page with static SVG charts drawn by pygal.

Figures are Decimal up to the chart call; pygal gets floats only to draw. pygal's own inline
script (tooltips) and its comments (one carries the day it ran) are taken out of each chart's
tree with its documented xml filter hook, so the page runs no script and is the same every run.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from ..core.money import fmt_grouped
from ..core.periods import MonthEndPack, cei, dso
from .report import period_label

FONTS = (
    '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", '
    '"WenQuanYi Micro Hei", sans-serif'
)
COLORS = ("#2f6f4f", "#e0b84c", "#e07b39", "#c0392b", "#7b241c", "#5d6d7e", "#34495e", "#8e44ad")
TOP = 10


def _static(root: Any) -> Any:
    """Drop <script> elements and comments: the chart must run nothing and not carry pygal's date."""
    for parent in list(root.iter()):
        for child in list(parent):
            tag = child.tag
            if not isinstance(tag, str) or tag.rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    return root


def _chart(kind: str, key: str, title: str, labels: list[str], **options: Any) -> Any:
    import pygal
    from pygal.style import Style

    style = Style(
        font_family=FONTS,
        background="white",
        plot_background="white",
        colors=COLORS,
        foreground="#333",
        foreground_strong="#111",
        foreground_subtle="#999",
        title_font_size=15,
        label_font_size=11,
        major_label_font_size=11,
        legend_font_size=12,
    )
    chart = getattr(pygal, kind)(
        style=style,
        js=[],
        disable_xml_declaration=True,
        width=860,
        height=300,
        legend_at_bottom=True,
        truncate_legend=-1,
        truncate_label=-1,
        title=title,
        print_values=False,
        **options,
    )
    chart.uuid = key  # stable ids: the same books give the same page
    chart.x_labels = labels
    chart.add_xml_filter(_static)
    return chart


def _svg(chart: Any) -> str:
    from markupsafe import Markup

    return Markup(chart.render(is_unicode=True))  # pygal builds it as an XML tree: text is escaped there


def _amount_axis(value: float) -> str:
    return f"{value:,.0f}"


def aging_chart(pack: MonthEndPack) -> str:
    """Each currency's open items by bucket, as shares (amounts of two currencies are never put on one scale)."""
    totals = pack.aging.totals
    chart = _chart(
        "HorizontalStackedBar",
        "aging",
        f"Open items by age at {pack.end}, % of each currency",
        [t.currency for t in totals],
        value_formatter=lambda v: f"{v:.1f} %",
        range=(0, 100),
    )
    for name in pack.aging.bucket_names:
        chart.add(name, [float(t.shares()[name] * 100) for t in totals])
    return _svg(chart)


def _per_period(pack: MonthEndPack, currency: str) -> tuple[list[str], list[Any]]:
    """Each period's label and the currency's totals in it (None where the currency had nothing)."""
    periods = pack.report.periods
    return [period_label(p) for p in periods], [_of(pack.report.totals[i], currency) for i in range(len(periods))]


def trend_chart(pack: MonthEndPack, currency: str) -> str:
    report = pack.report
    labels, totals = _per_period(pack, currency)
    chart = _chart(
        "Line",
        f"trend-{currency}",
        f"{currency}: receivables, overdue (left) and DSO in days (right)",
        labels,
        value_formatter=_amount_axis,
        dots_size=3,
    )
    chart.add("receivables", [float(t.flows.closing) if t else None for t in totals])
    chart.add("overdue", [float(t.flows.overdue) if t else None for t in totals])
    days = [dso(t.flows, p.days) if t else None for t, p in zip(totals, report.periods, strict=True)]
    chart.add("DSO", [None if d is None else float(d) for d in days], secondary=True, formatter=lambda v: f"{v:.1f} d")
    return _svg(chart)


def flows_chart(pack: MonthEndPack, currency: str) -> str:
    labels, totals = _per_period(pack, currency)
    chart = _chart(
        "Bar",
        f"flows-{currency}",
        f"{currency}: invoiced and collected per period",
        labels,
        value_formatter=_amount_axis,
    )
    chart.add("invoiced", [float(t.flows.invoiced) if t else 0.0 for t in totals])
    chart.add("collected", [float(t.flows.collected) if t else 0.0 for t in totals])
    return _svg(chart)


def _of(totals: list[Any], currency: str) -> Any:
    return next((t for t in totals if t.currency == currency), None)


def _money(value: Decimal | None, currency: str) -> str:
    return "" if value is None else fmt_grouped(value, currency)


def _ratio(value: Decimal | None, suffix: str = "") -> str:
    return "–" if value is None else f"{value}{suffix}"


def pack_context(pack: MonthEndPack) -> dict[str, Any]:
    report, aging = pack.report, pack.aging
    names = aging.bucket_names
    currencies = report.currencies()
    month = report.periods[-1]
    flows = {
        cur: [
            {
                "label": period_label(p),
                **{
                    k: _money(getattr(t.flows, k), cur)
                    for k in (
                        "opening",
                        "invoiced",
                        "credited",
                        "collected",
                        "written_off",
                        "refunded",
                        "closing",
                        "overdue",
                    )
                },
                "dso": _ratio(dso(t.flows, p.days)),
                "cei": _ratio(cei(t.flows), " %"),
            }
            for p, t in ((p, _of(report.totals[i], cur)) for i, p in enumerate(report.periods))
            if t
        ]
        for cur in currencies
    }
    paid = {row.id: row for row in report.customers}

    def days_to_pay(customer_id: str) -> str:
        row = paid.get(customer_id)
        if row is None or not row.paid_amount:
            return "–"
        from ..core.periods import average_days

        return _ratio(average_days(sum(row.paid_days, Decimal(0)), sum(row.paid_amount, Decimal(0))))

    overdue_rows = []
    for cur in currencies:
        rows = [
            (r, sum((r.buckets[n] for n in names[1:]), Decimal(0))) for r in aging.rows if r.customer.currency == cur
        ]
        rows = sorted((x for x in rows if x[1] > 0), key=lambda x: (-x[1], x[0].customer.id))[:TOP]
        overdue_rows += [
            {
                "id": r.customer.id,
                "name": r.customer.name,
                "currency": cur,
                "overdue": _money(amount, cur),
                "oldest": next((n for n in reversed(names) if r.buckets[n] > 0), ""),
                "total": _money(r.total, cur),
                "days_to_pay": days_to_pay(r.customer.id),
            }
            for r, amount in rows
        ]
    breaches = [
        {
            "id": r.customer.id,
            "name": r.customer.name,
            "currency": r.customer.currency,
            "limit": _money(r.customer.credit_limit, r.customer.currency),
            "total": _money(r.total, r.customer.currency),
            "excess": _money(r.total - (r.customer.credit_limit or Decimal(0)), r.customer.currency),
        }
        for r in aging.rows
        if r.over_limit
    ]
    mix: dict[str, dict[str, int]] = {}
    for row in pack.segments.rows:
        for dim, value in row.classes.items():
            if value is not None:
                mix.setdefault(dim, {}).setdefault(value, 0)
                mix[dim][value] += 1
    changed = [
        {
            "id": row.id,
            "name": row.figures.name,
            "moves": ", ".join(f"{dim} {old or '–'} → {new or '–'}" for dim, (old, new) in row.differences().items()),
        }
        for row in pack.segments.rows
        if row.changed
    ]
    events = [
        {
            "customer": e.customer,
            "name": e.name,
            "id": e.id,
            "date": e.date.isoformat(),
            "amount": _money(e.amount, e.currency),
            "currency": e.currency,
            "ref": e.ref or "",
            "level": e.level,
            "invoices": ", ".join(e.invoices),
        }
        for e in pack.events
    ]
    return {
        "books": pack.books_name,
        "end": pack.end.isoformat(),
        "month": period_label(month),
        "month_start": month.start.isoformat(),
        "first": report.periods[0].start.isoformat(),
        "fonts": FONTS,
        "bucket_names": names,
        "basis": aging.basis,
        "aging": [
            {
                "currency": t.currency,
                "buckets": [_money(t.buckets[n], t.currency) for n in names],
                "unapplied": _money(t.unapplied, t.currency),
                "total": _money(t.total, t.currency),
            }
            for t in aging.totals
        ],
        "aging_chart": aging_chart(pack) if aging.totals else "",
        "currencies": currencies,
        "flows": flows,
        "trend_charts": {cur: trend_chart(pack, cur) for cur in currencies},
        "flow_charts": {cur: flows_chart(pack, cur) for cur in currencies},
        "top": overdue_rows,
        "top_count": TOP,
        "breaches": breaches,
        "mix": mix,
        "changed": changed,
        "write_offs": [e for e in events if e["level"] is None],
        "reminders": [e for e in events if e["level"] is not None],
    }


def pack_html(pack: MonthEndPack) -> str:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("pack.html.j2").render(**pack_context(pack))
