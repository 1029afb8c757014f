"""`statement --all`: one file per customer (HTML, PDF or CSV), written all or nothing."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from .. import progress
from ..core.errors import UsageError

if TYPE_CHECKING:  # shapes what ops computed, never asks ops for more
    from ..ops.statements import StatementRun


def file_name(customer_id: str, run: StatementRun, extension: str) -> str:
    return f"{customer_id}-{run.period_from.isoformat()}-{run.period_to.isoformat()}.{extension}"


def statement_files(run: StatementRun, format: str) -> list[tuple[str, bytes]] | Iterator[tuple[str, bytes]]:
    """(file name, content) per statement. Every page is rendered before the first file is written or printed,
    so a template the sandbox refuses stops the run with nothing written."""
    names = [file_name(s.customer.id, run, format) for s in run.statements]
    if format == "csv":
        from .output import csv_document
        from .statement import statement_csv

        documents = [csv_document(*statement_csv(s)).encode("utf-8") for s in run.statements]
        return list(zip(names, documents, strict=True))
    from .statement import statement_renderer

    render = statement_renderer(run.templates)
    pages = [render(s, run.company) for s in run.statements]
    if format == "html":
        return [(name, page.encode("utf-8")) for name, page in zip(names, pages, strict=True)]
    return _printed(names, pages)


def _printed(names: list[str], pages: list[str]) -> Iterator[tuple[str, bytes]]:
    from .pdf import pdf_pages

    with progress.track(len(pages), "printing PDFs", minimum=2) as advance:
        for name, pdf in zip(names, pdf_pages(pages), strict=True):
            yield name, pdf
            advance(1)


def write_files(folder: Path, files: Iterable[tuple[str, bytes]]) -> list[Path]:
    """Each file first as a hidden temporary in ``folder``, then all renamed into place: a run stopped midway (no
    browser, a full disk, Ctrl-C) leaves no statement half written and none from this run at all."""
    staged: list[tuple[Path, Path]] = []
    created = not folder.exists()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in files:
            path = folder / name
            temporary = folder / f".{name}.tmp"
            staged.append((temporary, path))
            temporary.write_bytes(data)
    except BaseException as exc:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        if created and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
        if isinstance(exc, OSError):
            raise cannot_write(folder, exc) from None
        raise
    for temporary, path in staged:
        os.replace(temporary, path)
    return [path for _, path in staged]


def cannot_write(path: Path, exc: OSError) -> UsageError:
    return UsageError(f"--out {path}: cannot write there ({exc.strerror or type(exc).__name__}); nothing was written")
