"""Loading the books for reports: filters, and a refusal when files do not even load."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..core.errors import InvalidBooks
from ..core.models import Customer, EntryBase
from ..store.books import Books


def report_ledgers(books_dir: Path | None, tags: Sequence[str] | None = None) -> tuple[Books, list[tuple[Customer, list[EntryBase]]]]:
    """Every customer with all of ``tags``; a file that does not load stops the report (numbers would be wrong)."""
    books = Books.open(books_dir)
    wanted = set(tags or [])
    selected = []
    problems = []
    for loaded in books.iter_ledgers():
        source = loaded.source
        if source.problems or source.customer is None:
            problems += source.problems
            continue
        if wanted <= set(source.customer.tags):
            selected.append((source.customer, source.entries))
    if problems:
        raise InvalidBooks("some ledger files do not load; the report would be wrong", problems=problems,
                           hint="fix them (see `ledgerctl check`), or restore them with `git checkout -- FILE`")
    return books, selected
