"""A progress bar on stderr for long reads, shown only once the work has taken a moment."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from ..progress import Advance

SHOW_AFTER_SECONDS = 0.5  # a warm report is done before this: no flicker


@contextmanager
def file_bar(total: int, what: str) -> Iterator[Advance]:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from .output import err

    bar = Progress(
        TextColumn(what),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err(),
        transient=True,
        auto_refresh=True,
    )
    task = bar.add_task(what, total=total)
    started_at = time.monotonic()
    shown = False

    def advance(count: int) -> None:
        nonlocal shown
        bar.advance(task, count)
        if not shown and time.monotonic() - started_at >= SHOW_AFTER_SECONDS:
            bar.start()
            shown = True

    try:
        yield advance
    finally:
        if shown:
            bar.stop()
