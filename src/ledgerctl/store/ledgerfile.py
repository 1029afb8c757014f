"""Reading one ledger or config file into models, with every problem located."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from ..core.errors import Problem
from ..core.models import CUSTOMER_ID_PATTERN, ENTRY_ID_PATTERN, TAG_PATTERN, Config, Customer, Entry, EntryBase
from ..core.validate import SourcedLedger
from .yamlload import LineDict, LineList, YamlProblem, decode, parse


@dataclass
class ParsedFile:
    """The exact bytes that were read, and their parse tree (for span-precise edits)."""

    path: Path
    raw: bytes
    text: str
    tree: Any

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()


@lru_cache(maxsize=1)
def entry_adapter() -> TypeAdapter[Any]:
    return TypeAdapter(Entry)


def describe_validation_error(error: ErrorDetails) -> str:
    loc = [str(part) for part in error["loc"] if not (isinstance(part, str) and part in _ENTRY_TAGS)]
    where = ".".join(loc)
    kind = error["type"]
    if kind == "extra_forbidden":
        return f"unknown key {where!r} (a typo?)"
    if kind == "missing":
        return f"missing required key {where!r}"
    if kind == "union_tag_invalid":
        return f"unknown entry type {error['input'].get('type')!r}; expected one of {error['ctx']['expected_tags']}"
    if kind == "union_tag_not_found":
        return "the entry has no 'type'"
    if kind == "string_pattern_mismatch":
        message = _PATTERN_WORDS.get(error.get("ctx", {}).get("pattern", ""), "is not in the expected form")
        return f"{where}: {error.get('input')!r} {message}"
    if kind == "too_short" and isinstance(error.get("input"), (list, dict)):
        return f"{where}: needs at least one value"
    message = error["msg"]
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    return f"{where}: {message}" if where else message


# Users read what a pattern means, not the regular expression (pydantic's "String should match pattern '^[a-z…").
_PATTERN_WORDS = {
    CUSTOMER_ID_PATTERN: "is not a customer id: lowercase letters, digits, '.', '_' and '-', starting with a letter "
    "or digit, at most 64 characters (e.g. hx-machinery)",
    ENTRY_ID_PATTERN: "is not an entry id: letters, digits, '.', '_', '/' and '-', starting with a letter or digit, "
    "at most 64 characters",
    TAG_PATTERN: "is not a tag: lowercase letters, digits, ':', '_' and '-', starting with a letter or digit "
    "(e.g. vip, region:east)",
    r"^[A-Z]{3}$": "is not a currency code: three capital letters (ISO 4217, e.g. CNY)",
}


_ENTRY_TAGS = {
    "invoice",
    "payment",
    "credit_note",
    "write_off",
    "refund",
    "void",
    "reminder",
    "note",
    "promise",
    "balance",
}


def _line_of(node: Any, loc: tuple[Any, ...], default: int | None) -> int | None:
    """Follow a pydantic error location through the parse tree to the nearest line."""
    line = default
    for part in loc:
        if isinstance(node, LineDict):
            if part in node.key_lines:
                line = node.key_lines[part]
                node = node.get(part)
            elif part in _ENTRY_TAGS:
                continue
            else:
                break
        elif isinstance(node, LineList) and isinstance(part, int) and part < len(node):
            line = node.item_lines[part]
            node = node[part]
        else:
            break
    return line


def read_file(path: Path) -> ParsedFile:
    return parse_bytes(path, path.read_bytes())


def parse_bytes(path: Path, raw: bytes) -> ParsedFile:
    text = decode(raw)
    return ParsedFile(path=path, raw=raw, text=text, tree=parse(text))


def load_ledger(path: Path, relpath: str, raw: bytes | None = None) -> tuple[SourcedLedger, ParsedFile | None]:
    """A ledger with everything that could be validated, and the problems of the rest.

    ``raw`` loads given bytes (a git blob, a file about to be written) instead of the file.
    """
    src = SourcedLedger(file=relpath, stem=path.stem, customer=None)

    def fail(message: str, line: int | None = None, code: str = "yaml", entry: str | None = None) -> None:
        src.problems.append(Problem(code=code, message=message, file=relpath, line=line, entry=entry))

    try:
        parsed = read_file(path) if raw is None else parse_bytes(path, raw)
    except YamlProblem as exc:
        fail(exc.message, exc.line)
        return src, None
    except OSError as exc:
        fail(f"cannot read the file: {exc.strerror}", code="io")
        return src, None
    tree = parsed.tree
    if tree is None:
        fail("the file is empty: a ledger needs a customer header", 1, code="empty")
        return src, parsed
    if not isinstance(tree, LineDict):
        fail("a ledger file is a mapping with the keys customer and entries", 1, code="schema")
        return src, parsed
    for key in tree:
        if key not in ("customer", "entries"):
            fail(
                f"unknown key {key!r} (a typo?); a ledger has only customer and entries", tree.key_lines[key], "schema"
            )

    header = tree.get("customer")
    if isinstance(header, LineDict):
        src.header_lines = dict(header.key_lines)
        try:
            src.customer = Customer.model_validate(header)
        except ValidationError as exc:
            for error in exc.errors():
                line = _line_of(header, tuple(error["loc"]), header.line)
                fail(f"customer: {describe_validation_error(error)}", line, "schema")
    else:
        fail(
            "missing the customer header (customer: with id, name, currency)",
            tree.key_lines.get("customer", 1),
            "schema",
        )

    entries = tree.get("entries")
    if entries is None:
        entries = LineList(tree.key_lines.get("entries", 1))
    if not isinstance(entries, LineList):
        fail("entries must be a list", tree.key_lines.get("entries"), "schema")
        return src, parsed
    adapter = entry_adapter()
    for index, raw_entry in enumerate(entries):
        line = entries.item_lines[index]
        entry_id = raw_entry.get("id") if isinstance(raw_entry, dict) else None
        entry_id = str(entry_id) if entry_id is not None else None
        try:
            entry: EntryBase = adapter.validate_python(raw_entry)
        except ValidationError as exc:
            for error in exc.errors():
                fail(
                    describe_validation_error(error), _line_of(raw_entry, tuple(error["loc"]), line), "schema", entry_id
                )
            continue
        src.entries.append(entry)
        src.entry_lines.setdefault(entry.id, line)
    return src, parsed


def load_config(path: Path, raw: bytes | None = None) -> tuple[Config | None, list[Problem]]:
    relpath = path.name
    try:
        parsed = read_file(path) if raw is None else parse_bytes(path, raw)
    except YamlProblem as exc:
        return None, [Problem("yaml", exc.message, relpath, exc.line)]
    except OSError as exc:
        return None, [Problem("io", f"cannot read the file: {exc.strerror}", relpath)]
    tree = parsed.tree if parsed.tree is not None else LineDict(1)
    if not isinstance(tree, LineDict):
        return None, [Problem("schema", "the configuration is a mapping of settings", relpath, 1)]
    try:
        return Config.model_validate(tree), []
    except ValidationError as exc:
        return None, [
            Problem("schema", describe_validation_error(error), relpath, _line_of(tree, tuple(error["loc"]), 1))
            for error in exc.errors()
        ]
