"""The one way into the books: ``--books``, ``$LEDGERCTL_BOOKS`` or the working directory → an opened object.

Every command opens here and hands what it got to one ops function; no ops function takes a path to
the books. The CLI never imports ``store/`` or ``gitops/``: these are the only handles it holds.
Where the books are is decided by ``store.books.find_books`` (SPEC 2); the ``LEDGERCTL_*`` settings
that shape a run (lock timeout, cache, workers) are read by the store when the opened books are used.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.errors import UsageError
from ..store.books import Books, find_books

if TYPE_CHECKING:  # a report never loads the writing machinery (git, YAML writer, validation)
    from ..gitops.repo import GitRepo
    from .session import Notify, WriteSession


def open_books(books_dir: Path | None = None, *, strict_config: bool = True) -> Books:
    """The books for reading. ``strict_config=False`` opens books whose ledgerctl.yaml is broken (check, doctor)."""
    return Books.open(books_dir, strict_config=strict_config)


def open_repo(books_dir: Path | None = None) -> GitRepo:
    """The git repository of the books, for commands that read history (history, verify)."""
    from ..gitops.repo import GitRepo

    repo = GitRepo(find_books(books_dir))
    repo.ensure_repository()
    return repo


def open_repo_here() -> GitRepo:
    """The repository git runs us in (merge driver, pre-receive hook): the working directory, books or not."""
    from ..gitops.repo import GitRepo

    return GitRepo(Path.cwd())


def books_root_or_none(books_dir: Path | None = None) -> Path | None:
    """Where the books are, or None outside any books (``schema`` then writes into ./schemas)."""
    try:
        return find_books(books_dir)
    except UsageError:
        return None


@contextmanager
def open_session(books_dir: Path | None, notify: Notify) -> Iterator[WriteSession]:
    """The books for writing: under the books' lock, an interrupted change recovered first (see ops/session.py)."""
    from .session import write_session

    with write_session(books_dir, notify) as session:
        yield session
