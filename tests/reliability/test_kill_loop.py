"""Kill loop: SIGKILL writing commands at random moments; the books stay whole and the next command recovers.

Real `python -m ledgerctl` processes run `add`, `reconcile --apply`, `segment --apply` and `close` in their
own session and are killed, either the whole process group (git children included) or the Python process
alone (its git child runs on, as after an OOM kill): a quarter of the runs at a random moment of the run
(start-up is most of it), two thirds within 30 ms of the journal appearing (the writes, the commit, close's
tag), and a tenth not at all. Only kills count; a run that finished first is recorded (and the id `add`
printed). After each kill, if anything
was left behind (journal, temp file, git lock), the prologue every writing command shares runs (lock, stale
git locks, journal recovery); then every printed id is in the books exactly once, nothing is uncommitted,
nothing is left behind, `check` passes and `verify` passes (the new commits; the whole history with its
closed tags every 20 kills and at the end). The seed and the outcome counts are printed (`pytest -s`);
replay a failure with LEDGERCTL_KILL_SEED=N (and LEDGERCTL_KILLS=N per run).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest

from conftest import BooksFixture
from ledgerctl.ops.session import write_session
from ledgerctl.store.ledgerfile import load_ledger

pytestmark = pytest.mark.slow

KILLS_PER_RUN = int(os.environ.get("LEDGERCTL_KILLS", "100"))  # two runs: 200 kills in the suite
FULL_VERIFY_EVERY = 20  # a range verify after every kill, the whole history (and its closed tags) this often
CUSTOMERS = {"acme": "CNY", "nippon": "JPY"}
RECOVER = """
import sys
from pathlib import Path
from ledgerctl.ops.session import write_session
with write_session(Path(sys.argv[1]), print):
    pass
"""


def _amount(rng: random.Random, customer: str) -> str:
    return str(rng.randint(1, 900) * 100) if CUSTOMERS[customer] == "JPY" else f"{rng.randint(100, 99999) / 100:.2f}"


class Loop:
    def __init__(self, books: BooksFixture, rng: random.Random, group: bool):
        self.books, self.rng, self.group = books, rng, group
        self.printed: list[str] = []  # ids printed by runs that finished
        self.outcomes: Counter[str] = Counter()
        self.typical: dict[str, float] = {}
        self.verified = books.head()
        self.env = {**os.environ, "LEDGERCTL_LOCK_TIMEOUT": "10"}

    # --- one command, killed or not ------------------------------------------------------

    def command(self) -> tuple[str, list[str]]:
        op = self.rng.choice(["add", "add", "pay", "reconcile", "segment", "close"])
        customer = self.rng.choice(sorted(CUSTOMERS))
        if op == "add":
            return op, ["add", "invoice", customer, _amount(self.rng, customer)]
        if op == "pay":
            return "add", ["add", "payment", customer, _amount(self.rng, customer)]
        if op == "reconcile":
            return op, ["reconcile", customer, "--apply"]
        if op == "segment":  # alternating report dates move the status class, so files change
            return op, ["segment", "--apply", "--as-of", self.rng.choice(["2026-11-23", "2027-03-31"])]
        closed = self.closed_through() or dt.date(2026, 1, 1)
        return op, ["close", str(closed + dt.timedelta(days=self.rng.randint(1, 3)))]

    def closed_through(self) -> dt.date | None:
        for line in (self.books.root / "ledgerctl.yaml").read_text().splitlines():
            if line.startswith("closed_through:"):
                return dt.date.fromisoformat(line.split(":", 1)[1].strip())
        return None

    def run_killed(self, op: str, args: list[str]) -> bool:
        before = self.books.head()
        journal = self.books.root / ".ledgerctl" / "journal.json"
        started = time.monotonic()
        proc = subprocess.Popen(
            [sys.executable, "-m", "ledgerctl", *args, "--books", str(self.books.root)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=self.env,
            start_new_session=True,
        )
        chance = self.rng.random()
        if chance < 0.1:  # not killed: finished runs print the ids the books must keep
            deadline = started + 60
        elif chance < 0.35:  # anywhere in the run (start-up is most of it)
            deadline = started + self.typical.get(op, 0.4) * self.rng.uniform(0, 1.0)
        else:  # in the writes: from the moment the journal appears to just after the commit (and tag)
            while proc.poll() is None and not journal.exists() and time.monotonic() < started + 10:
                time.sleep(0.004)  # not faster: on two busy cores the poll would slow the run it waits for
            deadline = time.monotonic() + self.rng.uniform(0, 0.03)
        try:
            proc.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            (os.killpg if self.group else os.kill)(proc.pid, signal.SIGKILL)
        stdout, stderr = proc.communicate(timeout=60)
        self._wait_for_group(proc.pid)  # a git child of a process killed alone runs on: let it end
        if proc.returncode != -signal.SIGKILL:
            assert proc.returncode in (0, 1, 2), f"{args}: exit {proc.returncode}\n{stderr}"
            assert "Traceback" not in stderr, stderr
            self.typical[op] = 0.7 * self.typical.get(op, 0.4) + 0.3 * (time.monotonic() - started)
            self.outcomes["finished before the kill"] += 1
            self.outcomes[f"finished: {op} exit {proc.returncode}"] += 1
            if op == "add" and proc.returncode == 0:
                self.printed.append(stdout.strip())
            return False
        self.outcomes[f"killed {'group' if self.group else 'process'}"] += 1
        moved = self.books.head() != before
        self.outcomes["killed after commit" if moved else "killed before commit"] += 1
        if (self.books.root / ".ledgerctl" / "journal.json").exists():
            self.outcomes["killed with a journal"] += 1
        return True

    def _wait_for_group(self, pgid: int) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                os.killpg(pgid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.01)
        raise AssertionError(f"process group {pgid} still running 30 s after the kill")

    def killed(self) -> int:
        return self.outcomes["killed before commit"] + self.outcomes["killed after commit"]

    # --- what the next command does first, and the invariants after it ----------------------------

    def leftovers(self) -> list[str]:
        root = self.books.root
        found = [p for folder in (root, root / "ledgers", root / ".ledgerctl") for p in folder.glob(".*.tmp")]
        found += [p for p in (root / ".ledgerctl" / "journal.json",) if p.exists()]
        found += list((root / ".git").glob("*.lock")) + list((root / ".git" / "refs").rglob("*.lock"))
        return [p.relative_to(root).as_posix() for p in found]

    def recover(self) -> None:
        """The prologue of the next writing command: in this process, or, when git left a lock, in a fresh one
        (a lock is stale only when older than the process that finds it)."""
        said: list[str] = []
        if any(path.startswith(".git/") for path in self.leftovers()):
            done = subprocess.run(
                [sys.executable, "-c", RECOVER, str(self.books.root)],
                capture_output=True,
                text=True,
                env=self.env,
                timeout=120,
                check=False,
            )
            assert done.returncode == 0, done.stderr
            said = done.stdout.splitlines()
        else:
            with write_session(self.books.root, said.append):
                pass
        for message in (line for note in said for line in note.splitlines()):
            key = (
                "recovered-completed"
                if message.startswith("completed")
                else "recovered-rolled-back"
                if message.startswith("undid")
                else "recovered-already-committed"
                if "already been committed" in message
                else "removed a stale lock"
                if message.startswith("removed a stale")
                else "removed temp files"
                if message.startswith("removed") and "temp file" in message
                else f"recovered: {message}"
            )
            self.outcomes[key] += 1

    def assert_whole(self, *, full: bool) -> None:
        root = self.books.root
        assert not self.leftovers(), f"left after recovery: {self.leftovers()}"
        assert self.books.git("status", "--porcelain", "--", "ledgers", "ledgerctl.yaml") == ""
        counts = Counter(
            entry.id
            for path in sorted((root / "ledgers").glob("*.yaml"))
            for entry in load_ledger(path, f"ledgers/{path.name}")[0].entries
        )
        wrong = {entry_id: counts[entry_id] for entry_id in self.printed if counts[entry_id] != 1}
        assert not wrong, f"printed ids not present exactly once: {wrong}"
        check = self.books.run("check")
        assert check.exit_code == 0, check.output
        head = self.books.head()
        if full:
            verify = self.books.run("verify")
        elif head != self.verified:
            verify = self.books.run("verify", "--range", f"{self.verified}..{head}")
        else:
            return
        assert verify.exit_code == 0, verify.output
        self.verified = head


@pytest.mark.parametrize("group", [True, False], ids=["process-group", "single-process"])
def test_sigkill_at_random_moments_never_loses_or_duplicates(books: BooksFixture, group: bool) -> None:
    seed = int(os.environ.get("LEDGERCTL_KILL_SEED", random.SystemRandom().randrange(2**32)))
    print(f"\nkill loop ({'process group' if group else 'single process'}): LEDGERCTL_KILL_SEED={seed}")
    loop = Loop(books, random.Random(seed), group)
    started = time.monotonic()
    try:
        index = 0
        while loop.killed() < KILLS_PER_RUN:
            index += 1
            assert index < 4 * KILLS_PER_RUN, f"the kills keep missing: {loop.outcomes}"
            op, args = loop.command()
            loop.outcomes[f"op {op}"] += 1
            if not loop.run_killed(op, args):
                continue  # it finished: nothing to recover; the next kill's checks cover its result
            if loop.leftovers():  # else the next command's prologue has nothing to do
                loop.recover()
            loop.assert_whole(full=loop.killed() % FULL_VERIFY_EVERY == 0)
        final = subprocess.run(
            [
                sys.executable,
                "-m",
                "ledgerctl",
                "add",
                "note",
                "acme",
                "after the kill loop",
                "--books",
                str(books.root),
            ],
            capture_output=True,
            text=True,
            env=loop.env,
            timeout=120,
            check=False,
        )
        assert final.returncode == 0, final.stderr
        loop.assert_whole(full=True)
    finally:
        print(
            f"seed {seed}: {loop.killed()} kills, {len(loop.printed)} printed ids checked, "
            f"{time.monotonic() - started:.1f} s: {dict(sorted(loop.outcomes.items()))}"
        )
