"""SPEC 7: two runs at once on one books take turns (a lock), never interleave."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from filelock import FileLock

from ledgerctl.store.yamlload import parse


def lock_of(books) -> FileLock:  # type: ignore[no-untyped-def]
    folder = books.root / ".ledgerctl"
    folder.mkdir(exist_ok=True)
    return FileLock(str(folder / "lock"))


@pytest.mark.parametrize(
    "command",
    [
        ("add", "invoice", "acme", "100.00"),
        ("add", "note", "acme", "hello"),
        ("customer", "add", "zeta", "--name", "Zeta"),
        ("customer", "edit", "acme", "--name", "Acme"),
        ("commit",),
    ],
)
def test_writing_command_gives_up_while_the_lock_is_held(books, command: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    snapshot = books.snapshot()
    with lock_of(books):
        started = time.monotonic()
        result = books.run(*command, env={"LEDGERCTL_LOCK_TIMEOUT": "0.2"})
        waited = time.monotonic() - started
    assert result.exit_code == 3, result.output
    assert "lock" in result.output
    assert "Traceback" not in result.output
    assert waited < 5
    assert books.snapshot() == snapshot


def _run_process(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ledgerctl", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def test_lock_released_after_the_run(books) -> None:  # type: ignore[no-untyped-def]
    assert books.run("add", "note", "acme", "one").exit_code == 0
    lock = lock_of(books)
    lock.acquire(timeout=0.5)  # nobody holds it any more
    lock.release()
    assert books.run("add", "note", "acme", "two", env={"LEDGERCTL_LOCK_TIMEOUT": "0.2"}).exit_code == 0


def test_reading_commands_do_not_wait_for_the_lock(books) -> None:  # type: ignore[no-untyped-def]
    with lock_of(books):
        for command in (("check",), ("balance",), ("customer", "list")):
            result = books.run(*command, env={"LEDGERCTL_LOCK_TIMEOUT": "0.2"})
            assert result.exit_code == 0, result.output


@pytest.mark.slow
def test_subprocess_waits_then_gives_up(books) -> None:  # type: ignore[no-untyped-def]
    snapshot = books.snapshot()
    with lock_of(books):
        completed = _run_process(
            "add", "invoice", "acme", "5.00", "--books", str(books.root), env={"LEDGERCTL_LOCK_TIMEOUT": "0.2"}
        )
    assert completed.returncode == 3, completed.stderr
    assert "locked" in completed.stderr
    assert books.snapshot() == snapshot


@pytest.mark.slow
def test_two_processes_at_once_take_turns(books) -> None:  # type: ignore[no-untyped-def]
    count = books.commit_count()
    env = {**os.environ, "LEDGERCTL_LOCK_TIMEOUT": "60"}
    lock = lock_of(books)
    lock.acquire()
    try:  # both start while the books are locked, so both are waiting when it opens
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "ledgerctl", "add", "invoice", "acme", amount, "--books", str(books.root)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
            )
            for amount in ("111.00", "222.00")
        ]
        time.sleep(2.0)
        assert all(p.poll() is None for p in procs)
    finally:
        lock.release()
    outputs = [p.communicate(timeout=120) for p in procs]
    for proc, (_, stderr) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, stderr
    ids = {stdout.strip() for stdout, _ in outputs}
    assert len(ids) == 2
    assert books.commit_count() == count + 2
    subjects = books.git("log", "-2", "--format=%s").splitlines()
    assert sorted(s.rsplit(": ", 1)[1] for s in subjects) == ["111.00 CNY", "222.00 CNY"]
    for sha in books.git("log", "-2", "--format=%H").split():  # each commit adds exactly one entry
        diff = books.git("show", "--format=", "--unified=0", sha, "--", "ledgers/acme.yaml")
        assert len([line for line in diff.splitlines() if line.startswith("+  - ")]) == 1
    tree = parse(books.ledger("acme").read_text())
    assert {e["id"] for e in tree["entries"]} == ids
    assert books.run("check").exit_code == 0
    assert books.git("status", "--porcelain") == ""


@pytest.mark.slow
def test_many_processes_without_a_head_start(books) -> None:  # type: ignore[no-untyped-def]
    count = books.commit_count()
    env = {**os.environ, "LEDGERCTL_LOCK_TIMEOUT": "60"}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "ledgerctl", "add", kind, customer, amount, "--books", str(books.root)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for kind, customer, amount in (
            ("invoice", "acme", "1.00"),
            ("invoice", "nippon", "100"),
            ("payment", "acme", "1.00"),
            ("invoice", "acme", "3.00"),
        )
    ]
    results = [(p, *p.communicate(timeout=120)) for p in procs]
    assert all(p.returncode == 0 for p, _, _ in results), [err for _, _, err in results]
    assert books.commit_count() == count + 4
    assert books.run("check").exit_code == 0
    assert books.git("status", "--porcelain") == ""
