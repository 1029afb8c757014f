"""`remind`: dunning letters for overdue invoices by level (SPEC 5), optionally recorded as reminder entries."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from .common import (
    AsOfOpt,
    BomOpt,
    BooksOpt,
    Format,
    FormatOpt,
    NoCommitOpt,
    SegmentOpt,
    TagOpt,
    parse_date,
    segment_filter,
)


def remind(
    as_of: AsOfOpt = None,
    tag: TagOpt = None,
    segment: SegmentOpt = None,
    out_dir: Annotated[
        Path | None,
        typer.Option("--out", metavar="DIR", show_default=False, help="Write one text letter per customer into DIR."),
    ] = None,
    eml: Annotated[
        bool,
        typer.Option(
            "--eml",
            help="With --out: also a ready e-mail (CUSTOMER-….eml: To from "
            "the contact's e-mail, Subject, UTF-8 body) per letter.",
        ),
    ] = False,
    record: Annotated[
        bool,
        typer.Option(
            "--record",
            help="Add a `reminder` entry per letter (its level and "
            "invoices), all in one commit, so the next run escalates.",
        ),
    ] = False,
    format: FormatOpt = Format.table,
    bom: BomOpt = False,
    books: BooksOpt = None,
    no_commit: NoCommitOpt = False,
) -> None:
    """Dunning letters for overdue invoices, by the levels of `dunning:` in ledgerctl.yaml.

    A customer gets a letter when an open invoice has reached a level (days overdue ≥ after_days)
    above every reminder recorded for it; the letter lists all its overdue invoices. Templates:
    `templates/NAME.txt.j2` in the books, else the built-in gentle, firm and final (中英双语).

    Example: `ledgerctl remind --as-of 2026-11-30 --out letters/2026-11 --eml --record`
    """
    from ..core.dunning import Notice
    from ..core.errors import UsageError
    from ..ops.dunning import letter_contacts, levels_of, notices, record_reminders
    from ..ops.open import open_books
    from ..render.dunning import notices_csv, notices_table, remind_json
    from ..render.letters import render_letters, require_templates, save_letters
    from ..render.output import emit_csv, emit_json, print_whole, say

    date = parse_date(as_of, "--as-of")
    if no_commit and not record:
        raise UsageError("--no-commit goes with --record")
    if eml and out_dir is None:
        raise UsageError("--eml goes with --out DIR (the e-mails are written next to the letters)")
    without_email: list[str] = []
    wanted = segment_filter(segment)

    def prepare(opened: Any) -> tuple[list[Notice], list[tuple[Path, str]]]:
        # Letters are rendered before anything is recorded (a template error stops everything).
        levels = levels_of(opened)
        require_templates(opened.root, [level.template for level in levels])
        found = notices(opened, levels, date, tag, wanted)
        if out_dir is None:
            return found, []
        contacts, company = letter_contacts(opened, found), opened.config.company
        rendered = render_letters(
            opened.root, opened.config.name or "", found, out_dir, date, contacts=contacts, company=company
        )
        if eml:
            from ..render.eml import eml_messages

            messages, missing = eml_messages(rendered, found, contacts, company, opened.config.name or "", date)
            without_email.extend(missing)
            rendered = rendered + messages
        return found, rendered

    recorded: list[str] = []
    head = None
    if record:
        from ..ops.open import open_session

        # Under the books' lock: what is recorded is what was read, even with another run going.
        with open_session(books, say) as session:
            found, letters = prepare(session.books)
            posted, head = record_reminders(session, found, date, commit=not no_commit)
        recorded = [entry.id for entry in posted]
    else:
        found, letters = prepare(open_books(books))
    written = save_letters(letters)

    if format is Format.json:
        emit_json(remind_json(date, found, written, recorded, head))
    elif format is Format.csv:
        emit_csv(*notices_csv(found))
    else:
        if found:
            print_whole(notices_table(found, date))
    if not found:
        say(
            f"no letters due as of {date}: no selected customer has an invoice past a dunning level "
            "it was not yet reminded at"
        )
    if written:
        count = len(written) - sum(1 for path in written if path.suffix == ".eml")
        mails = len(written) - count
        say(
            f"wrote {count} letter{'s' if count != 1 else ''}"
            + (f" and {mails} e-mail{'s' if mails != 1 else ''}" if eml else "")
            + f" to {out_dir}"
        )
    for customer in without_email:
        say(f"{customer}: no contact e-mail, so a letter but no .eml (`ledgerctl customer edit {customer} --email …`)")
    if recorded:
        say(
            f"recorded {len(recorded)} reminder{'s' if len(recorded) != 1 else ''}"
            + (f"; commit {head[:8]}" if head else "; staged, not committed (--no-commit)")
        )
