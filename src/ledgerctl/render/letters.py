"""Dunning letters as text files, from Jinja2 templates: the books' own ``templates/`` first, then ours."""

from __future__ import annotations

import datetime as dt
import os
import traceback
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.dunning import Notice
from ..core.errors import UsageError
from ..core.money import fmt_grouped
from ..core.templates import TEMPLATES_DIR, letter_environment

if TYPE_CHECKING:
    from jinja2 import Environment

BUILT_IN = Path(__file__).parent / "templates" / "letters"
SUFFIX = ".txt.j2"


def _environment(books_root: Path) -> Environment:
    from jinja2 import FileSystemLoader

    # The books' templates come with a pull: sandboxed, like code from a stranger (core.templates).
    return letter_environment(FileSystemLoader([str(books_root / TEMPLATES_DIR), str(BUILT_IN)]))


def require_templates(books_root: Path, names: Sequence[str]) -> None:
    """Refuse (before anything is done) a dunning level whose template is neither in the books nor built in."""
    folders = (books_root / TEMPLATES_DIR, BUILT_IN)
    missing = sorted({name for name in names if not any((folder / f"{name}{SUFFIX}").is_file() for folder in folders)})
    if missing:
        raise UsageError(
            f"no letter template for dunning level(s) {', '.join(missing)}",
            hint=f"add {books_root / 'templates'}/NAME.txt.j2 or use one of: gentle, firm, final",
        )


CONTACT_KEYS = ("person", "phone", "email", "address")


def contact_variable(contact: Any) -> dict[str, str | None]:
    """The customer's contact as a template sees it: every documented key, None when not given (StrictUndefined
    then catches only a template's typos)."""
    given = contact.model_dump(mode="json") if contact is not None else {}
    return {key: given.get(key) for key in CONTACT_KEYS}


def render_letter(
    env: Environment,
    books_root: Path,
    books_name: str,
    notice: Notice,
    as_of: dt.date,
    *,
    contact: Any = None,
    company: Any = None,
) -> str:
    from jinja2 import TemplateError

    name = f"{notice.level.template}{SUFFIX}"
    try:
        return env.get_template(name).render(
            notice=notice,
            books_name=books_name,
            as_of=as_of.isoformat(),
            money=lambda amount: fmt_grouped(amount, notice.currency),
            contact=contact_variable(contact),
            company=company.model_dump(mode="json") if company is not None else None,
        )
    except TemplateError as exc:  # SecurityError (the sandbox), UndefinedError, a syntax error, a missing include
        raise UsageError(
            f"letter template {failing_file(exc, env, name)}: {exc.message or type(exc).__name__}",
            hint=f"`ledgerctl check` lists what is wrong with the templates in {books_root / TEMPLATES_DIR}; "
            "docs/templates.md lists what a template may use",
        ) from None


def failing_file(exc: Exception, env: Environment, name: str) -> str:
    """The template file at fault: Jinja2 puts template lines into the traceback, the innermost is the culprit."""
    filename = getattr(exc, "filename", None)
    if filename is None:
        frames = [f.filename for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
        filename = frames[-1] if frames else None
    if filename is None:
        try:
            filename = env.get_template(name).filename
        except Exception:  # noqa: BLE001 - the file is only named in the message
            filename = name
    return str(filename)


def letter_name(notice: Notice, as_of: dt.date) -> str:
    return f"{notice.customer_id}-{as_of.isoformat()}-level{notice.level.number}.txt"


def render_letters(
    books_root: Path,
    books_name: str,
    found: Sequence[Notice],
    out: Path,
    as_of: dt.date,
    *,
    contacts: Mapping[str, Any] | None = None,
    company: Any = None,
) -> list[tuple[Path, str]]:
    """Every letter as (file in ``out``, text), rendered before anything is written or recorded."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}: exists and is not a folder")
    env = _environment(books_root)  # one environment: each template is compiled once, not once per customer
    contacts = contacts or {}
    return [
        (
            out / letter_name(n, as_of),
            render_letter(env, books_root, books_name, n, as_of, contact=contacts.get(n.customer_id), company=company),
        )
        for n in found
    ]


def save_letters(letters: Sequence[tuple[Path, str]]) -> list[Path]:
    for path, text in letters:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)  # a reader sees the whole letter or none
    return [path for path, _ in letters]
