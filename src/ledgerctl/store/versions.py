"""Many versions of the same files, read fast: the history's loader.

`history` and `verify` read a ledger at every commit that touched it. Loading
each version from scratch costs time proportional to the file, so a file with
thousands of commits would cost thousands of full parses. Instead a ledger is
cut into its header and one text chunk per entry (by indentation, with regular
expressions), each distinct chunk is parsed and validated once, and a version
that shares a beginning and an end with the previous version of the same file
(an appended or inserted entry, one edited line) reuses the chunks of both and
only cuts the changed middle again. The result is the :class:`SourcedLedger`
the full loader builds. Any file whose shape is not the plain one (flow-style
document, ``entries: []``, tabs, odd line breaks …) and any chunk that does not
parse or validate cleanly goes to the full loader, so problems are reported
exactly as `check` reports them.
"""

from __future__ import annotations

import bisect
import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from ..core.errors import Problem
from ..core.models import Config, Customer, EntryBase
from ..core.validate import SourcedLedger
from .ledgerfile import entry_adapter, load_config, load_ledger
from .yamlload import LineDict, LineList, YamlProblem, decode, parse

_TOP = re.compile(r"^[^ \r\n#-][^\r\n]*", re.MULTILINE)
_CUSTOMER_KEY = re.compile(r"^customer:[ \t]*(#.*)?$")
_ENTRIES_KEY = re.compile(r"^entries:[ \t]*(#.*)?$")
_FIRST_ITEM = re.compile(r"^( *)-(?=[ \r\n]|$)", re.MULTILINE)
_CONTENT = re.compile(r"^ *[^ \r\n#]", re.MULTILINE)


def _other_breaks(text: str) -> bool:
    """Line breaks libyaml counts besides \n: such files take the full loader, so lines stay exact."""
    return (
        "\u0085" in text
        or "\u2028" in text
        or "\u2029" in text
        or ("\r" in text and text.count("\r") != text.count("\r\n"))
    )


_T = TypeVar("_T")


def _memo_parse(memo: dict[str, _T | None], text: str, build: Callable[[Any], _T | None]) -> _T | None:
    """``build(parsed text)`` once per distinct text; None when the text does not parse or validate."""
    if text in memo:
        return memo[text]
    try:
        built = build(parse(text))
    except (YamlProblem, ValidationError):
        built = None
    memo[text] = built
    return built


_ids = attrgetter("id")


@lru_cache(maxsize=16)
def _patterns(indent: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(an item line, a line that is neither an item, nor inside one, nor blank or a comment)."""
    item = re.compile(rf"^{indent}-(?=[ \r\n]|$)", re.MULTILINE)
    stray = re.compile(rf"^(?!{indent}-(?:[ \r\n]|$)) {{0,{len(indent)}}}[^ \r\n#]", re.MULTILINE)
    return item, stray


def _common_prefix(a: str, b: str) -> int:
    lo, hi = 0, min(len(a), len(b))
    if a[:hi] == b[:hi]:
        return hi
    while hi - lo > 1:  # a[:lo] == b[:lo], a[:hi] != b[:hi]
        mid = (lo + hi) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid
    return lo


def _common_suffix(a: str, b: str, limit: int) -> int:
    lo, hi = 0, limit
    if hi == 0 or a[len(a) - hi :] == b[len(b) - hi :]:
        return hi
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if a[len(a) - mid :] == b[len(b) - mid :]:
            lo = mid
        else:
            hi = mid
    return lo


@dataclass
class _Shape:
    """A version cut into chunks: where each entry's text starts, and what it holds."""

    text: str
    body: int  # offset just after the `entries:` line
    indent: str
    customer: Customer
    header_lines: dict[str, int]
    starts: list[int]  # offset of each item
    first_lines: list[int]  # 0-based line of each item
    entries: list[EntryBase]
    lines: list[int]  # 1-based line of each entry (its node may start below the dash)

    def source(self, relpath: str) -> SourcedLedger:
        ids = list(map(_ids, self.entries))
        return SourcedLedger(
            file=relpath,
            stem=Path(relpath).stem,
            customer=self.customer,
            entries=list(self.entries),
            entry_lines=dict(zip(reversed(ids), reversed(self.lines), strict=True)),
            header_lines=dict(self.header_lines),
        )


class Recent(OrderedDict):  # type: ignore[type-arg]
    """A small LRU memo: versions are read in history order, so the last few are the ones asked for again."""

    def __init__(self, size: int):
        super().__init__()
        self.size = size

    def get_or(self, key: Any, make: Any) -> Any:
        if key in self:
            self.move_to_end(key)
            return self[key]
        value = self[key] = make()
        if len(self) > self.size:
            self.popitem(last=False)
        return value


class VersionLoader:
    """Loads ledger and configuration blobs; remembers every chunk it has validated."""

    def __init__(self) -> None:
        self._headers: dict[str, tuple[Customer, dict[str, int]] | None] = {}
        self._entries: dict[str, tuple[EntryBase, int] | None] = {}
        self._configs: dict[bytes, tuple[Config | None, list[Problem]]] = {}
        self._last: dict[str, _Shape] = {}  # per path: the shape of the version read last

    def ledger(self, relpath: str, raw: bytes) -> SourcedLedger:
        try:
            text = decode(raw)
        except YamlProblem:
            text = None
        if text is not None and not _other_breaks(text):
            previous = self._last.get(relpath)
            shape = self._update(previous, text) if previous is not None else None
            if shape is None:
                shape = self._shape(text)
            if shape is not None:
                self._last[relpath] = shape
                return shape.source(relpath)
        source, _ = load_ledger(Path(relpath), relpath, raw=raw)
        return source

    # --- a whole version ---------------------------------------------------------------

    def _shape(self, text: str) -> _Shape | None:
        customer_at = entries_at = entries_end = None
        for match in _TOP.finditer(text):
            line = match.group()
            if customer_at is None and _CUSTOMER_KEY.match(line):
                customer_at = match.start()
            elif customer_at is not None and entries_at is None and _ENTRIES_KEY.match(line):
                entries_at, entries_end = match.start(), match.end()
            else:
                return None  # any other top-level line: not the plain shape
        if customer_at is None:
            return None
        header = self._header(text[: len(text) if entries_at is None else entries_at])
        if header is None:
            return None
        if entries_end is None:
            return _Shape(text, len(text), "", header[0], header[1], [], [], [], [])
        newline = text.find("\n", entries_end)
        body = len(text) if newline < 0 else newline + 1
        first = _FIRST_ITEM.search(text, body)
        if _CONTENT.search(text, body, first.start() if first else len(text)):
            return None  # something other than comments before the first item
        shape = _Shape(text, body, first.group(1) if first else "", header[0], header[1], [], [], [], [])
        if first is None:
            return shape
        item, stray = _patterns(shape.indent)
        if stray.search(text, body):
            return None
        starts = [m.start() for m in item.finditer(text, body)]
        cut = self._cut(text, starts, len(text), text.count("\n", 0, starts[0]))
        if cut is None:
            return None
        shape.starts = starts
        shape.first_lines, shape.entries, shape.lines = cut
        return shape

    def _cut(
        self, text: str, starts: list[int], end: int, line: int
    ) -> tuple[list[int], list[EntryBase], list[int]] | None:
        """Parse the chunks starting at ``starts`` (the last one ends at ``end``); ``line`` is the first start's line."""
        first_lines: list[int] = []
        entries: list[EntryBase] = []
        lines: list[int] = []
        for index, start in enumerate(starts):
            stop = starts[index + 1] if index + 1 < len(starts) else end
            found = self._entry(text[start:stop])
            if found is None:
                return None
            if index:
                line += text.count("\n", starts[index - 1], start)
            first_lines.append(line)
            entries.append(found[0])
            lines.append(line + found[1] + 1)
        return first_lines, entries, lines

    # --- a version next to the previous one ----------------------------------------------

    def _update(self, old: _Shape, text: str) -> _Shape | None:
        """Reuse the chunks the new text shares with ``old`` at its beginning and its end; cut only the middle."""
        if not old.starts:
            return None
        prefix = _common_prefix(old.text, text)
        if prefix < old.body:
            return None  # the header or the `entries:` line changed
        suffix = _common_suffix(old.text, text, min(len(old.text), len(text)) - prefix)
        item, stray = _patterns(old.indent)
        # chunk c is kept from the beginning when the next item's marker lies in the shared prefix
        marked = bisect.bisect_right(old.starts, prefix - len(old.indent) - 2)
        if not marked:
            return None  # the change is before the first item
        keep_head = marked - 1
        # and from the end when the newline before it lies in the shared suffix
        keep_tail = max(keep_head, bisect.bisect_left(old.starts, len(old.text) - suffix + 1))
        shift = len(text) - len(old.text)
        middle = old.starts[keep_head]
        end = old.starts[keep_tail] + shift if keep_tail < len(old.starts) else len(text)
        if end < middle or stray.search(text, middle, end):
            return None
        starts = [m.start() for m in item.finditer(text, middle, end)]
        if starts and starts[0] != middle or (not starts and end != middle):
            return None
        cut = self._cut(text, starts, end, old.first_lines[keep_head]) if starts else ([], [], [])
        if cut is None:
            return None
        first_lines, entries, lines = cut
        line_at_end = first_lines[-1] + text.count("\n", starts[-1], end) if starts else old.first_lines[keep_head]
        tail_lines = line_at_end - old.first_lines[keep_tail] if keep_tail < len(old.starts) else 0
        return _Shape(
            text,
            old.body,
            old.indent,
            old.customer,
            old.header_lines,
            old.starts[:keep_head] + starts + [s + shift for s in old.starts[keep_tail:]],
            old.first_lines[:keep_head] + first_lines + [n + tail_lines for n in old.first_lines[keep_tail:]],
            old.entries[:keep_head] + entries + old.entries[keep_tail:],
            old.lines[:keep_head] + lines + [n + tail_lines for n in old.lines[keep_tail:]],
        )

    # --- memoized pieces -----------------------------------------------------------------

    def _header(self, text: str) -> tuple[Customer, dict[str, int]] | None:
        def build(tree: Any) -> tuple[Customer, dict[str, int]] | None:
            if isinstance(tree, LineDict) and list(tree) == ["customer"] and isinstance(tree["customer"], LineDict):
                return Customer.model_validate(tree["customer"]), dict(tree["customer"].key_lines)
            return None

        return _memo_parse(self._headers, text, build)

    def _entry(self, text: str) -> tuple[EntryBase, int] | None:
        """The validated entry of one chunk and the line of its node within the chunk (0-based)."""

        def build(tree: Any) -> tuple[EntryBase, int] | None:
            if isinstance(tree, LineList) and len(tree) == 1 and isinstance(tree[0], LineDict):
                return entry_adapter().validate_python(tree[0]), tree.item_lines[0] - 1
            return None

        return _memo_parse(self._entries, text, build)

    # --- configuration ---------------------------------------------------------------

    def config(self, raw: bytes | None) -> tuple[Config | None, list[Problem]]:
        """ledgerctl.yaml from its bytes (None: not there, the defaults apply)."""
        if raw is None:
            return Config(), []
        cached = self._configs.get(raw)
        if cached is None:
            cached = load_config(Path("ledgerctl.yaml"), raw)  # the same reading as the working tree's
            self._configs[raw] = cached
        return cached
