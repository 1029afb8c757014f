"""`add …` and `void`: post entries."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from .common import BooksOpt, DateOpt, NoCommitOpt, new_app, optional_date, parse_date, today

add_app = new_app(
    "Post one entry for a customer and commit it; prints the new entry's id.\n\n"
    "Example: `ledgerctl add invoice hx-machinery 12000.00 --ref PO-778 --memo 机床配件`"
)

IdOpt = Annotated[
    str | None,
    typer.Option("--id", help="Entry id (e.g. a legal invoice number); default: generated.", show_default=False),
]
RefOpt = Annotated[
    str | None, typer.Option("--ref", help="External reference (PO, bank slip, invoice number).", show_default=False)
]
MemoOpt = Annotated[str | None, typer.Option("--memo", help="Free text.", show_default=False)]
EntryTagOpt = Annotated[list[str] | None, typer.Option("--tag", help="Tag the entry (repeatable).", show_default=False)]
ApplyOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--apply",
        metavar="DEBIT[=AMOUNT]",
        help="Allocate to an invoice or refund (repeatable); without =AMOUNT, as much as is open on it.",
        show_default=False,
    ),
]
Customer = Annotated[str, typer.Argument(help="Customer id, e.g. hx-machinery.", show_default=False)]
Amount = Annotated[str, typer.Argument(help="Amount in the customer's currency, e.g. 12000.00.", show_default=False)]


def _post(
    kind: str,
    books: Any,
    customer: str,
    fields: dict[str, Any],
    *,
    entry_id: str | None = None,
    applies: list[str] | None = None,
    no_commit: bool = False,
    over_limit_reason: str | None = None,
) -> None:
    from ..ops.entries import add_entry
    from ..ops.session import write_session
    from ..render.output import say

    with write_session(books, say) as session:
        posted = add_entry(
            session,
            kind,
            customer,
            fields,
            entry_id=entry_id,
            applies=applies,
            commit=not no_commit,
            over_limit_reason=over_limit_reason,
        )
    typer.echo(posted.entry.id)
    if no_commit:
        say("staged, not committed (--no-commit); commit the batch with `ledgerctl commit`")


@add_app.command("invoice")
def add_invoice(
    customer: Customer,
    amount: Amount,
    date: DateOpt = None,
    due: Annotated[
        str | None, typer.Option("--due", help="Due date (default: date + the customer's terms).", show_default=False)
    ] = None,
    entry_id: IdOpt = None,
    ref: RefOpt = None,
    memo: MemoOpt = None,
    tag: EntryTagOpt = None,
    over_limit_reason: Annotated[
        str | None,
        typer.Option(
            "--over-limit-reason",
            metavar="TEXT",
            show_default=False,
            help="Post it even though it takes the customer over its credit limit; the reason is kept in "
            "the commit and shown by `history`.",
        ),
    ] = None,
    books: BooksOpt = None,
    no_commit: NoCommitOpt = False,
) -> None:
    """Post an invoice (raises what the customer owes).

    One that would take the customer over its credit limit is refused (exit 2, with the limit, the balance and
    the invoice) unless --over-limit-reason is given or ledgerctl.yaml says `credit: {on_limit: warn}`.

    Example: `ledgerctl add invoice hx-machinery 12000.00 --date 2026-11-05 --ref FP-2026-00123`
    """
    fields = {
        "date": parse_date(date),
        "due": optional_date(due, "--due"),
        "amount": amount,
        "ref": ref,
        "memo": memo,
        "tags": tag,
    }
    _post(
        "invoice", books, customer, fields, entry_id=entry_id, no_commit=no_commit, over_limit_reason=over_limit_reason
    )


def _credit_command(kind: str, summary: str, example: str) -> None:
    def command(
        customer: Customer,
        amount: Amount,
        date: DateOpt = None,
        apply: ApplyOpt = None,
        entry_id: IdOpt = None,
        ref: RefOpt = None,
        memo: MemoOpt = None,
        tag: EntryTagOpt = None,
        books: BooksOpt = None,
        no_commit: NoCommitOpt = False,
    ) -> None:
        fields = {"date": parse_date(date), "amount": amount, "ref": ref, "memo": memo, "tags": tag}
        _post(kind, books, customer, fields, entry_id=entry_id, applies=apply, no_commit=no_commit)

    command.__doc__ = f"{summary}\n\nExample: `{example}`"
    add_app.command(kind.replace("_", "-"))(command)


_credit_command(
    "payment",
    "Post a payment received; the part not allocated with --apply pays the oldest items first.",
    "ledgerctl add payment hx-machinery 5000.00 --apply INV-20260801-7KQ2",
)
_credit_command(
    "credit_note",
    "Post a credit note (returns, discounts).",
    "ledgerctl add credit-note hx-machinery 200.00 --memo 退货",
)
_credit_command(
    "write_off",
    "Write off a bad debt.",
    "ledgerctl add write-off hx-machinery 800.00 --apply INV-20260801-7KQ2 --memo 'bankrupt'",
)


@add_app.command("refund")
def add_refund(
    customer: Customer,
    amount: Amount,
    date: DateOpt = None,
    entry_id: IdOpt = None,
    ref: RefOpt = None,
    memo: MemoOpt = None,
    tag: EntryTagOpt = None,
    books: BooksOpt = None,
    no_commit: NoCommitOpt = False,
) -> None:
    """Post a refund (money paid back to the customer; due on its date).

    Example: `ledgerctl add refund muller-gmbh 339.75 --memo "overpayment returned"`
    """
    fields = {"date": parse_date(date), "amount": amount, "ref": ref, "memo": memo, "tags": tag}
    _post("refund", books, customer, fields, entry_id=entry_id, no_commit=no_commit)


@add_app.command("note")
def add_note(
    customer: Customer,
    text: Annotated[str, typer.Argument(help="What happened.", show_default=False)],
    date: DateOpt = None,
    entry_id: IdOpt = None,
    tag: EntryTagOpt = None,
    books: BooksOpt = None,
    no_commit: NoCommitOpt = False,
) -> None:
    """Record a contact, a promise to pay, anything; moves no money.

    Example: `ledgerctl add note hx-machinery 客户承诺月底付款`
    """
    if not text.strip():
        raise typer.BadParameter("the note is empty", param_hint="TEXT")
    _post(
        "note",
        books,
        customer,
        {"date": parse_date(date), "memo": text, "tags": tag},
        entry_id=entry_id,
        no_commit=no_commit,
    )


@add_app.command("reminder")
def add_reminder(
    customer: Customer,
    level: Annotated[int, typer.Option("--level", min=1, max=9, help="Dunning level (1 = gentle).")] = 1,
    invoice: Annotated[
        list[str] | None,
        typer.Option("--invoice", help="Invoice the reminder is about (repeatable).", show_default=False),
    ] = None,
    date: DateOpt = None,
    entry_id: IdOpt = None,
    memo: MemoOpt = None,
    books: BooksOpt = None,
    no_commit: NoCommitOpt = False,
) -> None:
    """Record a dunning reminder that was sent; moves no money.

    Example: `ledgerctl add reminder hx-machinery --level 2 --invoice INV-20260801-7KQ2`
    """
    fields = {"date": parse_date(date), "level": level, "invoices": invoice or [], "memo": memo}
    _post("reminder", books, customer, fields, entry_id=entry_id, no_commit=no_commit)


@add_app.command("promise")
def add_promise(
    customer: Customer,
    amount: Annotated[str, typer.Argument(help="The amount promised, e.g. 5000.00.", show_default=False)],
    by: Annotated[str, typer.Option("--by", help="The day the customer promised to pay by.", show_default=False)],
    invoice: Annotated[
        list[str] | None,
        typer.Option(
            "--invoice",
            help="Invoice the promise is about (repeatable); kept once all are settled.",
            show_default=False,
        ),
    ] = None,
    date: DateOpt = None,
    entry_id: IdOpt = None,
    memo: MemoOpt = None,
    tag: EntryTagOpt = None,
    books: BooksOpt = None,
    no_commit: NoCommitOpt = False,
) -> None:
    """Record a promise to pay; moves no money. `followups` lists it when it falls due and when it is broken.

    Kept when the payments dated from the promise to --by reach the amount (or every --invoice is settled by then).

    Example: `ledgerctl add promise hx-machinery 5000.00 --by 2026-11-30 --memo 王经理电话承诺`
    """
    fields = {
        "date": parse_date(date),
        "amount": amount,
        "by": parse_date(by, "--by"),
        "invoices": invoice or [],
        "memo": memo,
        "tags": tag,
    }
    _post("promise", books, customer, fields, entry_id=entry_id, no_commit=no_commit)


@add_app.command("balance")
def add_balance(
    customer: Customer,
    amount: Annotated[str, typer.Argument(help="The balance, any sign.", show_default=False)],
    date: DateOpt = None,
    entry_id: IdOpt = None,
    memo: MemoOpt = None,
    books: BooksOpt = None,
    no_commit: NoCommitOpt = False,
) -> None:
    """Assert the customer's balance at the end of a date; refused if it does not hold.

    Example: `ledgerctl add balance hx-machinery 6800.00 --date 2026-09-30`
    """
    _post(
        "balance",
        books,
        customer,
        {"date": parse_date(date), "amount": amount, "memo": memo},
        entry_id=entry_id,
        no_commit=no_commit,
    )


def void(
    entry: Annotated[str, typer.Argument(help="Id of the entry to cancel.", show_default=False)],
    reason: Annotated[
        str, typer.Option("--reason", help="Why (kept in the void's memo and the commit).", show_default=False)
    ],
    date: Annotated[str | None, typer.Option("--date", help="Void date (default: today).", show_default=False)] = None,
    books: BooksOpt = None,
    no_commit: NoCommitOpt = False,
) -> None:
    """Cancel a posted entry from the void's date on (posted entries are never edited or deleted).

    Example: `ledgerctl void PAY-20260820-M3XA --reason "entered twice"`
    """
    from ..ops.entries import void_entry
    from ..ops.session import write_session
    from ..render.output import say

    with write_session(books, say) as session:
        posted = void_entry(session, entry, reason, optional_date(date, "--date"), today=today(), commit=not no_commit)
    typer.echo(posted.entry.id)
