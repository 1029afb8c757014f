"""store/fastread.py: for any bytes, the fast reader gives the safe path's record or steps aside.

The safe path (libyaml events, pydantic models, from_source) is the judge: every test compares the
msgpack bytes of the two records (entries, final position, lines, header, problems), so a difference in
a Decimal's exponent or a date shows too.
"""

from __future__ import annotations

import datetime as dt
import importlib
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.strategies import HOSTILE, canonical_ledgers, ledgers, mutated

from ledgerctl.core import engine
from ledgerctl.core.models import ENTRY_CLASSES
from ledgerctl.core.validate import _CREDITS, _DEBITS, _WITH_AMOUNT, SourcedLedger, _balances_at, validate_ledger
from ledgerctl.store import fastread
from ledgerctl.store.cache import CachedEntry, CachedLedger, _cached_entry, _encoder, from_source
from ledgerctl.store.fasthead import fast_header
from ledgerctl.store.fastread import fast_record
from ledgerctl.store.ledgerfile import load_ledger

REPO = Path(__file__).resolve().parents[2]
BLOB = "0" * 40
HEAD = "customer:\n  id: acme\n  name: Acme\n  currency: CNY\nentries:\n"


def safe_record(raw: bytes, relpath: str) -> CachedLedger:
    source, _ = load_ledger(REPO / relpath, relpath, raw=raw)
    return from_source(source, BLOB, validate_ledger(source))


def same_or_none(raw: bytes, stem: str = "acme") -> CachedLedger | None:
    """The fast record, after checking it is byte for byte the safe one (when there is one)."""
    relpath = f"ledgers/{stem}.yaml"
    fast = fast_record(raw, relpath, BLOB)
    if fast is not None:
        assert _encoder.encode(fast) == _encoder.encode(safe_record(raw, relpath)), raw.decode("utf-8", "replace")
    return fast


# --- the files there are ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted((REPO / "ledgers").glob("*.yaml")), ids=lambda p: p.name)
def test_every_sample_ledger_is_read_fast_and_the_same(path: Path) -> None:
    assert same_or_none(path.read_bytes(), path.stem) is not None


def test_generated_benchmark_books_are_read_fast_and_the_same() -> None:
    """The benchmark's own files (written as text in the tool's layout): every one taken, every one the same."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        generator = importlib.import_module("generate_ledger")
    except ImportError:  # pragma: no cover - the generator moved
        pytest.skip("benchmarks/generate_ledger.py not found")
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    from random import Random

    rng = Random(5)
    new_id = generator.IdMaker(rng)
    words = importlib.import_module("generate_words")
    dates = [words.START_DATE + dt.timedelta(days=i) for i in range(words.SPAN_DAYS)]
    for index in range(40):
        customer = generator.make_customer(rng, index, 5)
        entries, _ = generator.make_entries(rng, customer, 60, new_id, dates)
        lines = generator.header_text(customer) + [f"  - {e[3]}" for e in entries]
        raw = ("\n".join(lines) + "\n").encode("utf-8")
        assert same_or_none(raw, customer["id"]) is not None


# --- random files in the tool's layout, and the same files damaged ----------------------------------------------

DIFFERENTIAL = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@DIFFERENTIAL
@given(canonical_ledgers())
def test_files_in_the_tools_layout(case: tuple[str, str]) -> None:
    stem, text = case
    same_or_none(text.encode("utf-8"), stem)


@DIFFERENTIAL
@given(st.data(), canonical_ledgers(max_entries=6))
def test_damaged_files(data: st.DataObject, case: tuple[str, str]) -> None:
    stem, text = case
    same_or_none(data.draw(mutated(text)), stem)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), canonical_ledgers(max_entries=6))
def test_values_in_other_forms(data: st.DataObject, case: tuple[str, str]) -> None:
    """The layout kept, a value swapped for one in another form (numbers, null, quoting, escapes, out of range)."""
    stem, text = case
    same_or_none(data.draw(mutated(text, moves=(6,))), stem)


@DIFFERENTIAL
@given(st.data())
def test_damaged_sample_files(data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(sorted((REPO / "ledgers").glob("*.yaml"))))
    same_or_none(data.draw(mutated(path.read_text(encoding="utf-8"))), path.stem)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(HOSTILE), st.sampled_from(HOSTILE), st.integers(0, 200))
def test_one_line_with_hostile_pieces(first: str, second: str, where: int) -> None:
    line = '  - {id: INV-1, type: invoice, date: 2026-05-06, amount: "12.50", ref: PO 1, memo: a b}'
    at = where % len(line)
    text = f"customer:\n  id: acme\n  name: Acme\n  currency: JPY\nentries:\n{line[:at]}{first}{line[at:]}\n{line}{second}\n"
    same_or_none(text.encode("utf-8"))


TEMPLATES = [
    '{id: INV-1, type: invoice, date: 2026-01-05, due: 2026-02-04, amount: "100.00", ref: PO-1, memo: x, tags: [a], '
    "fingerprint: invoice:1}",
    '{id: RF-1, type: refund, date: 2026-01-06, amount: "1.00", ref: r, memo: m, tags: [b]}',
    '{id: PAY-1, type: payment, date: 2026-01-07, amount: "50.00", ref: r, memo: m, allocations: {INV-1: "50.00"}, '
    "tags: [a], fingerprint: bank:1}",
    "{id: VD-1, type: void, date: 2026-01-10, voids: RF-1, memo: m}",
    "{id: RM-1, type: reminder, date: 2026-01-11, level: 2, invoices: [INV-1], memo: m}",
    "{id: NT-1, type: note, date: 2026-01-12, memo: 来电, tags: []}",
    '{id: PR-1, type: promise, date: 2026-01-13, amount: "10.00", by: 2026-01-20, invoices: [], memo: m}',
    '{id: BAL-1, type: balance, date: 2026-01-14, amount: "-1.00", memo: m}',
]


def test_every_value_form_in_every_place() -> None:
    """Each value of VALUES in place of each value of each entry type (and of each allocation): same or refused."""
    import re

    from tests.strategies import VALUES

    taken = 0
    for template in TEMPLATES:
        for slot in re.finditer(r"(?<=: )[^,{}\[\]]*|(?<=: )\[[^\]]*\]|(?<=allocations: )\{[^}]*\}", template):
            for value in VALUES:
                line = template[: slot.start()] + value + template[slot.end() :]
                text = f"{HEAD}  - {TEMPLATES[0]}\n  - {line}\n"
                taken += same_or_none(text.encode()) is not None
    assert taken > 300  # the forms the reader takes are many: the comparison above is not empty


@pytest.mark.parametrize(
    "value",
    [
        "'it''s'",
        '"\\u4e2d"',
        '"a\\"b"',
        '"tab\\there"',
        "10:30",
        "a:",
        "a :b",
        "x#y",
        "x #y",
        "0219",
        "12.10",
        "null",
        "~",
        "True",
        "-x",
        "中文 备注",
        "a  b",
        '"\\ud83d\\ude00"',
        '"\\/"',
        "&a x",
        "*a",
        "!!str x",
    ],
)
def test_scalars_of_every_kind(value: str) -> None:
    for line in (
        f'  - {{id: PAY-1, type: payment, date: 2026-05-06, amount: "5", ref: {value}}}',
        f'  - {{id: PAY-1, type: payment, date: 2026-05-06, amount: "5", memo: {value}}}',
        f"  - {{id: {value}, type: note, date: 2026-05-06}}",
    ):
        same_or_none(f"customer:\n  id: acme\n  name: Acme\n  currency: CNY\nentries:\n{line}\n".encode())


# --- what the reader takes, and what it leaves to the safe path ----------------------------------------------------


def test_takes_every_entry_type_and_a_comment_line() -> None:
    text = HEAD + (
        '  - {id: INV-1, type: invoice, date: 2026-01-05, due: 2026-02-04, amount: "100.00", ref: PO-1, memo: x}\n'
        '  - {id: RF-1, type: refund, date: 2026-01-06, amount: "1.00"}\n'
        "  # a comment, and a blank line\n"
        "\n"
        '  - {id: PAY-1, type: payment, date: 2026-01-07, amount: "50.00", allocations: {INV-1: "50.00"}}\n'
        '  - {id: CN-1, type: credit_note, date: 2026-01-08, amount: "1.00", tags: [a, region:east]}\n'
        '  - {id: WO-1, type: write_off, date: 2026-01-09, amount: "1.00", fingerprint: "bank:abc"}\n'
        "  - {id: VD-1, type: void, date: 2026-01-10, voids: CN-1}\n"
        "  - {id: RM-1, type: reminder, date: 2026-01-11, level: 2, invoices: [INV-1]}\n"
        "  - {id: NT-1, type: note, date: 2026-01-12, memo: 来电}\n"
        '  - {id: PR-1, type: promise, date: 2026-01-13, amount: "10.00", by: 2026-01-20}\n'
        '  - {id: BAL-1, type: balance, date: 2026-01-14, amount: "-1.00"}\n'
    )
    record = same_or_none(text.encode())
    assert record is not None
    assert [e.type for e in record.entries] == [
        "invoice", "refund", "payment", "credit_note", "write_off", "void", "reminder", "note", "promise", "balance",
    ]  # fmt: skip
    assert record.lines == [6, 7, 10, 11, 12, 13, 14, 15, 16, 17]
    assert [p.code for p in record.rule_problems] == ["balance-mismatch"]  # the rules run on the lean records too


@pytest.mark.parametrize(
    "text",
    [
        HEAD.replace("\n", "\r\n") + '  - {id: INV-1, type: invoice, date: 2026-01-05, amount: "1.00"}\r\n',
        HEAD + '  - {id: INV-1, date: 2026-01-05, type: invoice, amount: "1.00"}\n',  # another key order
        HEAD + "  - id: INV-1\n    type: note\n    date: 2026-01-05\n",  # block style
        HEAD + '  - {id: INV-1, type: invoice, date: 2026-01-05, amount: "1.00"} # note\n',
        HEAD + '  - {id: INV-1, type: invoice, date: 2026-01-05, amount: "1.00", due: 2026-02-01}\n',
        HEAD + "  - {id: 0012, type: note, date: 2026-01-05}\n",  # the loader reads the number 12
        HEAD + "  - {id: NT-1, type: note, date: 2026-01-05, ref: x}\n",  # no ref on a note
        HEAD + '  - {id: INV-1, type: invoice, date: 2026-01-05, amount: "-1.00"}\n',
        HEAD + '  - {id: INV-1, type: invoice, date: 3000-01-01, amount: "1.00"}\n',
        HEAD + '  - {id: P-1, type: payment, date: 2026-01-05, amount: "1.00", allocations: {A: "1", A: "2"}}\n',
        HEAD + "  - {id: NT-1, type: note, date: 2026-01-05, memo: &a x}\n",
        "customer:\n  id: acme\n  name: Acme\n  currency: CNY\n",  # no entries key
        "---\n" + HEAD,
        HEAD.replace("  name: Acme\n", "  name: Acme\n  name: Other\n"),  # a key twice: YAML refuses the file
        HEAD.replace("customer:", "customer: # the header"),
        "\ufeff" + HEAD + "  - {id: NT-1, type: note, date: 2026-01-05, memo: \u2028}\n",
    ],
)
def test_anything_else_is_left_to_the_safe_path(text: str) -> None:
    assert fast_record(text.encode(), "ledgers/acme.yaml", BLOB) is None


def test_a_bom_is_read_as_the_safe_path_reads_it() -> None:
    text = "\ufeff" + HEAD + '  - {id: INV-1, type: invoice, date: 2026-01-05, amount: "1.00"}\n'
    assert same_or_none(text.encode()) is not None


def test_an_empty_ledger_and_one_without_a_final_newline() -> None:
    assert same_or_none(HEAD.encode()) is not None
    assert same_or_none((HEAD + "  - {id: NT-1, type: note, date: 2026-01-05}").encode()) is not None


# --- the tables the reader and the rules keep, against the models -------------------------------------------------


def test_the_keys_of_each_type_are_the_models_fields() -> None:
    for kind, cls in ENTRY_CLASSES.items():
        fields = {name: info.is_required() for name, info in cls.model_fields.items()}
        own = {key.lower(): key.isupper() for key in fastread._TYPE_KEYS[kind]}
        common = {"id": True, "type": True, "date": True, "memo": False, "tags": False, "fingerprint": False}
        assert fields == own | common, kind


def test_the_rules_type_sets_are_the_models() -> None:
    assert _WITH_AMOUNT == {kind for kind, cls in ENTRY_CLASSES.items() if "amount" in cls.model_fields}
    assert _CREDITS == {kind for kind, cls in ENTRY_CLASSES.items() if cls.sign < 0}
    assert _DEBITS == {kind for kind, cls in ENTRY_CLASSES.items() if cls.sign > 0}


@settings(max_examples=200, deadline=None)
@given(ledgers())
def test_the_rules_read_models_and_lean_records_alike(entries: list) -> None:
    from ledgerctl.core.models import Customer

    customer = Customer(id="acme", name="Acme", currency="JPY")
    source = SourcedLedger("ledgers/acme.yaml", "acme", customer, list(entries))
    source.entry_lines = {e.id: n for n, e in enumerate(entries, 5)}
    lean = [_cached_entry(e.__dict__) for e in entries]
    assert validate_ledger(source) == validate_ledger(source, entries=lean)


@st.composite
def tangled_entries(draw: st.DrawFn) -> list[CachedEntry]:
    """Lean records with every knot the balance rule must untie: duplicate ids, voids of voids, of unknown ids,
    of later entries, voided assertions, several entries on one day."""
    ids = [f"E{n}" for n in range(6)]
    entries = []
    for _ in range(draw(st.integers(0, 25))):
        kind = draw(st.sampled_from(["invoice", "refund", "payment", "credit_note", "void", "balance", "note"]))
        day = dt.date(2026, 1, 1) + dt.timedelta(days=draw(st.integers(0, 20)))
        amount = draw(st.integers(-500, 100_000).map(lambda c: Decimal(c).scaleb(-2)))
        voids = draw(st.sampled_from([*ids, "X"])) if kind == "void" else None
        has_amount = kind not in ("void", "note")
        entries.append(CachedEntry(draw(st.sampled_from(ids)), kind, day, amount if has_amount else None, voids=voids))
    return entries


@settings(max_examples=500, deadline=None)
@given(tangled_entries())
def test_balances_in_one_pass_are_the_engines(entries: list[CachedEntry]) -> None:
    assertions = [e for e in entries if e.type == "balance"]
    expected = [
        None if a.id in engine.voided_ids(entries, a.date) else engine.balance(entries, a.date) for a in assertions
    ]
    assert _balances_at(entries, assertions) == expected


def test_balance_problems_with_amounts_whose_sums_could_round_are_the_engines() -> None:
    from ledgerctl.core.models import Customer

    customer = Customer(id="acme", name="Acme", currency="CNY")
    long = Decimal("0." + "1" * 59)  # 59 decimals: a sum of two rounds, so the one-pass total is not used
    entries = [
        CachedEntry("I1", "invoice", dt.date(2026, 1, 1), long),
        CachedEntry("I2", "invoice", dt.date(2026, 1, 2), long),
        CachedEntry("B1", "balance", dt.date(2026, 1, 3), Decimal("0.22")),
    ]
    source = SourcedLedger("ledgers/acme.yaml", "acme", customer)
    problems = [p.code for p in validate_ledger(source, entries=entries)]
    assert problems.count("balance-mismatch") == (engine.balance(entries, dt.date(2026, 1, 3)) != Decimal("0.22"))


# --- the header ------------------------------------------------------------------------------------------------

HEADER = (
    "# yaml-language-server: $schema=../schemas/ledger.schema.json\ncustomer:\n  id: acme\n  name: Acme GmbH\n"
    '  currency: CNY\n  terms_days: 45\n  credit_limit: "1000.00"\n  tags: [vip, region:east]\n'
    '  contact: {person: 王经理, phone: "+86 21 5555 0101", email: ap@hx.example, address: 上海市 88 号}\n'
    "  notes: 老客户\n  tax_id: 91310000X\n  archived: false\n"
)
LINE = '  - {id: INV-1, type: invoice, date: 2026-01-05, amount: "100.00"}\n'


def test_headers_in_the_writers_layout_are_read_without_the_safe_path() -> None:
    for path in [*sorted((REPO / "ledgers").glob("*.yaml"))]:
        text = path.read_text(encoding="utf-8")
        assert fast_header(text[: text.index("\nentries:\n")].split("\n")) is not None, path.name
    assert fast_header(HEADER.rstrip("\n").split("\n")) is not None
    assert same_or_none(f"{HEADER}entries:\n{LINE}".encode()) is not None
    continued = HEADER.replace("  notes: 老客户\n", "  notes: 老客户\n    续\n")  # one value on two lines
    assert fast_header(continued.rstrip("\n").split("\n")) is None  # left to the safe parser, which reads it whole
    assert same_or_none(f"{continued}entries:\n{LINE}".encode()) is not None


def test_every_value_form_in_every_header_field() -> None:
    import re

    from tests.strategies import VALUES

    taken = 0
    extra = ["0", "3650", "3651", "030", "ACME", "acme", '"acme"', "Acme", "[vip, vip]", "[a, 7]", "{person: a}",
             "{person: a, person: b}", '{phone: "1, 2"}', "{email: null}", "{pager: x}", "true", "True", " "]  # fmt: skip
    for slot in re.finditer(r"(?<=: ).*", HEADER):
        for value in [*VALUES, *extra]:
            header = HEADER[: slot.start()] + value + HEADER[slot.end() :]
            taken += same_or_none(f"{header}entries:\n{LINE}".encode()) is not None
    assert taken > 100


@DIFFERENTIAL
@given(st.data())
def test_damaged_headers(data: st.DataObject) -> None:
    damaged = data.draw(mutated(HEADER, moves=(0, 1, 2, 3, 4, 6)))
    same_or_none(damaged + f"entries:\n{LINE}".encode())


def test_the_readers_copies_are_the_loaders() -> None:
    from ledgerctl.core.models import ENTRY_KEY_ORDER
    from ledgerctl.store import yamlload

    assert fastread._KEY_ORDER == ENTRY_KEY_ORDER[3:]
    assert fastread.MAX_FILE_BYTES == yamlload.MAX_FILE_BYTES
