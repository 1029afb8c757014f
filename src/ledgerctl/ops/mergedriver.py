"""`merge-driver`: git's three-way merge of one ledger file (SPEC 7).

Git calls ``ledgerctl merge-driver %O %A %B %P`` with the common ancestor, ours
(where the result goes), theirs and the file's path. The decision is made on the
models (:mod:`ledgerctl.core.merge3`); the text starts from ours and changes only
what the merge adds — theirs' new entries are inserted in (date, id) order with
the same writer `add` uses, header fields are replaced in place — so a clean
merge of two appends is one added line per entry in `git diff`. Conflicts are
written in git's standard form around the lines concerned. A version that does
not load as a ledger is merged by git's own line-based merge instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..core.merge3 import Conflict, MergePlan, Side, plan_merge
from ..core.money import fmt_plain
from ..core.validate import SourcedLedger
from ..gitops.merge import merge_file_as_text
from ..gitops.repo import GitRepo
from ..store.atomic import atomic_write
from ..store.ledgerfile import ParsedFile, load_ledger
from ..store.yamlload import LineDict, LineList, parse
from ..store.yamlwrite import Quoted, add_allocations, insert_entry, set_header_field

MARKER = 7
BOM = b"\xef\xbb\xbf"


@dataclass
class DriverOutcome:
    conflicts: list[str]

    @property
    def clean(self) -> bool:
        return not self.conflicts


Loaded = tuple[SourcedLedger, ParsedFile | None]


def _load(relpath: str, raw: bytes) -> Loaded:
    return load_ledger(Path(relpath), relpath, raw=raw)


def _ok(loaded: Loaded) -> bool:
    source, parsed = loaded
    return parsed is not None and source.customer is not None and not source.problems


def _side(loaded: Loaded) -> Side:
    return Side(loaded[0].customer, loaded[0].entries)


def plan_for(relpath: str, base: bytes | None, ours: bytes, theirs: bytes) -> tuple[MergePlan, Loaded, Loaded] | None:
    """The merge plan of three versions, or None when one does not load (then only a text merge is possible)."""
    o, t = _load(relpath, ours), _load(relpath, theirs)
    b = _load(relpath, base) if base else None
    if not (_ok(o) and _ok(t) and (b is None or _ok(b))):
        return None
    return plan_merge(_side(b) if b else None, _side(o), _side(t)), o, t


def _file_value(value: Any, currency: str) -> Any:
    if isinstance(value, Decimal):
        return Quoted(fmt_plain(value, currency))
    if isinstance(value, dict):
        return {k: _file_value(v, currency) for k, v in value.items()}
    return value


def merged_text(ours: ParsedFile, plan: MergePlan, currency: str) -> str:
    """Ours with theirs' header changes and new entries; every other byte as ours had it."""
    text = ours.text
    for key, value in plan.header.items():  # re-parse between edits: each one moves what follows
        text = set_header_field(text, parse(text), key, _file_value(value, currency))
    for credit, gained in plan.allocations.items():
        text = add_allocations(
            text, parse(text), credit, {k: Quoted(fmt_plain(v, currency)) for k, v in gained.items()}
        )
    for entry in plan.add:
        text = insert_entry(text, parse(text), entry, currency)
    return text


def _entry_range(tree: Any, entry_id: str) -> tuple[int, int] | None:
    entries = tree.get("entries") if isinstance(tree, LineDict) else None
    if not isinstance(entries, LineList):
        return None
    for item, span in zip(entries, entries.item_spans, strict=True):
        if isinstance(item, dict) and str(item.get("id")) == entry_id:
            return span[0], span[2] + 1
    return None


def _header_range(tree: Any, key: str) -> tuple[int, int] | None:
    header = tree.get("customer") if isinstance(tree, LineDict) else None
    if not isinstance(header, LineDict) or key not in header.key_lines:
        return None
    return header.key_lines[key] - 1, header.spans[key][2] + 1


def _header_end(tree: Any) -> int:
    header: LineDict = tree["customer"]
    return max(span[2] for span in header.spans.values()) + 1 if header.spans else header.line


def with_conflicts(text: str, conflicts: list[Conflict], theirs: ParsedFile) -> str:
    """Wrap each conflicting entry or header field in <<<<<<< ours / ======= / >>>>>>> theirs."""
    nl = "\r\n" if "\r\n" in text else "\n"
    tree = parse(text)
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += nl
    their_lines = theirs.text.splitlines(keepends=True)
    if their_lines and not their_lines[-1].endswith("\n"):
        their_lines[-1] += nl
    blocks: list[tuple[int, int, list[str]]] = []
    for conflict in conflicts:
        find = _entry_range if conflict.kind == "entry" else _header_range
        mine = find(tree, conflict.key)
        other = find(theirs.tree, conflict.key)
        if mine is None:
            at = len(lines) if conflict.kind == "entry" else _header_end(tree)
            mine = (at, at)
        blocks.append((mine[0], mine[1], their_lines[other[0] : other[1]] if other else []))
    for start, end, replacement in sorted(blocks, reverse=True):
        lines[start:end] = [
            "<" * MARKER + " ours" + nl,
            *lines[start:end],
            "=" * MARKER + nl,
            *replacement,
            ">" * MARKER + " theirs" + nl,
        ]
    return "".join(lines)


def _merged(relpath: str, base_raw: bytes, ours_raw: bytes, theirs_raw: bytes) -> tuple[str, list[str]] | None:
    """(the merged text, the conflicts) decided on the models; None when only git's line merge can do it."""
    planned = plan_for(relpath, base_raw or None, ours_raw, theirs_raw)
    if planned is None:
        return None
    plan, (o_src, o_parsed), (t_src, t_parsed) = planned
    assert o_parsed is not None and t_parsed is not None and o_src.customer is not None
    try:
        text = merged_text(o_parsed, plan, o_src.customer.currency)
    except ValueError:  # an entry laid out too unusually to gain allocations in place
        return None
    if plan.conflicts:
        return with_conflicts(text, plan.conflicts, t_parsed), [f"{relpath}: {c.message}" for c in plan.conflicts]
    merged, parsed = _load(relpath, text.encode("utf-8"))
    wanted = {e.id for e in o_src.entries} | {e.id for e in t_src.entries}
    if parsed is None or merged.problems or not wanted <= {e.id for e in merged.entries}:
        return None  # the writer could not express it: let git merge the lines
    return text, []


def merge_driver(base: Path, ours: Path, theirs: Path, relpath: str, repo: GitRepo) -> DriverOutcome:
    """Merge theirs into the file ``ours`` (git's %A); the conflicts, as messages."""
    base_raw = base.read_bytes() if base.is_file() else b""
    ours_raw, theirs_raw = ours.read_bytes(), theirs.read_bytes()
    merged = _merged(relpath, base_raw, ours_raw, theirs_raw)
    if merged is None:
        count = merge_file_as_text(repo, ours, base, theirs)
        if count == 0:
            return DriverOutcome([])
        return DriverOutcome(
            [
                f"{relpath}: could not be merged entry by entry (a version does not load as a "
                f"ledger), so it was merged line by line with {max(count, 1)} conflict(s)"
            ]
        )
    text, conflicts = merged
    atomic_write(ours, (BOM if ours_raw.startswith(BOM) else b"") + text.encode("utf-8"))
    return DriverOutcome(conflicts)
