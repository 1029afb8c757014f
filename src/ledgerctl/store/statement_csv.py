"""Reading an external statement (the customer's or the bank's) from CSV, .xlsx or .xls (store/tabular.py).

Columns are found by header name — the common Chinese and English ones — or
given with ``--columns``; the encoding is UTF-8 (with or without BOM) or
GB18030, detected, or given with ``--encoding``. Every bad line is reported
with its line number; nothing is guessed silently.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..core.dates import date_problem
from ..core.errors import Problem, UsageError
from ..core.money import MoneyError, check_digits, parse_decimal
from ..core.reconcile import StatementLine
from ..core.tabular import HEADER_SCAN_ROWS

HEADER_NAMES: dict[str, tuple[str, ...]] = {
    "date": (
        "日期",
        "交易日期",
        "记账日期",
        "入账日期",
        "date",
        "transaction date",
        "posting date",
        "value date",
        "booking date",
    ),
    "ref": ("凭证号", "单号", "参考号", "流水号", "发票号", "ref", "reference", "invoice", "document", "doc no"),
    "description": (
        "摘要",
        "备注",
        "附言",
        "用途",
        "description",
        "memo",
        "narrative",
        "details",
        "text",
        "particulars",
    ),
    "debit": ("借方", "借方金额", "借", "debit", "dr", "debit amount"),
    "credit": ("贷方", "贷方金额", "贷", "credit", "cr", "credit amount"),
    "amount": ("金额", "发生额", "交易金额", "amount", "signed amount"),
    "balance": ("余额", "账户余额", "balance", "running balance", "closing balance"),
}
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日", "%d/%m/%Y", "%d.%m.%Y")
MAX_STATEMENT_BYTES = 32 * 1024 * 1024


def decode_statement(raw: bytes, encoding: str | None) -> str:
    if encoding:
        try:
            return raw.decode(encoding)
        except (LookupError, UnicodeDecodeError) as exc:
            raise UsageError(f"the statement is not readable as {encoding}: {exc}") from None
    for candidate in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(candidate)
        except UnicodeDecodeError:
            continue
    raise UsageError("the statement is neither UTF-8 nor GB18030", hint="pass --encoding")  # pragma: no cover


def parse_columns(spec: str | None) -> dict[str, str]:
    """``--columns date=交易日,debit=支出,…`` → {role: header}."""
    if not spec:
        return {}
    mapping = {}
    for part in spec.split(","):
        role, _, header = part.partition("=")
        role = role.strip().lower()
        if role not in HEADER_NAMES or not header.strip():
            raise UsageError(f"--columns: {part!r}; use ROLE=HEADER with roles {', '.join(HEADER_NAMES)}")
        mapping[role] = header.strip()
    return mapping


def _find_columns(header: list[str], explicit: dict[str, str]) -> dict[str, int]:
    normalized = [h.strip().lower() for h in header]
    found: dict[str, int] = {}
    for role, wanted in explicit.items():
        if wanted.strip().lower() not in normalized:
            raise UsageError(
                f"--columns names {wanted!r}, which is not a column of the statement ({', '.join(header)})"
            )
        found[role] = normalized.index(wanted.strip().lower())
    for role, names in HEADER_NAMES.items():
        if role in found:
            continue
        for name in names:
            if name in normalized and normalized.index(name) not in found.values():
                found[role] = normalized.index(name)
                break
    if "date" not in found or not ({"debit", "credit"} & found.keys() or "amount" in found):
        raise UsageError(
            f"cannot tell which columns hold the date and the amounts (header: {', '.join(header)})",
            hint="name them, e.g. --columns date=交易日,debit=借方,credit=贷方,balance=余额",
        )
    return found


def parse_money(text: str) -> Decimal | None:
    cleaned = re.sub(r"[\s,¥￥$€£]|CNY|RMB|USD|JPY|EUR", "", text.strip())
    if cleaned in ("", "-", "—"):
        return None
    negative = cleaned.startswith("(") and cleaned.endswith(")")
    cleaned = cleaned.strip("()")
    if not re.fullmatch(r"[+-]?[0-9]+(\.[0-9]+)?", cleaned):
        raise ValueError(f"{text!r} is not an amount")
    value = parse_decimal(cleaned)  # the books' limits: ASCII digits, at most 15 before the point
    return -value if negative else value


def parse_date(text: str) -> dt.date:
    text = text.strip()
    for fmt in _DATE_FORMATS:
        try:
            day = dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        problem = date_problem(day)
        if problem:
            raise ValueError(problem)
        return day
    raise ValueError(f"{text!r} is not a date")


def read_statement(
    path: Path, currency: str, *, encoding: str | None = None, columns: str | None = None, mirror: bool = False
) -> list[StatementLine]:
    """Statement lines, amounts signed from our side (+ raises what the customer owes).

    ``mirror`` is for the customer's own books, where our invoice is on their credit side.
    """
    from .tabular import read_grid  # the one reader of foreign files: CSV in any encoding, .xlsx, .xls

    rows = read_grid(path, encoding=encoding)
    explicit = parse_columns(columns)
    header, found, first_problem = 0, None, None
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):  # bank exports put a title block above the header
        try:
            found, header = _find_columns(row, explicit), index
            break
        except UsageError as exc:
            first_problem = first_problem or exc
    if found is None:
        raise first_problem or UsageError(f"{path} is empty")
    lines: list[StatementLine] = []
    problems: list[Problem] = []
    sign = -1 if mirror else 1
    for number, row in enumerate(rows[header + 1 :], start=header + 2):
        if not any(cell.strip() for cell in row):
            continue

        def cell(role: str, row: list[str] = row) -> str:  # this iteration's row, bound at definition (B023)
            index = found.get(role)
            return row[index].strip() if index is not None and index < len(row) else ""

        try:
            date = parse_date(cell("date"))
            if "amount" in found and cell("amount"):
                amount = parse_money(cell("amount")) or Decimal(0)
            else:
                amount = (parse_money(cell("debit")) or Decimal(0)) - (parse_money(cell("credit")) or Decimal(0))
            balance = parse_money(cell("balance")) if "balance" in found else None
            for value in (amount, balance):
                if value is not None:
                    check_digits(value, currency)
        except (ValueError, InvalidOperation, MoneyError) as exc:
            problems.append(Problem("statement", str(exc), str(path), number))
            continue
        # A balance is what the customer owes on both sides' books; only the movements mirror.
        lines.append(StatementLine(number, date, cell("ref"), cell("description"), amount * sign, balance))
    if problems:
        raise UsageError(f"{path} has lines that cannot be read; nothing was compared", problems=problems)
    return lines
