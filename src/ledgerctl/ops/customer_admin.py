"""`customer rename|merge|archive|unarchive`: customer data hygiene, each one transaction and one commit.

A rename deletes the old ledger and writes the new one in the same transaction (the journal
records the deletion, so a crash is completed or undone like any change), and renames the
customer wherever ledgerctl.yaml names it. `history` follows the rename by its trailer.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from ..core.engine import balance
from ..core.errors import UsageError
from ..core.money import fmt_plain
from ..gitops.repo import commit_message
from ..store.books import CONFIG_NAME, LoadedLedger, check_customer_id
from ..store.ledgerfile import load_config
from ..store.yamlload import LineDict, parse
from ..store.yamlwrite import insert_entries, set_header_field
from .session import Change, WriteSession

RENAME_TRAILER = "Ledger-Rename"  # "OLD NEW": how `history NEW` finds the file's earlier name


@dataclass(frozen=True)
class AdminResult:
    customer: str
    commit: str | None
    files: list[str]
    moved: int = 0  # entries moved by a merge


def _loaded(session: WriteSession, customer_id: str) -> LoadedLedger:
    loaded = session.books.load(customer_id)
    session.books.require_valid(loaded)
    session.ensure_clean(loaded.source.file)
    assert loaded.parsed is not None and loaded.source.customer is not None
    return loaded


def _with_trailer(message: str, old: str, new: str) -> str:
    return message.rstrip("\n") + f"\n{RENAME_TRAILER}: {old} {new}\n"


def _renamed_config(text: str, old: str, new: str) -> str:
    """ledgerctl.yaml with every reference to customer ``old`` naming ``new``: import rules, reviewed pairs."""
    tree = parse(text)
    if not isinstance(tree, LineDict):
        return text
    edits: list[tuple[int, int, str]] = []
    offsets = [0]
    for line in text.splitlines(keepends=True):
        offsets.append(offsets[-1] + len(line))

    def replace_value(node: LineDict, key: str, value: str) -> None:
        start_row, start_col, end_row, end_col = node.spans[key]
        edits.append((offsets[start_row] + start_col, offsets[end_row] + end_col, value))

    rules = (tree.get("import") or {}).get("rules") if isinstance(tree.get("import"), dict) else None
    for rule in rules or []:
        if isinstance(rule, LineDict) and str(rule.get("customer")) == old:
            replace_value(rule, "customer", new)
    check = tree.get("check")
    ignore = check.get("ignore") if isinstance(check, LineDict) else None
    if isinstance(check, LineDict) and ignore and any(old in str(item).split("+") for item in ignore):
        renamed = [
            "+".join(new if part.strip() == old else part.strip() for part in str(item).split("+")) for item in ignore
        ]
        replace_value(check, "ignore", "[" + ", ".join(renamed) + "]")
    for start, end, value in sorted(edits, reverse=True):
        text = text[:start] + value + text[end:]
    return text


def rename_customer(session: WriteSession, old: str, new: str, *, commit: bool = True) -> AdminResult:
    check_customer_id(new)
    if new == old:
        raise UsageError(f"{old} is already called {new}")
    loaded = _loaded(session, old)
    new_path = session.books.ledger_path(new)
    if new_path.exists():
        raise UsageError(
            f"customer {new!r} already exists", hint=f"to combine the two, use `ledgerctl customer merge {old} {new}`"
        )
    new_relpath = session.books.relpath(new_path)
    assert loaded.parsed is not None
    text = set_header_field(loaded.parsed.text, loaded.parsed.tree, "id", new)
    # Validated as the new file, with the entries it already had: its ids are not new to the books.
    as_new = LoadedLedger(dataclasses.replace(loaded.source, file=new_relpath, stem=new), loaded.parsed)
    session.validated(as_new, text)
    changes: list[Change] = [(loaded.source.file, None, loaded.parsed.raw), (new_relpath, text, None)]  # type: ignore[list-item]
    config_path = session.books.root / CONFIG_NAME
    if config_path.is_file():
        raw = config_path.read_bytes()
        config_text = _renamed_config(raw.decode("utf-8"), old, new)
        if config_text != raw.decode("utf-8"):
            session.ensure_clean(CONFIG_NAME)
            if load_config(config_path, config_text.encode("utf-8"))[0] is None:
                raise UsageError(f"renaming {old} in {CONFIG_NAME} would break it; nothing was changed")
            changes.append((CONFIG_NAME, config_text, raw))
    message = _with_trailer(commit_message(f"rename customer {old} to {new}", [new, old]), old, new)
    head = session.commit(changes, message, commit=commit)
    return AdminResult(new, head, [c[0] for c in changes])


def merge_customers(session: WriteSession, source: str, into: str, *, commit: bool = True) -> AdminResult:
    """Move every entry of ``source`` into ``into`` and archive ``source``; one commit."""
    if source == into:
        raise UsageError("a customer cannot be merged into itself")
    src, dst = _loaded(session, source), _loaded(session, into)
    assert src.source.customer is not None and dst.source.customer is not None
    assert src.parsed is not None and dst.parsed is not None
    if src.source.customer.currency != dst.source.customer.currency:
        raise UsageError(
            f"{source} keeps {src.source.customer.currency} and {into} {dst.source.customer.currency}: "
            "customers of different currencies cannot be merged (every amount of a ledger is in its "
            "currency)"
        )
    entries = list(src.source.entries)
    if entries:
        # The entries' dates are kept: a move, not a posting, so a closed period does not refuse it.
        into_text = insert_entries(dst.parsed.text, dst.parsed.tree, entries, dst.source.customer.currency)
    else:
        into_text = dst.parsed.text
    source_obj, parsed, added = session._load_new(dst, into_text)
    # The moved ids leave `source` in the same commit: checked against the books without it.
    session._checked(source_obj, parsed, added, {})
    emptied = _without_entries(src.parsed.text)
    emptied = set_header_field(emptied, parse(emptied), "archived", True)
    session.validated(LoadedLedger(dataclasses.replace(src.source, entries=[]), src.parsed), emptied)
    changes: list[Change] = [(dst.source.file, into_text, dst.parsed.raw), (src.source.file, emptied, src.parsed.raw)]
    message = commit_message(
        f"merge customer {source} into {into}: {len(entries)} entries moved, {source} archived",
        [into, source],
        [e.id for e in entries],
    )
    head = session.commit(changes, message, commit=commit)
    return AdminResult(into, head, [c[0] for c in changes], len(entries))


def _without_entries(text: str) -> str:
    """The ledger with its header only (`entries:` left empty): the entries moved elsewhere."""
    tree = parse(text)
    if "entries" not in tree.key_lines:
        return text
    lines = text.splitlines(keepends=True)
    key_row, end_row = tree.key_lines["entries"] - 1, tree.spans["entries"][2]
    nl = "\r\n" if lines[key_row].endswith("\r\n") else "\n"
    return "".join(lines[:key_row]) + f"entries:{nl}" + "".join(lines[end_row + 1 :])


def set_archived(session: WriteSession, customer_id: str, archived: bool, *, commit: bool = True) -> AdminResult:
    loaded = _loaded(session, customer_id)
    customer = loaded.source.customer
    assert customer is not None and loaded.parsed is not None
    if customer.archived == archived:
        raise UsageError(f"{customer_id} is {'already' if archived else 'not'} archived")
    if archived:
        owed = balance(loaded.source.entries, dt.date.max)  # after every entry: future-dated ones count too
        if owed:
            raise UsageError(
                f"{customer_id} has an open balance of {fmt_plain(owed, customer.currency)} "
                f"{customer.currency}: only a settled customer is archived",
                hint="settle it first (a payment, a credit note or a write-off), then archive it",
            )
    text = set_header_field(loaded.parsed.text, loaded.parsed.tree, "archived", True if archived else None)
    session.validated(loaded, text)
    verb = "archive" if archived else "unarchive"
    head = session.commit(
        [(loaded.source.file, text, loaded.parsed.raw)],
        commit_message(f"{verb} customer {customer_id}", [customer_id]),
        commit=commit,
    )
    return AdminResult(customer_id, head, [loaded.source.file])
