"""The statement of account as terminal text and as a self-contained printable HTML page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from ..core.errors import UsageError
from ..core.models import Company
from ..core.money import fmt_grouped, fmt_plain
from ..core.statement import Statement
from ..core.templates import statement_environment
from .letters import failing_file

KINDS = {
    "invoice": "发票 Invoice",
    "payment": "收款 Payment",
    "credit_note": "贷项 Credit note",
    "write_off": "核销 Write-off",
    "refund": "退款 Refund",
    "void": "冲销 Void",
}


def statement_text(s: Statement) -> Group:
    cur = s.customer.currency

    def money(value: Decimal) -> str:
        return fmt_grouped(value, cur) if value else ""

    head = Text.assemble(
        (f"Statement of account — {s.customer.name} ({s.customer.id})\n", "bold"),
        f"{s.books_name} · {s.period_from} – {s.period_to} · {cur}",
    )
    table = Table(show_footer=True)
    table.add_column("date", no_wrap=True, footer=str(s.period_to))
    table.add_column("entry", footer="closing balance", min_width=20)
    table.add_column("debit", justify="right", no_wrap=True, footer=money(s.total_debits))
    table.add_column("credit", justify="right", no_wrap=True, footer=money(s.total_credits))
    table.add_column("balance", justify="right", no_wrap=True, footer=fmt_grouped(s.closing, cur))
    table.add_row(str(s.period_from), "opening balance", "", "", fmt_grouped(s.opening, cur))
    for line in s.lines:
        words = [line.type.replace("_", " ")] + [w for w in (line.ref, line.memo) if w]
        if line.voids:
            words.append(f"reverses {line.voids}")
        if line.voided_by:
            words.append(f"cancelled by {line.voided_by}")
        style = "dim" if line.voids or line.voided_by else ""
        description = Text(line.id, style=style or "bold") + Text("\n" + " · ".join(words), style=style or "dim")
        table.add_row(
            str(line.date), description, money(line.debit), money(line.credit), fmt_grouped(line.balance, cur)
        )
    parts: list[object] = [head, table]
    if s.aging.items:
        items = Table(title=f"Open items at {s.period_to}", title_justify="left")
        for name in ("entry", "due", "amount", "open", "overdue"):
            items.add_column(
                name,
                justify="right" if name in ("amount", "open", "overdue") else "left",
                no_wrap=name != "entry",
                min_width=17 if name == "entry" else None,
            )
        for aged in s.aging.items:
            item = aged.item
            overdue = item.days_overdue(s.period_to)
            label = Text(item.id) + (Text(f"\n{item.ref}", style="dim") if item.ref else Text(""))
            items.add_row(
                label,
                str(item.due),
                fmt_grouped(item.amount, cur),
                fmt_grouped(item.open, cur),
                Text(f"{overdue} d", style="red" if overdue else ""),
            )
        parts.append(items)
    summary = "  ".join(f"{name} {fmt_grouped(amount, cur)}" for name, amount in s.aging.buckets.items())
    parts.append(
        Text(f"aging: {summary}  unapplied {fmt_grouped(s.aging.unapplied, cur)}  total {fmt_grouped(s.closing, cur)}")
    )
    return Group(*parts)  # type: ignore[arg-type]


STATEMENT_CSV_HEADER = ("date", "entry", "type", "ref", "memo", "debit", "credit", "balance", "voided_by", "voids")
STATEMENT_CSV_NUMBERS = ("debit", "credit", "balance")


def statement_csv(s: Statement) -> tuple[tuple[str, ...], list[tuple[object, ...]], tuple[str, ...]]:
    """The statement as a spreadsheet opens it: an opening row, one row per movement, a closing row."""
    from ..core.money import fmt_plain

    cur = s.customer.currency
    rows: list[tuple[object, ...]] = [
        (str(s.period_from), "", "opening", "", "", "", "", fmt_plain(s.opening, cur), "", "")
    ]
    for line in s.lines:
        rows.append(
            (
                str(line.date),
                line.id,
                line.type,
                line.ref or "",
                line.memo or "",
                fmt_plain(line.debit, cur) if line.debit else "",
                fmt_plain(line.credit, cur) if line.credit else "",
                fmt_plain(line.balance, cur),
                line.voided_by or "",
                line.voids or "",
            )
        )
    rows.append(
        (
            str(s.period_to),
            "",
            "closing",
            "",
            "",
            fmt_plain(s.total_debits, cur),
            fmt_plain(s.total_credits, cur),
            fmt_plain(s.closing, cur),
            "",
            "",
        )
    )
    return STATEMENT_CSV_HEADER, rows, STATEMENT_CSV_NUMBERS


BUILT_IN = Path(__file__).parent / "templates"
TEMPLATE = "statement.html.j2"


def statement_renderer(templates: Path) -> Callable[[Statement, Company | None], str]:
    """``render(statement, company)`` → HTML, from the books' ``templates/statement.html.j2`` if there is one.

    The books' templates come with a pull, so even the built-in one renders in the sandbox (core.templates);
    one environment serves a whole run, so the template is compiled once, not once per customer.
    """
    from jinja2 import FileSystemLoader

    env = statement_environment(FileSystemLoader([str(templates), str(BUILT_IN)]))

    def render(s: Statement, company: Company | None) -> str:
        return _render(env, templates, s, company)

    return render


def statement_html(s: Statement, company: Company | None = None, templates: Path | None = None) -> str:
    return statement_renderer(templates or BUILT_IN)(s, company)


def _render(env: Any, templates: Path, s: Statement, company: Company | None) -> str:
    from jinja2 import TemplateError

    cur = s.customer.currency
    data = statement_json(s)
    # Every documented key is present (None when unset): StrictUndefined then catches only a template's typos.
    given = s.customer.contact.model_dump(mode="json") if s.customer.contact else {}
    contact = {key: None for key in ("person", "phone", "email", "address")} | given
    try:
        return str(
            env.get_template(TEMPLATE).render(
                s=data,
                contact=contact,
                kinds=KINDS,
                zero=_zero_text(cur),
                company=company.model_dump(mode="json") if company else None,
                fmt=lambda text: fmt_grouped(Decimal(text), cur),
                opening_date=(s.period_from - dt.timedelta(days=1)).isoformat(),
            )
        )
    except TemplateError as exc:  # SecurityError (the sandbox), UndefinedError, a syntax error, a missing include
        raise UsageError(
            f"statement template {failing_file(exc, env, TEMPLATE)}: {exc.message or type(exc).__name__}",
            hint=f"`ledgerctl check` lists what is wrong with the templates in {templates}; "
            "docs/templates.md lists what a statement template may use",
        ) from None


def _zero_text(currency: str) -> str:
    from ..core.money import fmt_plain

    return fmt_plain(Decimal(0), currency)


def statement_json(s: Statement) -> dict[str, object]:
    cur = s.customer.currency

    def money(amount: Decimal) -> str:
        return fmt_plain(amount, cur)

    return {
        "books": s.books_name,
        "customer": s.customer.model_dump(mode="json", exclude_none=True, exclude={"segments"}),
        "currency": cur,
        "from": s.period_from.isoformat(),
        "to": s.period_to.isoformat(),
        "opening_balance": money(s.opening),
        "lines": [
            {
                "date": line.date.isoformat(),
                "id": line.id,
                "type": line.type,
                "ref": line.ref,
                "memo": line.memo,
                "debit": money(line.debit),
                "credit": money(line.credit),
                "balance": money(line.balance),
                "voided_by": line.voided_by,
                "voids": line.voids,
            }
            for line in s.lines
        ],
        "total_debits": money(s.total_debits),
        "total_credits": money(s.total_credits),
        "closing_balance": money(s.closing),
        "open_items": [
            {
                "id": a.item.id,
                "date": a.item.date.isoformat(),
                "due": a.item.due.isoformat(),
                "amount": money(a.item.amount),
                "open": money(a.item.open),
                "days_overdue": a.item.days_overdue(s.period_to),
                "ref": a.item.ref,
            }
            for a in s.aging.items
        ],
        "aging": {name: money(amount) for name, amount in s.aging.buckets.items()},
        "unapplied": money(s.aging.unapplied),
    }
