"""Terminal tables (rich) and CSV rows for the reports; CJK text is measured in cells."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from ..core.errors import Problem
from ..core.fx import Converted
from ..core.money import fmt_grouped, fmt_plain
from ..core.reports import BalanceReport
from .output import fitting, keep_whole

if TYPE_CHECKING:  # rich loads only when a table is drawn: JSON and CSV never need it
    from rich.table import Table
    from rich.text import Text

    from ..core.models import Customer


def _money(amount, currency: str, *, warn: bool = False) -> Text:  # type: ignore[no-untyped-def]
    from rich.text import Text

    style = "red" if amount < 0 else ""
    if warn:
        style = "bold red"
    return Text(fmt_grouped(amount, currency), style=style, justify="right")


def balance_table(report: BalanceReport) -> Table:
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"Balances as of {report.as_of}", title_justify="left", show_footer=False)
    table.add_column("customer", no_wrap=True)
    table.add_column("name", overflow="fold")
    table.add_column("cur", no_wrap=True)
    table.add_column("balance", justify="right", no_wrap=True)
    table.add_column("credit limit", justify="right", no_wrap=True)
    for row in report.rows:
        limit = fmt_grouped(row.credit_limit, row.currency) if row.credit_limit is not None else ""
        mark = " ⚠ over limit" if row.over_limit else ""
        table.add_row(
            row.id,
            row.name,
            row.currency,
            _money(row.balance, row.currency, warn=row.over_limit),
            Text(limit + mark, style="red" if mark else "dim"),
        )
    table.add_section()
    for total in report.totals:
        table.add_row(Text("total", style="bold"), "", total.currency, _money(total.balance, total.currency), "")
    if report.converted is not None:
        cur = report.converted.currency
        table.add_row(
            Text("converted", style="bold"),
            Text(converted_note(report.converted), style="dim"),
            cur,
            _money(report.converted.figures["balance"], cur),
            "",
        )
    return keep_whole(table)


def converted_note(converted: Converted) -> str:
    """At which rates: "USD 7.1234, JPY 0.0478 on 2026-11-23"."""
    used = ", ".join(f"{cur} {rate}" for cur, rate in converted.rates.items())
    return f"at {used} ({converted.on})" if used else f"all in {converted.currency}"


def converted_json(converted: Converted) -> dict[str, object]:
    """The `converted` object of a report's JSON: currency, as-of date, rates used, converted figures."""
    cur = converted.currency
    return {
        "currency": cur,
        "as_of": converted.on.isoformat(),
        "rates": {c: str(rate) for c, rate in converted.rates.items()},
        **{name: fmt_plain(amount, cur) for name, amount in converted.figures.items()},
    }


def balance_json(report: BalanceReport) -> dict[str, object]:
    return {
        "as_of": report.as_of.isoformat(),
        "customers": [
            {"id": r.id, "name": r.name, "currency": r.currency, "balance": fmt_plain(r.balance, r.currency)}
            for r in report.rows
        ],
        "totals": [{"currency": t.currency, "balance": fmt_plain(t.balance, t.currency)} for t in report.totals],
    } | ({} if report.converted is None else {"converted": converted_json(report.converted)})


def balance_csv(report: BalanceReport) -> tuple[list[str], list[list[str]], tuple[str, ...]]:
    """Header, rows and the columns that are numbers (see output.emit_csv)."""
    header = ["id", "name", "currency", "balance"]
    return header, [[r.id, r.name, r.currency, fmt_plain(r.balance, r.currency)] for r in report.rows], ("balance",)


# Left out first to last when the terminal is too narrow (a note under the table says which).
_CUSTOMER_OPTIONAL = ("segments", "tags", "terms", "credit limit")


def customers_table(customers: Sequence[Customer], balances: Mapping[str, Decimal], width: int | None = None) -> Table:
    from rich.table import Table

    segments = {
        c.id: " ".join(f"{k}={v}" for k, v in (c.segments.model_dump(exclude_none=True) if c.segments else {}).items())
        for c in customers
    }
    # No applied segments yet (`segment --apply`): no empty column.
    always_out = frozenset() if any(segments.values()) else frozenset({"segments"})
    optional = [c for c in _CUSTOMER_OPTIONAL if c not in always_out]

    def build(left_out: frozenset[str]) -> Table:
        dropped = [c for c in optional if c in left_out]
        table = Table(
            title="Customers",
            title_justify="left",
            caption=f"not shown for lack of width: {', '.join(dropped)} (see --format csv)" if dropped else None,
            caption_justify="left",
        )
        columns = [
            c
            for c in ("customer", "name", "cur", "terms", "credit limit", "balance", "tags", "segments")
            if c not in left_out | always_out
        ]
        for name in columns:
            table.add_column(
                name,
                justify="right" if name in ("terms", "credit limit", "balance") else "left",
                no_wrap=name in ("customer", "cur", "terms", "credit limit", "balance"),
                overflow="fold",
            )
        for c in customers:
            cells: dict[str, str | Text] = {
                "customer": c.id,
                "name": c.name,
                "cur": c.currency,
                "terms": f"{c.terms_days}d",
                "credit limit": fmt_grouped(c.credit_limit, c.currency) if c.credit_limit is not None else "",
                "balance": _money(balances[c.id], c.currency),
                "tags": " ".join(c.tags),
                "segments": segments[c.id],
            }
            table.add_row(*(cells[name] for name in columns))
        return keep_whole(table)

    table, _ = fitting(build, optional, width)
    return table


def problems_json(problems: Sequence[Problem]) -> dict[str, object]:
    """`check --format json`: ok when there is no problem."""
    # ok: no error; warnings (severity "warning") leave it true
    return {"ok": all(p.severity == "warning" for p in problems), "problems": [p.to_dict() for p in problems]}


def problems_csv(problems: Sequence[Problem]) -> tuple[list[str], list[list[object]], tuple[str, ...]]:
    """SPEC 5.1's problem fields as CSV (check, verify)."""
    return (
        ["code", "message", "file", "line", "entry", "commit", "severity"],
        [[p.code, p.message, p.file or "", p.line or "", p.entry or "", p.commit or "", p.severity] for p in problems],
        ("line",),
    )


def problems_table(problems: Sequence[Problem]) -> Table:
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"{len(problems)} problem{'s' if len(problems) != 1 else ''}", title_justify="left")
    table.add_column("where")
    table.add_column("entry")
    table.add_column("problem")
    for p in problems:
        warning = "warning: " if p.severity == "warning" else ""
        table.add_row(p.location(), p.entry or "", Text(f"{warning}{p.message} [{p.code}]"))
    return table
