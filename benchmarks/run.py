#!/usr/bin/env python3
"""The performance benchmark of issue 4: ledgerctl against hledger and ledger-cli, same data.

    python benchmarks/run.py [--sizes small,100k,1m] [--repeat 5] [--workdir DIR] [--json OUT]

For each size the data is generated once (``benchmarks/generate.py``; cached in the workdir,
regenerated when the generator or its arguments change), then every command is run as a
fresh process: wall time is the median of ``--repeat`` runs (``time.perf_counter`` around
the process), peak memory the largest ``ru_maxrss`` that ``os.wait4`` reports for that
process (its own, not the cumulative maximum of all children).

Measured: ``ledgerctl aging``, ``balance`` and ``check`` (``--format json``) cold (no
``.ledgerctl/cache``) and warm (after one priming run); aging after changing one customer
file; ``ledgerctl add invoice`` including its git commit (100k and 1m only);
``ledgerctl --help``; ``hledger bal`` and ``ledger bal`` on the same money movements.
Then a Markdown table, the hledger/ledgerctl and ledger/ledgerctl ratios, and the issue's
targets as met / NOT met. A command that fails is reported as failed, never dropped.

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
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
GENERATOR = HERE / "generate.py"
TODAY = "2026-11-23"
SIZES = {"small": (100, 50), "100k": (1_000, 100), "1m": (10_000, 100)}
ADD_SIZES_MIN_CUSTOMERS = 1_000  # `add` is measured at 100k (1k customers) and 1m (10k customers)
IDENTITY = {
    "GIT_AUTHOR_NAME": "Bench Runner",
    "GIT_AUTHOR_EMAIL": "bench@ledgerctl.example",
    "GIT_COMMITTER_NAME": "Bench Runner",
    "GIT_COMMITTER_EMAIL": "bench@ledgerctl.example",
}


# --- measuring one process ---------------------------------------------------------------


@dataclass
class Run:
    seconds: float
    peak_mb: float
    exit_code: int
    stdout_sha256: str = ""
    error: str = ""


def measure(argv: list[str], env: dict[str, str], cwd: Path | None = None, timeout: float | None = None) -> Run:
    """Run one process; wall time around it and its own peak RSS from os.wait4."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        try:
            proc = subprocess.Popen(argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env, cwd=cwd)
        except OSError as exc:
            return Run(0.0, 0.0, 127, error=str(exc))
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
            error = (
                f"killed by signal {-code}"
                + (" (timeout)" if timeout and elapsed >= timeout else "")
                + (f": {error}" if error else "")
            )
    return Run(round(elapsed, 4), round(peak_kb / 1024, 1), code, hashlib.sha256(stdout).hexdigest(), error)


@dataclass
class Row:
    command: str  # a short label, e.g. "aging warm"
    size: str
    argv: str
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

    @property
    def median(self) -> float | None:
        good = [r.seconds for r in self.runs if r.exit_code in self.ok_codes]
        return statistics.median(good) if good and not self.failed_runs else None

    @property
    def peak_mb(self) -> float | None:
        return max((r.peak_mb for r in self.runs), default=None)

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
            "argv": self.argv,
            "ok": self.ok,
            "status": self.status(),
            "median_s": self.median,
            "peak_mb": self.peak_mb,
            "note": self.note,
            "runs": [asdict(r) for r in self.runs],
        }


# --- data ----------------------------------------------------------------------------------


def parse_size(text: str) -> tuple[str, int, int]:
    if text in SIZES:
        return (text, *SIZES[text])
    try:
        customers, per = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise SystemExit(f"run.py: unknown size {text!r} (use small, 100k, 1m or NxM, e.g. 500x40)") from None
    return text, customers, per


def generator_digest() -> str:
    return hashlib.sha256(GENERATOR.read_bytes()).hexdigest()[:16]


def git(books: Path, *args: str, env: dict[str, str]) -> str:
    return subprocess.run(["git", *args], cwd=books, check=True, capture_output=True, text=True, env=env).stdout.strip()


def ensure_data(
    workdir: Path, name: str, customers: int, per: int, seed: int, env: dict[str, str], quiet: bool = False
) -> tuple[Path, dict]:
    """Generate once; reuse while the generator and its arguments are unchanged; reset leftovers."""
    out = workdir / f"{name}-{customers}x{per}-s{seed}"
    meta_path = out / "meta.json"
    wanted = {"customers": customers, "entries_per_customer": per, "seed": seed, "generator": generator_digest()}
    meta = None
    if meta_path.exists():
        try:
            meta = json.loads(meta_path.read_text())
        except ValueError:
            meta = None
    if meta and all(meta.get(k) == v for k, v in wanted.items()) and (out / "books" / ".git").is_dir():
        books = out / "books"
        # An interrupted earlier run may have left an appended line or `add` commits behind.
        git(books, "reset", "-q", "--hard", meta["head"], env=env)
        git(books, "clean", "-fdq", "--", "ledgers", env=env)
        if not quiet:
            print(f"[{name}] using cached data in {out} (generated in {meta['seconds']['total']:.1f} s)", flush=True)
        return out, meta
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    if not quiet:
        print(f"[{name}] generating {customers} customers x {per} entries into {out} ...", flush=True)
    done = subprocess.run(
        [
            sys.executable,
            str(GENERATOR),
            str(out),
            "--customers",
            str(customers),
            "--entries-per-customer",
            str(per),
            "--seed",
            str(seed),
            "--json",
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    if done.returncode != 0:
        raise SystemExit(f"run.py: the generator failed (exit {done.returncode}):\n{done.stdout}{done.stderr}")
    meta = {**json.loads(done.stdout.strip().splitlines()[-1]), **wanted}
    meta_path.write_text(json.dumps(meta, indent=1, ensure_ascii=False))
    mb = 1024 * 1024
    if not quiet:
        print(
            f"[{name}] generated {meta['entries']} entries in {meta['seconds']['total']:.1f} s: "
            f"{meta['yaml_bytes'] / mb:.1f} MB YAML, {meta['journal_bytes'] / mb:.1f} MB journal",
            flush=True,
        )
    return out, meta


def clear_cache(books: Path) -> None:
    """Remove the ledgerctl cache (whatever its form: a folder or files named cache*); never the lock."""
    state = books / ".ledgerctl"
    if not state.is_dir():
        return
    for path in state.iterdir():
        if path.name == "cache" or path.name.startswith("cache"):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()


def customer_files(books: Path) -> list[Path]:
    return sorted((books / "ledgers").glob("*.yaml"))


def currency_of(path: Path) -> str:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("  currency:"):
                return line.split(":", 1)[1].strip()
    return "CNY"


def amount_text(units: int, currency: str) -> str:
    return str(units) if currency == "JPY" else f"{units}.00"


def journal_totals(journal: Path) -> dict[str, str]:
    """Σ of the receivable postings per commodity (exact, in minor units)."""
    totals: dict[str, int] = {}
    digits: dict[str, int] = {}
    with journal.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("    assets:receivable:"):
                amount, commodity = line.split()[-2:]
                whole, _, frac = amount.partition(".")
                digits[commodity] = len(frac)
                sign = -1 if whole.startswith("-") else 1
                value = int(whole.lstrip("-") + frac)
                totals[commodity] = totals.get(commodity, 0) + sign * value
    out = {}
    for commodity, value in totals.items():
        d = digits[commodity]
        text = str(abs(value)).rjust(d + 1, "0")
        out[commodity] = ("-" if value < 0 else "") + (f"{text[:-d]}.{text[-d:]}" if d else text)
    return out


# --- the benchmark ------------------------------------------------------------------------


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.ledgerctl = self._find_ledgerctl(args.ledgerctl)
        self.rows: list[Row] = []
        self.checks: list[dict] = []  # consistency checks (cold == warm output, balances == journal)
        env = {k: v for k, v in os.environ.items() if k not in ("LEDGERCTL_BOOKS", "LEDGERCTL_DEBUG")}
        env.update(IDENTITY)
        env["LEDGERCTL_TODAY"] = TODAY
        # Measure ledgerctl as installed, with its bytecode cached: some environments set
        # PYTHONDONTWRITEBYTECODE, which makes every start of an editable install recompile
        # its modules. The bytecode goes to the workdir, never into the source tree.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(Path(args.workdir).resolve() / "pycache")
        self.env = env
        self.hledger = shutil.which("hledger")
        self.ledger = shutil.which("ledger")

    def warm_up(self) -> None:
        """Untimed runs of every measured command on tiny books, so the bytecode of every module
        they import is in the cache prefix before any timed run."""
        name, customers, per = "warmup", 3, 20
        out, _ = ensure_data(Path(self.args.workdir), name, customers, per, self.args.seed, self.env, quiet=True)
        books = out / "books"
        lc = self.ledgerctl
        before = git(books, "rev-parse", "HEAD", env=self.env)
        first = customer_files(books)[0]
        commands = [
            [lc, "--help"],
            [lc, "add", "invoice", first.stem, amount_text(100, currency_of(first)), "--books", str(books)],
        ]
        for command in ("aging", "balance", "check"):
            commands.append([lc, command, "--format", "json", "--books", str(books)])
            commands.append(commands[-1])  # once cold, once warm
        failed = []
        for argv in commands:
            run = self._untimed(argv)
            if run.exit_code not in (0, 1):
                failed.append(
                    f"{' '.join(argv[1:3])}: exit {run.exit_code}: {run.error.splitlines()[-1] if run.error else ''}"
                )
        git(books, "reset", "-q", "--hard", before, env=self.env)
        clear_cache(books)
        if failed:
            print("warm-up: some commands failed (see the rows below):\n  " + "\n  ".join(failed), flush=True)

    @staticmethod
    def _find_ledgerctl(explicit: str | None) -> str:
        if explicit:
            return explicit
        beside = Path(sys.executable).parent / "ledgerctl"
        if beside.exists():
            return str(beside)
        venv = HERE.parent / ".venv" / "bin" / "ledgerctl"
        if venv.exists():
            return str(venv)
        found = shutil.which("ledgerctl")
        if not found:
            raise SystemExit("run.py: ledgerctl not found (use the project's venv python or --ledgerctl PATH)")
        return found

    def _row(self, command: str, size: str, argv: list[str], ok_codes: tuple[int, ...] = (0,)) -> Row:
        row = Row(command, size, " ".join(argv), ok_codes=ok_codes)
        self.rows.append(row)
        return row

    def _timed(self, row: Row, argv: list[str], cwd: Path | None = None) -> Run:
        run = measure(argv, self.env, cwd=cwd, timeout=self.args.timeout)
        row.runs.append(run)
        flag = (
            ""
            if run.exit_code in row.ok_codes
            else f"  FAILED exit {run.exit_code}: {run.error.splitlines()[-1] if run.error else ''}"
        )
        print(f"    {row.command:<22} {row.size:>6}  {run.seconds:8.3f} s  {run.peak_mb:8.1f} MB{flag}", flush=True)
        return run

    def _untimed(self, argv: list[str], cwd: Path | None = None) -> Run:
        return measure(argv, self.env, cwd=cwd, timeout=self.args.timeout)

    def run_size(self, size_text: str) -> None:
        name, customers, per = parse_size(size_text)
        out, meta = ensure_data(Path(self.args.workdir), name, customers, per, self.args.seed, self.env)
        books, journal = out / "books", out / "bench.journal"
        repeat = self.args.repeat
        lc = self.ledgerctl
        report_args = ["--format", "json", "--as-of", TODAY, "--books", str(books)]
        print(f"[{name}] {meta['entries']} entries, {customers} customers; {repeat} runs each", flush=True)

        # ledgerctl --help
        row = self._row("ledgerctl --help", name, [lc, "--help"])
        for _ in range(repeat):
            self._timed(row, [lc, "--help"])

        # reports, cold and warm
        for command in ("aging", "balance", "check"):
            argv = [
                lc,
                command,
                *([a for a in report_args if a not in ("--as-of", TODAY)] if command == "check" else report_args),
            ]
            ok = (0, 1) if command == "check" else (0,)
            cold = self._row(f"{command} cold", name, argv, ok)
            for _ in range(repeat):
                clear_cache(books)
                self._timed(cold, argv)
            prime = self._untimed(argv)
            warm = self._row(f"{command} warm", name, argv, ok)
            warm.note = "" if prime.exit_code in ok else f"priming run failed: exit {prime.exit_code}"
            for _ in range(repeat):
                self._timed(warm, argv)
            hashes = {r.stdout_sha256 for r in cold.runs + warm.runs if r.exit_code in ok}
            self.checks.append(
                {
                    "size": name,
                    "check": f"{command}: cold and warm output identical",
                    "ok": len(hashes) == 1,
                    "detail": f"{len(hashes)} distinct outputs",
                }
            )
            if command == "check":
                self._check_result(name, argv)
            if command == "balance":
                self._balance_vs_journal(name, argv, journal)

        # aging after changing one customer file
        files = customer_files(books)
        target = files[len(files) // 2]
        rel = target.relative_to(books).as_posix()
        currency = currency_of(target)
        aging = [lc, "aging", *report_args]
        row = self._row("aging after 1 edit", name, aging)
        row.note = f"one invoice line appended to {rel}, then aging"
        original = target.read_bytes()
        try:
            for index in range(repeat):
                git(books, "checkout", "--", rel, env=self.env)
                self._untimed(aging)  # warm on the original content
                line = (
                    f"  - {{id: INV-20261120-BN{index:02d}, type: invoice, date: 2026-11-20, due: 2026-12-20, "
                    f'amount: "{amount_text(101 + index, currency)}", memo: benchmark edit {index}}}\n'
                )
                with target.open("ab") as handle:
                    handle.write(line.encode("utf-8"))
                self._timed(row, aging)
        finally:
            git(books, "checkout", "--", rel, env=self.env)
            if target.read_bytes() != original:
                print(f"warning: {target} differs after restore", file=sys.stderr)

        # add invoice, including its commit
        add_cust = next((p.stem for p in files if currency_of(p) == "CNY"), files[0].stem)
        add_amount = amount_text(100, currency_of(books / "ledgers" / f"{add_cust}.yaml"))
        add_argv = [lc, "add", "invoice", add_cust, add_amount, "--books", str(books)]
        row = self._row("add invoice + commit", name, add_argv)
        if customers < ADD_SIZES_MIN_CUSTOMERS:
            row.skipped = "measured at 100k and 1m only"
        else:
            self._untimed(aging)  # warm cache, as a bookkeeper's books would be
            before = git(books, "rev-parse", "HEAD", env=self.env)
            try:
                for _ in range(repeat):
                    self._timed(row, add_argv)
            finally:
                made = int(git(books, "rev-list", "--count", f"{before}..HEAD", env=self.env))
                row.note = f"{made} commit(s) made, then reset"
                git(books, "reset", "-q", "--hard", before, env=self.env)
                if made != sum(1 for r in row.runs if r.exit_code == 0):
                    row.note += f"; expected one commit per successful run ({made} commits)"

        # the other tools
        for tool, path in (("hledger", self.hledger), ("ledger", self.ledger)):
            argv = [path or tool, "-f", str(journal), "bal"]
            row = self._row(f"{tool} bal", name, argv)
            if not path:
                row.skipped = f"{tool} not installed: apt-get install {tool}"
                print(f"    {tool} not installed: apt-get install {tool}", flush=True)
                continue
            for _ in range(self.args.tool_repeat or repeat):
                self._timed(row, argv, cwd=out)
        clear_cache(books)  # leave the data as generated (cold) for the next run

    def _check_result(self, name: str, argv: list[str]) -> None:
        run = subprocess.run(argv, capture_output=True, text=True, env=self.env)
        try:
            data = json.loads(run.stdout)
            problems = data.get("problems", [])
            ok = bool(data.get("ok")) and run.returncode == 0
            detail = f"ok={data.get('ok')}, {len(problems)} problem(s)" + (
                f"; first: {problems[0].get('code')}: {problems[0].get('message')}" if problems else ""
            )
        except ValueError:
            ok, detail = False, f"exit {run.returncode}, output is not JSON: {(run.stdout + run.stderr)[-300:]}"
        self.checks.append(
            {"size": name, "check": "generated books pass `ledgerctl check`", "ok": ok, "detail": detail}
        )

    def _balance_vs_journal(self, name: str, argv: list[str], journal: Path) -> None:
        run = subprocess.run(argv, capture_output=True, text=True, env=self.env)
        try:
            ours = {t["currency"]: t["balance"] for t in json.loads(run.stdout)["totals"]}
        except (ValueError, KeyError, TypeError):
            ours = {"error": f"exit {run.returncode}: {(run.stdout + run.stderr)[-300:]}"}
        theirs = journal_totals(journal)
        self.checks.append(
            {
                "size": name,
                "check": "balance totals equal the journal's receivables",
                "ok": ours == theirs,
                "detail": f"ledgerctl {ours}, journal {theirs}",
            }
        )

    # --- reporting --------------------------------------------------------------------------

    def find(self, command: str, size: str) -> Row | None:
        return next((r for r in self.rows if r.command == command and r.size == size), None)

    def ratio(self, tool: str, command: str, size: str) -> float | None:
        other, ours = self.find(f"{tool} bal", size), self.find(command, size)
        if not other or not ours or other.median is None or not ours.median:
            return None
        return other.median / ours.median

    def targets(self, sizes: list[str]) -> list[dict]:
        out: list[dict] = []

        def add(target: str, size: str, value: str, met: bool | None, why: str = "") -> None:
            out.append(
                {
                    "target": target,
                    "size": size,
                    "value": value,
                    "status": "met"
                    if met
                    else ("NOT met" if met is False else f"not measured{(': ' + why) if why else ''}"),
                }
            )

        def ratio_target(tool: str, command: str, need: float, label: str, size: str) -> None:
            r = self.ratio(tool, command, size)
            if r is None:
                ours, other = self.find(command, size), self.find(f"{tool} bal", size)
                why = "; ".join(x.command + " " + x.status() for x in (ours, other) if x and not x.ok) or "missing"
                add(label, size, "—", None, why)
            else:
                add(label, size, f"{r:.2f}x", r >= need)

        for size in ("100k", "1m"):
            if size not in sizes:
                for label in (
                    "aging warm ≥ 20x faster than hledger",
                    "aging warm ≥ 5x faster than ledger-cli",
                    "aging cold no slower than hledger",
                    "aging after one edit within 10% of warm",
                ):
                    add(label, size, "—", None, f"size {size} not run")
                continue
            ratio_target("hledger", "aging warm", 20, "aging warm ≥ 20x faster than hledger", size)
            ratio_target("ledger", "aging warm", 5, "aging warm ≥ 5x faster than ledger-cli", size)
            ratio_target("hledger", "aging cold", 1, "aging cold no slower than hledger", size)
            warm, edit = self.find("aging warm", size), self.find("aging after 1 edit", size)
            if warm and edit and warm.median and edit.median is not None:
                add(
                    "aging after one edit within 10% of warm",
                    size,
                    f"{edit.median:.3f} s vs {warm.median:.3f} s ({edit.median / warm.median:.2f}x)",
                    edit.median <= 1.10 * warm.median,
                )
            else:
                add("aging after one edit within 10% of warm", size, "—", None, "a run failed")
        # memory at 1M
        for kind, limit in (("warm", 300), ("cold", 1536)):
            label = f"peak memory at 1M, {kind} ≤ {'300 MB' if kind == 'warm' else '1.5 GB'} (aging, balance, check)"
            rows = [self.find(f"{c} {kind}", "1m") for c in ("aging", "balance", "check")]
            if "1m" not in sizes or not all(r and r.runs for r in rows):
                add(label, "1m", "—", None, "size 1m not run")
            else:
                peak = max(r.peak_mb for r in rows if r)
                add(label, "1m", f"{peak:.0f} MB", peak <= limit and all(r.ok for r in rows if r))
        # add at 10k customers
        row = self.find("add invoice + commit", "1m")
        if row and row.median is not None:
            add("add incl. commit at 10k customers ≤ 0.25 s", "1m", f"{row.median:.3f} s", row.median <= 0.25)
        else:
            add(
                "add incl. commit at 10k customers ≤ 0.25 s",
                "1m",
                "—",
                None,
                row.status() if row and row.runs else "size 1m not run",
            )
        # --help, at every size measured (it does not depend on the books)
        helps = [r for r in self.rows if r.command == "ledgerctl --help" and r.median is not None]
        if helps:
            worst = max(r.median for r in helps if r.median is not None)
            add("ledgerctl --help ≤ 0.2 s", "any", f"{worst:.3f} s", worst <= 0.2)
        else:
            add("ledgerctl --help ≤ 0.2 s", "any", "—", None, "failed")
        return out

    def markdown(self, sizes: list[str], targets: list[dict]) -> str:
        lines = [
            "| command | size | median s | min s | max s | peak MB | runs | status |",
            "|---|---|---:|---:|---:|---:|---:|---|",
        ]
        for r in self.rows:
            times = [x.seconds for x in r.runs]
            med = f"{r.median:.3f}" if r.median is not None else "—"
            lo = f"{min(times):.3f}" if times else "—"
            hi = f"{max(times):.3f}" if times else "—"
            peak = f"{r.peak_mb:.0f}" if r.peak_mb is not None else "—"
            lines.append(f"| {r.command} | {r.size} | {med} | {lo} | {hi} | {peak} | {len(r.runs)} | {r.status()} |")
        lines += [
            "",
            "Ratios (median wall time of the other tool / ledgerctl's; > 1 means ledgerctl is faster):",
            "",
            "| size | aging | ledgerctl s | hledger s | hledger/ledgerctl | ledger s | ledger/ledgerctl |",
            "|---|---|---:|---:|---:|---:|---:|",
        ]
        for size in sizes:
            for kind in ("warm", "cold"):
                ours = self.find(f"aging {kind}", size)
                cells = [size, kind, f"{ours.median:.3f}" if ours and ours.median is not None else "—"]
                for tool in ("hledger", "ledger"):
                    other = self.find(f"{tool} bal", size)
                    r = self.ratio(tool, f"aging {kind}", size)
                    cells += [
                        f"{other.median:.3f}"
                        if other and other.median is not None
                        else (other.status() if other else "—"),
                        f"{r:.2f}x" if r is not None else "—",
                    ]
                lines.append("| " + " | ".join(cells) + " |")
        lines += ["", "Targets (issue 4):", "", "| target | size | measured | status |", "|---|---|---|---|"]
        lines += [f"| {t['target']} | {t['size']} | {t['value']} | {t['status']} |" for t in targets]
        if self.checks:
            lines += ["", "Consistency checks:", ""]
            lines += [
                f"- [{c['size']}] {c['check']}: {'ok' if c['ok'] else 'FAILED'} ({c['detail']})" for c in self.checks
            ]
        notes = [f"- {r.command} [{r.size}]: {r.note}" for r in self.rows if r.note]
        failures = [f"- {r.command} [{r.size}] exit {x.exit_code}: {x.error}" for r in self.rows for x in r.failed_runs]
        if notes:
            lines += ["", "Notes:", "", *notes]
        if failures:
            lines += ["", "Failures:", "", *dict.fromkeys(failures)]
        return "\n".join(lines)


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
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=repo, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "src"], cwd=repo, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        head, dirty = "", ""
    return {
        "commit": head or "unknown",
        "src_uncommitted": "yes" if dirty else "no",
        "src_digest": digest.hexdigest()[:16],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100k,1m", help="comma-separated: small, 100k, 1m or NxM (default 100k,1m)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per command (median reported)")
    parser.add_argument("--tool-repeat", type=int, default=0, help="runs of hledger/ledger (default: --repeat)")
    parser.add_argument("--workdir", default="/tmp/ledgerctl-bench", help="where generated data is cached")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--json", dest="json_out", help="also save the raw results to this file")
    parser.add_argument("--ledgerctl", help="the ledgerctl executable (default: the one beside this python)")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds before one run is killed")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    for s in sizes:
        parse_size(s)
    bench = Bench(args)
    for tool in ("hledger", "ledger"):
        if not shutil.which(tool):
            print(f"{tool} not installed: apt-get install {tool} (its rows are skipped)", flush=True)
    started = time.perf_counter()
    source_before, load_before = source_state(), os.getloadavg()
    bench.warm_up()
    for size in sizes:
        bench.run_size(size)
    source_after, load_after = source_state(), os.getloadavg()
    targets = bench.targets(sizes)
    machine = {
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "ledgerctl": bench.ledgerctl,
        "ledgerctl_version": tool_version([bench.ledgerctl, "--version"]),
        "hledger": tool_version(["hledger", "--version"]),
        "ledger": tool_version(["ledger", "--version"]),
        "repro": "python benchmarks/run.py " + " ".join(sys.argv[1:] if argv is None else argv),
        "source": source_after,
        "source_changed_during_run": source_before != source_after,
        "loadavg_before": [round(x, 2) for x in load_before],
        "loadavg_after": [round(x, 2) for x in load_after],
    }
    table = bench.markdown(sizes, targets)
    print()
    print(
        f"Machine: {machine['platform']}, {machine['cpus']} CPUs, Python {machine['python']}; "
        f"{machine['hledger']}; {machine['ledger']}; total {time.perf_counter() - started:.0f} s"
    )
    print(f"Reproduce: {machine['repro']}")
    src = machine["source"]
    print(
        f"ledgerctl source: commit {src['commit']}, uncommitted edits in src/: {src['src_uncommitted']}, "
        f"src digest {src['src_digest']}; load average before {load_before[0]:.2f}, after {load_after[0]:.2f}"
    )
    if machine["source_changed_during_run"]:
        print("WARNING: the ledgerctl source changed during the run: the rows mix versions; run again.")
    if load_before[0] >= (os.cpu_count() or 1):
        print(
            f"WARNING: load average {load_before[0]:.2f} on {os.cpu_count()} CPUs when the run started "
            "(other work, or a run that just finished): timings may be noisy."
        )
    print()
    print(table)
    if args.json_out:
        Path(args.json_out).write_text(
            json.dumps(
                {
                    "machine": machine,
                    "rows": [r.as_dict() for r in bench.rows],
                    "targets": targets,
                    "checks": bench.checks,
                },
                indent=1,
                ensure_ascii=False,
            )
        )
        print(f"\nraw results: {args.json_out}")
    failed = [r for r in bench.rows if r.failed_runs] or [c for c in bench.checks if not c["ok"]]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
