"""The batch building block: entries inserted from the cache's record equal those inserted from a parse; the
parallel path posts what the serial one does."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

from tests.importing.support import write_csv

from ledgerctl.core.models import Payment
from ledgerctl.ops import batch
from ledgerctl.store.ledgerfile import load_ledger
from ledgerctl.store.yamlwrite import insert_entries

LEDGER = """# a hand-kept ledger: a comment, block-style items, a flow item
customer:
  id: acme
  name: 华兴机械有限公司
  currency: CNY
entries:
  # opening
  - id: INV-1
    type: invoice
    date: 2026-10-01
    amount: "100.00"
  - {id: INV-2, type: invoice, date: 2026-10-20, amount: "50.00"}   # a comment after an item

  - id: PAY-1
    type: payment
    date: 2026-11-01
    amount: "10.00"
"""


def _payment(entry_id: str, day: int) -> Payment:
    return Payment(id=entry_id, type="payment", date=dt.date(2026, 10, day), amount=Decimal("1.00"))


def test_insertion_from_the_cache_equals_insertion_from_a_parse(books) -> None:  # type: ignore[no-untyped-def]
    path = books.ledger("acme")
    path.write_text(LEDGER, encoding="utf-8")
    assert books.run("balance").exit_code == 0  # fills the cache with these bytes
    entries = [_payment("PAY-A", 1), _payment("PAY-B", 15), _payment("PAY-C", 31), _payment("PAY-0", 1)]
    raw = path.read_bytes()
    fast = batch._from_cache(books.root, "ledgers/acme.yaml", raw, entries)
    assert fast is not None and not fast.problems
    _, parsed = load_ledger(path, "ledgers/acme.yaml")
    assert parsed is not None
    assert fast.text == insert_entries(parsed.text, parsed.tree, entries, "CNY")
    assert set(fast.added) == {"PAY-A", "PAY-B", "PAY-C", "PAY-0"}


def test_a_file_with_anything_after_the_entries_is_not_taken_from_the_cache(books) -> None:  # type: ignore[no-untyped-def]
    header = "customer:\n  id: acme\n  name: 华兴机械有限公司\n  currency: CNY\n"
    path = books.ledger("acme")
    path.write_text(LEDGER.replace(header, "") + header, encoding="utf-8")  # the header after the entries
    assert books.run("balance").exit_code == 0
    assert batch._from_cache(books.root, "ledgers/acme.yaml", path.read_bytes(), [_payment("PAY-A", 1)]) is None


def test_the_parallel_path_posts_what_the_serial_one_does(payers, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(batch, "PARALLEL_MIN_LEDGERS", 1)
    rows = [
        ["交易日期", "对方户名", "金额"],
        ["2026-11-05", "华兴机械有限公司", "1.00"],
        ["2026-11-05", "Beta Trading Co., Ltd.", "2.00"],
    ]
    result = payers.run("import", "bank", str(write_csv(tmp_path / "p.csv", rows)), "-O", "json")
    assert result.exit_code == 0, result.output
    assert [i["customer"] for i in json.loads(result.stdout)["imported"]] == ["acme", "beta"]
    assert payers.run("check").exit_code == 0


def test_a_posted_ledger_is_in_the_cache_as_a_report_would_record_it(payers, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import msgspec

    from ledgerctl.core.validate import validate_ledger
    from ledgerctl.store.cache import LedgerCache, blob_id, from_source

    rows = [["交易日期", "对方户名", "金额"], ["2026-11-05", "华兴机械有限公司", "1.00"]]
    assert payers.run("import", "bank", str(write_csv(tmp_path / "c.csv", rows))).exit_code == 0
    path = payers.ledger("acme")
    raw = path.read_bytes()
    record = LedgerCache(payers.root).get(blob_id(raw), "ledgers/acme.yaml")
    assert record is not None
    source, _ = load_ledger(path, "ledgers/acme.yaml")
    expected = from_source(source, blob_id(raw), validate_ledger(source))
    assert msgspec.msgpack.encode(record) == msgspec.msgpack.encode(expected)
