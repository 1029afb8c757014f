#!/usr/bin/env python3
"""The performance benchmark: ledgerctl against hledger and ledger-cli on the same data.

    python benchmarks/run.py [--sizes small,100k,1m] [--repeat 5] [--workdir DIR] [--json OUT]

For each size the data is generated once (``benchmarks/generate.py``; cached in the workdir,
regenerated when the generator or its arguments change). Every command is a fresh process.
Commands that are compared are timed in one group, round-robin (A, B, C, A, B, C… for
``--repeat`` rounds), so they all see the same noise; each row reports the minimum, median
and maximum wall time and the peak RSS, and every ratio is taken between rows of one group,
from medians and from minimums. The groups (bench_cases.py):

* start-up: ``python -c "import typer"`` (ledgerctl's own interpreter) and ``ledgerctl --help``;
* aging: ``aging`` warm as of the day after the last entry and as of a past month-end, cold
  (no ``.ledgerctl/cache``), ``hledger bal`` and ``ledger bal`` (also with ``-e``);
* one-file edit: aging after one line is appended to one ledger, and aging on unchanged books;
* reports: the 12-period ``report``, a warm aging, ``segment`` and ``followups``;
* balance and check, cold and warm; ``add invoice`` with its commit beside a bare ``git
  commit`` (on the sample books too); ``import bank`` of a 10,000-line statement.

The answers are checked while timed: cold and warm outputs identical, balance totals equal
the journal's, the past month-end aging totals equal hledger's. Then Markdown: the rows, the
ratios, the issue's targets as met / NOT met, the checks and the load average range. With
``--json`` the raw runs (each with its start time and load average, in run order) are saved.
A command that fails is reported as failed, never dropped.

Sizes: ``small`` = 100 customers x 50 entries, ``100k`` = 1,000 x 100, ``1m`` = 10,000 x 100,
or ``NxM`` for N customers x M entries each.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import bench_data as data
import bench_report as report
from bench_cases import Bench

HERE = Path(__file__).resolve().parent


def tool_version(argv: list[str]) -> str:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=30)
        return (done.stdout or done.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return "not installed"


def source_state() -> dict[str, str]:
    """Which ledgerctl source was measured: the commit, whether src/ had uncommitted edits, a digest of src/."""
    repo, src = HERE.parent, HERE.parent / "src"
    digest = hashlib.sha256()
    for path in sorted(src.rglob("*.py")) if src.is_dir() else []:
        digest.update(path.relative_to(src).as_posix().encode() + b"\0" + path.read_bytes())
    try:
        git = ["git", "-C", str(repo)]
        head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run([*git, "status", "--porcelain", "--", "src"], capture_output=True, text=True).stdout
    except OSError:
        head, dirty = "", ""
    return {
        "commit": head or "unknown",
        "src_uncommitted": "yes" if dirty.strip() else "no",
        "src_digest": digest.hexdigest()[:16],
    }


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--sizes", default="100k,1m", help="comma-separated: small, 100k, 1m or NxM (default 100k,1m)")
    parser.add_argument("--repeat", type=int, default=5, help="rounds of each group (min, median, max reported)")
    parser.add_argument("--workdir", default="/tmp/ledgerctl-bench", help="where generated data is cached")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--import-lines", type=int, default=10_000, help="lines of the bank statement imported")
    parser.add_argument("--json", dest="json_out", help="also save the raw results to this file")
    parser.add_argument("--ledgerctl", help="the ledgerctl executable (default: the one beside this python)")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds before one run is killed")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    args.size_list = [s.strip() for s in args.sizes.split(",") if s.strip()]
    for size in args.size_list:
        data.parse_size(size)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    bench = Bench(args)
    for tool, path in bench.tools.items():
        if not path:
            print(f"{tool} not installed: apt-get install {tool} (its rows are skipped)", flush=True)
    started = time.perf_counter()
    source_before, load_before = source_state(), os.getloadavg()
    bench.warm_up()
    bench.run_startup()
    bench.run_sample_add()
    for size in args.size_list:
        bench.run_size(size)
    source_after, load_after = source_state(), os.getloadavg()
    goals = report.targets(bench.find, args.size_list)
    machine = {
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "ledgerctl": bench.ledgerctl,
        "interpreter": bench.python,
        "ledgerctl_version": tool_version([bench.ledgerctl, "--version"]),
        "hledger": tool_version(["hledger", "--version"]),
        "ledger": tool_version(["ledger", "--version"]),
        "repro": "python benchmarks/run.py " + " ".join(sys.argv[1:] if argv is None else argv),
        "source": source_after,
        "source_changed_during_run": source_before != source_after,
        "loadavg_before": [round(x, 2) for x in load_before],
        "loadavg_after": [round(x, 2) for x in load_after],
        "seconds": round(time.perf_counter() - started, 1),
    }
    table = report.markdown(bench.rows, bench.find, args.size_list, goals, bench.checks)
    print()
    print(
        f"Machine: {machine['platform']}, {machine['cpus']} CPUs, Python {machine['python']}; "
        f"{machine['hledger']}; {machine['ledger']}; total {machine['seconds']:.0f} s"
    )
    print(f"Reproduce: {machine['repro']}")
    src = machine["source"]
    print(
        f"ledgerctl source: commit {src['commit']}, uncommitted edits in src/: {src['src_uncommitted']}, "
        f"src digest {src['src_digest']}; load average before {load_before[0]:.2f}, after {load_after[0]:.2f}"
    )
    if machine["source_changed_during_run"]:
        print("WARNING: the ledgerctl source changed during the run: the rows mix versions; run again.")
    busy = max(r["load1"] for r in bench.log) if bench.log else load_before[0]
    if busy >= (os.cpu_count() or 1):
        print(f"WARNING: load average up to {busy:.2f} on {os.cpu_count()} CPUs during the run: timings are noisy.")
    print()
    print(table)
    if args.json_out:
        result = {
            "machine": machine,
            "rows": [r.as_dict() for r in bench.rows],
            "runs": bench.log,
            "targets": [t.as_dict() for t in goals],
            "checks": bench.checks,
        }
        Path(args.json_out).write_text(json.dumps(result, indent=1, ensure_ascii=False))
        print(f"\nraw results: {args.json_out}")
    failed = [r for r in bench.rows if r.failed_runs] or [c for c in bench.checks if not c["ok"]]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
