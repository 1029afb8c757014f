"""`ledgerctl --help`: the same panels as Typer's help for a command, drawn without Rich.

Typer draws help with Rich and Markdown, whose import alone takes longer than importing Typer itself; the
root listing is the one page every new user reads first and the one a shell prints most, so it is drawn here
with the standard library: the usage line, the help, an Options panel and a Commands panel from the
registry's short help, in Typer's layout (the border, the column order, the styles on a terminal).
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterable, Sequence
from typing import Any

from .registry import Entry

# Typer's styles, as ANSI SGR codes: options bold cyan, short options bold green, types bold yellow, borders dim.
_STYLE = {"option": "1;36", "switch": "1;32", "types": "1;33", "usage": "33", "bold": "1", "dim": "2", "code": "1;36"}


def _use_colour() -> bool:
    """Rich's rule, as Typer sets it up: forced by FORCE_COLOR and friends, off with NO_COLOR or a dumb terminal."""
    if os.environ.get("_TYPER_FORCE_DISABLE_TERMINAL"):
        return False
    if os.environ.get("FORCE_COLOR") or os.environ.get("PY_COLORS") or os.environ.get("GITHUB_ACTIONS"):
        return True
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return sys.stdout.isatty()


def _width() -> int:
    fixed = os.environ.get("TERMINAL_WIDTH")  # Typer's own override, honoured by every other help page
    if fixed and fixed.isdigit():
        return max(int(fixed), 40)
    return max(shutil.get_terminal_size().columns, 40)


def cells(text: str) -> int:
    """Terminal columns of a text as shown: wide (CJK) characters take two, Markdown's backticks none."""
    text = text.replace("`", "")
    if text.isascii():
        return len(text)
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def wrap(text: str, width: int) -> list[str]:
    """Word wrap by terminal columns; a word wider than the line is cut, as Rich folds it."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        while cells(word) > width:
            if line:
                lines.append(line)
                line = ""
            cut = width
            while cells(word[:cut]) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        if not line:
            line = word
        elif cells(line) + 1 + cells(word) <= width:
            line = f"{line} {word}"
        else:
            lines.append(line)
            line = word
    if line or not lines:
        lines.append(line)
    return lines


class _Page:
    def __init__(self, width: int, colour: bool) -> None:
        self.width = width
        self.colour = colour
        self.lines: list[str] = []

    def style(self, text: str, style: str) -> str:
        return f"\x1b[{_STYLE[style]}m{text}\x1b[0m" if self.colour and text and style else text

    def markdown(self, lines: list[str]) -> list[str]:
        """Inline `code` as Typer's Markdown shows it: without the backticks (bold cyan on a terminal).

        The lines were wrapped with the backticks in place, so a code span may run on into the next line.
        """
        shown, in_code = [], False
        for line in lines:
            pieces = line.split("`")
            out = []
            for n, piece in enumerate(pieces):
                if n:
                    in_code = not in_code
                out.append(self.style(piece, "code") if in_code else piece)
            shown.append("".join(out))
        return shown

    def paragraphs(self, text: str) -> None:
        for paragraph in text.strip().split("\n\n"):
            self.lines += [" " + line for line in self.markdown(wrap(paragraph.replace("\n", " "), self.width - 2))]
            self.lines.append("")

    def panel(self, title: str, rows: Sequence[Sequence[tuple[str, str]]], wrapped: int) -> None:
        """A bordered table of (text, style) cells; the column `wrapped` takes the width the others leave.

        Typer's tables pad every column by one on each side except at the edges, empty columns included.
        """
        if not rows:
            return
        inner = self.width - 4
        columns = len(rows[0])
        natural = [max(cells(row[c][0]) for row in rows) for c in range(columns)]
        if wrapped == columns - 1:  # the options table: Rich narrows its widest columns until the table fits
            widths = _collapse(natural, inner)
            widths[wrapped] += max(inner - sum(widths) - 2 * (columns - 1), 0)
        else:  # the commands table: the names keep their width, the help takes the rest
            widths = natural[:]
            widths[wrapped] = max(inner - sum(natural[:wrapped]) - 2 * (columns - 1), 10)
        bar = self.style("│", "dim")
        self.lines.append(self.style(f"╭─ {title} " + "─" * max(self.width - cells(title) - 5, 0) + "╮", "dim"))
        for row in rows:
            raw = wrap(row[wrapped][0], widths[wrapped])
            for n, piece in enumerate(self.markdown(raw)):
                out = []
                for c in range(columns):
                    text, style = row[c] if n == 0 else ("", "")
                    if c == wrapped:
                        out.append(piece + " " * (widths[c] - cells(raw[n])))
                    else:
                        text = _shorten(text, widths[c])
                        out.append(self.style(text, style) + " " * (widths[c] - cells(text)))
                self.lines.append(f"{bar} {'  '.join(out)} {bar}")
        self.lines.append(self.style("╰" + "─" * (self.width - 2) + "╯", "dim"))


def _collapse(natural: list[int], inner: int) -> list[int]:
    """Rich's column fitting for a table wider than its panel: the widest columns give way first.

    Widths count each column's padding (one space each side, none at the table's edges), as Rich counts them.
    """
    last = len(natural) - 1
    widths = [width + (1 if n in (0, last) else 2) for n, width in enumerate(natural)]
    excess = sum(widths) - inner
    while excess > 0:
        widest = max(widths)
        second = max((width for width in widths if width != widest), default=0)
        if widest == second or not second:
            break
        ratios = [1 if width == widest else 0 for width in widths]
        widths = _ratio_reduce(excess, ratios, [min(excess, widest - second)] * len(widths), widths)
        excess = sum(widths) - inner
    if excess > 0:
        widths = _ratio_reduce(excess, [1] * len(widths), widths, widths)
    return [max(width - (1 if n in (0, last) else 2), 0) for n, width in enumerate(widths)]


def _ratio_reduce(total: int, ratios: list[int], maximums: list[int], values: list[int]) -> list[int]:
    ratios = [ratio if maximum else 0 for ratio, maximum in zip(ratios, maximums, strict=True)]
    total_ratio = sum(ratios)
    result = []
    for ratio, maximum, value in zip(ratios, maximums, values, strict=True):
        if ratio and total_ratio > 0:
            cut = min(maximum, round(ratio * total / total_ratio))
            result.append(value - cut)
            total -= cut
            total_ratio -= ratio
        else:
            result.append(value)
    return result


def _shorten(text: str, width: int) -> str:
    while cells(text) > width and width > 0:
        text = text[: -2 if text.endswith("…") else -1] + "…"
    return text


def _option_rows(group: Any, ctx: Any) -> list[list[tuple[str, str]]]:
    rows = []
    for param in group.get_params(ctx):
        if getattr(param, "hidden", False) or param.param_type_name != "option":
            continue
        longs = [opt for opt in param.opts if opt.startswith("--")]
        shorts = [opt for opt in param.opts if not opt.startswith("--")]
        negative_longs = [opt for opt in param.secondary_opts if opt.startswith("--")]
        negative_shorts = [opt for opt in param.secondary_opts if not opt.startswith("--")]
        metavar = "" if param.is_flag else param.make_metavar(ctx=ctx)
        if "bool" in metavar.lower():
            metavar = ""
        help_text = param.help or ""
        if param.show_default is True and param.default not in (None, False, ""):
            help_text += f" [default: {param.default}]"
        rows.append(
            [
                (",".join(longs), "option"),
                (",".join(shorts), "switch"),
                (",".join(negative_longs), "option"),
                (",".join(negative_shorts), "switch"),
                (metavar, "types"),
                (help_text, ""),
            ]
        )
    return rows


def render(group: Any, ctx: Any, commands: Iterable[Entry], *, width: int | None = None, colour: bool = False) -> str:
    page = _Page(width or _width(), colour)
    usage = group.get_usage(ctx)
    page.lines += ["", " " + page.style("Usage: ", "usage") + page.style(usage.removeprefix("Usage: "), "bold"), ""]
    if group.help:
        page.paragraphs(group.help)
    page.panel("Options", _option_rows(group, ctx), wrapped=5)
    listed = list(commands)
    page.panel("Commands", [[(entry.name, "code"), (entry.short_help, "")] for entry in listed], wrapped=1)
    return "\n".join(page.lines) + "\n"


def print_root_help(group: Any, ctx: Any, commands: Iterable[Entry]) -> None:
    """Print as Typer's help does (straight to stdout): Click then prints the empty help text it gets back."""
    sys.stdout.write(render(group, ctx, commands, colour=_use_colour()))
