"""Warnings raised deep inside a command about the answer it is giving (e.g. data missing from the books).

They go to stderr, one line each, so data on stdout (JSON, CSV) stays valid and the exit
code is unchanged. Kept free of imports, like :mod:`ledgerctl.progress`, so ops can warn
without knowing about terminals.
"""

from __future__ import annotations

import sys


def warn(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
