"""Reconciliation results for the terminal and for scripts (JSON)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from rich.console import Group
from rich.table import Table
from rich.text import Text

from ..core.money import fmt_grouped, fmt_plain
from ..core.reconcile import BalanceAgreement, LedgerItem, StatementLine, StatementReport, Suggestion


def suggestions_json(suggestions: list[Suggestion], currency: str) -> list[dict[str, str]]:
    return [
        {
            "credit": s.credit,
            "debit": s.debit,
            "amount": fmt_plain(s.amount, currency),
            "reason": s.reason,
            "explanation": s.explanation,
        }
        for s in suggestions
    ]


def open_view_json(view, as_of: dt.date) -> dict[str, object]:  # type: ignore[no-untyped-def]
    cur = view.customer.currency
    pos = view.position
    return {
        "as_of": as_of.isoformat(),
        "customer": view.customer.id,
        "currency": cur,
        "balance": fmt_plain(pos.balance, cur),
        "unapplied": fmt_plain(pos.unapplied, cur),
        "open_items": [
            {
                "id": i.id,
                "type": i.type,
                "date": i.date.isoformat(),
                "due": i.due.isoformat(),
                "amount": fmt_plain(i.amount, cur),
                "open": fmt_plain(i.open, cur),
                "days_overdue": i.days_overdue(as_of),
                "ref": i.ref,
            }
            for i in pos.open_items
        ],
        "suggestions": suggestions_json(view.suggestions, cur),
    }


def open_view_table(view, as_of: dt.date) -> Group:  # type: ignore[no-untyped-def]
    cur = view.customer.currency
    pos = view.position
    items = Table(title=f"{view.customer.id} — open items as of {as_of}", title_justify="left")
    for name in ("entry", "due", "amount", "open", "overdue", "ref"):
        items.add_column(
            name, justify="right" if name in ("amount", "open", "overdue") else "left", no_wrap=name != "ref"
        )
    for i in pos.open_items:
        overdue = max(0, i.age(as_of))
        items.add_row(
            i.id,
            str(i.due),
            fmt_grouped(i.amount, cur),
            fmt_grouped(i.open, cur),
            Text(f"{overdue} d", style="red" if overdue else ""),
            i.ref or "",
        )
    summary = Text(
        f"balance {fmt_grouped(pos.balance, cur)} {cur}   unapplied credit {fmt_grouped(pos.unapplied, cur)}"
    )
    parts: list[object] = [
        items if pos.open_items else Text(f"{view.customer.id}: nothing open as of {as_of}"),
        summary,
    ]
    if view.suggestions:
        table = Table(title="Suggested allocations (apply with --apply)", title_justify="left")
        for name in ("credit", "→ debit", "amount", "why"):
            table.add_column(name, justify="right" if name == "amount" else "left", no_wrap=name != "why")
        for s in view.suggestions:
            table.add_row(s.credit, s.debit, fmt_grouped(s.amount, cur), s.explanation)
        parts.append(table)
    else:
        parts.append(Text("no suggestions: every credit is allocated or nothing is open", style="dim"))
    return Group(*parts)  # type: ignore[arg-type]


def statement_json(report: StatementReport, currency: str) -> dict[str, object]:
    def money(value: Decimal | None) -> str | None:
        return None if value is None else fmt_plain(value, currency)

    def line(x: StatementLine) -> dict[str, object]:
        return {
            "line": x.number,
            "date": x.date.isoformat(),
            "ref": x.ref,
            "description": x.description,
            "amount": money(x.amount),
            "balance": money(x.balance),
        }

    def item(x: LedgerItem) -> dict[str, object]:
        return {"id": x.id, "type": x.type, "date": x.date.isoformat(), "ref": x.ref, "amount": money(x.amount)}

    return {
        "agrees": report.agrees,
        "matched": [{"statement": line(a), "entry": item(b), "by": how} for a, b, how in report.matched],
        "amount_differences": [
            {"statement": line(a), "entry": item(b), "difference": money(b.amount - a.amount)}
            for a, b in report.amount_differences
        ],
        "only_in_statement": [line(a) for a in report.only_in_statement],
        "only_in_ledger": [item(b) for b in report.only_in_ledger],
        "last_date": report.last_date.isoformat() if report.last_date else None,
        "statement_balance": money(report.statement_balance),
        "ledger_balance": money(report.ledger_balance),
        "balance_difference": money(report.balance_difference),
    }


def statement_tables(report: StatementReport, currency: str) -> Group:
    def money(value) -> str:  # type: ignore[no-untyped-def]
        return "" if value is None else fmt_grouped(value, currency)

    parts: list[object] = []
    sections = (
        (
            "Matched",
            [(a.number, a.date, a.ref or a.description, money(a.amount), b.id, how) for a, b, how in report.matched],
        ),
        (
            "Different amounts",
            [
                (
                    a.number,
                    a.date,
                    a.ref or a.description,
                    money(a.amount),
                    b.id,
                    f"ledger {money(b.amount)}, difference {money(b.amount - a.amount)}",
                )
                for a, b in report.amount_differences
            ],
        ),
        (
            "Only in the statement",
            [(a.number, a.date, a.ref or a.description, money(a.amount), "", "") for a in report.only_in_statement],
        ),
        (
            "Only in the ledger",
            [("", b.date, b.ref or "", money(b.amount), b.id, b.type) for b in report.only_in_ledger],
        ),
    )
    for title, rows in sections:
        if not rows:
            continue
        table = Table(title=f"{title} ({len(rows)})", title_justify="left")
        for name in ("line", "date", "statement ref", "amount", "entry", "note"):
            table.add_column(name, justify="right" if name in ("line", "amount") else "left")
        for row in rows:
            table.add_row(*(str(cell) for cell in row))
        parts.append(table)
    if report.balance_difference is not None:
        style = "bold red" if report.balance_difference else "green"
        parts.append(
            Text(
                f"balance at {report.last_date}: statement {money(report.statement_balance)}, "
                f"ledger {money(report.ledger_balance)}, difference {money(report.balance_difference)}",
                style=style,
            )
        )
    parts.append(
        Text(
            "the statement agrees with the ledger" if report.agrees else "the statement and the ledger differ",
            style="green" if report.agrees else "bold red",
        )
    )
    return Group(*parts)  # type: ignore[arg-type]


def agreement_json(agreement: BalanceAgreement, currency: str) -> dict[str, object]:
    """`reconcile --balance` when the customer's figure differs from the ledger's."""
    return {
        "agrees": False,
        "as_of": agreement.as_of.isoformat(),
        "ledger": fmt_plain(agreement.ours, currency),
        "customer": fmt_plain(agreement.theirs, currency),
        "difference": fmt_plain(agreement.difference, currency),
        "since": agreement.since.isoformat() if agreement.since else None,
        "entries": [e.id for e in agreement.candidates],
    }


def agreement_csv(
    agreement: BalanceAgreement, currency: str
) -> tuple[tuple[str, ...], list[tuple[object, ...]], tuple[str, ...]]:
    data = agreement_json(agreement, currency)
    return (
        ("as_of", "ledger", "customer", "difference", "since", "entries"),
        [
            (
                data["as_of"],
                data["ledger"],
                data["customer"],
                data["difference"],
                data["since"] or "",
                " ".join(data["entries"]),  # type: ignore[arg-type]
            )
        ],
        ("ledger", "customer", "difference"),
    )


def agreement_text(agreement: BalanceAgreement, currency: str) -> Group:
    head = Text(
        f"as of {agreement.as_of}: ledger {fmt_grouped(agreement.ours, currency)}, "
        f"customer {fmt_grouped(agreement.theirs, currency)}, difference {fmt_grouped(agreement.difference, currency)}",
        style="bold red",
    )
    since = (
        f"since the last agreed balance on {agreement.since}" if agreement.since else "(no balance was agreed before)"
    )
    table = Table(title=f"Entries that could explain it, {since}", title_justify="left")
    for name in ("date", "entry", "type", "amount", "ref / memo"):
        table.add_column(name, justify="right" if name == "amount" else "left")
    for e in agreement.candidates:
        table.add_row(
            str(e.date),
            e.id,
            e.type,
            fmt_grouped(e.amount * e.sign, currency),  # type: ignore[attr-defined]
            " · ".join(x for x in (getattr(e, "ref", None), e.memo) if x),
        )
    return Group(head, table)


OPEN_VIEW_CSV_NUMBERS = ("amount", "open", "days_overdue")


def open_view_csv(view, as_of: dt.date) -> tuple[tuple[str, ...], list[tuple[object, ...]], tuple[str, ...]]:  # type: ignore[no-untyped-def]
    """Open items as rows, each with the allocation suggested for it (one row per suggestion, or none)."""
    data = open_view_json(view, as_of)
    suggested: dict[str, list[dict[str, str]]] = {}
    for s in data["suggestions"]:  # type: ignore[attr-defined]
        suggested.setdefault(s["debit"], []).append(s)
    header = (
        "customer",
        "currency",
        "entry",
        "type",
        "date",
        "due",
        "amount",
        "open",
        "days_overdue",
        "ref",
        "suggested_credit",
        "suggested_amount",
        "reason",
    )
    rows: list[tuple[object, ...]] = []
    for item in data["open_items"]:  # type: ignore[attr-defined]
        base = (
            data["customer"],
            data["currency"],
            item["id"],
            item["type"],
            item["date"],
            item["due"],
            item["amount"],
            item["open"],
            item["days_overdue"],
            item["ref"] or "",
        )
        for s in suggested.get(item["id"], [None]):
            rows.append((*base, *((s["credit"], s["amount"], s["explanation"]) if s else ("", "", ""))))
    return header, rows, (*OPEN_VIEW_CSV_NUMBERS, "suggested_amount")


def statement_csv(
    report: StatementReport, currency: str
) -> tuple[tuple[str, ...], list[tuple[object, ...]], tuple[str, ...]]:
    """Every statement line and every ledger entry once, with what became of it."""
    data = statement_json(report, currency)
    header = (
        "status",
        "line",
        "date",
        "statement_ref",
        "description",
        "statement_amount",
        "entry",
        "entry_type",
        "entry_date",
        "entry_amount",
        "difference",
    )

    def row(status: str, line: dict | None, entry: dict | None, difference: str | None = None) -> tuple[object, ...]:  # type: ignore[type-arg]
        line = line or {}
        entry = entry or {}
        return (
            status,
            line.get("line", ""),
            line.get("date", ""),
            line.get("ref") or "",
            line.get("description") or "",
            line.get("amount") or "",
            entry.get("id", ""),
            entry.get("type", ""),
            entry.get("date", ""),
            entry.get("amount") or "",
            difference or "",
        )

    rows = [row("matched", m["statement"], m["entry"]) for m in data["matched"]]  # type: ignore[attr-defined]
    rows += [row("different_amount", d["statement"], d["entry"], d["difference"]) for d in data["amount_differences"]]  # type: ignore[attr-defined]
    rows += [row("only_in_statement", line, None) for line in data["only_in_statement"]]  # type: ignore[attr-defined]
    rows += [row("only_in_ledger", None, entry) for entry in data["only_in_ledger"]]  # type: ignore[attr-defined]
    return header, rows, ("line", "statement_amount", "entry_amount", "difference")
