"""statement --all: a file per customer with a balance or activity (HTML, CSV, PDF), letterhead, 回执, voids, usage."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from pathlib import Path

import pytest
from tests.tools import require_tool

PERIOD = ("--from", "2026-10-01", "--to", "2026-10-31")
COMPANY = """company:
  name: 华兴贸易有限公司
  address: 上海市浦东新区世纪大道 100 号
  tax_id: 91310000MA1FL0XX7Q
  bank: {bank: 中国工商银行上海世纪大道支行, account: 1001 2345 6789 0123 456}
  contact: {person: 李会计, phone: +86 21 5555 0199, email: ar@huaxing.example}
"""


def customers_due_a_statement(books, *period: str, show_voids: bool = False) -> set[str]:  # type: ignore[no-untyped-def]
    """Asked of the single statement, one customer at a time: a balance at either end, or a line in between."""
    listed = json.loads(books.run("customer", "list", "--format", "json").stdout)
    due = set()
    for row in listed["customers"]:
        args = ["statement", row["id"], *period, "--format", "json"] + (["--show-voids"] if show_voids else [])
        data = json.loads(books.run(*args).stdout)
        if data["lines"] or float(data["opening_balance"]) or float(data["closing_balance"]):
            due.add(row["id"])
    return due


def statement_all(books, out: Path, *args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return books.run("statement", "--all", "--out", str(out), *args, env=env)


def with_quiet_customer(books):  # type: ignore[no-untyped-def]
    assert books.run("customer", "add", "quiet-co", "--name", "Quiet Co", "--currency", "CNY").exit_code == 0
    return books


@pytest.mark.parametrize("fmt", ["html", "csv"])
def test_one_file_per_customer_with_a_balance_or_activity(sample_books, tmp_path: Path, fmt: str) -> None:  # type: ignore[no-untyped-def]
    with_quiet_customer(sample_books)
    out = tmp_path / "out"
    result = statement_all(sample_books, out, *PERIOD, "--format", fmt)
    assert result.exit_code == 0, result.output
    written = {path.name for path in out.iterdir()}
    expected = customers_due_a_statement(sample_books, *PERIOD)
    assert written == {f"{c}-2026-10-01-2026-10-31.{fmt}" for c in expected}
    assert "quiet-co" not in "".join(written) and len(expected) >= 5
    assert result.stdout.splitlines() == sorted(str(out / name) for name in written)
    hx = (out / f"hx-machinery-2026-10-01-2026-10-31.{fmt}").read_text(encoding="utf-8")
    single = sample_books.run("statement", "hx-machinery", *PERIOD, "--format", fmt).stdout
    assert hx == single  # the same statement as one customer's, byte for byte
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(hx)))
        assert rows[-1][2] == "closing" and rows[-1][7] == "97300.00"


def test_worker_processes_give_the_same_files(sample_books, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    assert statement_all(sample_books, serial, *PERIOD).exit_code == 0
    result = statement_all(sample_books, parallel, *PERIOD, env={"LEDGERCTL_WORKERS": "2"})
    assert result.exit_code == 0, result.output
    assert {p.name: p.read_bytes() for p in serial.iterdir()} == {p.name: p.read_bytes() for p in parallel.iterdir()}


def test_a_customer_with_only_an_older_balance_gets_one_and_tag_selects(sample_books, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    quiet_period = ("--from", "2026-11-24", "--to", "2026-11-30")  # no entry after "today": balances only
    out = tmp_path / "out"
    assert statement_all(sample_books, out, *quiet_period).exit_code == 0
    assert {p.name.split("-2026")[0] for p in out.iterdir()} == customers_due_a_statement(sample_books, *quiet_period)
    listed = json.loads(sample_books.run("customer", "list", "--format", "json").stdout)["customers"]
    tag = next(t for row in listed for t in row.get("tags", []))
    tagged = tmp_path / "tagged"
    assert statement_all(sample_books, tagged, *PERIOD, "--tag", tag).exit_code == 0
    assert {p.name.split("-2026")[0] for p in tagged.iterdir()} == (
        {row["id"] for row in listed if tag in row.get("tags", [])} & customers_due_a_statement(sample_books, *PERIOD)
    )


def test_letterhead_comes_from_the_company_block(sample_books, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    config = sample_books.root / "ledgerctl.yaml"
    config.write_text(config.read_text(encoding="utf-8") + COMPANY, encoding="utf-8")
    assert sample_books.run("check").exit_code == 0
    html = sample_books.run("statement", "hx-machinery", *PERIOD, "--format", "html").stdout
    for text in (
        "华兴贸易有限公司",
        "上海市浦东新区世纪大道 100 号",
        "91310000MA1FL0XX7Q",
        "1001 2345 6789 0123 456",
        "中国工商银行上海世纪大道支行",
        "李会计",
        "回执",
        "致 To: 华兴贸易有限公司",
    ):
        assert text in html, text


def test_without_a_company_block_the_books_name_heads_the_statement(sample_books) -> None:  # type: ignore[no-untyped-def]
    html = sample_books.run("statement", "hx-machinery", *PERIOD, "--format", "html").stdout
    assert "华兴贸易 receivables" in html and "回执" in html and "Tax id" not in html


def test_a_bad_company_block_is_refused_with_its_field(sample_books) -> None:  # type: ignore[no-untyped-def]
    config = sample_books.root / "ledgerctl.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "company: {address: somewhere}\n", encoding="utf-8")
    result = sample_books.run("statement", "hx-machinery", *PERIOD)
    assert result.exit_code == 2 and "company" in result.stderr and "Traceback" not in result.output


VOIDED = ("--from", "2026-06-01", "--to", "2026-06-30")  # gz-yuehai: PAY-20260602-2W1D and its void VD-20260603-3ASP


def test_a_voided_pair_is_left_out_unless_show_voids(sample_books, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    hidden = json.loads(sample_books.run("statement", "gz-yuehai", *VOIDED, "--format", "json").stdout)
    shown = json.loads(sample_books.run("statement", "gz-yuehai", *VOIDED, "--format", "json", "--show-voids").stdout)
    ids = {line["id"] for line in hidden["lines"]}
    assert "PAY-20260602-2W1D" not in ids and "VD-20260603-3ASP" not in ids and "PAY-20260602-PR3X" in ids
    assert {"PAY-20260602-2W1D", "VD-20260603-3ASP"} <= {line["id"] for line in shown["lines"]}
    assert (
        hidden["closing_balance"] == shown["closing_balance"] and hidden["opening_balance"] == shown["opening_balance"]
    )
    out, out_voids = tmp_path / "a", tmp_path / "b"
    assert statement_all(sample_books, out, *VOIDED).exit_code == 0
    assert statement_all(sample_books, out_voids, *VOIDED, "--show-voids").exit_code == 0
    name = "gz-yuehai-2026-06-01-2026-06-30.html"
    assert "VD-20260603-3ASP" not in (out / name).read_text(encoding="utf-8")
    assert "VD-20260603-3ASP" in (out_voids / name).read_text(encoding="utf-8")


def test_a_void_of_an_entry_from_before_the_period_is_shown(sample_books) -> None:  # type: ignore[no-untyped-def]
    # The opening balance the customer agreed included the payment; its void is this period's movement.
    data = json.loads(
        sample_books.run(
            "statement", "gz-yuehai", "--from", "2026-06-03", "--to", "2026-06-30", "--format", "json"
        ).stdout
    )
    assert [line["voids"] for line in data["lines"] if line["type"] == "void"] == ["PAY-20260602-2W1D"]


def test_a_customer_whose_only_movement_is_a_voided_pair_gets_no_statement(books, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert books.run("add", "invoice", "acme", "100", "--date", "2026-10-05", "--id", "INV-X").exit_code == 0
    assert books.run("void", "INV-X", "--date", "2026-10-06", "--reason", "twice").exit_code == 0
    out = tmp_path / "out"
    result = statement_all(books, out, *PERIOD)
    assert result.exit_code == 0 and "no statement" in result.stderr and not out.exists()
    assert statement_all(books, out, *PERIOD, "--show-voids").exit_code == 0
    assert [p.name for p in out.iterdir()] == ["acme-2026-10-01-2026-10-31.html"]


def test_pdf_one_file_per_customer_with_its_text(sample_books, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    require_tool("chromium")
    pdftotext, pdfinfo = require_tool("pdftotext"), require_tool("pdfinfo")
    config = sample_books.root / "ledgerctl.yaml"
    config.write_text(config.read_text(encoding="utf-8") + COMPANY, encoding="utf-8")
    out = tmp_path / "pdf"
    result = statement_all(sample_books, out, *PERIOD, "--format", "pdf")
    assert result.exit_code == 0, result.output
    expected = customers_due_a_statement(sample_books, *PERIOD)
    assert {p.name for p in out.iterdir()} == {f"{c}-2026-10-01-2026-10-31.pdf" for c in expected}
    for path in out.iterdir():
        assert path.read_bytes().startswith(b"%PDF-")
    hx = out / "hx-machinery-2026-10-01-2026-10-31.pdf"
    info = subprocess.run([pdfinfo, str(hx)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert 1 <= pages <= 2, info  # A4: entries, open items and aging, then the slip (kept whole)
    text = subprocess.run([pdftotext, "-layout", str(hx), "-"], capture_output=True, text=True, check=True).stdout
    for words in ("华兴机械有限公司", "97,300.00", "回执", "华兴贸易有限公司", "91310000MA1FL0XX7Q", "对账单"):
        assert words in text, words  # CJK is text in the PDF, not tofu: the fonts are embedded


def test_single_statement_as_pdf(sample_books, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    require_tool("chromium")
    target = tmp_path / "hx.pdf"
    result = sample_books.run("statement", "hx-machinery", *PERIOD, "--format", "pdf", "--out", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"%PDF-")


def test_pdf_without_chromium_is_exit_3_and_writes_nothing(sample_books, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "pdf"
    result = statement_all(sample_books, out, *PERIOD, "--format", "pdf", env={"PATH": str(tmp_path / "nothing")})
    assert result.exit_code == 3, result.output
    assert "Chromium" in result.stderr and "apt install chromium" in result.stderr and not out.exists()
    missing = sample_books.run(
        "statement",
        "hx-machinery",
        *PERIOD,
        "--format",
        "pdf",
        "-o",
        str(tmp_path / "x.pdf"),
        env={"LEDGERCTL_CHROMIUM": str(tmp_path / "no-such-browser")},
    )
    assert missing.exit_code == 3 and "LEDGERCTL_CHROMIUM" in missing.stderr and not (tmp_path / "x.pdf").exists()
    not_a_browser = tmp_path / "not-a-browser"
    not_a_browser.write_text("#!/bin/sh\nexit 1\n")
    not_a_browser.chmod(0o755)
    broken = statement_all(
        sample_books, out, *PERIOD, "--format", "pdf", env={"LEDGERCTL_CHROMIUM": str(not_a_browser)}
    )
    assert broken.exit_code == 3 and "did not start" in broken.stderr and "Traceback" not in broken.output
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["statement", "--all", "hx-machinery", "--out", "{out}"], "leave out the customer id"),
        (["statement", "--all"], "--all needs --out"),
        (["statement", "--all", "--out", "{file}"], "not a folder"),
        (["statement", "--all", "--out", "{out}", "--format", "text"], "one file per customer"),
        (["statement", "--all", "--out", "{out}", "--format", "json"], "one file per customer"),
        (["statement"], "give a CUSTOMER, or --all"),
        (["statement", "hx-machinery", "--tag", "vip"], "--tag and --segment choose customers for --all"),
        (["statement", "hx-machinery", "--out", "{folder}"], "is a folder"),
        (["statement", "--all", "--out", "{file}/below"], "cannot write there"),
        (["statement", "hx-machinery", "--format", "html", "--out", "{file}/below.html"], "cannot write there"),
        (["statement", "hx-machinery", "--out", "{file}/below.txt"], "cannot write there"),
        (["statement", "--all", "--out", "{out}", "--tag", "no-such-tag"], "no-such-tag"),
        (["statement", "--all", "--out", "{out}", "--segment", "bogus"], "segment"),
    ],
)
def test_bad_usage_is_exit_2_and_writes_nothing(sample_books, tmp_path: Path, args: list[str], words: str) -> None:  # type: ignore[no-untyped-def]
    places = {"out": tmp_path / "out", "file": tmp_path / "a-file", "folder": tmp_path / "folder"}
    places["file"].write_text("x")
    places["folder"].mkdir()
    before = sample_books.snapshot()
    result = sample_books.run(*[arg.format(**places) for arg in args], *PERIOD)
    assert result.exit_code == 2, result.output
    assert words in result.output and "Traceback" not in result.output
    assert not places["out"].exists() and places["file"].read_text() == "x" and not list(places["folder"].iterdir())
    assert sample_books.snapshot() == before


def test_printing_pdfs_reports_progress_per_file(sample_books, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from contextlib import contextmanager

    from ledgerctl import progress

    require_tool("chromium")
    calls: list[tuple[str, int, int]] = []

    @contextmanager
    def reporter(total: int, what: str):  # type: ignore[no-untyped-def]
        calls.append((what, total, 0))
        yield lambda n: calls.append((what, total, n))

    progress.report_with(reporter)
    try:
        result = statement_all(sample_books, tmp_path / "pdf", *PERIOD, "--format", "pdf", "--tag", "vip")
    finally:
        progress.report_with(None)
    assert result.exit_code == 0, result.output
    printed = [call for call in calls if call[0] == "printing PDFs"]
    files = len(list((tmp_path / "pdf").iterdir()))
    assert files >= 2 and printed[0] == ("printing PDFs", files, 0) and sum(n for _, _, n in printed[1:]) == files
