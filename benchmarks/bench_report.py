"""The benchmark's verdicts and its Markdown: rows, ratios (from medians and from minimums of
the same interleaved run), the issue's targets as met / NOT met, the checks and the load."""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bench_measure import Row, load_range, ratio

PAST_LABEL = "aging warm, past month-end"


@dataclass
class Target:
    target: str
    size: str
    value: str  # from medians
    by_min: str  # the same from minimums
    status: str  # met / NOT met / not measured: why
    note: str = ""

    def as_dict(self) -> dict:
        return dict(self.__dict__)


Finder = Callable[[str, str], Row | None]


def _verdict(label: str, size: str, med: float | None, low: float | None, need: float, fmt: str, op: str) -> Target:
    cmp = operator.ge if op == ">=" else operator.le
    if med is None:
        return Target(label, size, "—", "—", "not measured: a run failed or was skipped")
    met = cmp(med, need)
    by_min = "—" if low is None else fmt.format(low)
    note = ""
    if low is not None and cmp(low, need) != met:
        note = f"minimums disagree: {by_min} would be {'met' if not met else 'NOT met'}"
    return Target(label, size, fmt.format(med), by_min, "met" if met else "NOT met", note)


def ratio_target(label: str, size: str, slow: Row | None, fast: Row | None, op: str, need: float) -> Target:
    """slow/fast against ``need``; ``>=`` for "ledgerctl ≥ N× faster", ``<=`` for "at most N× slower"."""
    if slow is None or fast is None or not (slow.runs and fast.runs):
        missing = " and ".join(r.command for r in (slow, fast) if r is not None and r.skipped) or "not run"
        return Target(label, size, "—", "—", f"not measured: {missing}")
    return _verdict(label, size, ratio(slow, fast), ratio(slow, fast, "min"), need, "{:.2f}x", op)


def seconds_target(label: str, size: str, row: Row | None, need: float) -> Target:
    if row is None or not row.runs:
        return Target(label, size, "—", "—", "not measured: not run")
    return _verdict(label, size, row.median, row.min, need, "{:.3f} s", "<=")


def targets(find: Finder, sizes: Sequence[str]) -> list[Target]:
    """The issue's goals, for every size measured (they are stated for 100k; 1m adds memory)."""
    out = [
        ratio_target(
            "`ledgerctl --help` ≤ 1.5x `python -c 'import typer'`",
            "any",
            find("ledgerctl --help", "any"),
            find("python -c 'import typer'", "any"),
            "<=",
            1.5,
        ),
        seconds_target("`add` incl. commit ≤ 0.25 s", "sample", find("add invoice + commit", "sample"), 0.25),
    ]
    for size in sizes:
        for ours, peer_suffix in (("aging warm", ""), (PAST_LABEL, " -e 2026-11-01")):
            for tool, need in (("hledger", 20), ("ledger", 5)):
                label = f"{ours} ≥ {need}x {tool}"
                out.append(
                    ratio_target(label, size, find(f"{tool} bal{peer_suffix}", size), find(ours, size), ">=", need)
                )
        for tool, need in (("hledger", 2), ("ledger", 1)):
            label = f"aging cold ≥ {need}x {tool}"
            out.append(ratio_target(label, size, find(f"{tool} bal", size), find("aging cold", size), ">=", need))
        out.append(
            ratio_target(
                "aging after one edit ≤ 1.10x warm",
                size,
                find("aging after 1 edit", size),
                find("aging warm, unchanged", size),
                "<=",
                1.10,
            )
        )
        out.append(
            ratio_target(
                "12-period report ≤ 2x one warm aging",
                size,
                find("report, 12 monthly periods", size),
                find("aging warm, beside the report", size),
                "<=",
                2.0,
            )
        )
        out.append(seconds_target("`add` incl. commit ≤ 0.25 s", size, find("add invoice + commit", size), 0.25))
    if "1m" in sizes:
        rows = [find(c, "1m") for c in ("aging warm", PAST_LABEL)]
        peaks = [r.peak_mb for r in rows if r is not None and r.peak_mb is not None]
        label = "peak memory of warm aging ≤ 300 MB"
        if peaks and len(peaks) == len(rows):
            met = max(peaks) <= 300 and all(r is not None and r.ok for r in rows)
            out.append(Target(label, "1m", f"{max(peaks):.0f} MB", "", "met" if met else "NOT met"))
        else:
            out.append(Target(label, "1m", "—", "—", "not measured"))
    return out


def _cell(value: float | None, fmt: str = "{:.3f}") -> str:
    return "—" if value is None else fmt.format(value)


def rows_table(rows: Sequence[Row]) -> list[str]:
    lines = [
        "| size | group | command | median s | min s | max s | peak MB | runs | load avg | status |",
        "|---|---|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in rows:
        loads = load_range(r.runs)
        load = f"{loads[0]:.2f}–{loads[1]:.2f}" if loads else "—"
        cells = [r.size, r.group, r.command, _cell(r.median), _cell(r.min), _cell(r.max)]
        cells += [_cell(r.peak_mb, "{:.0f}"), str(len(r.runs)), load, r.status()]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def ratios_table(find: Finder, sizes: Sequence[str]) -> list[str]:
    lines = [
        "Ratios within one interleaved group (peer / ledgerctl: > 1 means ledgerctl is faster), "
        "from medians and from minimums:",
        "",
        "| size | ledgerctl | peer | ledgerctl median s | peer median s | ratio (medians) | ratio (minimums) |",
        "|---|---|---|---:|---:|---:|---:|",
    ]
    pairs = [
        ("aging warm", "hledger bal"),
        ("aging warm", "ledger bal"),
        (PAST_LABEL, "hledger bal -e 2026-11-01"),
        (PAST_LABEL, "ledger bal -e 2026-11-01"),
        ("aging cold", "hledger bal"),
        ("aging cold", "ledger bal"),
    ]
    for size in sizes:
        for ours_label, peer_label in pairs:
            ours, peer = find(ours_label, size), find(peer_label, size)
            if ours is None or peer is None:
                continue
            peer_med = _cell(peer.median) if not peer.skipped else "skipped"
            cells = [size, ours_label, peer_label, _cell(ours.median), peer_med]
            cells += [_cell(ratio(peer, ours), "{:.2f}x"), _cell(ratio(peer, ours, "min"), "{:.2f}x")]
            lines.append("| " + " | ".join(cells) + " |")
    return lines


def markdown(
    rows: Sequence[Row], find: Finder, sizes: Sequence[str], goals: Sequence[Target], checks: list[dict]
) -> str:
    all_runs = [run for r in rows for run in r.runs]
    loads = load_range(all_runs)
    lines = []
    if loads:
        lines += [f"1-minute load average during the timed runs: {loads[0]:.2f}–{loads[1]:.2f}", ""]
    lines += rows_table(rows)
    lines += ["", *ratios_table(find, sizes)]
    lines += [
        "",
        "Targets (status from medians; the minimums' verdict is noted where it differs):",
        "",
        "| target | size | measured (medians) | from minimums | status | note |",
        "|---|---|---|---|---|---|",
    ]
    lines += [f"| {t.target} | {t.size} | {t.value} | {t.by_min} | {t.status} | {t.note} |" for t in goals]
    if checks:
        lines += ["", "Checks of the answers:", ""]
        lines += [f"- [{c['size']}] {c['check']}: {'ok' if c['ok'] else 'FAILED'} ({c['detail']})" for c in checks]
    notes = [f"- {r.command} [{r.size}]: {r.note}" for r in rows if r.note]
    failures = [f"- {r.command} [{r.size}] exit {x.exit_code}: {x.error}" for r in rows for x in r.failed_runs]
    if notes:
        lines += ["", "Notes:", "", *notes]
    if failures:
        lines += ["", "Failures:", "", *dict.fromkeys(failures)]
    return "\n".join(lines)
