"""`init DIR --from-export FILE.jsonl`: new books from a jsonl export (anonymised or not), in one commit.

Everything is read and validated (every rule of `check`, over the exact text to be written) before the
folder is touched, so a bad file leaves nothing behind. The rows come back through core/exportrows.py,
the module that made them.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.errors import InvalidBooks, UsageError
from ..core.exportrows import EXPORT_FORMAT, EXPORT_VERSION, ledgers_of
from ..core.models import Customer, EntryBase
from ..core.money import fmt_plain
from ..core.validate import SourcedLedger, validate_books
from ..gitops.repo import GitRepo, commit_message
from ..store.atomic import atomic_write
from ..store.books import CONFIG_NAME, LEDGER_DIR
from ..store.ledgerfile import load_config, load_ledger
from ..store.yamlwrite import Quoted, entry_fields, flow, render_new_ledger
from .initbooks import init_books


@dataclass(frozen=True)
class FromExport:
    root: Path
    customers: int
    entries: int


def _lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise UsageError(
            f"{path} is not UTF-8 text; give the jsonl file `ledgerctl export --format jsonl` wrote"
        ) from None
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UsageError(f"{path}:{number}: not a JSON line ({exc.msg})") from None
        if not isinstance(data, dict):
            raise UsageError(f"{path}:{number}: a line must be a JSON object")
        yield number, data


def read_export(path: Path) -> tuple[dict[str, Any], list[tuple[Customer, list[EntryBase]]]]:
    lines = list(_lines(path))
    if not lines or lines[0][1].get("kind") != "books" or lines[0][1].get("format") != EXPORT_FORMAT:
        raise UsageError(
            f"{path} is not a ledgerctl jsonl export (its first line must be the books line)",
            hint="make one with `ledgerctl export --format jsonl -o FILE.jsonl`",
        )
    books = lines[0][1]
    if books.get("version") != EXPORT_VERSION:
        raise UsageError(
            f"{path}: export version {books.get('version')!r}; this ledgerctl reads version {EXPORT_VERSION}"
        )
    rows = []
    for number, row in lines[1:]:
        if row.get("kind") == "books":
            raise UsageError(f"{path}:{number}: a second books line (one export per file)")
        rows.append(row)
    try:
        return books, ledgers_of(rows)
    except UsageError as exc:
        raise UsageError(f"{path}: {exc.message}") from None


def ledger_text(customer: Customer, entries: list[EntryBase]) -> str:
    header: dict[str, Any] = customer.model_dump(exclude_none=True)
    if customer.credit_limit is not None:
        header["credit_limit"] = Quoted(fmt_plain(customer.credit_limit, customer.currency))
    if customer.segments is not None:
        header["segments"] = customer.segments.model_dump(exclude_none=True)
    ordered = sorted(entries, key=lambda e: (e.date.isoformat(), e.id))
    return render_new_ledger(header) + "".join(f"  - {flow(entry_fields(e, customer.currency))}\n" for e in ordered)


def config_text(books: dict[str, Any]) -> str:
    config = books.get("config")
    if not isinstance(config, dict):
        raise UsageError("the books line has no config")
    lines = [
        "# yaml-language-server: $schema=schemas/config.schema.json",
        f"# made by `ledgerctl init --from-export` from an export as of {books.get('as_of')}",
        f"name: {flow(str(books.get('name') or 'receivables'))}",
    ]
    lines += [f"{key}: {flow(value)}" for key, value in config.items()]
    return "\n".join(lines) + "\n"


def _validated(ledgers: list[tuple[Customer, list[EntryBase]]], texts: dict[str, str], config: str) -> None:
    parsed_config, problems = load_config(Path(CONFIG_NAME), raw=config.encode("utf-8"))
    # The rows as they came first: the writer quantizes amounts, so "1.001" must be refused before it is written "1.00".
    problems += validate_books([SourcedLedger(f"{LEDGER_DIR}/{c.id}.yaml", c.id, c, list(e)) for c, e in ledgers])
    if not problems:
        problems += validate_books(
            [load_ledger(Path(relpath), relpath, raw=text.encode("utf-8"))[0] for relpath, text in texts.items()]
        )
    if parsed_config is None or problems:
        raise InvalidBooks("the export does not make valid books; nothing was created", problems=problems)


def init_from_export(target: Path, export_file: Path, *, today: dt.date) -> FromExport:
    books, ledgers = read_export(export_file)
    config = config_text(books)
    texts = {f"{LEDGER_DIR}/{customer.id}.yaml": ledger_text(customer, entries) for customer, entries in ledgers}
    _validated(ledgers, texts, config)
    defaults = books["config"].get("defaults") or {}
    root = init_books(
        target,
        name=str(books.get("name") or ""),
        currency=defaults.get("currency", "CNY"),
        terms_days=defaults.get("terms_days", 30),
        sample=False,
        today=today,
    )
    atomic_write(root / CONFIG_NAME, config.encode("utf-8"))
    for relpath, text in texts.items():
        atomic_write(root / relpath, text.encode("utf-8"))
    count = sum(len(entries) for _, entries in ledgers)
    GitRepo(root).commit(
        [CONFIG_NAME, *texts],
        commit_message(
            f"init books from {export_file.name}: {len(ledgers)} customers, {count} entries (export as of {books.get('as_of')})"
        ),
    )
    return FromExport(root, len(ledgers), count)
