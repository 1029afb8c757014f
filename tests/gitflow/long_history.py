"""A long history for the speed tests: N commits, each appending one invoice to one of K customers.

    python long_history.py DIR N K

Written with `git fast-import` (seconds, not minutes); the books are made by `ledgerctl init`.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path


def main(root: Path, commits: int, customers: int) -> None:
    subprocess.run(
        [sys.executable, "-m", "ledgerctl", "init", str(root), "--name", "long"], check=True, capture_output=True
    )
    parent = subprocess.run(
        ["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()
    branch = subprocess.run(
        ["git", "-C", str(root), "symbolic-ref", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()
    texts = {c: f"customer:\n  id: c{c}\n  name: 客户 {c}\n  currency: CNY\nentries:\n" for c in range(customers)}
    start = dt.date(2020, 1, 1)

    def data(text: str) -> str:
        return f"data {len(text.encode())}\n{text}\n"

    stream = []
    for number in range(commits):
        customer = number % customers
        day = start + dt.timedelta(days=number // 5)
        texts[customer] += (
            f"  - {{id: INV-{day:%Y%m%d}-{number:05d}, type: invoice, date: {day}, "
            f'due: {day + dt.timedelta(days=30)}, amount: "{number % 900 + 100}.00", '
            f"ref: PO-{number}, memo: 机床配件 {number}}}\n"
        )
        stream.append(
            f"commit {branch}\ncommitter Long History <long@books.example> {1577836800 + number * 3600} +0800\n"
            + data(f"add invoice {number} for c{customer}")
            + (f"from {parent}\n" if number == 0 else "")
            + f"M 100644 inline ledgers/c{customer}.yaml\n"
            + data(texts[customer])
        )
    subprocess.run(["git", "-C", str(root), "fast-import", "--quiet"], input="".join(stream).encode(), check=True)
    subprocess.run(["git", "-C", str(root), "reset", "-q", "--hard"], check=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
