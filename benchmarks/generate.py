#!/usr/bin/env python3
"""Synthetic books for the performance benchmark (issue 4).

    python benchmarks/generate.py OUT_DIR --customers N --entries-per-customer M --seed S

writes

* ``OUT_DIR/books/`` — a complete ledgerctl books folder: ``ledgerctl init`` makes the git
  repository, configuration, schemas and attributes; the customer files are then written
  directly as text (no YAML library: 1M entries must take minutes, not hours) in exactly
  the style the tool itself writes (SPEC 3), and committed once with a fixed identity;
* ``OUT_DIR/bench.journal`` — the same money movements as a plain-text journal that both
  hledger and ledger-cli read (``YYYY-MM-DD`` dates, ``12000.00 CNY`` amounts): one
  transaction per invoice, refund, payment, credit note and write-off that is not voided.
  Every void is dated on or before the last generated date, so the final balance of
  ``assets:receivable:<customer-id>`` equals ``ledgerctl balance`` at any date from
  2026-11-15 on.

Every entry type occurs (invoices most); payments with and without allocations; voids
cancel a payment or an invoice, once at most, dated on or after it; ``balance``
assertions hold the customer's exact balance at the end of their date (SPEC 3.1);
allocations respect SPEC 3 (a credit's allocations ≤ its amount; all allocations of
non-voided credits to one debit ≤ the debit's amount; same customer only). Names are
Chinese, Japanese and Latin; memos partly Chinese; mostly CNY, some USD and JPY.

The same arguments give identical bytes (``random.Random(seed)``; fixed git dates and
identity make even the commit ids repeatable). The vocabulary and fixed data live in
``generate_words.py``, one customer's header, entries and journal in ``generate_ledger.py``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from random import Random

from generate_ledger import IdMaker, header_text, journal_text, make_customer, make_entries
from generate_words import GIT_IDENTITY, SPAN_DAYS, START_DATE, TYPES


def ledgerctl_command(explicit: str | None) -> list[str]:
    if explicit:
        return [explicit]
    if importlib.util.find_spec("ledgerctl") is not None:
        return [sys.executable, "-m", "ledgerctl"]
    venv = Path(__file__).resolve().parent.parent / ".venv" / "bin" / "ledgerctl"
    if venv.exists():
        return [str(venv)]
    found = shutil.which("ledgerctl")
    if found:
        return [found]
    sys.exit("generate.py: ledgerctl not found (run with the project's venv python, or pass --ledgerctl PATH)")


def generate(
    out_dir: Path, customers: int, per_customer: int, seed: int, ledgerctl: list[str], force: bool = False
) -> dict:
    started = time.perf_counter()
    books = out_dir / "books"
    if books.exists():
        if not force:
            sys.exit(f"generate.py: {books} exists (use --force to replace it)")
        shutil.rmtree(books)
    out_dir.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "LEDGERCTL_BOOKS"}
    env.update(GIT_IDENTITY)
    env.setdefault("LEDGERCTL_TODAY", "2026-11-23")
    init = subprocess.run([*ledgerctl, "init", str(books), "--name", "bench"], env=env, capture_output=True, text=True)
    if init.returncode != 0:
        sys.exit(f"generate.py: `ledgerctl init` failed (exit {init.returncode}):\n{init.stdout}{init.stderr}")
    t_init = time.perf_counter()

    rng = Random(seed)
    new_id = IdMaker(rng)
    dates = [START_DATE + dt.timedelta(days=i) for i in range(SPAN_DAYS)]
    width = max(5, len(str(max(customers - 1, 0))))
    ledger_dir = books / "ledgers"
    ledger_dir.mkdir(exist_ok=True)
    counts = dict.fromkeys(TYPES, 0)
    stats = {"yaml_bytes": 0, "journal_bytes": 0, "transactions": 0, "allocated_payments": 0, "plain_payments": 0}
    currencies: dict[str, int] = {}
    with open(out_dir / "bench.journal", "w", encoding="utf-8", newline="\n") as journal:
        journal.write(
            f"; ledgerctl benchmark: {customers} customers x {per_customer} entries, seed {seed}\n"
            "; the same money movements as books/ledgers/*.yaml (voided entries left out)\n\n"
        )
        for index in range(customers):
            c = make_customer(rng, index, width)
            currencies[c["currency"]] = currencies.get(c["currency"], 0) + 1
            entries, rows = make_entries(rng, c, per_customer, new_id, dates)
            lines = header_text(c)
            for e in entries:
                lines.append(f"  - {e[3]}")
                counts[e[2]] += 1
                if e[2] == "payment":
                    stats["allocated_payments" if "allocations:" in e[3] else "plain_payments"] += 1
            data = ("\n".join(lines) + "\n").encode("utf-8")
            (ledger_dir / f"{c['id']}.yaml").write_bytes(data)
            stats["yaml_bytes"] += len(data)
            text = journal_text(c, rows)
            journal.write(text)
            stats["journal_bytes"] += len(text.encode("utf-8"))
            stats["transactions"] += len(rows)
    t_write = time.perf_counter()

    git_env = {
        **env,
        "GIT_AUTHOR_DATE": GIT_IDENTITY["GIT_AUTHOR_DATE"],
        "GIT_COMMITTER_DATE": GIT_IDENTITY["GIT_COMMITTER_DATE"],
    }
    subprocess.run(["git", "add", "-A"], cwd=books, check=True, env=git_env)
    subprocess.run(["git", "commit", "-q", "--no-verify", "-m", "generated"], cwd=books, check=True, env=git_env)
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=books, check=True, env=git_env, capture_output=True, text=True
    ).stdout.strip()
    finished = time.perf_counter()
    missing = [k for k, n in counts.items() if n == 0]
    return {
        "customers": customers,
        "entries_per_customer": per_customer,
        "seed": seed,
        "entries": sum(counts.values()),
        "types": counts,
        "currencies": currencies,
        "missing_types": missing,
        "head": head,
        "seconds": {
            "init": round(t_init - started, 3),
            "write": round(t_write - t_init, 3),
            "git": round(finished - t_write, 3),
            "total": round(finished - started, 3),
        },
        **stats,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out_dir", type=Path, help="where books/ and bench.journal are written")
    parser.add_argument("--customers", type=int, default=100)
    parser.add_argument("--entries-per-customer", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--force", action="store_true", help="replace an existing OUT_DIR/books")
    parser.add_argument("--ledgerctl", help="ledgerctl executable for `init` (default: this python's ledgerctl)")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = parser.parse_args(argv)
    if args.customers < 1 or args.entries_per_customer < 1:
        parser.error("--customers and --entries-per-customer must be at least 1")
    info = generate(
        args.out_dir,
        args.customers,
        args.entries_per_customer,
        args.seed,
        ledgerctl_command(args.ledgerctl),
        force=args.force,
    )
    if args.json:
        print(json.dumps(info, ensure_ascii=False))
    else:
        mb = 1024 * 1024
        s = info["seconds"]
        print(
            f"generated {info['customers']} customers x {info['entries_per_customer']} entries = {info['entries']} entries "
            f"in {s['total']:.1f} s (init {s['init']:.1f} s, write {s['write']:.1f} s, git {s['git']:.1f} s)"
        )
        print(
            f"  books/ledgers: {info['yaml_bytes'] / mb:.1f} MB YAML; bench.journal: {info['journal_bytes'] / mb:.1f} MB, "
            f"{info['transactions']} transactions"
        )
        print(
            "  types: "
            + ", ".join(f"{k} {n}" for k, n in info["types"].items())
            + f"; payments with allocations {info['allocated_payments']}, without {info['plain_payments']}"
        )
        print("  currencies: " + ", ".join(f"{k} {n}" for k, n in sorted(info["currencies"].items())))
        print(f"  commit {info['head']}")
    if info["missing_types"]:
        print(
            f"warning: no entry of type {', '.join(info['missing_types'])} (too few entries per customer)",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
