"""A bank export as lines: the columns banks use, the three money layouts, fingerprints. Pure."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from .errors import Problem, UsageError
from .tabular import Grid, Layout, clean_cell, data_rows, find_layout, header_key, parse_amount, parse_date, row_excerpt

_NAMES: dict[str, tuple[str, ...]] = {  # header names, best first; spaces and case do not count
    "date": tuple(
        """记账日期 入账日期 交易日期 交易时间 日期 记账时间 入账时间 交易日 date
        bookingdate postingdate transactiondate valuedate bookeddate""".split()
    ),
    "counterparty": tuple(
        """对方户名 对手信息 对方账户名 对方账户名称 交易对方 对方名称 对方单位
        对方单位名称 收/付方名称 收付方名称 对手方户名 对方户名称 付款人
        付款人名称 付款方 付款方名称 payer payername counterparty
        counterpartyname name""".split()
    ),
    "account": tuple(
        """对方账号 对方账户 对手账号 对方卡号 收/付方账号 收付方账号 对手方账号
        付款人账号 付款方账号 payeraccount counterpartyaccount accountno accountnumber""".split()
    ),
    "memo": tuple(
        """摘要 附言 交易附言 客户摘要 用途 备注 交易摘要 交易用途 memo description
        narrative remarks remark purpose details""".split()
    ),
    "serial": tuple(
        """交易流水号 流水号 银行流水号 业务流水号 交易序号 凭证号 交易参考号 柜员流水号
        serial serialno transactionid transactionreference bankreference reference ref""".split()
    ),
    "amount": tuple("记账金额 交易金额 金额 发生额 amount transactionamount bookedamount".split()),
    "credit": tuple(
        """收入 收入金额 贷方发生额 贷方金额 贷方 存入 存入金额 来账金额 贷方记账金额
        贷方交易金额 收入记账金额 credit creditamount moneyin deposit deposits paidin""".split()
    ),
    "debit": tuple(
        """支出 支出金额 借方发生额 借方金额 借方 支取 支取金额 往账金额 借方记账金额
        借方交易金额 支出记账金额 debit debitamount moneyout withdrawal withdrawals
        paidout""".split()
    ),
    "direction": tuple(
        """借贷标志 借贷方向 借贷 收支 收支方向 方向 交易方向 收支类型 借贷标识 dr/cr
        drcr cr/dr direction debit/credit creditdebit""".split()
    ),
    "balance": tuple("余额 账户余额 交易后余额 balance runningbalance".split()),
    "currency": tuple("币种 币别 货币 currency ccy".split()),
}
BANK_ROLES: dict[str, tuple[str, ...]] = {role: tuple(header_key(n) for n in names) for role, names in _NAMES.items()}
# Exports with two amounts (in the transaction's currency, and as booked to the account) use the booked one.
_BOOKED = ("记账", "入账", "booked", "booking")

_IN = ("贷", "cr", "c", "credit", "收", "收入", "入", "来账", "存入", "+", "in")
_OUT = ("借", "dr", "d", "debit", "支", "支出", "出", "往账", "支取", "-", "out")
_NEITHER = ("不计收支",)
_CURRENCIES = {
    "人民币": "CNY",
    "rmb": "CNY",
    "cny": "CNY",
    "156": "CNY",
    "美元": "USD",
    "usd": "USD",
    "840": "USD",
    "欧元": "EUR",
    "eur": "EUR",
    "日元": "JPY",
    "jpy": "JPY",
    "港币": "HKD",
    "港元": "HKD",
    "hkd": "HKD",
    "英镑": "GBP",
    "gbp": "GBP",
}
_OWN_ACCOUNT = re.compile(
    r"(?:账号|账户|卡号|account(?:\s*(?:no\.?|number))?)\s*[:：]?\s*([0-9][0-9 \-*]{5,}[0-9])", re.IGNORECASE
)
_PREAMBLE_CURRENCY = re.compile(r"(?:币种|币别|currency)\s*[:：]?\s*([^\s,，;；]+)", re.IGNORECASE)


@dataclass(frozen=True)
class BankLine:
    """One transaction of the export; ``amount`` is signed for the account holder (+ money in)."""

    line: int  # 1-based row of the file
    date: dt.date
    amount: Decimal
    counterparty: str
    account: str
    memo: str
    serial: str
    balance: Decimal | None
    currency: str | None
    fingerprint: str = ""


@dataclass(frozen=True)
class NotTransaction:
    line: int
    reason: str


@dataclass(frozen=True)
class Statement:
    lines: list[BankLine]
    not_transactions: list[NotTransaction]
    own_account: str
    layout: Layout


def currency_code(text: str) -> str | None:
    key = unicodedata.normalize("NFKC", clean_cell(text)).lower()
    if not key:
        return None
    return _CURRENCIES.get(key) or (key.upper() if re.fullmatch(r"[a-z]{3}", key) else key)


def _usable(roles: set[str]) -> bool:
    return "date" in roles and bool({"amount", "credit"} & roles)


def direction_of(text: str) -> int | None:
    """+1 money in, -1 money out, 0 neither (不计收支); None when the cell says nothing known."""
    key = unicodedata.normalize("NFKC", clean_cell(text)).lower()
    if key in _NEITHER:
        return 0
    words = re.split(r"[\s/()]+", key)
    if key in _IN or any(w in _IN for w in words if w):
        return 1
    if key in _OUT or any(w in _OUT for w in words if w):
        return -1
    return None


def _preamble(grid: Grid, rows: int) -> tuple[str, str | None]:
    text = " ".join(clean_cell(c) for row in grid[:rows] for c in row if clean_cell(c))
    account = _OWN_ACCOUNT.search(text)
    currency = _PREAMBLE_CURRENCY.search(text)
    return (
        re.sub(r"[\s\-]", "", account.group(1)) if account else "",
        currency_code(currency.group(1)) if currency else None,
    )


def read_statement(grid: Grid, explicit: Mapping[str, str], what: str) -> tuple[Statement, list[Problem]]:
    """The transactions of a bank export, and its rows that are not (title, totals lines)."""
    layout = find_layout(
        grid,
        BANK_ROLES,
        _usable,
        explicit,
        prefer=_BOOKED,
        what=what,
        wanted="a date (交易日期 / 记账日期 / Date) and the money (金额 / 收入 and 支出 / 贷方发生额 "
        "and 借方发生额 / Amount / Credit and Debit)",
        checks={"date": lambda cell: parse_date(cell) is not None},
    )
    cols = layout.columns
    if not _usable(set(cols)):  # pragma: no cover - find_layout only returns usable layouts
        raise UsageError(f"{what}: no date and amount columns")
    own_account, file_currency = _preamble(grid, layout.header_row)
    lines: list[BankLine] = []
    skipped: list[NotTransaction] = []
    problems: list[Problem] = []
    for number, row in data_rows(grid, layout):
        date = parse_date(layout.cell(row, "date"))
        if date is None:
            skipped.append(NotTransaction(number, f"no date ({row_excerpt(row)})"))
            continue
        try:
            amount = _signed_amount(layout, row)
            balance = parse_amount(layout.cell(row, "balance")) if "balance" in cols else None
        except ValueError as exc:
            problems.append(Problem("import", str(exc), what, number))
            continue
        if amount is None:
            skipped.append(NotTransaction(number, "no amount"))
            continue
        currency = currency_code(layout.cell(row, "currency")) or file_currency
        lines.append(
            BankLine(
                number,
                date,
                amount,
                layout.cell(row, "counterparty"),
                layout.cell(row, "account"),
                layout.cell(row, "memo"),
                layout.cell(row, "serial"),
                balance,
                currency,
            )
        )
    return Statement(with_fingerprints(lines, own_account), skipped, own_account, layout), problems


def _signed_amount(layout: Layout, row: Sequence[str]) -> Decimal | None:
    cols = layout.columns
    if "credit" in cols and ("debit" in cols or "amount" not in cols):
        money_in = parse_amount(layout.cell(row, "credit"))
        money_out = parse_amount(layout.cell(row, "debit")) if "debit" in cols else None
        if money_in and money_out:
            raise ValueError(f"both money in ({money_in}) and out ({money_out}) on one line")
        if money_in:
            return abs(money_in)
        if money_out:
            return -abs(money_out)
        return None
    amount = parse_amount(layout.cell(row, "amount"))
    if amount is None or "direction" not in cols:
        return amount
    flag = layout.cell(row, "direction")
    direction = direction_of(flag)
    if direction is None:
        raise ValueError(f"direction {flag!r} is neither money in (贷/Cr/收入) nor out (借/Dr/支出)")
    return None if direction == 0 else abs(amount) * direction


def _digest(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:24]


def with_fingerprints(lines: Sequence[BankLine], own_account: str) -> list[BankLine]:
    """Each line's fingerprint: the bank's serial when the export has one, else its content and its
    occurrence among identical lines of the file (two genuinely identical payments both count)."""
    seen: dict[str, int] = {}
    out = []
    for line in lines:
        if line.serial:
            key = _digest("serial", own_account, line.serial)
        else:
            content = _digest(
                own_account,
                line.date.isoformat(),
                format(line.amount.normalize(), "f"),
                line.counterparty,
                line.account,
                line.memo,
                "" if line.balance is None else format(line.balance.normalize(), "f"),
            )
            seen[content] = seen.get(content, 0) + 1
            key = _digest(content, seen[content])
        out.append(replace(line, fingerprint=f"bank:{key}"))
    return out
