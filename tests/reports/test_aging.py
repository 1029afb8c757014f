"""aging: SPEC 3.1/5.1 against a separately written reference, invariants, golden table."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from ledgerctl.core.aging import aging_report
from ledgerctl.core.models import Customer
from ledgerctl.render.aging import aging_json
from strategies import as_of_dates, ledgers

GOLDEN = Path(__file__).parent / "golden"
CUSTOMER = Customer(id="c1", name="测试客户", currency="CNY", terms_days=30)


def reference_aging(entries, as_of, limits, basis, terms_days=30):  # type: ignore[no-untyped-def]
    """SPEC 3.1 read literally, sharing no code with ledgerctl.core."""
    cancelled = {e.voids for e in entries if e.type == "void" and e.date <= as_of}
    live = [e for e in entries if e.date <= as_of and e.id not in cancelled and e.type != "void"]
    debits = [e for e in live if e.type in ("invoice", "refund")]
    credits = [e for e in live if e.type in ("payment", "credit_note", "write_off")]

    def due(e):  # type: ignore[no-untyped-def]
        if e.type == "refund":
            return e.date
        return e.due if e.due is not None else e.date + dt.timedelta(days=terms_days)

    remaining = {d.id: d.amount for d in debits}
    pool = Decimal(0)
    for credit in sorted(credits, key=lambda e: (e.date, e.id)):
        left = credit.amount
        for target, amount in (credit.allocations or {}).items():
            if target in remaining:
                take = min(amount, remaining[target], left)
                remaining[target] -= take
                left -= take
        pool += left
    for debit in sorted(debits, key=lambda d: (due(d), d.date, d.id)):
        take = min(pool, remaining[debit.id])
        remaining[debit.id] -= take
        pool -= take
    names = (
        ["current"]
        + [f"{lo}-{hi}" for lo, hi in zip([1] + [x + 1 for x in limits[:-1]], limits, strict=True)]
        + [f"{limits[-1]}+"]
    )
    buckets = dict.fromkeys(names, Decimal(0))
    for debit in debits:
        if remaining[debit.id] <= 0:
            continue
        age = (as_of - (due(debit) if basis == "due" else debit.date)).days
        index = 0 if age <= 0 else next((i + 1 for i, hi in enumerate(limits) if age <= hi), len(limits) + 1)
        buckets[names[index]] += remaining[debit.id]
    balance = sum(d.amount for d in debits) - sum(c.amount for c in credits)
    return {
        "buckets": {k: f"{v:.2f}" for k, v in buckets.items()},
        "unapplied": f"{-pool:.2f}",
        "total": f"{balance:.2f}",
    }


limits_lists = st.lists(st.integers(1, 400), min_size=1, max_size=5, unique=True).map(sorted)


@settings(max_examples=300, deadline=None)
@given(ledgers(), as_of_dates, limits_lists, st.sampled_from(["due", "date"]))
def test_aging_json_equals_reference(entries, as_of, limits, basis) -> None:  # type: ignore[no-untyped-def]
    report = aging_json(aging_report([(CUSTOMER, entries)], as_of, limits=limits, basis=basis, include_all=True))
    [row] = report["customers"]
    expected = reference_aging(entries, as_of, limits, basis)
    assert {k: row[k] for k in ("buckets", "unapplied", "total")} == expected
    assert report["totals"][0]["total"] == expected["total"]
    buckets = sum(Decimal(v) for v in row["buckets"].values())
    assert buckets + Decimal(row["unapplied"]) == Decimal(row["total"])


def test_spec_5_1_example(empty_books) -> None:  # type: ignore[no-untyped-def]
    """The SPEC 5.1 JSON, byte for byte in content, from the SPEC 3 example file."""
    (empty_books.root / "ledgers" / "hx-machinery.yaml").write_text(SPEC_EXAMPLE, encoding="utf-8")
    result = empty_books.run("aging", "--as-of", "2026-10-31", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == json.loads(SPEC_5_1_JSON)


def test_every_row_adds_up_and_matches_balance(sample_books) -> None:  # type: ignore[no-untyped-def]
    for as_of in ("2026-05-31", "2026-07-15", "2026-09-30", "2026-11-23", "2027-03-01"):
        aging = json.loads(sample_books.run("aging", "--as-of", as_of, "--all", "--format", "json").stdout)
        balance = json.loads(sample_books.run("balance", "--as-of", as_of, "--format", "json").stdout)
        balances = {c["id"]: c["balance"] for c in balance["customers"]}
        assert len(aging["customers"]) == len(balances)
        for row in aging["customers"]:
            assert sum(Decimal(v) for v in row["buckets"].values()) + Decimal(row["unapplied"]) == Decimal(row["total"])
            assert row["total"] == balances[row["id"]]
        assert {t["currency"]: t["total"] for t in aging["totals"]} == {
            t["currency"]: t["balance"] for t in balance["totals"]
        }


def test_zero_customers_left_out_unless_all(sample_books) -> None:  # type: ignore[no-untyped-def]
    default = json.loads(sample_books.run("aging", "--format", "json").stdout)
    everyone = json.loads(sample_books.run("aging", "--all", "--format", "json").stdout)
    ids = [c["id"] for c in default["customers"]]
    assert "sh-mingda" not in ids and "sh-mingda" in [c["id"] for c in everyone["customers"]]
    assert ids == sorted(ids)


def test_options(sample_books) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(
        sample_books.run("aging", "--buckets", "15,45", "--basis", "date", "--tag", "vip", "--format", "json").stdout
    )
    assert data["buckets"] == ["current", "1-15", "16-45", "45+"] and data["basis"] == "date"
    assert all(
        "vip"
        in json.loads(sample_books.run("customer", "show", c["id"], "--format", "json").stdout)["customer"]["tags"]
        for c in data["customers"]
    )
    by_total = json.loads(sample_books.run("aging", "--sort", "total", "--format", "json").stdout)["customers"]
    # JPY and CNY amounts are never ranked together by face value: by currency, then largest first within it.
    keys = [(c["currency"], -Decimal(c["total"])) for c in by_total]
    assert keys == sorted(keys) and len({c["currency"] for c in by_total}) > 1
    detail = json.loads(sample_books.run("aging", "--detail", "--format", "json").stdout)
    for customer in detail["customers"]:
        assert sum(Decimal(i["open"]) for i in customer["open_items"]) + Decimal(customer["unapplied"]) == Decimal(
            customer["total"]
        )
    for bad in (
        ["--buckets", "60,30"],
        ["--buckets", "x"],
        ["--sort", "nope"],
        ["--basis", "due-ish"],
        ["--as-of", "2026-13-01"],
    ):
        result = sample_books.run("aging", *bad)
        assert result.exit_code == 2 and "Traceback" not in result.output, bad


def test_csv(sample_books) -> None:  # type: ignore[no-untyped-def]
    lines = sample_books.run("aging", "--format", "csv").stdout.splitlines()
    assert lines[0] == "id,name,currency,current,1-30 days,31-60 days,61-90 days,90+ days,unapplied,total"
    assert "sz-tengfei,深圳腾飞电子科技有限公司,CNY,47900.00,63400.00,58750.00,38900.00,0.00,0.00,208950.00" in lines
    detail = sample_books.run("aging", "--format", "csv", "--detail").stdout.splitlines()
    assert detail[0].startswith("customer,name,currency,entry,type,date,due,amount,open,days_overdue")
    assert sample_books.run("aging", "--format", "csv", "--bom").stdout.startswith("\ufeffid,")


def test_golden_table(sample_books) -> None:  # type: ignore[no-untyped-def]
    """The sample books' aging table at a fixed width and date; regenerate deliberately if the layout changes."""
    result = sample_books.run("aging", "--as-of", "2026-11-23", env={"LEDGERCTL_WIDTH": "140"})
    assert result.exit_code == 0
    golden = GOLDEN / "aging-sample-2026-11-23.txt"
    assert result.stdout == golden.read_text(encoding="utf-8")


SPEC_EXAMPLE = """\
customer:
  id: hx-machinery
  name: 华兴机械有限公司
  currency: CNY
  terms_days: 30
entries:
  - {id: INV-20260801-7KQ2, type: invoice, date: 2026-08-01, due: 2026-08-31, amount: "12000.00", ref: PO-778, memo: 机床配件}
  - {id: PAY-20260820-M3XA, type: payment, date: 2026-08-20, amount: "5000.00", allocations: {INV-20260801-7KQ2: "5000.00"}}
  - {id: CN-20260825-Q9TD, type: credit_note, date: 2026-08-25, amount: "200.00", memo: 退货}
  - {id: RF-20260902-2HWE, type: refund, date: 2026-09-02, amount: "50.00"}
  - {id: VD-20260903-PLK7, type: void, date: 2026-09-03, voids: RF-20260902-2HWE, memo: entered twice}
  - {id: RM-20260910-C4RB, type: reminder, date: 2026-09-10, level: 1, invoices: [INV-20260801-7KQ2]}
  - {id: NT-20260911-V8JN, type: note, date: 2026-09-11, memo: 客户承诺月底付款}
  - {id: BAL-20260930-F2ZS, type: balance, date: 2026-09-30, amount: "6800.00"}
  - {id: WO-20261031-8DMY, type: write_off, date: 2026-10-31, amount: "800.00", allocations: {INV-20260801-7KQ2: "800.00"}}
"""

SPEC_5_1_JSON = """
{"as_of": "2026-10-31", "basis": "due", "buckets": ["current", "1-30", "31-60", "61-90", "90+"],
 "customers": [{"id": "hx-machinery", "name": "华兴机械有限公司", "currency": "CNY",
                "buckets": {"current": "0.00", "1-30": "0.00", "31-60": "0.00", "61-90": "6000.00", "90+": "0.00"},
                "unapplied": "0.00", "total": "6000.00"}],
 "totals": [{"currency": "CNY", "buckets": {"current": "0.00", "1-30": "0.00", "31-60": "0.00", "61-90": "6000.00", "90+": "0.00"},
             "unapplied": "0.00", "total": "6000.00"}]}
"""
