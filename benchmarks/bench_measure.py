"""Timing processes for the benchmark: one process, its rows, and round-robin scheduling.

Every timed process is a fresh process: wall time is ``time.perf_counter`` around it, peak
memory its own ``ru_maxrss`` from ``os.wait4`` (not the cumulative maximum of all children).
Each run also records when it started and the 1-minute load average then, so a noisy
stretch of a run can be seen in the raw list.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass
class Run:
    seconds: float
    peak_mb: float
    exit_code: int
    stdout_sha256: str = ""
    error: str = ""
    started: str = ""  # ISO time the process was started
    load1: float = 0.0  # 1-minute load average just before it started


def measure(
    argv: Sequence[str], env: dict[str, str], cwd: Path | None = None, timeout: float | None = None
) -> tuple[Run, bytes]:
    """Run one process; wall time around it and its own peak RSS. Returns the run and its stdout."""
    load1 = os.getloadavg()[0]
    started_at = dt.datetime.now().isoformat(timespec="milliseconds")
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        try:
            proc = subprocess.Popen(argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env, cwd=cwd)
        except OSError as exc:
            return Run(0.0, 0.0, 127, error=str(exc), started=started_at, load1=round(load1, 2)), b""
        timer = None
        if timeout:
            timer = threading.Timer(timeout, proc.kill)
            timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
        if timer:
            timer.cancel()
        code = os.waitstatus_to_exitcode(status)
        proc.returncode = code  # reaped here; keep Popen from waiting again
        out.seek(0)
        stdout = out.read()
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    peak_kb = usage.ru_maxrss  # kilobytes on Linux
    if sys.platform == "darwin":
        peak_kb /= 1024  # bytes on macOS
    error = ""
    if code != 0:
        error = (stderr.strip() or stdout.decode("utf-8", "replace").strip())[-600:]
        if code < 0:
            killed = f"killed by signal {-code}" + (" (timeout)" if timeout and elapsed >= timeout else "")
            error = killed + (f": {error}" if error else "")
    run = Run(
        round(elapsed, 4),
        round(peak_kb / 1024, 1),
        code,
        hashlib.sha256(stdout).hexdigest(),
        error,
        started_at,
        round(load1, 2),
    )
    return run, stdout


@dataclass
class Row:
    """One measured command at one size; its runs in the order they were made."""

    command: str  # a short label, e.g. "aging warm"; unique within a size
    size: str
    argv: str
    group: str = ""  # the comparison group whose arms were interleaved with this one
    runs: list[Run] = field(default_factory=list)
    ok_codes: tuple[int, ...] = (0,)
    skipped: str = ""
    note: str = ""

    @property
    def failed_runs(self) -> list[Run]:
        return [r for r in self.runs if r.exit_code not in self.ok_codes]

    @property
    def ok(self) -> bool:
        return bool(self.runs) and not self.failed_runs and not self.skipped

    def _times(self) -> list[float]:
        # One failed run makes every statistic unknown: a failure must not pass for a fast run.
        if not self.runs or self.failed_runs:
            return []
        return [r.seconds for r in self.runs]

    @property
    def median(self) -> float | None:
        times = self._times()
        return statistics.median(times) if times else None

    @property
    def min(self) -> float | None:
        times = self._times()
        return min(times) if times else None

    @property
    def max(self) -> float | None:
        times = self._times()
        return max(times) if times else None

    @property
    def peak_mb(self) -> float | None:
        return max((r.peak_mb for r in self.runs), default=None)

    def stat(self, name: str) -> float | None:
        return {"median": self.median, "min": self.min, "max": self.max}[name]

    def status(self) -> str:
        if self.skipped:
            return f"skipped: {self.skipped}"
        if not self.runs:
            return "not run"
        failed = self.failed_runs
        if failed:
            codes = sorted({r.exit_code for r in failed})
            return f"FAILED {len(failed)}/{len(self.runs)} (exit {', '.join(map(str, codes))})"
        codes = sorted({r.exit_code for r in self.runs})
        return "ok" + (f" (exit {', '.join(map(str, codes))})" if codes != [0] else "")

    def as_dict(self) -> dict:
        return {
            "command": self.command,
            "size": self.size,
            "group": self.group,
            "argv": self.argv,
            "ok": self.ok,
            "status": self.status(),
            "median_s": self.median,
            "min_s": self.min,
            "max_s": self.max,
            "peak_mb": self.peak_mb,
            "note": self.note,
            "runs": [asdict(r) for r in self.runs],
        }


def ratio(slow: Row | None, fast: Row | None, stat: str = "median") -> float | None:
    """slow's statistic / fast's (e.g. hledger's median / ledgerctl's: > 1 means ledgerctl is faster)."""
    if slow is None or fast is None:
        return None
    a, b = slow.stat(stat), fast.stat(stat)
    if a is None or not b:
        return None
    return a / b


@dataclass
class Arm:
    """One command of a comparison group. ``before``/``after`` run untimed around each timed run
    (clearing the cache, appending a line, restoring the books)."""

    row: Row
    argv: list[str]
    cwd: Path | None = None
    before: Callable[[], None] | None = None
    after: Callable[[], None] | None = None


def schedule(arms: int, rounds: int) -> list[tuple[int, int]]:
    """Round-robin order as (round, arm index): A, B, C, A, B, C… so every arm sees the same noise."""
    return [(r, a) for r in range(rounds) for a in range(arms)]


def interleave(
    arms: Sequence[Arm], rounds: int, run_one: Callable[[Arm], Run], log: Callable[[Arm, Run], None] | None = None
) -> None:
    """Time every arm ``rounds`` times, interleaved; an arm whose ``before`` fails is not timed that round."""
    for _, index in schedule(len(arms), rounds):
        arm = arms[index]
        if arm.before:
            arm.before()
        try:
            run = run_one(arm)
        finally:
            if arm.after:
                arm.after()
        arm.row.runs.append(run)
        if log:
            log(arm, run)


def load_range(runs: Iterable[Run]) -> tuple[float, float] | None:
    loads = [r.load1 for r in runs]
    return (min(loads), max(loads)) if loads else None
