"""What the benchmark measures: the comparison groups, each timed round-robin (bench_measure),
and the checks that ledgerctl's answers are right while it is being timed."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

import bench_data as data
from bench_measure import Arm, Row, Run, interleave, measure
from import_bench import statement

HERE = Path(__file__).resolve().parent
TODAY = "2026-11-23"  # the day after the last generated entry (2026-11-15) and its voids
PAST = "2026-10-31"  # last month's aging, run on the 3rd of the month
PAST_END = "2026-11-01"  # hledger's and ledger's -e is exclusive: the same day as --as-of PAST
IMPORT_SEED = 7
IDENTITY = {
    "GIT_AUTHOR_NAME": "Bench Runner",
    "GIT_AUTHOR_EMAIL": "bench@ledgerctl.example",
    "GIT_COMMITTER_NAME": "Bench Runner",
    "GIT_COMMITTER_EMAIL": "bench@ledgerctl.example",
}


def find_ledgerctl(explicit: str | None) -> str:
    if explicit:
        return explicit
    for candidate in (Path(sys.executable).parent / "ledgerctl", HERE.parent / ".venv" / "bin" / "ledgerctl"):
        if candidate.exists():
            return str(candidate)
    found = shutil.which("ledgerctl")
    if not found:
        raise SystemExit("run.py: ledgerctl not found (use the project's venv python or --ledgerctl PATH)")
    return found


def interpreter_of(script: str) -> str:
    """The python a console script starts (its #! line), so `import typer` is timed on the same one."""
    try:
        with open(script, "rb") as handle:
            first = handle.readline().decode("utf-8", "replace")
    except OSError:
        return sys.executable
    parts = first[2:].split() if first.startswith("#!") else []
    if parts and Path(parts[0]).name == "env" and len(parts) > 1:  # #!/usr/bin/env python3
        parts = [shutil.which(parts[1]) or parts[1]]
    if parts and "python" in Path(parts[0]).name:
        return parts[0]
    return sys.executable


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.workdir = Path(args.workdir).resolve()
        self.ledgerctl = find_ledgerctl(args.ledgerctl)
        self.python = interpreter_of(self.ledgerctl)
        self.rows: list[Row] = []
        self.checks: list[dict] = []
        self.log: list[dict] = []  # every timed run, in the order it was made
        self.outputs: dict[int, bytes] = {}  # id(row) -> stdout of its last successful run
        env = {k: v for k, v in os.environ.items() if k not in ("LEDGERCTL_BOOKS", "LEDGERCTL_DEBUG")}
        env.update(IDENTITY)
        env["LEDGERCTL_TODAY"] = TODAY
        # Measure ledgerctl with its bytecode cached: some environments set PYTHONDONTWRITEBYTECODE,
        # which makes every start recompile. The bytecode goes to the workdir, never the source tree.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(self.workdir / "pycache")
        self.env = env
        self.tools = {tool: shutil.which(tool) for tool in ("hledger", "ledger")}

    # --- running ------------------------------------------------------------------------------

    def row(self, group: str, command: str, size: str, argv: list[str], ok_codes: tuple[int, ...] = (0,)) -> Row:
        row = Row(command, size, " ".join(argv), group=group, ok_codes=ok_codes)
        self.rows.append(row)
        return row

    def find(self, command: str, size: str, group: str | None = None) -> Row | None:
        return next(
            (r for r in self.rows if r.command == command and r.size == size and group in (None, r.group)), None
        )

    def untimed(self, argv: list[str], cwd: Path | None = None) -> tuple[Run, bytes]:
        return measure(argv, self.env, cwd=cwd, timeout=self.args.timeout)

    def _run_one(self, arm: Arm) -> Run:
        run, stdout = measure(arm.argv, self.env, cwd=arm.cwd, timeout=self.args.timeout)
        if run.exit_code in arm.row.ok_codes:
            self.outputs[id(arm.row)] = stdout
        return run

    def _log(self, arm: Arm, run: Run) -> None:
        row = arm.row
        self.log.append({"seq": len(self.log) + 1, "size": row.size, "group": row.group, "command": row.command})
        self.log[-1].update(asdict(run))
        flag = "" if run.exit_code in row.ok_codes else f"  FAILED exit {run.exit_code}: {last_line(run.error)}"
        print(
            f"    {row.command:<30} {row.size:>6}  {run.seconds:8.3f} s  {run.peak_mb:7.1f} MB"
            f"  load {run.load1:4.2f}{flag}",
            flush=True,
        )

    def group(self, arms: list[Arm]) -> None:
        if arms:
            print(f"  [{arms[0].row.size}] {arms[0].row.group}: {len(arms)} commands x {self.args.repeat}", flush=True)
            interleave(arms, self.args.repeat, self._run_one, self._log)

    def peer_arms(self, group: str, size: str, journal: Path, out: Path, end: str | None, label: str) -> list[Arm]:
        """hledger and ledger on the journal (rows marked skipped when not installed)."""
        arms = []
        for tool, path in self.tools.items():
            argv = [path or tool, "-f", str(journal), "bal", *(["-e", end] if end else [])]
            row = self.row(group, f"{tool} bal{label}", size, argv)
            if path:
                arms.append(Arm(row, argv, cwd=out))
            else:
                row.skipped = f"{tool} not installed: apt-get install {tool}"
        return arms

    def check(self, size: str, what: str, ok: bool, detail: str) -> None:
        self.checks.append({"size": size, "check": what, "ok": ok, "detail": detail})
        if not ok:
            print(f"    CHECK FAILED: {what}: {detail}", flush=True)

    def same_output(self, size: str, what: str, rows: list[Row]) -> None:
        hashes = {r.stdout_sha256 for row in rows for r in row.runs if r.exit_code in row.ok_codes}
        self.check(size, f"{what}: outputs identical", len(hashes) == 1, f"{len(hashes)} distinct outputs")

    # --- warm-up -------------------------------------------------------------------------------

    def warm_up(self) -> None:
        """Untimed runs of every measured command on tiny books, so the bytecode of every module
        they import is in the cache prefix before any timed run."""
        out, meta = data.ensure_data(
            self.workdir, "warmup", 3, 20, self.args.seed, self.env, self.ledgerctl, quiet=True
        )
        books, lc = out / "books", self.ledgerctl
        cust, amount = data.add_target(books)
        at = ["--books", str(books)]
        commands = [
            [self.python, "-c", "import typer"],
            [lc, "--help"],
            [lc, "add", "invoice", cust, amount, *at],
            [lc, "report", "--to", PAST, "-O", "json", *at],
            [lc, "segment", "-O", "json", "--as-of", TODAY, *at],
            [lc, "followups", "-O", "json", "--as-of", TODAY, *at],
        ]
        for command in ("aging", "balance", "check"):
            commands += [[lc, command, "--format", "json", *at]] * 2  # once cold, once warm
        failed = []
        for argv in commands:
            run, _ = self.untimed(argv)
            if run.exit_code not in (0, 1):
                failed.append(f"{' '.join(argv[1:3])}: exit {run.exit_code}: {last_line(run.error)}")
        data.reset_books(books, meta["head"], self.env)
        data.clear_cache(books)
        if failed:
            print("warm-up: some commands failed (see the rows below):\n  " + "\n  ".join(failed), flush=True)

    # --- the groups -------------------------------------------------------------------------------

    def run_startup(self) -> None:
        name = "start-up"
        typer_argv = [self.python, "-c", "import typer"]
        help_argv = [self.ledgerctl, "--help"]
        self.group(
            [
                Arm(self.row(name, "python -c 'import typer'", "any", typer_argv), typer_argv),
                Arm(self.row(name, "ledgerctl --help", "any", help_argv), help_argv),
            ]
        )

    def run_sample_add(self) -> None:
        books = data.make_sample_books(self.ledgerctl, self.workdir / "sample" / "books", self.env)
        self.run_add("sample", books)

    def run_size(self, size_text: str) -> None:
        name, customers, per = data.parse_size(size_text)
        out, meta = data.ensure_data(self.workdir, name, customers, per, self.args.seed, self.env, self.ledgerctl)
        print(f"[{name}] {meta['entries']} entries, {customers} customers; {self.args.repeat} rounds", flush=True)
        books = out / "books"
        try:
            self.run_aging(name, out)
            self.run_edit(name, books)
            self.run_reports(name, books)
            self.run_balance_check(name, out)
            self.run_add(name, books)
            self.run_import(name, out, meta["head"])
        finally:
            data.reset_books(books, meta["head"], self.env)
            data.clear_cache(books)  # leave the data as generated (cold) for the next run

    def run_aging(self, size: str, out: Path) -> None:
        books, journal, name = out / "books", out / "bench.journal", "aging"
        at = ["--format", "json", "--books", str(books)]
        today = [self.ledgerctl, "aging", "--as-of", TODAY, *at]
        past = [self.ledgerctl, "aging", "--as-of", PAST, *at]

        def prime() -> None:
            self.untimed(today)
            self.untimed(past)

        prime()
        warm = Arm(self.row(name, "aging warm", size, today), today)
        warm_past = Arm(self.row(name, "aging warm, past month-end", size, past), past)
        cold = Arm(
            self.row(name, "aging cold", size, today), today, before=lambda: data.clear_cache(books), after=prime
        )
        peers = self.peer_arms(name, size, journal, out, None, "")
        peers_past = self.peer_arms(name, size, journal, out, PAST_END, f" -e {PAST_END}")
        self.group([warm, warm_past, cold, *peers, *peers_past])
        self.same_output(size, "aging cold and warm", [cold.row, warm.row])
        self.past_month_end_totals(size, out, warm_past.row)

    def past_month_end_totals(self, size: str, out: Path, row: Row) -> None:
        what = f"aging --as-of {PAST} totals equal `hledger bal -e {PAST_END}` (+ voids after {PAST})"
        hledger = self.tools["hledger"]
        if not hledger:
            self.check(size, what, False, "hledger not installed")
            return
        argv = [hledger, "-f", str(out / "bench.journal"), "bal", "-e", PAST_END, "assets:receivable"]
        done = subprocess.run([*argv, "--depth", "2", "-O", "csv"], capture_output=True, text=True, env=self.env)
        try:
            theirs = data.hledger_csv_totals(done.stdout)
            ours = data.report_totals(self.outputs[id(row)].decode("utf-8"), "total")
        except (ValueError, KeyError, TypeError) as exc:
            self.check(size, what, False, f"{type(exc).__name__}: {exc}; hledger: {done.stderr[-200:]}")
            return
        voids = data.void_correction(out / "books", PAST)
        expected = {c: theirs.get(c, 0) + voids.get(c, 0) for c in set(theirs) | set(voids)}
        ok = data.without_zeros(ours) == data.without_zeros(expected)
        self.check(size, what, ok, f"ledgerctl {_str(ours)}, hledger {_str(theirs)}, voids {_str(voids)}")

    def run_edit(self, size: str, books: Path) -> None:
        """Aging after one ledger file got one more line, interleaved with aging on unchanged books."""
        name = "one-file edit"
        files = data.customer_files(books)
        target = files[len(files) // 2]
        rel = target.relative_to(books).as_posix()
        currency = data.currency_of(target)
        aging = [self.ledgerctl, "aging", "--format", "json", "--as-of", TODAY, "--books", str(books)]
        rounds = iter(range(10**6))

        def append() -> None:
            index = next(rounds)
            line = (
                f"  - {{id: INV-20261120-BN{index:02d}, type: invoice, date: 2026-11-20, due: 2026-12-20, "
                f'amount: "{data.amount_text(101 + index, currency)}", memo: benchmark edit {index}}}\n'
            )
            with target.open("ab") as handle:
                handle.write(line.encode("utf-8"))

        def restore() -> None:
            data.git(books, "checkout", "--", rel, env=self.env)
            self.untimed(aging)  # warm again on the original content

        restore()
        edit = self.row(name, "aging after 1 edit", size, aging)
        edit.note = f"one invoice line appended to {rel}, then aging; restored and re-warmed after each"
        self.group(
            [
                Arm(edit, aging, before=append, after=restore),
                Arm(self.row(name, "aging warm, unchanged", size, aging), aging),
            ]
        )

    def run_reports(self, size: str, books: Path) -> None:
        name, at = "reports", ["-O", "json", "--books", str(books)]
        lc = self.ledgerctl
        argvs = {
            "report, 12 monthly periods": [lc, "report", "--to", PAST, *at],
            "aging warm, beside the report": [lc, "aging", "--as-of", TODAY, *at],
            "segment": [lc, "segment", "--as-of", TODAY, *at],
            "followups": [lc, "followups", "--as-of", TODAY, *at],
        }
        for argv in argvs.values():
            self.untimed(argv)  # prime
        self.group([Arm(self.row(name, label, size, argv, (0, 1)), argv) for label, argv in argvs.items()])

    def run_balance_check(self, size: str, out: Path) -> None:
        books, name = out / "books", "balance and check"
        arms: list[Arm] = []
        for command in ("balance", "check"):
            argv = [self.ledgerctl, command, "--format", "json", "--books", str(books)]
            argv += ["--as-of", TODAY] if command == "balance" else []
            ok = (0, 1) if command == "check" else (0,)
            self.untimed(argv)
            cold_row = self.row(name, f"{command} cold", size, argv, ok)
            arms.append(Arm(cold_row, argv, before=lambda: data.clear_cache(books), after=self._primer(argv)))
            arms.append(Arm(self.row(name, f"{command} warm", size, argv, ok), argv))
        self.group(arms)
        for cold, warm in (arms[0:2], arms[2:4]):
            self.same_output(size, f"{cold.row.command.split()[0]} cold and warm", [cold.row, warm.row])
        self.check_result(size, self.outputs.get(id(arms[3].row), b""))
        self.balance_vs_journal(size, self.outputs.get(id(arms[1].row), b""), out / "bench.journal")

    def _primer(self, argv: list[str]) -> Callable[[], None]:
        def prime() -> None:
            self.untimed(argv)

        return prime

    def run_add(self, size: str, books: Path) -> None:
        """`add invoice` with its commit, interleaved with a bare `git commit` in the same repository."""
        name = "add"
        cust, amount = data.add_target(books)
        add = [self.ledgerctl, "add", "invoice", cust, amount, "--books", str(books)]
        commit = ["git", "commit", "-q", "--allow-empty", "-m", "x"]
        self.untimed([self.ledgerctl, "aging", "--format", "json", "--books", str(books)])  # warm, as a user's
        before = data.git(books, "rev-parse", "HEAD", env=self.env)
        add_row = self.row(name, "add invoice + commit", size, add)
        try:
            self.group(
                [Arm(add_row, add), Arm(self.row(name, "git commit --allow-empty", size, commit), commit, books)]
            )
        finally:
            made = int(data.git(books, "rev-list", "--count", f"{before}..HEAD", env=self.env))
            expected = sum(1 for row in self.rows[-2:] for r in row.runs if r.exit_code == 0)
            data.git(books, "reset", "-q", "--hard", before, env=self.env)
        add_row.note = f"{made} commit(s) made (adds and empty commits), then reset"
        if made != expected:
            add_row.note += f"; expected {expected}"

    def run_import(self, size: str, out: Path, head: str) -> None:
        """`import bank` of a statement of --import-lines lines, each run on the books as generated."""
        books, lines = out / "books", self.args.import_lines
        path = out / f"statement-{lines}-s{IMPORT_SEED}.csv"
        if not path.exists():
            path.write_bytes(statement(books, lines, IMPORT_SEED))
        argv = [self.ledgerctl, "import", "bank", str(path), "-O", "json", "--books", str(books)]
        aging = [self.ledgerctl, "aging", "--format", "json", "--books", str(books)]

        def fresh() -> None:
            data.reset_books(books, head, self.env)
            self.untimed(aging)  # the cache stays warm, as on a bookkeeper's machine

        row = self.row("import", f"import bank, {lines} lines", size, argv, (0, 1))
        row.note = "books reset to the generated commit and the cache re-warmed before each run"
        self.group([Arm(row, argv, before=fresh)])
        data.reset_books(books, head, self.env)

    # --- answers ---------------------------------------------------------------------------------

    def check_result(self, size: str, stdout: bytes) -> None:
        try:
            report = json.loads(stdout)
            problems = report.get("problems", [])
            ok = bool(report.get("ok"))
            detail = f"ok={report.get('ok')}, {len(problems)} problem(s)" + (
                f"; first: {problems[0].get('code')}: {problems[0].get('message')}" if problems else ""
            )
        except (ValueError, AttributeError):
            ok, detail = False, f"output is not JSON: {stdout[-300:]!r}"
        self.check(size, "generated books pass `ledgerctl check`", ok, detail)

    def balance_vs_journal(self, size: str, stdout: bytes, journal: Path) -> None:
        theirs = data.journal_totals(journal)
        try:
            ours = data.report_totals(stdout.decode("utf-8"), "balance")
            ok, shown = data.without_zeros(ours) == data.without_zeros(theirs), _str(ours)
        except (ValueError, KeyError, TypeError) as exc:
            ok, shown = False, f"{type(exc).__name__}: {exc}"
        self.check(
            size, "balance totals equal the journal's receivables", ok, f"ledgerctl {shown}, journal {_str(theirs)}"
        )


def _str(totals: dict) -> str:
    return "{" + ", ".join(f"{k}: {v}" for k, v in sorted(totals.items())) + "}"


def last_line(text: str) -> str:
    return text.strip().splitlines()[-1] if text.strip() else ""
