"""The benchmark runner (benchmarks/run.py): its order of runs, its statistics and verdicts on
fake timings, the totals it checks answers against, and one tiny end-to-end run. No timing is
asserted anywhere: only which runs were made, in which order, and what was concluded from them."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from tests.tools import require_tool

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCH))

import bench_data as data  # noqa: E402
import bench_report as report  # noqa: E402
from bench_measure import Arm, Row, Run, interleave, ratio, schedule  # noqa: E402


def _row(
    command: str, seconds: list[float], size: str = "100k", codes: list[int] | None = None, load: float = 0.5
) -> Row:
    codes = codes or [0] * len(seconds)
    runs = [Run(s, 40.0 + i, c, load1=load + i / 10) for i, (s, c) in enumerate(zip(seconds, codes, strict=True))]
    return Row(command, size, command, group="g", runs=runs)


def _finder(rows: list[Row]) -> report.Finder:
    return lambda command, size: next((r for r in rows if r.command == command and r.size == size), None)


def test_schedule_is_round_robin() -> None:
    assert schedule(3, 2) == [(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2)]
    assert schedule(1, 3) == [(0, 0), (1, 0), (2, 0)]


def test_interleave_runs_before_and_after_around_each_timed_run_in_turn() -> None:
    events: list[str] = []
    arms = [
        Arm(
            Row("a", "s", "a"), ["a"], before=lambda: events.append("before a"), after=lambda: events.append("after a")
        ),
        Arm(Row("b", "s", "b"), ["b"]),
    ]

    def run_one(arm: Arm) -> Run:
        events.append(f"run {arm.row.command}")
        return Run(1.0, 1.0, 0)

    logged: list[str] = []
    interleave(arms, 2, run_one, lambda arm, run: logged.append(arm.row.command))
    assert events == ["before a", "run a", "after a", "run b"] * 2
    assert logged == ["a", "b", "a", "b"]
    assert [len(a.row.runs) for a in arms] == [2, 2]


def test_interleave_restores_even_when_the_run_raises() -> None:
    restored: list[bool] = []
    arm = Arm(Row("a", "s", "a"), ["a"], after=lambda: restored.append(True))

    def boom(arm: Arm) -> Run:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        interleave([arm], 1, boom)
    assert restored == [True]


def test_statistics_and_a_failed_run() -> None:
    row = _row("aging warm", [0.5, 0.3, 0.4, 0.9])
    assert (row.min, row.median, row.max) == (0.3, 0.45, 0.9)
    assert row.peak_mb == 43.0 and row.ok and row.status() == "ok"
    failed = _row("aging warm", [0.5, 0.1], codes=[0, 2])
    # a failed run must never pass for a fast one: every statistic is unknown
    assert (failed.min, failed.median, failed.max) == (None, None, None)
    assert failed.status() == "FAILED 1/2 (exit 2)" and not failed.ok
    allowed = _row("check warm", [0.5, 0.7], codes=[0, 1])
    allowed.ok_codes = (0, 1)
    assert allowed.median == 0.6 and allowed.status() == "ok (exit 0, 1)"


def test_ratios_from_medians_and_from_minimums() -> None:
    hledger = _row("hledger bal", [4.0, 5.0, 6.0])
    ours = _row("aging warm", [0.2, 0.25, 1.0])
    assert ratio(hledger, ours) == pytest.approx(20.0)
    assert ratio(hledger, ours, "min") == pytest.approx(20.0)
    assert ratio(None, ours) is None
    assert ratio(hledger, _row("aging warm", [0.1], codes=[1])) is None


def test_targets_from_medians_with_the_minimums_noted_when_they_disagree() -> None:
    rows = [
        _row("hledger bal", [4.0, 4.2, 4.4]),
        _row("ledger bal", [1.0, 1.0, 1.0]),
        _row("aging warm", [0.19, 0.22, 0.30]),  # median 4.2/0.22 = 19.1x; minimum 4.0/0.19 = 21.1x
        _row("aging cold", [1.0, 1.5, 2.0]),
        _row("aging after 1 edit", [0.21, 0.22, 0.23]),
        _row("aging warm, unchanged", [0.20, 0.21, 0.22]),
        _row("python -c 'import typer'", [0.05, 0.05], size="any"),
        _row("ledgerctl --help", [0.07, 0.07], size="any"),
    ]
    goals = {(t.target, t.size): t for t in report.targets(_finder(rows), ["100k"])}
    warm = goals[("aging warm ≥ 20x hledger", "100k")]
    assert (warm.value, warm.by_min, warm.status) == ("19.09x", "21.05x", "NOT met")
    assert "minimums disagree" in warm.note
    assert goals[("aging warm ≥ 5x ledger", "100k")].status == "NOT met"  # 1.0/0.22
    assert goals[("aging cold ≥ 2x hledger", "100k")].status == "met"  # 4.2/1.5 = 2.8
    assert goals[("aging cold ≥ 1x ledger", "100k")].status == "NOT met"
    edit = goals[("aging after one edit ≤ 1.10x warm", "100k")]
    assert edit.status == "met" and edit.value == "1.05x" and not edit.note
    assert goals[("`ledgerctl --help` ≤ 1.5x `python -c 'import typer'`", "any")].status == "met"
    assert goals[("12-period report ≤ 2x one warm aging", "100k")].status.startswith("not measured")
    assert goals[("aging warm, past month-end ≥ 20x hledger", "100k")].status.startswith("not measured")


def test_a_skipped_peer_is_not_measured_rather_than_met() -> None:
    skipped = Row("hledger bal", "100k", "hledger", skipped="hledger not installed")
    rows = [skipped, _row("aging warm", [0.2])]
    goals = {t.target: t for t in report.targets(_finder(rows), ["100k"])}
    assert goals["aging warm ≥ 20x hledger"].status == "not measured: hledger bal"


def test_memory_target_at_1m() -> None:
    rows = [_row("aging warm", [0.2], size="1m"), _row("aging warm, past month-end", [0.2], size="1m")]
    rows[1].runs[0].peak_mb = 350.0
    goal = next(t for t in report.targets(_finder(rows), ["1m"]) if t.target.startswith("peak memory"))
    assert (goal.value, goal.status) == ("350 MB", "NOT met")


def test_markdown_shows_every_row_the_load_and_the_ratios() -> None:
    rows = [_row("hledger bal", [4.0, 4.4], load=1.5), _row("aging warm", [0.2, 0.22])]
    find = _finder(rows)
    goals = report.targets(find, ["100k"])
    text = report.markdown(rows, find, ["100k"], goals, [{"size": "100k", "check": "c", "ok": False, "detail": "d"}])
    assert "1-minute load average during the timed runs: 0.50–1.60" in text
    assert "| 100k | g | hledger bal | 4.200 | 4.000 | 4.400 | 41 | 2 | 1.50–1.60 | ok |" in text
    assert "| 100k | aging warm | hledger bal | 0.210 | 4.200 | 20.00x | 20.00x |" in text
    assert "| aging warm ≥ 20x hledger | 100k | 20.00x | 20.00x | met |  |" in text
    assert "- [100k] c: FAILED (d)" in text


def test_journal_totals_by_date_and_hledger_csv(tmp_path: Path) -> None:
    journal = (
        "2026-10-31 (INV-1) A\n    assets:receivable:a  100.50 CNY\n    revenue  -100.50 CNY\n\n"
        "2026-11-01 (PAY-1) A\n    assets:receivable:a  -50.25 CNY\n    assets:bank  50.25 CNY\n\n"
        "2026-11-02 (INV-2) B\n    assets:receivable:b  7000 JPY\n    revenue  -7000 JPY\n\n"
    )
    path = tmp_path / "bench.journal"
    path.write_text(journal, encoding="utf-8")
    assert data.journal_totals(path) == {"CNY": Decimal("50.25"), "JPY": Decimal(7000)}
    assert data.journal_totals(path, before="2026-11-01") == {"CNY": Decimal("100.50")}
    csv = '"account","balance"\n"assets:receivable","1.50 CNY, 7 JPY"\n"total","1.50 CNY, 7 JPY"\n'
    assert data.hledger_csv_totals(csv) == {"CNY": Decimal("1.50"), "JPY": Decimal(7)}
    with pytest.raises(ValueError):
        data.hledger_csv_totals('"account","balance"\n')


def test_void_correction_counts_entries_voided_after_the_date(tmp_path: Path) -> None:
    (tmp_path / "ledgers").mkdir()
    (tmp_path / "ledgers" / "a.yaml").write_text(
        "customer:\n  id: a\n  currency: USD\nentries:\n"
        '  - {id: INV-1, type: invoice, date: 2026-10-01, due: 2026-10-31, amount: "10.00"}\n'
        '  - {id: PAY-1, type: payment, date: 2026-10-20, amount: "3.00", allocations: {INV-1: "3.00"}}\n'
        '  - {id: INV-2, type: invoice, date: 2026-11-02, amount: "5.00"}\n'
        "  - {id: VD-1, type: void, date: 2026-11-03, voids: PAY-1, memo: wrong}\n"  # counts: -3.00
        "  - {id: VD-2, type: void, date: 2026-11-04, voids: INV-2}\n"  # after the date too: not counted
        "  - {id: VD-3, type: void, date: 2026-10-25, voids: INV-1}\n",  # before it: the journal agrees
        encoding="utf-8",
    )
    assert data.void_correction(tmp_path, "2026-10-31") == {"USD": Decimal("-3.00")}


def test_add_target_avoids_a_credit_limit(tmp_path: Path) -> None:
    (tmp_path / "ledgers").mkdir()
    for name, extra in (("a", '  credit_limit: "10.00"\n'), ("b", ""), ("c", "")):
        (tmp_path / "ledgers" / f"{name}.yaml").write_text(
            f"customer:\n  id: {name}\n  currency: {'JPY' if name == 'c' else 'CNY'}\n{extra}entries:\n",
            encoding="utf-8",
        )
    assert data.add_target(tmp_path) == ("b", "100.00")


@pytest.mark.slow
def test_a_tiny_run_end_to_end(tmp_path: Path) -> None:
    """Every group runs, interleaved, and every check of the answers passes (figures not asserted)."""
    require_tool("hledger")
    require_tool("ledger")
    out = tmp_path / "bench.json"
    argv = [sys.executable, str(BENCH / "run.py"), "--sizes", "12x20", "--repeat", "2", "--import-lines", "100"]
    done = subprocess.run(
        [*argv, "--workdir", str(tmp_path / "work"), "--json", str(out)], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    result = json.loads(out.read_text())
    rows = {(r["size"], r["command"]): r for r in result["rows"]}
    for command in (
        "aging warm",
        "aging warm, past month-end",
        "aging cold",
        "hledger bal",
        "ledger bal -e 2026-11-01",
        "aging after 1 edit",
        "report, 12 monthly periods",
        "segment",
        "followups",
        "check cold",
        "add invoice + commit",
        "import bank, 100 lines",
    ):
        assert rows[("12x20", command)]["ok"] and len(rows[("12x20", command)]["runs"]) == 2, command
    assert rows[("sample", "add invoice + commit")]["ok"] and rows[("any", "ledgerctl --help")]["ok"]
    checks = [c["check"] for c in result["checks"]]
    assert any("hledger bal -e 2026-11-01" in c for c in checks) and all(c["ok"] for c in result["checks"])
    aging = [r["command"] for r in result["runs"] if r["size"] == "12x20" and r["group"] == "aging"]
    assert aging[:7] == aging[7:] and len(set(aging)) == 7  # round-robin: the same order each round
    assert all(r["started"] and "load1" in r for r in result["runs"])
    assert "Targets" in done.stdout and "1-minute load average" in done.stdout


def test_clear_cache_leaves_only_the_lock_and_the_staged_record(tmp_path: Path) -> None:
    state = tmp_path / ".ledgerctl"
    (state / "cache" / "v1").mkdir(parents=True)
    for name in ("lock", "pending.json", "committed-blobs", "statindex"):
        (state / name).write_text("x", encoding="utf-8")
    data.clear_cache(tmp_path)
    assert sorted(p.name for p in state.iterdir()) == ["lock", "pending.json"]
    data.clear_cache(tmp_path / "elsewhere")  # no .ledgerctl/ at all: nothing to do
