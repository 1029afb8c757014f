"""Tables, JSON and CSV for the git commands: history, verify, doctor."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text

from ..core.errors import Problem

if TYPE_CHECKING:  # types named for the checker only: render calls no use case
    from ..gitops.history import LogCommit
    from ..ops.doctor import DoctorReport
    from ..ops.history import HistoryReport, HistoryRow
    from ..ops.verify import VerifyResult

_STYLE = {
    "entry-added": "green",
    "entry-voided": "yellow",
    "entry-changed": "bold red",
    "entry-deleted": "bold red",
    "unreadable": "red",
    "customer-deleted": "red",
}


def _when(iso: str) -> str:
    return iso[:16].replace("T", " ")  # 2026-11-23 10:00 (the author's local time)


def history_table(report: HistoryReport) -> Table:
    what = report.entry or report.customer or "all customers"
    table = Table(title=f"History of {what}", title_justify="left")
    names = ("time", "author", "commit", "command") + (() if report.customer else ("customer",)) + ("change",)
    for name in names:
        table.add_column(name, no_wrap=name in ("time", "commit"), overflow="fold")
    for row in report.rows:
        c = row.commit
        cells = [_when(c.time), c.author, c.short, c.subject] + ([] if report.customer else [row.customer])
        table.add_row(*cells, Text(row.change.description, style=_STYLE.get(row.change.kind, "")))
    return table


def verify_table(problems: Sequence[Problem], details: dict[str, LogCommit]) -> Table:
    table = Table(
        title=f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in the history", title_justify="left"
    )
    for name in ("commit", "where", "entry", "problem"):
        table.add_column(name, overflow="fold")
    for p in problems:
        commit = details.get(p.commit or "")
        made = f"{(p.commit or '')[:8]}" + (
            f"\n{commit.author}, {_when(commit.time)}\n“{commit.subject}”" if commit else ""
        )
        table.add_row(made, p.location(), p.entry or "", Text(f"{p.message} [{p.code}]"))
    return table


def doctor_json(report: DoctorReport) -> dict[str, object]:
    return {"ok": report.ok, "findings": [f.__dict__ for f in report.findings]}


def doctor_csv(report: DoctorReport) -> tuple[tuple[str, ...], list[tuple[str, str, str]]]:
    return ("status", "message", "hint"), [(f.status, f.message, f.hint or "") for f in report.findings]


def doctor_lines(report: DoctorReport) -> list[str]:
    return [f"{f.status}: {f.message}" + (f"\n      hint: {f.hint}" if f.hint else "") for f in report.findings]


def verify_json(result: VerifyResult) -> dict[str, object]:
    return {"ok": result.ok, "problems": [p.to_dict() for p in result.problems], "commits": result.commits}


def history_json(report: HistoryReport) -> dict[str, object]:
    return {
        "customer": report.customer,
        "entry": report.entry,
        "changes": [history_row_json(row) for row in report.rows],
    }


def history_row_json(row: HistoryRow) -> dict[str, object]:
    c, ch = row.commit, row.change
    return {
        "commit": c.sha,
        "author": c.author,
        "email": c.email,
        "time": c.time,
        "command": c.subject,
        "file": row.file,
        "customer": row.customer,
        "change": ch.kind,
        "entry": ch.entry,
        "voids": ch.voids,
        "field": ch.field,
        "from": ch.before,
        "to": ch.after,
        "description": ch.description,
    }


HISTORY_CSV_HEADER = (
    "time",
    "author",
    "email",
    "commit",
    "command",
    "customer",
    "change",
    "entry",
    "voids",
    "field",
    "from",
    "to",
    "description",
)


def history_csv(report: HistoryReport) -> tuple[tuple[str, ...], list[list[object]], tuple[str, ...]]:
    rows = [history_row_json(row) for row in report.rows]
    return HISTORY_CSV_HEADER, [[r[k] if r[k] is not None else "" for k in HISTORY_CSV_HEADER] for r in rows], ()
