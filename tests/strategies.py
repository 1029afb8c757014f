"""Hypothesis strategies: random but valid customer ledgers of every entry type."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import strategies as st

from ledgerctl.core.models import CreditNote, EntryBase, Invoice, Payment, Refund, Void, WriteOff

START = dt.date(2026, 1, 1)
CREDIT_TYPES = (Payment, CreditNote, WriteOff)

cents = st.integers(min_value=1, max_value=5_000_000).map(lambda c: Decimal(c).scaleb(-2))
day = st.integers(min_value=0, max_value=300)


@st.composite
def ledgers(draw: st.DrawFn, max_debits: int = 8, max_credits: int = 8, voids: bool = True) -> list[EntryBase]:
    entries: list[EntryBase] = []
    debits = []
    for number in range(draw(st.integers(0, max_debits))):
        date = START + dt.timedelta(days=draw(day))
        amount = draw(cents)
        if draw(st.booleans()) or number == 0:
            due = date + dt.timedelta(days=draw(st.integers(0, 90)))
            debit: EntryBase = Invoice(id=f"INV-{number:03d}", type="invoice", date=date, due=due, amount=amount)
        else:
            debit = Refund(id=f"RF-{number:03d}", type="refund", date=date, amount=amount)
        debits.append(debit)
        entries.append(debit)
    allocated: dict[str, Decimal] = {}
    for number in range(draw(st.integers(0, max_credits))):
        kind = draw(st.sampled_from(CREDIT_TYPES))
        date = START + dt.timedelta(days=draw(day))
        amount = draw(cents)
        allocations: dict[str, Decimal] = {}
        left = amount
        for debit in draw(st.lists(st.sampled_from(debits), max_size=3, unique_by=lambda d: d.id)) if debits else []:
            room = min(left, debit.amount - allocated.get(debit.id, Decimal(0)))  # type: ignore[attr-defined]
            if room <= 0:
                continue
            share = draw(st.integers(1, int(room * 100))) / Decimal(100)
            allocations[debit.id] = share
            allocated[debit.id] = allocated.get(debit.id, Decimal(0)) + share
            left -= share
        prefix = {"payment": "PAY", "credit_note": "CN", "write_off": "WO"}[
            kind.model_fields["type"].annotation.__args__[0]
        ]
        entries.append(
            kind(
                id=f"{prefix}-{number:03d}",
                type=kind.model_fields["type"].annotation.__args__[0],
                date=date,
                amount=amount,
                allocations=allocations or None,
            )
        )
    if voids and entries:
        for number, target in enumerate(draw(st.lists(st.sampled_from(entries), max_size=3, unique_by=lambda e: e.id))):
            date = target.date + dt.timedelta(days=draw(st.integers(0, 60)))
            entries.append(Void(id=f"VD-{number:03d}", type="void", date=date, voids=target.id))
    return entries


as_of_dates = st.integers(min_value=-10, max_value=400).map(lambda d: START + dt.timedelta(days=d))


# --- ledger files as the tool writes them, and hostile variations (store/fastread.py) -----------------------------

# Text that exercises every quoting rule of the writer: indicators, ': ', ' #', quotes, escapes, numbers, words
# YAML reads as null or booleans, line breaks YAML knows and Python does not, controls, CJK.
_AWKWARD = (
    " :#,[]{}'\"\\-?&*!|>%@`~.+0123456789eExXabcXYZ_/中文株式会社éß\t\n\r\x00\x07\x1b\x7f\x85\xa0"
    "\u2028\u2029\ufeff\ufffe\U0001f600"
)
_WORDS = ["null", "Null", "~", "true", "False", "yes", "no", "on", "0219", "12.10", "+5", "-0", ".5", "1e3", "0x10"]
awkward_text = st.one_of(
    st.text(alphabet=_AWKWARD, max_size=12),
    st.text(max_size=12),
    st.sampled_from(_WORDS),
    st.from_regex(r"[A-Za-z][A-Za-z0-9 ]{0,15}", fullmatch=True),
)
entry_ids = st.one_of(
    st.from_regex(r"[A-Z]{2,3}-20[0-9]{6}-[A-Z0-9]{4}", fullmatch=True),
    st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,8}", fullmatch=True),
    st.sampled_from(["12345", "0012", "null", "True", "1e3", "x" * 64, "x" * 65, "-x", "a b"]),
)
_CURRENCIES = ["CNY", "USD", "JPY", "KWD", "EUR", "XXX"]
_TYPES = ["invoice", "payment", "credit_note", "write_off", "refund", "void", "reminder", "note", "promise", "balance"]
# Per type, the keys the models have after id, type and date (plus memo, tags, fingerprint for all).
_ENTRY_KEYS = {
    "invoice": ("due", "amount", "ref"),
    "refund": ("amount", "ref"),
    "payment": ("amount", "ref", "allocations"),
    "credit_note": ("amount", "ref", "allocations"),
    "write_off": ("amount", "ref", "allocations"),
    "void": ("voids",),
    "reminder": ("level", "invoices"),
    "note": (),
    "promise": ("amount", "by", "invoices"),
    "balance": ("amount",),
}
dates_text = st.one_of(  # dates the writer writes plain, some out of the books' range; text it quotes
    st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2026, 12, 31)),
    st.sampled_from([dt.date(1899, 12, 31), dt.date(1900, 1, 1), dt.date(2999, 12, 31), dt.date(3000, 1, 1)]),
    st.sampled_from(["2026-02-30", "20260101"]),
)
amount_text = st.one_of(
    st.integers(1, 10**9).map(lambda c: f"{Decimal(c).scaleb(-2)}"),
    st.integers(1, 10**6).map(str),
    st.sampled_from(["0.00", "-5.00", "12.345", "1.5", "0", "-0", "1.000", "999999999999999.99", "1000000000000000"]),
)


clean_ids = st.from_regex(r"[A-Z]{2,3}-20[0-9]{6}-[A-Z0-9]{4}", fullmatch=True)
clean_text = st.one_of(
    st.from_regex(r"[A-Za-z中][A-Za-z0-9 .:/#'中-]{0,15}", fullmatch=True), awkward_text.filter(str.strip)
)


@st.composite
def canonical_ledgers(draw: st.DrawFn, max_entries: int = 12) -> tuple[str, str]:
    """(file stem, text) of a ledger in the writer's own layout (store.yamlwrite), valid or not (ids repeated,
    amounts with too many digits, voids of unknown ids, dates out of range…): the layout is the tool's, the content
    anything the writer can be asked to write. Half of them hold only what the models take."""
    from ledgerctl.store.yamlwrite import Quoted, flow, render_new_ledger

    clean = draw(st.booleans())

    def pick(good: st.SearchStrategy, bad: st.SearchStrategy) -> object:
        return draw(good if clean or draw(st.integers(0, 3)) else bad)

    stem = draw(st.sampled_from(["acme", "hx-machinery", "b2"]))
    currency = draw(st.sampled_from(_CURRENCIES[:3] if clean else _CURRENCIES))
    header: dict[str, object] = {
        "id": stem if clean else draw(st.sampled_from([stem, stem, "other"])),
        "name": pick(st.sampled_from(["华兴机械有限公司", "Acme GmbH", "it's"]), awkward_text),
        "currency": currency,
        "terms_days": draw(st.sampled_from([30, 0, 45])),
    }
    if draw(st.booleans()):
        header["credit_limit"] = Quoted(pick(st.sampled_from(["1000.00", "0"]), amount_text))
    if draw(st.booleans()):
        header["tags"] = draw(st.lists(st.sampled_from(["vip", "region:east", "a"]), max_size=3, unique=True))
    text = render_new_ledger(header)
    money = st.integers(1, 10**9).map(lambda c: Quoted(f"{Decimal(c).scaleb(-2 if currency != 'JPY' else 0)}"))
    pool: list[str] = []
    lines = []
    for _ in range(draw(st.integers(0, max_entries))):
        kind = draw(st.sampled_from(_TYPES))
        entry_id = pick(clean_ids, entry_ids)
        if pool and draw(st.integers(0, 9)) == 0:
            entry_id = draw(st.sampled_from(pool))  # a duplicate id: a rule problem, not a refusal
        pool.append(entry_id)
        day = pick(st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2026, 12, 31)), dates_text)
        fields: dict[str, object] = {"id": entry_id, "type": kind, "date": day}
        keys = _ENTRY_KEYS[kind]
        target = st.one_of(st.sampled_from(pool), clean_ids)
        values = {
            "due": dates_text,
            "amount": st.one_of(money, amount_text.map(Quoted)) if kind == "balance" else money,
            "by": dates_text,
            "voids": target,
            "level": st.sampled_from([1, 2, 9]),
            "invoices": st.lists(target, max_size=2),
            "ref": clean_text,
            "allocations": st.dictionaries(target, money, min_size=1, max_size=2),
        }
        bad = {"amount": amount_text.map(Quoted), "ref": awkward_text, "level": st.sampled_from([0, 10, "1"])}
        for key in ("due", "amount", "by", "voids", "level", "invoices", "ref", "memo", "allocations", "tags"):
            if key == "memo" and draw(st.booleans()):
                fields["memo"] = pick(clean_text, awkward_text)
            elif key == "tags" and draw(st.integers(0, 4)) == 0:
                fields["tags"] = pick(
                    st.lists(st.sampled_from(["a", "region:east", "x-1"]), max_size=2),
                    st.lists(st.sampled_from(["7", "null", "A"]), min_size=1, max_size=2),
                )
            elif key in keys and (key in ("amount", "voids", "level", "by") or draw(st.integers(0, 5)) > 0):
                fields[key] = pick(values[key], bad.get(key, values[key]))
        if draw(st.integers(0, 5)) == 0:
            fields["fingerprint"] = pick(
                st.sampled_from(["bank:3f2a9c", "invoice:FP-1"]), st.sampled_from(["bank:", "Bank:x", "bank:a b"])
            )
        lines.append(f"  - {flow(fields)}\n")
    return stem, text + "".join(lines)


# Snippets that make a file something else to YAML or to the models: tabs, CRLF, BOM, comments, other quoting,
# escapes, anchors, aliases, tags, merge keys, numbers, block style, documents, duplicate keys, conflict markers.
HOSTILE = [
    "\t",
    "\r\n",
    "\r",
    "\ufeff",
    " # note",
    "#",
    "'it''s'",
    "'x'",
    '"\\u4e2d"',
    '"\\ud83d\\ude00"',
    '"\\/"',
    '"\\x41"',
    '"\\N"',
    '"\\ "',
    "&a ",
    "*a",
    "!!str ",
    "!x ",
    "<<: ",
    "? ",
    "- ",
    "---\n",
    "...\n",
    "%YAML 1.1\n",
    "12.10",
    "1e3",
    "0x10",
    "-0",
    "+5",
    "null",
    "~",
    "true",
    "2999-12-31",
    "3000-01-01",
    ": ",
    ", ",
    "{",
    "}",
    "[",
    "]",
    '"',
    "'",
    "\n",
    "\n  ",
    "\n    ",
    "  - ",
    "id: ",
    "type: ",
    "amount: ",
    "due: ",
    "date: ",
    "allocations: {",
    "memo: ",
    "entries:\n",
    "customer:\n",
    "<<<<<<< ours\n",
    "\x85",
    "\u2028",
    "\x00",
    "中",
    "é",
    "  id: x\n",
    "JPY",
    "1.005",
    "\\",
    "|",
    ">",
    "@",
    "`",
    "%",
]


@st.composite
def mutated(draw: st.DrawFn, text: str, moves: tuple[int, ...] = tuple(range(8))) -> bytes:
    """``text`` with a few random edits: a hostile snippet put in or swapped for a piece, a byte flipped, inserted
    or deleted, lines swapped, CRLF or a BOM for the whole file."""
    data = bytearray(text.encode("utf-8"))
    for _ in range(draw(st.integers(1, 3))):
        move = draw(st.sampled_from(moves))
        at = draw(st.integers(0, len(data)))
        if move == 0 and data:  # flip one bit
            at = min(at, len(data) - 1)
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif move == 1:
            data[at:at] = bytes([draw(st.integers(0, 255))])
        elif move == 2 and data:
            del data[at : at + draw(st.integers(1, 4))]
        elif move == 3:
            data[at:at] = draw(st.sampled_from(HOSTILE)).encode("utf-8")
        elif move == 4:
            data[at : at + draw(st.integers(1, 6))] = draw(st.sampled_from(HOSTILE)).encode("utf-8")
        elif move == 5:
            rows = bytes(data).split(b"\n")
            if len(rows) > 2:
                i, j = draw(st.integers(0, len(rows) - 1)), draw(st.integers(0, len(rows) - 1))
                rows[i], rows[j] = rows[j], rows[i]
                data = bytearray(b"\n".join(rows))
        elif move == 6:  # another value for a key: the shape stays, the meaning may not
            starts = [i + 2 for i in range(len(data) - 1) if data[i : i + 2] == b": "]
            if starts:
                start = draw(st.sampled_from(starts))
                end = start
                while end < len(data) and data[end : end + 1] not in (b",", b"}", b"\n"):
                    end += 1
                data[start:end] = draw(st.sampled_from(VALUES)).encode("utf-8")
        else:
            data = bytearray(
                draw(st.sampled_from([b"\xef\xbb\xbf" + bytes(data), bytes(data).replace(b"\n", b"\r\n")]))
            )
    return bytes(data)


# Values in any scalar form: other quoting, escapes, numbers, words, dates, amounts, flow collections.
VALUES = [
    "null",
    "~",
    "",
    "true",
    "False",
    "0219",
    "12.10",
    "12",
    "-0",
    "+5",
    ".5",
    "1e3",
    "0x10",
    "1_000",
    '"12.50"',
    '"12.505"',
    '"-1.00"',
    '"0.00"',
    '" 1.00"',
    '"1.5"',
    "12.345",
    '"1000000000000000"',
    "2026-02-30",
    "2026-2-3",
    '"2026-05-06"',
    "1899-12-31",
    "3000-01-01",
    "'it''s'",
    '"\\u4e2d"',
    '"a\\"b"',
    '"\\t"',
    '"\\/"',
    '"\\ud83d\\ude00"',
    "a:b",
    "a:",
    "a #b",
    "a#b",
    "-x",
    "x ",
    " x",
    "中文",
    "&a x",
    "*a",
    "!!str x",
    "[a, b]",
    "[]",
    "{}",
    '{INV-1: "1.00"}',
    '{INV-1: "1.00", INV-1: "2.00"}',
    "[INV-1, 7]",
    "[null]",
    "invoice",
    "void",
    "bank:x",
    "bank:中",
    "INV-1",
    '"INV-1"',
    "x" * 65,
    "1",
    "10",
    "01",
]
