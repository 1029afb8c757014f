#!/usr/bin/env python3
"""Synthetic books for the performance benchmark (issue 4).

    python benchmarks/generate.py OUT_DIR --customers N --entries-per-customer M --seed S

writes

* ``OUT_DIR/books/`` — a complete ledgerctl books folder: ``ledgerctl init`` makes the git
  repository, configuration, schemas and attributes; the customer files are then written
  directly as text (no YAML library: 1M entries must take minutes, not hours) in exactly
  the style the tool itself writes (SPEC 3), and committed once with a fixed identity;
* ``OUT_DIR/bench.journal`` — the same money movements as a plain-text journal that both
  hledger and ledger-cli read (``YYYY-MM-DD`` dates, ``12000.00 CNY`` amounts): one
  transaction per invoice, refund, payment, credit note and write-off that is not voided.
  Every void is dated on or before the last generated date, so the final balance of
  ``assets:receivable:<customer-id>`` equals ``ledgerctl balance`` at any date from
  2026-11-15 on.

Every entry type occurs (invoices most); payments with and without allocations; voids
cancel a payment or an invoice, once at most, dated on or after it; ``balance``
assertions hold the customer's exact balance at the end of their date (SPEC 3.1);
allocations respect SPEC 3 (a credit's allocations ≤ its amount; all allocations of
non-voided credits to one debit ≤ the debit's amount; same customer only). Names are
Chinese, Japanese and Latin; memos partly Chinese; mostly CNY, some USD and JPY.

The same arguments give identical bytes (``random.Random(seed)``; fixed git dates and
identity make even the commit ids repeatable).
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from random import Random

END_DATE = dt.date(2026, 11, 15)
SPAN_DAYS = 3 * 365  # dates spread over ~3 years ending END_DATE
START_DATE = END_DATE - dt.timedelta(days=SPAN_DAYS - 1)

GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Bench Generator",
    "GIT_AUTHOR_EMAIL": "bench@ledgerctl.example",
    "GIT_COMMITTER_NAME": "Bench Generator",
    "GIT_COMMITTER_EMAIL": "bench@ledgerctl.example",
    "GIT_AUTHOR_DATE": "2026-11-15T18:00:00+08:00",
    "GIT_COMMITTER_DATE": "2026-11-15T18:00:00+08:00",
}

TYPES = ("invoice", "payment", "credit_note", "write_off", "refund", "void", "reminder", "note", "balance")
PREFIX = {
    "invoice": "INV",
    "payment": "PAY",
    "credit_note": "CN",
    "write_off": "WO",
    "refund": "RF",
    "void": "VD",
    "reminder": "RM",
    "note": "NT",
    "balance": "BAL",
}
# Share of each type among the entries after a customer's first (always an invoice).
WEIGHTS = {
    "invoice": 46,
    "payment": 30,
    "credit_note": 4,
    "write_off": 1,
    "refund": 1.5,
    "void": 2.5,
    "reminder": 6,
    "note": 6,
    "balance": 3,
}
SUFFIX_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # no I, L, O, U: easy to read aloud

# --- vocabulary ------------------------------------------------------------------------

CITIES = [
    ("北京", "bj", "北京市朝阳区建国路"),
    ("上海", "sh", "上海市浦东新区张江路"),
    ("广州", "gz", "广州市天河区体育西路"),
    ("深圳", "sz", "深圳市南山区科技园南路"),
    ("杭州", "hz", "杭州市余杭区文一西路"),
    ("成都", "cd", "成都市高新区天府大道"),
    ("武汉", "wh", "武汉市东湖高新区光谷大道"),
    ("南京", "nj", "南京市江宁区秣陵街道"),
    ("苏州", "su", "苏州市工业园区星湖街"),
    ("天津", "tj", "天津市滨海新区黄海路"),
    ("重庆", "cq", "重庆市渝北区金开大道"),
    ("西安", "xa", "西安市雁塔区科技路"),
    ("青岛", "qd", "青岛市黄岛区长江中路"),
    ("厦门", "xm", "厦门市湖里区嘉禾路"),
    ("宁波", "nb", "宁波市鄞州区天童南路"),
]
BRANDS = [
    ("华兴", "huaxing"),
    ("明达", "mingda"),
    ("腾飞", "tengfei"),
    ("鑫源", "xinyuan"),
    ("天府", "tianfu"),
    ("粤海", "yuehai"),
    ("华夏", "huaxia"),
    ("东方", "dongfang"),
    ("恒通", "hengtong"),
    ("永盛", "yongsheng"),
    ("金桥", "jinqiao"),
    ("宏达", "hongda"),
    ("瑞丰", "ruifeng"),
    ("长江", "changjiang"),
    ("泰和", "taihe"),
    ("新世纪", "xinshiji"),
    ("嘉禾", "jiahe"),
    ("正泰", "zhengtai"),
    ("远航", "yuanhang"),
    ("百川", "baichuan"),
]
INDUSTRIES = [
    ("机械", "manufacturing"),
    ("建材", "construction"),
    ("食品", "food"),
    ("电子", "electronics"),
    ("化工", "chemicals"),
    ("物流", "logistics"),
    ("纺织", "textiles"),
    ("医药", "pharma"),
    ("农业科技", "agriculture"),
    ("五金", "hardware"),
    ("包装", "packaging"),
    ("汽车配件", "automotive"),
]
CN_SUFFIXES = ["有限公司", "有限公司", "股份有限公司", "贸易有限公司", "实业有限公司"]
CN_PERSONS = ["王经理", "李会计", "张总", "刘会计", "陈小姐", "杨主任", "黄小姐", "赵经理", "周出纳", "吴财务"]
CN_BANKS = ["建设银行", "工商银行", "农业银行", "中国银行", "招商银行", "交通银行", "浦发银行"]

LATIN_NAMES = [
    ("Northwind", "northwind"),
    ("Müller", "mueller"),
    ("Globex", "globex"),
    ("Initech", "initech"),
    ("Contoso", "contoso"),
    ("Fabrikam", "fabrikam"),
    ("Tailspin", "tailspin"),
    ("Litware", "litware"),
    ("Adatum", "adatum"),
    ("Proseware", "proseware"),
    ("Blue Yonder", "blueyonder"),
    ("Wide World", "wideworld"),
    ("Lucerne", "lucerne"),
    ("Alpine Ski", "alpineski"),
    ("Coho Vineyard", "coho"),
    ("Woodgrove", "woodgrove"),
]
LATIN_KINDS = ["Trading", "Industries", "Logistics", "Foods", "Systems", "Components", "Imports", "Supply"]
LATIN_SUFFIXES = ["GmbH", "Ltd.", "Inc.", "S.A.", "LLC", "AG", "B.V.", "Pte. Ltd."]
LATIN_PERSONS = ["Anna Schmidt", "John Miller", "Maria Garcia", "Peter Jones", "Sophie Martin", "Lucas Weber"]
LATIN_BANKS = ["HSBC", "Citibank", "Deutsche Bank", "SWIFT", "BNP Paribas", "Standard Chartered"]

JP_NAMES = [
    ("株式会社山田製作所", "yamada"),
    ("佐藤工業株式会社", "sato-kogyo"),
    ("株式会社東洋精機", "toyo-seiki"),
    ("Sakura Kogyo K.K.", "sakura"),
    ("Nippon Precision K.K.", "nippon-precision"),
    ("株式会社大和商事", "yamato"),
]
JP_PERSONS = ["佐藤 健一", "鈴木 花子", "高橋 誠", "田中 美咲"]
JP_BANKS = ["MUFG", "SMBC", "みずほ銀行"]
JP_ADDRESSES = ["愛知県名古屋市港区潮見町 37-21", "大阪府大阪市北区梅田 2-4-9", "東京都大田区平和島 1-1-1"]

TAGS = [
    "vip",
    "wholesale",
    "retail",
    "export",
    "prospect",
    "high-risk",
    "key-account",
    "region:north",
    "region:south",
    "region:east",
    "region:west",
    "online",
    "distributor",
]

ITEMS_CN = [
    "机床配件",
    "水泥及外加剂",
    "防水卷材",
    "保温板",
    "石膏板",
    "瓷砖胶及填缝剂",
    "滴灌设备",
    "过滤器及管件",
    "调味品",
    "腊味礼盒",
    "凉茶饮料",
    "干货海产",
    "电子元器件",
    "电路板组件",
    "包装材料",
    "五金工具",
    "化工原料",
    "纺织面料",
    "汽车配件",
    "月饼预订（首批）",
    "设备维修服务",
    "技术咨询服务",
    "运输及保险",
]
ITEMS_EN = [
    "Spare parts",
    "Machine components",
    "Consulting services",
    "Freight and insurance",
    "Packaging material",
    "Electronic components",
    "Maintenance contract",
    "Sample order",
    "Tooling",
    "Software licences",
]
ITEMS_JP = ["精密ダイカスト部品", "アルミ押出材", "金型修理及び部品", "治具一式", "量産部品", "試作部品"]
CN_NOTES = [
    "客户承诺月底付款",
    "拜访客户，介绍新产品方案",
    "客户财务负责人更换",
    "客户项目回款延迟，承诺下月先付一半",
    "电话催款，客户称已安排付款",
    "客户对部分货款有异议，待核实",
    "客户计划追加订单，考虑提高信用额度",
    "已寄送对账单，客户确认无误",
]
EN_NOTES = [
    "Called AP, payment promised next week",
    "Statement sent, customer confirmed balance",
    "Customer disputes freight charges",
    "New purchasing contact introduced",
    "Visited customer, discussed new order",
]
VOID_MEMOS = [
    "银行流水重复导入，作废重复收款",
    "单价录入错误，作废重开",
    "entered twice",
    "wrong customer, re-entered",
    "金额录入错误，作废重录",
]
CN_CREDIT_MEMOS = ["退货", "质量争议折让", "运费补贴", "数量差异调整", "返利"]
EN_CREDIT_MEMOS = ["Returned goods", "Price adjustment", "Volume rebate", "Damaged in transit"]
WO_MEMOS = ["坏账核销，经总经理审批", "小额尾差核销", "Bad debt written off, approved by CFO", "客户破产重整，核销"]
REFUND_MEMOS = ["退回多付货款", "退回预付款", "Refund of overpayment"]

# --- YAML text, in the tool's own style ---------------------------------------------------

_SAFE_PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`0-9+.][^,\[\]{}#\n\r\t]*$")
_RESERVED = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}


def scalar(text: str) -> str:
    """Plain when any YAML reader reads it back as this text, else a JSON (= YAML) double-quoted string."""
    plain = (
        _SAFE_PLAIN.match(text)
        and ": " not in text
        and " #" not in text
        and not text.endswith((":", " "))
        and text.lower() not in _RESERVED
    )
    return text if plain else json.dumps(text, ensure_ascii=False)


def q(words: list[str]) -> list[str]:
    return [scalar(w) for w in words]


# Pre-quoted vocabulary: the hot loop only picks strings.
Q_ITEMS = {"CNY": q(ITEMS_CN), "USD": q(ITEMS_EN), "JPY": q(ITEMS_JP)}
Q_NOTES = {"CNY": q(CN_NOTES), "USD": q(EN_NOTES), "JPY": q(CN_NOTES[:3] + EN_NOTES[:2])}
Q_CREDIT = {"CNY": q(CN_CREDIT_MEMOS), "USD": q(EN_CREDIT_MEMOS), "JPY": q(EN_CREDIT_MEMOS)}
Q_VOID = q(VOID_MEMOS)
Q_WO = q(WO_MEMOS)
Q_REFUND = q(REFUND_MEMOS)
BANKS = {"CNY": CN_BANKS, "USD": LATIN_BANKS, "JPY": JP_BANKS}


def money(minor: int, digits: int) -> str:
    """Minor units as the plain decimal text the tool writes (no sign for positives)."""
    if digits == 0:
        return str(minor)
    sign = "-" if minor < 0 else ""
    whole, frac = divmod(abs(minor), 100)
    return f"{sign}{whole}.{frac:02d}"


# --- one customer ---------------------------------------------------------------------------


def make_customer(rng: Random, index: int, width: int) -> dict:
    roll = rng.random()
    currency = "CNY" if roll < 0.85 else ("USD" if roll < 0.95 else "JPY")
    tags: list[str] = []
    if currency == "CNY":
        city, city_code, street = rng.choice(CITIES)
        brand, brand_py = rng.choice(BRANDS)
        industry, industry_tag = rng.choice(INDUSTRIES)
        name = f"{city}{brand}{industry}{rng.choice(CN_SUFFIXES)}"
        slug = f"{city_code}-{brand_py}"
        person, bank = rng.choice(CN_PERSONS), None
        phone = f"+86 {rng.randint(10, 99)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"
        email = f"ap@{brand_py}-{index}.example"
        address = f"{street} {rng.randint(1, 999)} 号" if rng.random() < 0.7 else None
        tags.append(industry_tag)
    elif currency == "USD":
        base, slug = rng.choice(LATIN_NAMES)
        name = f"{base} {rng.choice(LATIN_KINDS)} {rng.choice(LATIN_SUFFIXES)}"
        person, bank = rng.choice(LATIN_PERSONS), None
        phone = f"+{rng.choice([1, 31, 44, 49, 65])} {rng.randint(100, 999)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
        email = f"accounts@{slug}-{index}.example"
        address = None
        tags.append("export")
    else:
        name, slug = rng.choice(JP_NAMES)
        person, bank = rng.choice(JP_PERSONS), None
        phone = f"+81 {rng.randint(3, 99)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
        email = f"keiri@{slug}-{index}.example"
        address = rng.choice(JP_ADDRESSES)
        tags += ["export", "region:jp"]
    del bank
    for tag in rng.sample(TAGS, rng.randint(0, 2)):
        if tag not in tags and not (currency == "JPY" and tag.startswith("region:")):
            tags.append(tag)
    digits = 0 if currency == "JPY" else 2
    terms = rng.choice([15, 30, 30, 30, 45, 60, 60 if currency == "JPY" else 30])
    credit_limit = None
    if rng.random() < 0.6:
        credit_limit = {
            "CNY": rng.randint(5, 100) * 10_000_00,
            "USD": rng.randint(1, 30) * 5_000_00,
            "JPY": rng.randint(1, 50) * 1_000_000,
        }[currency]
    return {
        "id": f"{slug}-{index:0{width}d}",
        "name": name,
        "currency": currency,
        "digits": digits,
        "terms": terms,
        "credit_limit": credit_limit,
        "tags": tags,
        "contact": {"person": person, "phone": phone, "email": email, "address": address},
        "notes": "自动生成的基准测试客户" if currency == "CNY" else None,
    }


def header_text(c: dict) -> list[str]:
    lines = [
        "# yaml-language-server: $schema=../schemas/ledger.schema.json",
        "customer:",
        f"  id: {c['id']}",
        f"  name: {scalar(c['name'])}",
        f"  currency: {c['currency']}",
        f"  terms_days: {c['terms']}",
    ]
    if c["credit_limit"] is not None:
        lines.append(f'  credit_limit: "{money(c["credit_limit"], c["digits"])}"')
    if c["tags"]:
        lines.append(f"  tags: [{', '.join(c['tags'])}]")
    contact = ", ".join(f"{k}: {scalar(v)}" for k, v in c["contact"].items() if v)
    lines.append(f"  contact: {{{contact}}}")
    if c["notes"]:
        lines.append(f"  notes: {scalar(c['notes'])}")
    lines.append("entries:")
    return lines


def invoice_amount(rng: Random, currency: str) -> int:
    if currency == "JPY":
        return rng.randint(10, 5000) * 1000
    scale = 1 if currency == "CNY" else 7  # USD invoices are smaller numbers
    if rng.random() < 0.7:
        return rng.randint(200, 80_000) // scale * 100 or 100
    return rng.randint(20_000, 8_000_000) // scale or 1


def plan_types(rng: Random, count: int) -> list[str]:
    """Entry types in date order: the first is an invoice; with ≥ 15 entries every type occurs."""
    if count <= 0:
        return []
    kinds = list(WEIGHTS)
    weights = list(WEIGHTS.values())
    plan = ["invoice"] + rng.choices(kinds, weights, k=count - 1)
    if count >= 15:
        for kind in TYPES:
            if kind not in plan:
                # replace a surplus invoice or payment after the third entry
                candidates = [i for i in range(3, count) if plan[i] in ("invoice", "payment")]
                plan[rng.choice(candidates)] = kind
    return plan


class IdMaker:
    """Ids PREFIX-YYYYMMDD-XXXX, unique across the whole books."""

    def __init__(self, rng: Random) -> None:
        self.rng = rng
        self.seen: set[str] = set()

    def __call__(self, kind: str, ymd: str) -> str:
        choice = self.rng.choice
        while True:
            ident = f"{PREFIX[kind]}-{ymd}-{choice(SUFFIX_ALPHABET)}{choice(SUFFIX_ALPHABET)}{choice(SUFFIX_ALPHABET)}{choice(SUFFIX_ALPHABET)}"
            if ident not in self.seen:
                self.seen.add(ident)
                return ident


class _Ledger:
    """One customer's entries as they are made: the open debits, the credit pool, what may still be voided.

    Each kind of entry has its own method; they draw from ``rng`` in a fixed order, so a seed gives the same books.
    """

    def __init__(self, rng: Random, c: dict, new_id: IdMaker) -> None:
        self.rng, self.new_id = rng, new_id
        self.cur, self.digits, self.terms = c["currency"], c["digits"], c["terms"]
        self.items, self.notes = Q_ITEMS[self.cur], Q_NOTES[self.cur]
        self.credit_memos, self.banks = Q_CREDIT[self.cur], BANKS[self.cur]
        # Debits: [id, date, amount, alloc_left, econ_open, voided, is_invoice]
        self.debits: list[list] = []
        self.first_open = 0  # debits before this index have econ_open == 0 (or are voided)
        self.pool = 0  # unapplied credit, for realistic amounts only
        self.voidable: list[
            tuple[str, int, list | None]
        ] = []  # (id, index into entries, debit) of unvoided invoices and payments
        self.entries: list[list] = []  # [date, id, kind, text_or_None, signed_minor, voided_flag]
        self.invoice_ids: list[str] = []
        self._make = {
            "invoice": self.invoice,
            "refund": self.refund,
            "payment": self.credit,
            "credit_note": self.credit,
            "write_off": self.credit,
            "void": self.void,
            "reminder": self.reminder,
            "note": self.note,
        }

    def open_debits(self, limit: int) -> list[list]:
        debits = self.debits
        while self.first_open < len(debits) and (debits[self.first_open][4] <= 0 or debits[self.first_open][5]):
            self.first_open += 1
        found = []
        for d in debits[self.first_open :]:
            if d[4] > 0 and not d[5]:
                found.append(d)
                if len(found) >= limit:
                    break
        return found

    def apply_pool(self, amount: int) -> int:
        """Reduce the oldest open debits by ``amount`` (the FIFO pool); return what is left."""
        for d in self.open_debits(1_000_000):
            if amount <= 0:
                break
            used = min(amount, d[4])
            d[4] -= used
            amount -= used
        return amount

    def add(self, kind: str, day: dt.date) -> None:
        if kind in ("void", "reminder", "write_off") and not self.debits:
            kind = "note"
        if kind == "void" and not self.voidable:
            kind = "note"
        self._make.get(kind, self.balance)(kind, day, day.strftime("%Y%m%d"), day.isoformat())

    def invoice(self, kind: str, day: dt.date, ymd: str, iso: str) -> None:
        rng = self.rng
        ident = self.new_id(kind, ymd)
        amount = invoice_amount(rng, self.cur)
        if rng.random() < 0.05:
            due_text = ""  # default: date + terms_days
        else:
            due = day + dt.timedelta(days=self.terms if rng.random() < 0.9 else rng.choice([0, 7, 90]))
            due_text = f", due: {due.isoformat()}"
        ref = f", ref: PO-{rng.randint(100, 99999)}" if rng.random() < 0.3 else ""
        memo = f", memo: {rng.choice(self.items)}" if rng.random() < 0.85 else ""
        text = (
            f'{{id: {ident}, type: invoice, date: {iso}{due_text}, amount: "{money(amount, self.digits)}"{ref}{memo}}}'
        )
        d = [ident, iso, amount, amount, amount, False, True]
        if self.pool > 0:
            used = min(self.pool, amount)
            d[4] -= used
            self.pool -= used
        self.debits.append(d)
        self.invoice_ids.append(ident)
        self.entries.append([iso, ident, kind, text, amount, False])
        self.voidable.append((ident, len(self.entries) - 1, d))

    def refund(self, kind: str, day: dt.date, ymd: str, iso: str) -> None:
        rng, cur, pool = self.rng, self.cur, self.pool
        ident = self.new_id(kind, ymd)
        amount = min(pool, invoice_amount(rng, cur) // 10) if pool > 0 else max(invoice_amount(rng, cur) // 50, 1)
        amount = max(amount, 1)
        self.pool = max(pool - amount, 0)
        ref = f", ref: {scalar(f'{rng.choice(self.banks)} {ymd[4:]}')}"
        text = f'{{id: {ident}, type: refund, date: {iso}, amount: "{money(amount, self.digits)}"{ref}, memo: {rng.choice(Q_REFUND)}}}'
        self.debits.append([ident, iso, amount, amount, 0, False, False])
        self.entries.append([iso, ident, kind, text, amount, False])

    def _payment(self, targets: list[list], roll: float, ymd: str) -> tuple[int, list[tuple[str, int]], str, str]:
        rng, cur = self.rng, self.cur
        allocations: list[tuple[str, int]] = []
        if targets and roll < 0.6:  # pays named invoices
            for d in targets[: 2 if rng.random() < 0.15 else 1]:
                part = d[4] if rng.random() < 0.75 else max(d[4] // 2, 1)
                allocations.append((d[0], part))
            amount = sum(a for _, a in allocations)
            if rng.random() < 0.1:
                amount += invoice_amount(rng, cur) // 20  # a little extra goes to the pool
        elif targets:  # unallocated: the FIFO pool pays the oldest items
            amount = targets[0][4] if rng.random() < 0.8 else max(targets[0][4] // 3, 1)
        else:  # prepayment
            amount = max(invoice_amount(rng, cur) // 3, 1)
        ref = f", ref: {scalar(f'{rng.choice(self.banks)} {ymd[4:]}')}"
        return amount, allocations, ref, ""

    def _credit_note(self, targets: list[list], roll: float) -> tuple[int, list[tuple[str, int]], str, str]:
        rng = self.rng
        allocations: list[tuple[str, int]] = []
        if targets and roll < 0.7:
            d = targets[0]
            part = max(min(d[4], d[2] * rng.randint(2, 10) // 100), 1)
            allocations.append((d[0], part))
            amount = part
        else:
            amount = max(invoice_amount(rng, self.cur) // 25, 1)
        ref = f", ref: CN-{rng.randint(1000, 9999)}" if rng.random() < 0.3 else ""
        return amount, allocations, ref, f", memo: {rng.choice(self.credit_memos)}"

    def _write_off(self, targets: list[list]) -> tuple[int, list[tuple[str, int]], str, str]:
        rng = self.rng
        allocations: list[tuple[str, int]] = []
        if targets:
            d = targets[-1] if len(targets) > 1 and rng.random() < 0.3 else targets[0]
            allocations.append((d[0], d[4]))
            amount = d[4]
        else:
            amount = max(invoice_amount(rng, self.cur) // 100, 1)
        return amount, allocations, "", f", memo: {rng.choice(Q_WO)}"

    def credit(self, kind: str, day: dt.date, ymd: str, iso: str) -> None:
        """A payment, credit note or write-off, with explicit allocations or through the FIFO pool."""
        ident = self.new_id(kind, ymd)
        targets = self.open_debits(2)
        roll = self.rng.random()
        if kind == "payment":
            amount, allocations, ref, memo = self._payment(targets, roll, ymd)
        elif kind == "credit_note":
            amount, allocations, ref, memo = self._credit_note(targets, roll)
        else:
            amount, allocations, ref, memo = self._write_off(targets)
        by_id = {d[0]: d for d in targets}
        for target, part in allocations:
            d = by_id[target]
            d[3] -= part  # alloc_left stays >= 0: part <= econ_open <= alloc_left
            d[4] -= part
        rest = amount - sum(a for _, a in allocations)
        if rest > 0:
            self.pool += self.apply_pool(rest)
        alloc_text = ""
        if allocations:
            alloc_text = ", allocations: {" + ", ".join(f'{t}: "{money(a, self.digits)}"' for t, a in allocations) + "}"
        text = (
            f'{{id: {ident}, type: {kind}, date: {iso}, amount: "{money(amount, self.digits)}"{ref}{memo}{alloc_text}}}'
        )
        self.entries.append([iso, ident, kind, text, -amount, False])
        if kind == "payment":
            self.voidable.append((ident, len(self.entries) - 1, None))

    def void(self, kind: str, day: dt.date, ymd: str, iso: str) -> None:
        # a recent payment or invoice, at most once; the list holds only unvoided ones
        voidable = self.voidable
        pick = len(voidable) - 1 - min(int(self.rng.expovariate(0.3)), len(voidable) - 1)
        target, index, debit = voidable.pop(pick)
        ident = self.new_id(kind, ymd)
        text = f"{{id: {ident}, type: void, date: {iso}, voids: {target}, memo: {self.rng.choice(Q_VOID)}}}"
        self.entries[index][5] = True
        if debit is not None:
            debit[5] = True  # no new allocations to it (they would be legal, but odd)
        self.entries.append([iso, ident, kind, text, 0, target])

    def reminder(self, kind: str, day: dt.date, ymd: str, iso: str) -> None:
        ident = self.new_id(kind, ymd)
        named = [d[0] for d in self.open_debits(3) if d[6]] or [self.invoice_ids[-1]]
        text = f"{{id: {ident}, type: reminder, date: {iso}, level: {self.rng.randint(1, 3)}, invoices: [{', '.join(named)}]}}"
        self.entries.append([iso, ident, kind, text, 0, False])

    def note(self, kind: str, day: dt.date, ymd: str, iso: str) -> None:
        ident = self.new_id(kind, ymd)
        text = f"{{id: {ident}, type: note, date: {iso}, memo: {self.rng.choice(self.notes)}}}"
        self.entries.append([iso, ident, kind, text, 0, False])

    def balance(self, kind: str, day: dt.date, ymd: str, iso: str) -> None:
        ident = self.new_id(kind, ymd)
        self.entries.append([iso, ident, kind, None, 0, False])  # amount filled in by fill_balances

    def fill_balances(self) -> None:
        # SPEC 3.1: balance at the end of D = Σ signed amounts dated ≤ D, less entries voided by a void dated ≤ D.
        # Voids are dated on/after their target, so a void contributes −(target's signed amount) on its own date.
        entries = self.entries
        signed_of = {e[1]: e[4] for e in entries if e[4]}
        delta: dict[str, int] = {}
        for e in entries:
            if e[2] == "void":
                delta[e[0]] = delta.get(e[0], 0) - signed_of.get(e[5], 0)
            elif e[4]:
                delta[e[0]] = delta.get(e[0], 0) + e[4]
        running, at_end = 0, {}
        for day_iso in sorted(delta):
            running += delta[day_iso]
            at_end[day_iso] = running
        days_sorted = sorted(at_end)
        for e in entries:
            if e[2] == "balance":
                pos = bisect.bisect_right(days_sorted, e[0]) - 1
                value = at_end[days_sorted[pos]] if pos >= 0 else 0
                e[3] = f'{{id: {e[1]}, type: balance, date: {e[0]}, amount: "{money(value, self.digits)}"}}'


def make_entries(
    rng: Random, c: dict, count: int, new_id: IdMaker, dates: list[dt.date]
) -> tuple[list[tuple], list[tuple]]:
    """Entries of one customer as (date, id, line-without-balance, signed minor amount, kind, extra).

    Returns (entries, journal rows). Balance lines are finished after all entries exist.
    """
    offsets = sorted(rng.randrange(SPAN_DAYS) for _ in range(count))
    plan = plan_types(rng, count)
    ledger = _Ledger(rng, c, new_id)
    for k in range(count):
        ledger.add(plan[k], dates[offsets[k]])
    ledger.fill_balances()
    entries = ledger.entries
    entries.sort(key=lambda e: (e[0], e[1]))
    journal = [(e[0], e[1], e[2], e[4]) for e in entries if e[4] and not e[5]]
    return entries, journal


# --- journal -----------------------------------------------------------------------------

CONTRA = {
    "invoice": "revenue",
    "refund": "assets:bank",
    "payment": "assets:bank",
    "credit_note": "revenue:returns",
    "write_off": "expenses:baddebt",
}


def journal_text(c: dict, rows: list[tuple]) -> str:
    """hledger and ledger-cli syntax alike: date (code) payee, two-space separated postings."""
    account = f"assets:receivable:{c['id']}"
    payee = c["name"].replace(";", ",").replace("|", "/")
    cur, digits = c["currency"], c["digits"]
    out = []
    for iso, ident, kind, signed in rows:
        amt = money(signed, digits)
        neg = money(-signed, digits)
        out.append(f"{iso} ({ident}) {payee}\n    {account}  {amt} {cur}\n    {CONTRA[kind]}  {neg} {cur}\n\n")
    return "".join(out)


# --- driver --------------------------------------------------------------------------------


def ledgerctl_command(explicit: str | None) -> list[str]:
    if explicit:
        return [explicit]
    if importlib.util.find_spec("ledgerctl") is not None:
        return [sys.executable, "-m", "ledgerctl"]
    venv = Path(__file__).resolve().parent.parent / ".venv" / "bin" / "ledgerctl"
    if venv.exists():
        return [str(venv)]
    found = shutil.which("ledgerctl")
    if found:
        return [found]
    sys.exit("generate.py: ledgerctl not found (run with the project's venv python, or pass --ledgerctl PATH)")


def generate(
    out_dir: Path, customers: int, per_customer: int, seed: int, ledgerctl: list[str], force: bool = False
) -> dict:
    started = time.perf_counter()
    books = out_dir / "books"
    if books.exists():
        if not force:
            sys.exit(f"generate.py: {books} exists (use --force to replace it)")
        shutil.rmtree(books)
    out_dir.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "LEDGERCTL_BOOKS"}
    env.update(GIT_IDENTITY)
    env.setdefault("LEDGERCTL_TODAY", "2026-11-23")
    init = subprocess.run([*ledgerctl, "init", str(books), "--name", "bench"], env=env, capture_output=True, text=True)
    if init.returncode != 0:
        sys.exit(f"generate.py: `ledgerctl init` failed (exit {init.returncode}):\n{init.stdout}{init.stderr}")
    t_init = time.perf_counter()

    rng = Random(seed)
    new_id = IdMaker(rng)
    dates = [START_DATE + dt.timedelta(days=i) for i in range(SPAN_DAYS)]
    width = max(5, len(str(max(customers - 1, 0))))
    ledger_dir = books / "ledgers"
    ledger_dir.mkdir(exist_ok=True)
    counts = dict.fromkeys(TYPES, 0)
    stats = {"yaml_bytes": 0, "journal_bytes": 0, "transactions": 0, "allocated_payments": 0, "plain_payments": 0}
    currencies: dict[str, int] = {}
    with open(out_dir / "bench.journal", "w", encoding="utf-8", newline="\n") as journal:
        journal.write(
            f"; ledgerctl benchmark: {customers} customers x {per_customer} entries, seed {seed}\n"
            "; the same money movements as books/ledgers/*.yaml (voided entries left out)\n\n"
        )
        for index in range(customers):
            c = make_customer(rng, index, width)
            currencies[c["currency"]] = currencies.get(c["currency"], 0) + 1
            entries, rows = make_entries(rng, c, per_customer, new_id, dates)
            lines = header_text(c)
            for e in entries:
                lines.append(f"  - {e[3]}")
                counts[e[2]] += 1
                if e[2] == "payment":
                    stats["allocated_payments" if "allocations:" in e[3] else "plain_payments"] += 1
            data = ("\n".join(lines) + "\n").encode("utf-8")
            (ledger_dir / f"{c['id']}.yaml").write_bytes(data)
            stats["yaml_bytes"] += len(data)
            text = journal_text(c, rows)
            journal.write(text)
            stats["journal_bytes"] += len(text.encode("utf-8"))
            stats["transactions"] += len(rows)
    t_write = time.perf_counter()

    git_env = {
        **env,
        "GIT_AUTHOR_DATE": GIT_IDENTITY["GIT_AUTHOR_DATE"],
        "GIT_COMMITTER_DATE": GIT_IDENTITY["GIT_COMMITTER_DATE"],
    }
    subprocess.run(["git", "add", "-A"], cwd=books, check=True, env=git_env)
    subprocess.run(["git", "commit", "-q", "--no-verify", "-m", "generated"], cwd=books, check=True, env=git_env)
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=books, check=True, env=git_env, capture_output=True, text=True
    ).stdout.strip()
    finished = time.perf_counter()
    missing = [k for k, n in counts.items() if n == 0]
    return {
        "customers": customers,
        "entries_per_customer": per_customer,
        "seed": seed,
        "entries": sum(counts.values()),
        "types": counts,
        "currencies": currencies,
        "missing_types": missing,
        "head": head,
        "seconds": {
            "init": round(t_init - started, 3),
            "write": round(t_write - t_init, 3),
            "git": round(finished - t_write, 3),
            "total": round(finished - started, 3),
        },
        **stats,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out_dir", type=Path, help="where books/ and bench.journal are written")
    parser.add_argument("--customers", type=int, default=100)
    parser.add_argument("--entries-per-customer", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--force", action="store_true", help="replace an existing OUT_DIR/books")
    parser.add_argument("--ledgerctl", help="ledgerctl executable for `init` (default: this python's ledgerctl)")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = parser.parse_args(argv)
    if args.customers < 1 or args.entries_per_customer < 1:
        parser.error("--customers and --entries-per-customer must be at least 1")
    info = generate(
        args.out_dir,
        args.customers,
        args.entries_per_customer,
        args.seed,
        ledgerctl_command(args.ledgerctl),
        force=args.force,
    )
    if args.json:
        print(json.dumps(info, ensure_ascii=False))
    else:
        mb = 1024 * 1024
        s = info["seconds"]
        print(
            f"generated {info['customers']} customers x {info['entries_per_customer']} entries = {info['entries']} entries "
            f"in {s['total']:.1f} s (init {s['init']:.1f} s, write {s['write']:.1f} s, git {s['git']:.1f} s)"
        )
        print(
            f"  books/ledgers: {info['yaml_bytes'] / mb:.1f} MB YAML; bench.journal: {info['journal_bytes'] / mb:.1f} MB, "
            f"{info['transactions']} transactions"
        )
        print(
            "  types: "
            + ", ".join(f"{k} {n}" for k, n in info["types"].items())
            + f"; payments with allocations {info['allocated_payments']}, without {info['plain_payments']}"
        )
        print("  currencies: " + ", ".join(f"{k} {n}" for k, n in sorted(info["currencies"].items())))
        print(f"  commit {info['head']}")
    if info["missing_types"]:
        print(
            f"warning: no entry of type {', '.join(info['missing_types'])} (too few entries per customer)",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
