"""Reading a grid of cells (a bank export, an invoice export): the header row, the columns, the cells.

Pure: the grid comes from :mod:`ledgerctl.store.tabular` as text cells (numbers and
dates already turned into text there); nothing here reads a file. Money is Decimal.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .dates import date_problem
from .errors import UsageError
from .money import parse_decimal

Grid = Sequence[Sequence[str]]
HEADER_SCAN_ROWS = 60  # title and account blocks above the header are rarely longer than a dozen rows

_PARENS = re.compile(r"[(（\[【].*?[)）\]】]")
_SPACES = re.compile(r"[\s\u3000]+")


def header_key(text: str) -> str:
    """A header as compared: NFKC, lower case, no spaces, no unit in brackets ("收入金额（元）" = "收入金额")."""
    text = unicodedata.normalize("NFKC", text).strip().lower()
    stripped = _PARENS.sub("", text)
    return _SPACES.sub("", stripped or text).rstrip(":：*")


def clean_cell(text: str) -> str:
    """A cell without the spaces, tabs and zero-width padding exports put around values."""
    return text.strip().strip("\t\u3000\ufeff\u200b").strip()


# --- amounts and dates ------------------------------------------------------------------

_NONE_AMOUNTS = frozenset({"", "-", "--", "—", "——", "/", "null", "none", "n/a"})
_CURRENCY_MARKS = re.compile(r"[¥￥$€£,，\s\u3000]|CNY|RMB|USD|JPY|EUR|HKD|元", re.IGNORECASE)
_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")


def parse_amount(text: str) -> Decimal | None:
    """A bank amount: thousands separators, a leading +, (123) negative, and -/--/empty meaning none."""
    cleaned = unicodedata.normalize("NFKC", clean_cell(text))
    if cleaned.lower() in _NONE_AMOUNTS:
        return None
    cleaned = _CURRENCY_MARKS.sub("", cleaned)
    negative = cleaned.startswith("(") and cleaned.endswith(")")
    cleaned = cleaned.strip("()")
    if cleaned.endswith("-") and _NUMBER.fullmatch(cleaned[:-1]):  # "1,200.00-" (trailing minus)
        cleaned, negative = cleaned[:-1], not negative
    if cleaned.lower() in _NONE_AMOUNTS:
        return None
    if not _NUMBER.fullmatch(cleaned):
        raise ValueError(f"{clean_cell(text)!r} is not an amount")
    try:
        value = parse_decimal(cleaned.lstrip("+"))
    except (ValueError, InvalidOperation) as exc:
        raise ValueError(f"{clean_cell(text)!r}: {exc}") from None
    return -value if negative else value


_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?|(\d{4})(\d{2})(\d{2})")
_TIME_TAIL = re.compile(r"^([T\s]+\d{1,2}[:：]\d{2}([:：]\d{2}(\.\d+)?)?)?\s*$")


def parse_date(text: str) -> dt.date | None:
    """2026-11-05, 2026/11/05, 2026.11.5, 2026年11月5日, 20261105, each with or without a time; else None."""
    cleaned = clean_cell(text)
    match = _DATE.match(cleaned)
    if not match or not _TIME_TAIL.match(cleaned[match.end() :]):
        return None
    parts = match.groups()
    year, month, day = (parts[0], parts[1], parts[2]) if parts[0] else (parts[3], parts[4], parts[5])
    try:
        value = dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
    return None if date_problem(value) else value


# --- header and columns -----------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """Where the header is (0-based row) and which column holds each role."""

    header_row: int
    columns: Mapping[str, int]
    header: tuple[str, ...]

    def cell(self, row: Sequence[str], role: str) -> str:
        index = self.columns.get(role)
        return clean_cell(row[index]) if index is not None and index < len(row) else ""


def _role_of(key: str, names: Mapping[str, Sequence[str]]) -> list[str]:
    return [role for role, wanted in names.items() if key in wanted]


def _non_empty_columns(grid: Grid, start: int) -> set[int]:
    filled: set[int] = set()
    for row in grid[start:]:
        filled.update(i for i, cell in enumerate(row) if clean_cell(cell) not in _NONE_AMOUNTS)
    return filled


def find_layout(
    grid: Grid,
    names: Mapping[str, Sequence[str]],
    usable: Callable[[set[str]], bool],
    explicit: Mapping[str, str],
    *,
    prefer: Sequence[str] = (),
    what: str = "the file",
    wanted: str = "the columns",
    checks: Mapping[str, Callable[[str], bool]] | None = None,
) -> Layout:
    """The first row (of the top rows) whose cells name columns that ``usable`` accepts, and its columns.

    ``names`` maps each role to its header keys (see :func:`header_key`), best first. When several
    columns fit one role, one with a value below the header beats one empty in every row; then
    one whose cells pass ``checks[role]``, then one whose header holds a word of
    ``prefer`` (记账金额 over 交易金额).
    ``explicit`` ({role: header}, from ``--columns`` or a profile) overrides detection.
    """
    wanted_keys = {header_key(h): role for role, h in explicit.items()}
    for number, row in enumerate(grid[:HEADER_SCAN_ROWS]):
        keys = [header_key(cell) for cell in row]
        if explicit and not set(wanted_keys) <= set(keys):
            continue
        filled: set[int] | None = None  # computed only when two columns compete for a role
        columns: dict[str, int] = {role: keys.index(key) for key, role in wanted_keys.items()}
        candidates: dict[str, list[int]] = {}
        for index, key in enumerate(keys):
            if not key or index in columns.values():
                continue
            for role in _role_of(key, names):
                candidates.setdefault(role, []).append(index)
        for role, indexes in candidates.items():
            if role in columns:
                continue
            live = indexes
            if len(indexes) > 1:
                filled = _non_empty_columns(grid, number + 1) if filled is None else filled
                live = [i for i in indexes if i in filled] or indexes  # an all-empty column loses only to a filled one
            check = (checks or {}).get(role)
            if check is not None and len(live) > 1:  # 交易日 and 交易时间: the one whose cells are dates
                fitting = [i for i in live if any(check(r[i]) for r in grid[number + 1 :] if i < len(r))]
                live = fitting or live
            rank = {i: (0 if any(p in keys[i] for p in prefer) else 1, names[role].index(keys[i]), i) for i in live}
            columns[role] = min(live, key=rank.__getitem__)
        if usable(set(columns)):
            return Layout(number, columns, tuple(clean_cell(c) for c in row))
    if explicit:
        raise UsageError(f"{what}: no row has every column --columns names ({', '.join(explicit.values())})")
    raise UsageError(
        f"{what}: no header row names {wanted} (looked at the first {HEADER_SCAN_ROWS} rows)",
        hint="name the columns with --columns ROLE=HEADER, or keep a layout in ledgerctl.yaml (import.profiles)",
    )


def parse_columns(spec: Sequence[str] | None, roles: Sequence[str]) -> dict[str, str]:
    """``--columns ROLE=HEADER`` values (each may hold several, comma-separated) → {role: header}."""
    mapping: dict[str, str] = {}
    for item in spec or ():
        for part in item.split(","):
            role, _, header = part.partition("=")
            role = role.strip().lower()
            if role not in roles or not header.strip():
                raise UsageError(f"--columns {part.strip()!r}: write ROLE=HEADER with a role among {', '.join(roles)}")
            mapping[role] = header.strip()
    return mapping


def data_rows(grid: Grid, layout: Layout) -> Iterator[tuple[int, Sequence[str]]]:
    """The rows below the header that hold anything, with their 1-based line numbers (as the file shows them)."""
    for index in range(layout.header_row + 1, len(grid)):
        row = grid[index]
        if any(clean_cell(c) for c in row):
            yield index + 1, row


def row_excerpt(row: Sequence[str]) -> str:
    """The row's first non-empty cell, cut short: how a skipped line is named to the user."""
    return next((clean_cell(c) for c in row if clean_cell(c)), "")[:40]
