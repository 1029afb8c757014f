"""`check`'s probable-duplicate warnings across the books, and `check --ignore` recording a reviewed pair."""

from __future__ import annotations

from collections.abc import Sequence

from ..core.duplicates import CustomerKeys, customer_warnings, entry_warnings, ignored, pair_key
from ..core.errors import InvalidBooks, Problem, UsageError
from ..gitops.repo import commit_message
from ..store.books import CONFIG_NAME, Books
from ..store.bulk import map_ledgers
from ..store.cache import CachedLedger
from ..store.ledgerfile import load_config
from ..store.yamlload import parse
from ..store.yamlwrite import set_top_level
from .session import WriteSession


def _task(record: CachedLedger) -> tuple[list[Problem], CustomerKeys | None]:
    if not record.loads or record.customer is None:
        return [], None  # its problems are errors of their own
    warnings = entry_warnings(record.file, record.entries, record.lines, record.customer.currency)
    # An archived customer (a merged one) keeps its name: it is no second live customer.
    keys = None if record.customer.archived else CustomerKeys.of(record.customer, record.file)
    return warnings, keys


def duplicate_warnings(books: Books) -> list[Problem]:
    """Probable duplicate entries (per ledger, in the cache's workers) and customers, minus the reviewed ones."""
    warnings: list[Problem] = []
    customers: list[CustomerKeys] = []
    for _, (found, keys) in map_ledgers(books.root, books.ledger_relpaths(), _task):
        warnings += found
        if keys is not None:
            customers.append(keys)
    warnings += customer_warnings(customers)
    reviewed = books.config.check.ignore
    return [w for w in warnings if not ignored(w.entry or "", reviewed)]


def _normalised(text: str) -> str:
    parts = [p.strip() for p in text.split("+")]
    if len(parts) == 2 and all(parts):
        return pair_key(*parts)
    if len(parts) == 1 and parts[0]:
        return parts[0]
    raise UsageError(f"--ignore {text!r}: give an id or a pair A+B, as `check` prints it")


def record_ignored(session: WriteSession, items: Sequence[str], *, commit: bool = True) -> list[str]:
    """Add reviewed pairs to `check: {ignore: […]}` in ledgerctl.yaml; one commit. Returns the ones added."""
    current = list(session.books.config.check.ignore)
    added = [k for k in dict.fromkeys(_normalised(t) for t in items) if k not in current]
    if not added:
        raise UsageError("already recorded as reviewed: " + ", ".join(_normalised(t) for t in items))
    session.ensure_clean(CONFIG_NAME)
    path = session.books.root / CONFIG_NAME
    raw = path.read_bytes()
    text = raw.decode("utf-8")
    tree = parse(text)
    check = dict(tree.get("check") or {}) if isinstance(tree, dict) else {}
    try:
        new_text = set_top_level(text, tree, "check", {**check, "ignore": current + added})
    except ValueError as exc:
        raise UsageError(f"{CONFIG_NAME}: {exc}", hint="write it as `check: {ignore: [A+B]}`") from None
    config, problems = load_config(path, new_text.encode("utf-8"))
    if config is None:
        raise InvalidBooks(f"{CONFIG_NAME} would not be valid; nothing was changed", problems=problems)
    message = commit_message(f"check: reviewed {', '.join(added)} (not a duplicate)")
    session.commit([(CONFIG_NAME, new_text, raw)], message, commit=commit)
    return added
