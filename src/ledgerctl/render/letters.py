"""Dunning letters as text files, from Jinja2 templates: the books' own ``templates/`` first, then ours."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..core.dunning import Notice
from ..core.errors import UsageError
from ..core.money import fmt_grouped

BUILT_IN = Path(__file__).parent / "templates" / "letters"
SUFFIX = ".txt.j2"


def _environment(books_root: Path):  # type: ignore[no-untyped-def]
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    # Plain text letters: no HTML escaping; StrictUndefined so a typo in a template is an error, not a blank.
    return Environment(loader=FileSystemLoader([str(books_root / "templates"), str(BUILT_IN)]), autoescape=False,
                       trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, undefined=StrictUndefined)


def require_templates(books_root: Path, names: Sequence[str]) -> None:
    """Refuse (before anything is done) a dunning level whose template is neither in the books nor built in."""
    folders = (books_root / "templates", BUILT_IN)
    missing = sorted({name for name in names if not any((folder / f"{name}{SUFFIX}").is_file() for folder in folders)})
    if missing:
        raise UsageError(f"no letter template for dunning level(s) {', '.join(missing)}",
                         hint=f"add {books_root / 'templates'}/NAME.txt.j2 or use one of: gentle, firm, final")


def render_letter(env: Any, books_root: Path, books_name: str, notice: Notice, as_of: dt.date) -> str:
    from jinja2 import TemplateError

    try:
        return env.get_template(f"{notice.level.template}{SUFFIX}").render(
            notice=notice, books_name=books_name, as_of=as_of.isoformat(),
            money=lambda amount: fmt_grouped(amount, notice.currency))
    except TemplateError as exc:
        raise UsageError(f"letter template {notice.level.template!r}: {exc}",
                         hint=f"templates are read from {books_root / 'templates'} and then the built-in ones") from None


def letter_name(notice: Notice, as_of: dt.date) -> str:
    return f"{notice.customer_id}-{as_of.isoformat()}-level{notice.level.number}.txt"


def render_letters(books_root: Path, books_name: str, found: Sequence[Notice], out: Path, as_of: dt.date
                   ) -> list[tuple[Path, str]]:
    """Every letter as (file in ``out``, text), rendered before anything is written or recorded."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}: exists and is not a folder")
    env = _environment(books_root)  # one environment: each template is compiled once, not once per customer
    return [(out / letter_name(n, as_of), render_letter(env, books_root, books_name, n, as_of)) for n in found]


def save_letters(letters: Sequence[tuple[Path, str]]) -> list[Path]:
    for path, text in letters:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)  # a reader sees the whole letter or none
    return [path for path, _ in letters]
