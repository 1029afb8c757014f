"""One synthetic customer of the benchmark generator: its header, its entries and their journal
transactions, drawn from one ``random.Random`` in a fixed order so that a seed gives the same bytes."""

from __future__ import annotations

import bisect
import datetime as dt
from random import Random

from generate_words import (
    BANKS,
    BRANDS,
    CITIES,
    CN_PERSONS,
    CN_SUFFIXES,
    INDUSTRIES,
    JP_ADDRESSES,
    JP_NAMES,
    JP_PERSONS,
    LATIN_KINDS,
    LATIN_NAMES,
    LATIN_PERSONS,
    LATIN_SUFFIXES,
    PREFIX,
    Q_CREDIT,
    Q_ITEMS,
    Q_NOTES,
    Q_REFUND,
    Q_VOID,
    Q_WO,
    SPAN_DAYS,
    SUFFIX_ALPHABET,
    TAGS,
    TYPES,
    WEIGHTS,
    money,
    scalar,
)

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
