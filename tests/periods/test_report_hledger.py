"""`report` agrees with hledger's `bal -M -H` (closing) and `bal -M` (net flows) on the hledger export."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from decimal import Decimal
from pathlib import Path

from tests.conftest import BooksFixture
from tests.tools import require_tool


def _hledger(hledger: str, journal: Path, *args: str) -> dict[tuple[str, str], Decimal]:
    """{(customer, YYYY-MM): amount} from `hledger bal -M … -O csv --layout=bare`."""
    completed = subprocess.run(
        [
            hledger,
            "-f",
            str(journal),
            "bal",
            "-M",
            *args,
            "-b",
            "2026-05-01",
            "-e",
            "2026-12-01",
            "Assets:Receivable",
            "-O",
            "csv",
            "--layout=bare",
            "--empty",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    rows = list(csv.reader(io.StringIO(completed.stdout)))
    months = rows[0][2:]
    found = {}
    for row in rows[1:]:
        if row[0].startswith("Assets:Receivable:"):
            customer = row[0].rsplit(":", 1)[1]
            found.update(
                {(customer, month): Decimal(value or "0") for month, value in zip(months, row[2:], strict=True)}
            )
    return found


def test_closing_and_net_flows_agree_with_hledger_on_the_export(sample_books: BooksFixture, tmp_path: Path) -> None:
    hledger = require_tool("hledger")
    journal = tmp_path / "books.journal"
    result = sample_books.run("export", "--format", "hledger", "--as-of", "2026-11-30", "--out", str(journal))
    assert result.exit_code == 0, result.output
    data = json.loads(
        sample_books.run(
            "report", "--from", "2026-05-01", "--to", "2026-11-30", "--by-customer", "--format", "json"
        ).stdout
    )
    historical = _hledger(hledger, journal, "-H")
    changes = _hledger(hledger, journal)
    compared = 0
    for period in data["periods"]:
        month = period["start"][:7]
        for row in period["customers"]:
            net = (
                Decimal(row["invoiced"])
                + Decimal(row["refunded"])
                - Decimal(row["credited"])
                - Decimal(row["collected"])
                - Decimal(row["written_off"])
            )
            assert historical[(row["id"], month)] == Decimal(row["closing"]), (row["id"], month)
            assert changes[(row["id"], month)] == net, (row["id"], month)
            compared += 1
    assert compared > 40
