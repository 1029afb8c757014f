"""Long reads report progress through ledgerctl.progress; the bar itself appears only on a watched terminal."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from ledgerctl import progress
from ledgerctl.store.books import Books
from ledgerctl.store.bulk import map_ledgers


def _stem(record) -> str:  # type: ignore[no-untyped-def]
    return record.customer.id


@pytest.fixture
def reported(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, int, int]]]:
    calls: list[tuple[str, int, int]] = []

    @contextmanager
    def reporter(total: int, what: str) -> Iterator[progress.Advance]:
        calls.append((what, total, 0))
        yield lambda n: calls.append((what, total, n))

    monkeypatch.setattr(progress, "MIN_ITEMS", 1)
    progress.report_with(reporter)
    yield calls
    progress.report_with(None)


def test_every_file_read_advances_the_bar_once(sample_books, reported) -> None:  # type: ignore[no-untyped-def]
    books = Books.open(sample_books.root)
    relpaths = books.ledger_relpaths()
    done = [stem for _, stem in map_ledgers(books.root, relpaths, _stem)]
    assert len(done) == len(relpaths) == 10
    assert reported[0] == ("reading ledgers", 10, 0)
    assert sum(n for _, _, n in reported[1:]) == 10


def test_small_books_and_no_reporter_show_nothing(sample_books, reported, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    books = Books.open(sample_books.root)
    monkeypatch.setattr(progress, "MIN_ITEMS", 11)
    list(map_ledgers(books.root, books.ledger_relpaths(), _stem))
    progress.report_with(None)
    monkeypatch.setattr(progress, "MIN_ITEMS", 1)
    list(map_ledgers(books.root, books.ledger_relpaths(), _stem))
    assert reported == []


def test_the_bar_draws_on_a_terminal_and_leaves_no_trace(monkeypatch: pytest.MonkeyPatch) -> None:
    from rich.console import Console

    from ledgerctl.render import output
    from ledgerctl.render import progress as bar_module

    screen = io.StringIO()
    monkeypatch.setattr(output, "err", lambda: Console(file=screen, force_terminal=True, width=80))
    monkeypatch.setattr(bar_module, "SHOW_AFTER_SECONDS", 0)
    with bar_module.file_bar(3, "reading ledgers") as advance:
        for _ in range(3):
            advance(1)
    assert "reading ledgers" in screen.getvalue()


def test_the_cli_plugs_the_bar_in_only_for_a_watched_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from ledgerctl.cli import app as cli_app
    from ledgerctl.render.progress import file_bar

    class Stderr(io.StringIO):
        def __init__(self, tty: bool):
            super().__init__()
            self.tty = tty

        def isatty(self) -> bool:
            return self.tty

    monkeypatch.delenv("LEDGERCTL_NO_PROGRESS", raising=False)
    try:
        for tty, switched_off, expected in ((False, False, None), (True, True, None), (True, False, file_bar)):
            progress.report_with(None)
            monkeypatch.setattr(sys, "stderr", Stderr(tty))
            if switched_off:
                monkeypatch.setenv("LEDGERCTL_NO_PROGRESS", "1")
            else:
                monkeypatch.delenv("LEDGERCTL_NO_PROGRESS", raising=False)
            cli_app._progress_on_a_terminal()
            assert progress._reporter is expected, (tty, switched_off)
    finally:
        progress.report_with(None)
