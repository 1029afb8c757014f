"""Safe, exact, line-aware YAML reading.

Built on libyaml's event stream (PyYAML's C parser when available) rather than a
constructor, so that:

* tags, anchors, aliases (alias bombs), merge keys and duplicate keys are refused
  before any object is built, with the line they are on;
* plain numbers are read exactly from their text: ``12.10`` becomes
  ``Decimal("12.10")`` and never passes through a binary float; an exponent
  (``1e3``), ``.nan`` or ``.inf`` stays text, so the amount check refuses it;
* every mapping remembers its line and the span of each value, which the error
  messages and the span-precise writer use.

Scalars follow the YAML 1.2 core schema, except that dates stay text (the models
parse them) and only exponent-free decimals are numbers.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from .plainscalars import resolve_plain as resolve_plain  # (the writer reads it from here)

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 32

CONFLICT_MARKER = re.compile(r"^(<{7}|={7}|>{7})(\s|$)", re.MULTILINE)

try:  # libyaml is ~10x faster; the pure-Python parser gives the same events
    _Loader: Any = yaml.CBaseLoader
except AttributeError:  # pragma: no cover - wheels ship libyaml
    _Loader = yaml.BaseLoader


class YamlProblem(Exception):
    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line


Span = tuple[int, int, int, int]  # start line, start col, end line, end col (0-based, end exclusive)


class LineDict(dict):  # type: ignore[type-arg]
    """A mapping that knows where it and each of its values stand in the file."""

    __slots__ = ("line", "key_lines", "spans")

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[str, int] = {}
        self.spans: dict[str, Span] = {}


class LineList(list):  # type: ignore[type-arg]
    """A sequence that knows where each item starts and ends."""

    __slots__ = ("line", "item_lines", "item_spans")

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.item_lines: list[int] = []
        self.item_spans: list[Span] = []


def decode(raw: bytes) -> str:
    """UTF-8 (a BOM is allowed) or a YamlProblem naming the line of the first bad byte."""
    if len(raw) > MAX_FILE_BYTES:
        raise YamlProblem(f"the file is {len(raw)} bytes, over the {MAX_FILE_BYTES}-byte limit")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlProblem(f"not UTF-8 text (byte {exc.start}); save the file as UTF-8", line) from None
    return text[1:] if text.startswith("\ufeff") else text


def parse(text: str) -> Any:
    """Parse one YAML document into plain values (LineDict/LineList/scalars)."""
    marker = CONFLICT_MARKER.search(text)
    if marker:
        line = text.count("\n", 0, marker.start()) + 1
        raise YamlProblem("unresolved merge conflict markers (<<<<<<< ======= >>>>>>>)", line)
    try:
        return _build(yaml.parse(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at_end = mark is not None and mark.line >= text.count("\n") and exc.context_mark is not None
        if at_end:  # "found end of stream": the unclosed thing started where the context mark is
            mark = exc.context_mark
        message = " ".join(part for part in (exc.context, exc.problem) if part)
        raise YamlProblem(f"malformed YAML: {message}", mark.line + 1 if mark else None) from None
    except yaml.YAMLError as exc:  # pragma: no cover - every libyaml error is marked
        raise YamlProblem(f"malformed YAML: {exc}") from None


def _refuse(event: Any) -> None:
    line = event.start_mark.line + 1
    if isinstance(event, yaml.AliasEvent):
        raise YamlProblem("YAML aliases (*name) are not allowed in ledger files", line)
    if getattr(event, "anchor", None):
        raise YamlProblem("YAML anchors (&name) are not allowed in ledger files", line)
    if getattr(event, "tag", None):
        raise YamlProblem(f"YAML tags ({event.tag}) are not allowed in ledger files", line)


def _build(events: Any) -> Any:
    documents = 0
    stack: list[Any] = []  # containers being filled
    pending_key: list[Any] = []  # per mapping on the stack: the key waiting for a value, or a sentinel
    starts: list[tuple[int, int, bool]] = []  # start line, column, flow style
    last_ends: list[tuple[int, int]] = []  # where each open container's last child ends
    root: Any = None
    no_key = object()

    def attach(value: Any, event: Any, start: tuple[int, int], end: tuple[int, int]) -> Any:
        nonlocal root
        if not stack:
            root = value
            return
        parent = stack[-1]
        last_ends[-1] = end
        if isinstance(parent, LineList):
            parent.append(value)
            parent.item_lines.append(start[0] + 1)
            parent.item_spans.append((start[0], start[1], end[0], end[1]))
            return
        key = pending_key[-1]
        if key is no_key:
            if isinstance(value, (LineDict, LineList)):
                raise YamlProblem("complex mapping keys are not allowed", start[0] + 1)
            if value == "<<" and event.implicit[0]:
                raise YamlProblem("YAML merge keys (<<) are not allowed in ledger files", start[0] + 1)
            key = str(value) if not isinstance(value, str) else value
            if key in parent:
                raise YamlProblem(f"duplicate key {key!r} (first on line {parent.key_lines[key]})", start[0] + 1)
            parent.key_lines[key] = start[0] + 1
            pending_key[-1] = key
            return
        parent[key] = value
        parent.spans[key] = (start[0], start[1], end[0], end[1])
        pending_key[-1] = no_key

    for event in events:
        kind = type(event)
        if kind is yaml.ScalarEvent:
            _refuse(event)
            plain = event.implicit[0] and not event.style  # libyaml says "" for plain, PyYAML None
            value = resolve_plain(event.value) if plain else event.value
            attach(
                value,
                event,
                (event.start_mark.line, event.start_mark.column),
                (event.end_mark.line, event.end_mark.column),
            )
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            _refuse(event)
            if len(stack) >= MAX_DEPTH:
                raise YamlProblem(f"nesting deeper than {MAX_DEPTH} levels", event.start_mark.line + 1)
            line = event.start_mark.line + 1
            container: Any = LineDict(line) if kind is yaml.MappingStartEvent else LineList(line)
            stack.append(container)
            pending_key.append(no_key)
            starts.append((event.start_mark.line, event.start_mark.column, bool(event.flow_style)))
            last_ends.append((event.start_mark.line, event.start_mark.column))
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            container = stack.pop()
            pending_key.pop()
            line, column, flow = starts.pop()
            last = last_ends.pop()
            # A block collection's end event sits on the next token; its own text ends with its last child.
            end = (event.end_mark.line, event.end_mark.column) if flow else last
            attach(container, event, (line, column), end)
        elif kind is yaml.AliasEvent:
            _refuse(event)
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise YamlProblem("more than one YAML document in the file", event.start_mark.line + 1)
    return root
