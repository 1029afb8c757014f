"""An ERP or e-invoice export as invoice rows: the columns, red-letter (negative) invoices, fingerprints. Pure."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from .bankimport import NotTransaction, currency_code
from .errors import Problem
from .tabular import Grid, Layout, data_rows, find_layout, header_key, parse_amount, parse_date, row_excerpt

_NAMES: dict[str, tuple[str, ...]] = {  # header names, best first; spaces and case do not count
    "customer": tuple(
        """购买方名称 购方名称 购货方名称 购货单位 客户名称 客户 受票方名称 customer
        customername buyer buyername billto""".split()
    ),
    "customer_id": tuple("客户编号 客户代码 客户编码 customerid customerno customercode".split()),
    "number": tuple(
        """发票号码 数电票号码 数电发票号码 全电发票号码 发票号 单据编号 单据号 invoiceno
        invoicenumber invoice number documentno""".split()
    ),
    "date": tuple("开票日期 发票日期 单据日期 日期 date invoicedate issuedate".split()),
    "amount": tuple(
        """价税合计 含税金额 价税合计金额 含税总额 发票金额 total totalamount grossamount
        amountincludingtax amount""".split()
    ),
    "due": tuple("到期日 付款到期日 到期日期 应收日期 due duedate".split()),
    "terms": tuple("账期 付款期限 账期天数 terms termsdays paymentterms".split()),
    "currency": tuple("币种 币别 currency".split()),
    "memo": tuple("备注 摘要 商品名称 货物或应税劳务名称 项目名称 memo description notes".split()),
    "original": tuple(
        """原发票号码 原蓝字发票号码 对应蓝字发票号码 蓝字发票号码 原发票号
        对应正数发票号码 originalinvoice originalinvoiceno creditfor""".split()
    ),
    "status": tuple("发票状态 状态 status".split()),
}
INVOICE_ROLES: dict[str, tuple[str, ...]] = {
    role: tuple(header_key(n) for n in names) for role, names in _NAMES.items()
}
_CANCELLED = ("作废", "已作废", "void", "voided", "cancelled", "canceled")
# A red-letter invoice names the blue one it reverses in its remarks: "对应正数发票代码:…号码:12345678".
_NAMED_ORIGINAL = re.compile(
    r"(?:号码|发票号|invoice\s*(?:no\.?|number)?)\s*[:：]?\s*([0-9A-Za-z-]{6,})", re.IGNORECASE
)


@dataclass(frozen=True)
class InvoiceRow:
    line: int
    customer: str  # the name (or id) as the export gives it
    customer_id: str
    number: str
    date: dt.date
    amount: Decimal  # negative: a red-letter invoice (credit note)
    due: dt.date | None
    terms: int | None
    currency: str | None
    memo: str
    original: str  # the invoice a credit note names, if any

    @property
    def fingerprint(self) -> str:
        return "invoice:" + re.sub(r"\s+", "", self.number)


def _usable(roles: set[str]) -> bool:
    return {"date", "amount", "number"} <= roles and bool({"customer", "customer_id"} & roles)


def read_invoices(
    grid: Grid, explicit: Mapping[str, str], what: str
) -> tuple[list[InvoiceRow], list[NotTransaction], list[Problem], Layout]:
    layout = find_layout(
        grid,
        INVOICE_ROLES,
        _usable,
        explicit,
        what=what,
        wanted="an invoice number (发票号码 / Invoice No), a date (开票日期 / Date), the total "
        "(价税合计 / Total) and the customer (购买方名称 / Customer)",
        checks={"date": lambda cell: parse_date(cell) is not None},
    )
    rows: list[InvoiceRow] = []
    skipped: list[NotTransaction] = []
    problems: list[Problem] = []
    for number, row in data_rows(grid, layout):
        date = parse_date(layout.cell(row, "date"))
        invoice_no = layout.cell(row, "number")
        if date is None or not invoice_no:
            missing = "date" if date is None else "invoice number"
            skipped.append(NotTransaction(number, f"no {missing} ({row_excerpt(row)})"))
            continue
        if layout.cell(row, "status").lower() in _CANCELLED:
            skipped.append(NotTransaction(number, f"invoice {invoice_no} is cancelled ({layout.cell(row, 'status')})"))
            continue
        try:
            amount = parse_amount(layout.cell(row, "amount"))
            due_text = layout.cell(row, "due")
            due = parse_date(due_text) if due_text else None
            if due_text and due is None:
                raise ValueError(f"due date {due_text!r} is not a date")
            terms_text = layout.cell(row, "terms")
            terms = int(re.sub(r"[^0-9]", "", terms_text)) if re.search(r"[0-9]", terms_text) else None
        except ValueError as exc:
            problems.append(Problem("import", str(exc), what, number))
            continue
        if not amount:
            skipped.append(NotTransaction(number, f"invoice {invoice_no} has no amount"))
            continue
        memo = layout.cell(row, "memo")
        original = layout.cell(row, "original")
        if amount < 0 and not original:
            named = _NAMED_ORIGINAL.search(memo)
            original = named.group(1) if named else ""
        rows.append(
            InvoiceRow(
                number,
                layout.cell(row, "customer"),
                layout.cell(row, "customer_id"),
                invoice_no,
                date,
                amount,
                due,
                terms,
                currency_code(layout.cell(row, "currency")),
                memo,
                original,
            )
        )
    return rows, skipped, problems, layout
