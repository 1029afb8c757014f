"""Where long work reports its progress; nothing by default.

The store counts files as it reads them (:func:`track`); the command line, and
only when a person watches stderr, plugs in a progress bar
(:func:`ledgerctl.render.progress.file_bar`). Kept free of imports so the core
and the store can use it without knowing about terminals.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

Advance = Callable[[int], None]
Reporter = Callable[[int, str], AbstractContextManager[Advance]]

_reporter: Reporter | None = None
MIN_ITEMS = 200  # fewer files than this read too fast for a bar to help


def report_with(reporter: Reporter | None) -> None:
    global _reporter
    _reporter = reporter


@contextmanager
def track(total: int, what: str, minimum: int | None = None) -> Iterator[Advance]:
    """``advance(n)`` after each n items of ``total``; a no-op unless a reporter is plugged in.

    ``minimum``: fewer items than this get no bar (default MIN_ITEMS, read now; slow items such as PDFs want fewer).
    """
    if _reporter is None or total < (MIN_ITEMS if minimum is None else minimum):
        yield _ignore
        return
    with _reporter(total, what) as advance:
        yield advance


def _ignore(_: int) -> None:
    pass
