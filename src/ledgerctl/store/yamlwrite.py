"""Span-precise edits of a bookkeeper's YAML file.

A round-trip dumper re-emits the whole document and tends to re-indent or
re-wrap what it did not touch. Instead we change text only where the change
is: an added entry is one inserted line (or block), a header field is the
replacement of exactly that value's characters. Comments, key order, quoting
and layout of everything else keep their bytes, so ``git diff`` shows the change
and nothing else. The parse tree from :mod:`yamlload` supplies the positions.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from ..core.models import ENTRY_KEY_ORDER, EntryBase
from ..core.money import fmt_plain
from .yamlload import LineDict, LineList, parse, resolve_plain

HEADER_KEY_ORDER = (
    "id",
    "name",
    "currency",
    "terms_days",
    "credit_limit",
    "tags",
    "aliases",
    "bank_accounts",
    "segments",
    "contact",
    "notes",
    "tax_id",
    "archived",
)
_SAFE_PLAIN = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`0-9+.][^,\[\]{}#\n\r\t]*")
# What YAML reads as a line break (NEL, LS, PS: folded into a space) or may not hold raw (C0/C1
# controls, DEL, BOM, U+FFFE/U+FFFF). json.dumps escapes C0 only; these are escaped too, so the
# text reads back exactly, in our loader and in any YAML 1.1 or 1.2 parser.
_NOT_RAW = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
# Words some YAML parser (1.1 or 1.2) reads as a boolean, null, value key or merge key: always quoted,
# so every tool reads text.
_RESERVED = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", "=", "<<"}


class Quoted(str):
    """Text that is always written in double quotes (amounts)."""


def scalar(value: Any) -> str:
    if isinstance(value, Quoted):
        return json.dumps(str(value), ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    plain_ok = (
        _SAFE_PLAIN.fullmatch(text)  # fullmatch: "$" would let a final newline through
        and not _NOT_RAW.search(text)
        and ": " not in text
        and " #" not in text
        and not text.endswith((":", " "))
        and isinstance(resolve_plain(text), str)
        and text.lower() not in _RESERVED
    )
    return text if plain_ok else _double_quoted(text)


def _double_quoted(text: str) -> str:
    return _NOT_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


def flow(value: Any) -> str:
    """A value in YAML flow style, on one line."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{scalar(k)}: {flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    return scalar(value)


def entry_fields(entry: EntryBase, currency: str) -> dict[str, Any]:
    """An entry as ordered key/values, amounts quoted with the currency's digits."""
    data = entry.model_dump(exclude_none=True)
    out: dict[str, Any] = {}
    for key in ENTRY_KEY_ORDER:
        if key not in data:
            continue
        value = data[key]
        if key == "amount":
            value = Quoted(fmt_plain(value, currency))
        elif key == "allocations":
            value = {k: Quoted(fmt_plain(v, currency)) for k, v in value.items()}
        out[key] = value
    return out


def _newline(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def _line_offsets(text: str) -> list[int]:
    offsets = [0]
    for index, char in enumerate(text):
        if char == "\n":
            offsets.append(index + 1)
    return offsets


def insert_entry(text: str, tree: Any, entry: EntryBase, currency: str) -> str:
    """Insert ``entry`` at its (date, id) place; every other byte stays as it was."""
    nl = _newline(text)
    fields = entry_fields(entry, currency)
    lines = text.splitlines(keepends=True)
    entries = tree.get("entries") if isinstance(tree, LineDict) else None

    if not isinstance(entries, LineList) or not entries:
        rendered = f"  - {flow(fields)}{nl}"
        key_line = tree.key_lines.get("entries") if isinstance(tree, LineDict) else None
        if key_line is None:
            body = text if not text or text.endswith("\n") else text + nl
            return f"{body}entries:{nl}{rendered}"
        index = key_line - 1
        if isinstance(entries, LineList):  # "entries: []" — the only case where a line must change
            lines[index] = re.sub(r"\[\s*\]", "", lines[index], count=1).rstrip() + nl
        lines.insert(index + 1, rendered)
        return "".join(lines)

    new_key = (entry.date.isoformat(), entry.id)
    after = -1
    for position, item in enumerate(entries):
        if isinstance(item, dict) and (str(item.get("date")), str(item.get("id"))) <= new_key:
            after = position
    template_line, template_col = entries.item_spans[0][0], entries.item_spans[0][1]
    rendered = _render_like(lines[template_line], template_col, fields, nl)
    if after < 0:
        index = entries.item_spans[0][0]
    else:
        index = entries.item_spans[after][2] + 1
    if index > len(lines):
        index = len(lines)
    if index == len(lines) and lines and not lines[-1].endswith("\n"):
        lines[-1] += nl
    lines.insert(index, rendered)
    return "".join(lines)


def insert_entries(text: str, tree: Any, entries: Sequence[EntryBase], currency: str) -> str:
    """Insert several entries, each at its (date, id) place, from one parse of the file (a batch of
    hundreds into one ledger must not re-parse it per entry)."""
    ordered = sorted(entries, key=lambda e: (e.date.isoformat(), e.id))
    if not ordered:
        return text
    items = tree.get("entries") if isinstance(tree, LineDict) else None
    if not isinstance(items, LineList) or not items:  # no list to copy the style of yet: start it with the first
        text = insert_entry(text, tree, ordered[0], currency)
        return insert_entries(text, parse(text), ordered[1:], currency) if len(ordered) > 1 else text
    keys = [(str(item.get("date")), str(item.get("id"))) if isinstance(item, dict) else None for item in items]
    return insert_at(
        text,
        keys,
        [span[0] for span in items.item_spans],
        [span[2] for span in items.item_spans],
        items.item_spans[0][1],
        ordered,
        currency,
    )


def insert_at(
    text: str,
    keys: Sequence[tuple[str, str] | None],
    starts: Sequence[int],
    ends: Sequence[int],
    item_col: int,
    entries: Sequence[EntryBase],
    currency: str,
) -> str:
    """Insert entries into a non-empty entries list whose items are known: each item's (date, id), first and
    last line (0-based), and the column its content starts at (the style is copied from the first item)."""
    nl = _newline(text)
    lines = text.splitlines(keepends=True)
    template = lines[starts[0]]
    inserts: dict[int, list[str]] = {}
    for entry in sorted(entries, key=lambda e: (e.date.isoformat(), e.id)):
        new_key = (entry.date.isoformat(), entry.id)
        after = max((n for n, key in enumerate(keys) if key is not None and key <= new_key), default=-1)
        index = min(starts[0] if after < 0 else ends[after] + 1, len(lines))
        inserts.setdefault(index, []).append(_render_like(template, item_col, entry_fields(entry, currency), nl))
    if len(lines) in inserts and lines and not lines[-1].endswith("\n"):
        lines[-1] += nl
    for index in sorted(inserts, reverse=True):
        lines[index:index] = inserts[index]
    return "".join(lines)


def _render_like(sample_line: str, item_col: int, fields: dict[str, Any], nl: str) -> str:
    """Render in the style of an existing item: its indentation, flow or block."""
    dash = sample_line.find("-")
    dash = dash if 0 <= dash < item_col else max(item_col - 2, 0)
    prefix = sample_line[:dash]
    if sample_line[item_col : item_col + 1] == "{":
        return f"{prefix}- {flow(fields)}{nl}"
    indent = " " * item_col
    out = []
    for number, (key, value) in enumerate(fields.items()):
        lead = f"{prefix}- " + " " * max(item_col - dash - 2, 0) if number == 0 else indent
        out.append(f"{lead}{key}: {flow(value)}{nl}")
    return "".join(out)


def set_header_field(text: str, tree: LineDict, key: str, value: Any) -> str:
    """Replace (or add, or with ``None`` remove) one field of the customer header."""
    header = tree["customer"]
    lines = text.splitlines(keepends=True)
    nl = _newline(text)
    offsets = _line_offsets(text)

    if key in header.key_lines and value is not None and header.spans[key][0] != header.key_lines[key] - 1:
        # A block collection: edit inside it, so untouched items keep their lines and comments.
        current = header[key]
        inside = None
        if isinstance(current, LineDict) and isinstance(value, dict) and value:
            inside = _edit_block_mapping(text, current, value)
        elif isinstance(current, LineList) and isinstance(value, list):
            inside = _edit_block_list(text, current, value)
        if inside is not None:
            return inside

    if key in header.key_lines:
        key_row = header.key_lines[key] - 1
        start_row, start_col, end_row, end_col = header.spans[key]
        end_of_value = offsets[end_row] + end_col
        if value is None:
            last_row = end_row
            return "".join(lines[:key_row] + lines[last_row + 1 :])
        new_text = flow(value)
        if start_row == key_row:
            start = offsets[start_row] + start_col
            return text[:start] + new_text + text[end_of_value:]
        # A block value on the following lines becomes a flow value on the key's line.
        key_text = lines[key_row].rstrip("\r\n")
        comment = re.search(r"\s+#.*$", key_text)
        head = key_text[: comment.start()] if comment else key_text
        tail = key_text[comment.start() :] if comment else ""
        start = offsets[key_row]
        return text[:start] + f"{head} {new_text}{tail}" + text[end_of_value:]

    if value is None:
        return text
    indent = "  "
    first_key = next(iter(header.key_lines), None)
    if first_key is not None:
        key_row = header.key_lines[first_key] - 1
        indent = re.match(r"\s*", lines[key_row]).group(0)  # type: ignore[union-attr]
    wanted = HEADER_KEY_ORDER.index(key) if key in HEADER_KEY_ORDER else len(HEADER_KEY_ORDER)
    rank = {k: i for i, k in enumerate(HEADER_KEY_ORDER)}
    before = [k for k in header.spans if rank.get(k, len(rank)) < wanted]
    anchor = before[-1] if before else next(reversed(header.spans))
    anchor_end_row = header.spans[anchor][2]
    lines.insert(anchor_end_row + 1, f"{indent}{key}: {flow(value)}{nl}")
    return "".join(lines)


def add_allocations(text: str, tree: LineDict, entry_id: str, new: dict[str, Any]) -> str:
    """Give a posted credit more allocations: existing ones keep their text, new keys are appended."""
    entries = tree["entries"]
    index = next(i for i, item in enumerate(entries) if isinstance(item, dict) and str(item.get("id")) == entry_id)
    item: LineDict = entries[index]
    offsets = _line_offsets(text)
    current = item.get("allocations")
    if isinstance(current, LineDict):
        if item.spans["allocations"][0] == item.key_lines["allocations"] - 1:  # flow mapping on the key's line
            merged = {str(k): Quoted(str(v)) for k, v in current.items()} | new
            start_row, start_col, end_row, end_col = item.spans["allocations"]
            return text[: offsets[start_row] + start_col] + flow(merged) + text[offsets[end_row] + end_col :]
        edited = _edit_block_mapping(text, current, {str(k): Quoted(str(v)) for k, v in current.items()} | new)
        if edited is not None:
            return edited
        raise ValueError(f"cannot add allocations to {entry_id}: unusual layout")
    start_row, start_col, end_row, end_col = entries.item_spans[index]
    if text[offsets[start_row] + start_col] == "{":  # one flow mapping: insert before its closing brace
        close = offsets[end_row] + end_col - 1
        if text[close] != "}":
            raise ValueError(f"cannot add allocations to {entry_id}: unusual layout")
        return text[:close] + f", allocations: {flow(new)}" + text[close:]
    nl = _newline(text)
    at = offsets[end_row + 1] if end_row + 1 < len(offsets) else len(text)
    line = f"{' ' * start_col}allocations: {flow(new)}{nl}"
    return text[:at] + (line if text[:at].endswith("\n") else nl + line) + text[at:]


def set_top_level(text: str, tree: LineDict, key: str, value: Any) -> str:
    """Set a top-level key of a mapping document (the configuration), adding it at the end if missing."""
    offsets = _line_offsets(text)
    if key in tree.spans and tree.spans[key][0] == tree.key_lines[key] - 1:
        start_row, start_col, end_row, end_col = tree.spans[key]
        return text[: offsets[start_row] + start_col] + flow(value) + text[offsets[end_row] + end_col :]
    if key in tree.key_lines:
        raise ValueError(f"{key} has an unusual layout; edit it by hand")
    nl = _newline(text)
    body = text if not text or text.endswith("\n") else text + nl
    return f"{body}{key}: {flow(value)}{nl}"


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, (dict, list, tuple))


def _edit_block_mapping(text: str, node: LineDict, new: dict[str, Any]) -> str | None:
    """Change, add or remove keys of a block mapping of scalars, line by line; None if it is not that simple."""
    if not all(_is_scalar(v) for v in (*node.values(), *new.values())):
        return None
    if any(node.spans[k][0] != node.spans[k][2] or node.spans[k][0] != node.key_lines[k] - 1 for k in node):
        return None  # multi-line scalars: leave it to the flow rewrite
    lines = text.splitlines(keepends=True)
    nl = _newline(text)
    offsets = _line_offsets(text)
    first = next(iter(node.key_lines))
    indent = re.match(r"\s*", lines[node.key_lines[first] - 1]).group(0)  # type: ignore[union-attr]
    edits: list[tuple[int, int, str]] = []  # (start offset, end offset, replacement), applied bottom-up
    last_row = max(span[2] for span in node.spans.values())
    added = "".join(f"{indent}{k}: {scalar(v)}{nl}" for k, v in new.items() if k not in node)
    if added:
        at = offsets[last_row + 1] if last_row + 1 < len(offsets) else len(text)
        edits.append((at, at, added if text[:at].endswith("\n") else nl + added))
    for k in node:
        row = node.key_lines[k] - 1
        if k not in new:
            edits.append((offsets[row], offsets[row + 1] if row + 1 < len(offsets) else len(text), ""))
        elif new[k] != node[k]:
            start_row, start_col, end_row, end_col = node.spans[k]
            edits.append((offsets[start_row] + start_col, offsets[end_row] + end_col, scalar(new[k])))
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def _edit_block_list(text: str, node: LineList, new: list[Any]) -> str | None:
    """Append or delete items of a block list of scalars, line by line; None if the change is not that simple."""
    if not new or not all(_is_scalar(v) for v in (*node, *new)):
        return None
    kept = [item for item in node if item in new]
    if new[: len(kept)] != kept or any(span[0] != span[2] for span in node.item_spans):
        return None  # reordered or multi-line items
    lines = text.splitlines(keepends=True)
    nl = _newline(text)
    last = node.item_spans[-1][0]
    prefix = lines[last][: node.item_spans[-1][1]]
    appended = [f"{prefix}{scalar(v)}{nl}" for v in new[len(kept) :]]
    if appended and not lines[last].endswith("\n"):
        lines[last] += nl
    lines[last + 1 : last + 1] = appended
    for item, span in sorted(zip(node, node.item_spans, strict=True), key=lambda pair: pair[1][0], reverse=True):
        if item not in new:
            del lines[span[0]]
    return "".join(lines)


def render_new_ledger(header: dict[str, Any]) -> str:
    """The text of a new customer file; entries are appended later, one line each."""
    out = ["# yaml-language-server: $schema=../schemas/ledger.schema.json", "customer:"]
    for key in HEADER_KEY_ORDER:
        if header.get(key) not in (None, [], {}):
            out.append(f"  {key}: {flow(header[key])}")
    out.append("entries:")
    return "\n".join(out) + "\n"
