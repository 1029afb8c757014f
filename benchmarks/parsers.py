#!/usr/bin/env python3
"""Issue 4's parser evaluation: libyaml (what ledgerctl uses) against rapidyaml and yaml-rs.

    python -m venv /tmp/parsers && /tmp/parsers/bin/pip install pyyaml rapidyaml yaml-rs
    /tmp/parsers/bin/python benchmarks/parsers.py BOOKS_DIR     # e.g. the 100k books of benchmarks/run.py

Times a full parse of every ``ledgers/*.yaml`` on one core with each library, then feeds each a
few inputs ledgerctl must refuse (a tag, an alias, a duplicate key, a merge key) or must read
exactly (``12.10``, ``1e3``) and prints what it does with them. Not part of the test suite:
rapidyaml and yaml-rs are not dependencies (docs/performance.md says why).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

PROBES = [b"a: !!python/object x\n", b"a: &x 1\nb: *x\n", b"a: 1\na: 2\n", b"<<: {a: 1}\n", b"a: 12.10\n", b"a: 1e3\n"]


def timed(label: str, run) -> None:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    note = run()
    print(f"{label:28} {time.perf_counter() - start:6.2f} s  {note or ''}")


def main() -> None:
    import ryml
    import yaml
    import yaml_rs

    files = sorted(Path(sys.argv[1]).glob("ledgers/*.yaml"))
    datas = [f.read_bytes() for f in files]
    print(f"{len(files)} files, {sum(map(len, datas)) / 2**20:.1f} MiB")
    timed(
        "PyYAML C event stream", lambda: [None for d in datas for _ in yaml.parse(d, Loader=yaml.CSafeLoader)] and None
    )
    timed("PyYAML C safe load", lambda: [yaml.load(d, Loader=yaml.CSafeLoader) for d in datas] and None)
    timed("rapidyaml tree only", lambda: [ryml.parse_in_arena(d) for d in datas] and "(no Python objects)")

    def ryml_walk() -> str:
        scalars = 0
        for d in datas:
            tree = ryml.parse_in_arena(d)
            for node, _ in ryml.walk(tree):
                if tree.has_val(node):
                    tree.val(node)
                    scalars += 1
        return f"({scalars} scalars visited)"

    timed("rapidyaml tree + walk", ryml_walk)
    timed("yaml-rs loads", lambda: [yaml_rs.loads(d.decode()) for d in datas] and None)
    for probe in PROBES:
        try:
            verdict = f"reads {yaml_rs.loads(probe.decode())!r}"
        except Exception as exc:  # noqa: BLE001 - any refusal is the answer
            verdict = f"refuses ({type(exc).__name__})"
        print(f"yaml-rs {probe!r:28} {verdict}")


if __name__ == "__main__":
    main()
