"""What reaches a terminal is text, never a command to it: the books' names and memos are data.

A memo holding ESC ``[2J`` clears the screen of whoever runs `statement`; a name holding
``[/]`` is rich markup and crashed every table. ``safe`` rewrites a renderable before it is
printed: every control character shows as an escape (``\\x1b``, ``\\u009b``) and every
string is plain text, not markup. The consoles of :mod:`ledgerctl.render.output` apply it
to everything they print, so no report, table or message needs to remember to.
"""

from __future__ import annotations

import re
from typing import Any

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Span, Text

# C0 (but TAB and LF, which lay text out), DEL and C1: each can start or be part of a terminal command.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _escaped(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x80 else f"\\u{code:04x}"


def escape_control(text: str) -> str:
    """``text`` with every control character (but TAB and LF) written as its escape."""
    return _CONTROL.sub(lambda m: _escaped(m.group()), text)


def safe_text(text: Text) -> Text:
    """``escape_control`` on a rich Text, keeping its styles (spans move with the characters)."""
    plain = text.plain
    if not _CONTROL.search(plain):
        return text
    offsets: list[int] = []  # offsets[i]: where character i of ``plain`` starts in the escaped text
    pieces: list[str] = []
    at = 0
    for char in plain:
        offsets.append(at)
        piece = _escaped(char) if _CONTROL.match(char) else char
        pieces.append(piece)
        at += len(piece)
    offsets.append(at)
    result = text.copy()
    result.plain = "".join(pieces)  # the setter drops spans beyond the new end; set them afresh below
    result.spans = [
        Span(offsets[min(s.start, len(plain))], offsets[min(s.end, len(plain))], s.style) for s in text.spans
    ]
    return result


def safe(renderable: Any) -> Any:
    """``renderable`` with every string and Text escaped (see module doc); tables are rewritten in place."""
    if isinstance(renderable, str):
        return Text(escape_control(renderable))
    if isinstance(renderable, Text):
        return safe_text(renderable)
    if isinstance(renderable, Table):
        for column in renderable.columns:
            column.header = safe(column.header)
            column.footer = safe(column.footer)
            # rich offers the cells read-only (Column.cells); _cells is where add_row puts them.
            column._cells = [safe(cell) for cell in column._cells]
        for name in ("title", "caption"):  # a str title keeps its table style: it stays a str, of escaped markup
            value = getattr(renderable, name)
            setattr(renderable, name, escape(escape_control(value)) if isinstance(value, str) else safe(value))
        return renderable
    if isinstance(renderable, Group):
        return Group(*(safe(part) for part in renderable.renderables), fit=renderable.fit)
    if isinstance(renderable, Panel):
        renderable.renderable = safe(renderable.renderable)
        return renderable
    return renderable


class SafeConsole(Console):
    """A rich Console that prints (and measures) only ``safe`` renderables: every terminal writer of ours is one."""

    def print(self, *objects: Any, **kwargs: Any) -> None:
        super().print(*(safe(o) for o in objects), **kwargs)

    def measure(self, renderable: Any, *, options: Any = None) -> Any:
        return super().measure(safe(renderable), options=options)
