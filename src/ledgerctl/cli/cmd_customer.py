"""`customer add|edit|list|show` and `tag`."""

from __future__ import annotations

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
    new_app,
    parse_date,
    segment_filter,
)

customer_app = new_app(
    "Customer headers: name, currency, terms, credit limit, contact, tags.\n\n"
    "Example: `ledgerctl customer add hx-machinery --name 华兴机械有限公司 --currency CNY --terms-days 30`"
)

CustomerArg = Annotated[
    str, typer.Argument(help="Customer id: lowercase letters, digits, '.', '_', '-'.", show_default=False)
]
NameOpt = Annotated[str | None, typer.Option("--name", help="Customer name (any script).", show_default=False)]
CurrencyOpt = Annotated[
    str | None, typer.Option("--currency", help="ISO 4217 code (default: from ledgerctl.yaml).", show_default=False)
]
TermsOpt = Annotated[
    int | None, typer.Option("--terms-days", min=0, max=3650, help="Payment terms in days.", show_default=False)
]
LimitOpt = Annotated[
    str | None, typer.Option("--credit-limit", help="Credit limit ('none' removes it).", show_default=False)
]
PersonOpt = Annotated[str | None, typer.Option("--person", help="Contact person.", show_default=False)]
PhoneOpt = Annotated[str | None, typer.Option("--phone", help="Phone.", show_default=False)]
EmailOpt = Annotated[str | None, typer.Option("--email", help="E-mail.", show_default=False)]
AddressOpt = Annotated[str | None, typer.Option("--address", help="Postal address.", show_default=False)]
NotesOpt = Annotated[str | None, typer.Option("--notes", help="Free text.", show_default=False)]
AliasOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--alias",
        help="Another name the customer pays under, as banks print it (repeatable; edit adds).",
        show_default=False,
    ),
]
BankAccountOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--bank-account", help="An account number the customer pays from (repeatable; edit adds).", show_default=False
    ),
]


@customer_app.command("add")
def customer_add(
    customer: CustomerArg,
    name: Annotated[str, typer.Option("--name", help="Customer name (any script).", show_default=False)],
    currency: CurrencyOpt = None,
    terms_days: TermsOpt = None,
    credit_limit: LimitOpt = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", help="Tag (repeatable).", show_default=False)] = None,
    person: PersonOpt = None,
    phone: PhoneOpt = None,
    email: EmailOpt = None,
    address: AddressOpt = None,
    notes: NotesOpt = None,
    alias: AliasOpt = None,
    bank_account: BankAccountOpt = None,
    books: BooksOpt = None,
    no_commit: NoCommitOpt = False,
) -> None:
    """Create a customer ledger file and commit it.

    Example: `ledgerctl customer add sakura-kogyo --name "Sakura Kogyo K.K." --currency JPY --credit-limit 15000000`
    """
    from ..ops.customers import add_customer
    from ..ops.session import write_session
    from ..render.output import say

    with write_session(books, say) as session:
        created = add_customer(
            session,
            customer,
            name=name,
            currency=currency,
            terms_days=terms_days,
            credit_limit=credit_limit,
            tags=tag,
            contact={"person": person, "phone": phone, "email": email, "address": address},
            notes=notes,
            aliases=alias,
            bank_accounts=bank_account,
            commit=not no_commit,
        )
    typer.echo(created.id)


@customer_app.command("edit")
def customer_edit(
    customer: CustomerArg,
    name: NameOpt = None,
    currency: CurrencyOpt = None,
    terms_days: TermsOpt = None,
    credit_limit: LimitOpt = None,
    person: PersonOpt = None,
    phone: PhoneOpt = None,
    email: EmailOpt = None,
    address: AddressOpt = None,
    notes: NotesOpt = None,
    alias: AliasOpt = None,
    remove_alias: Annotated[
        list[str] | None, typer.Option("--remove-alias", help="Remove an alias (repeatable).", show_default=False)
    ] = None,
    bank_account: BankAccountOpt = None,
    remove_bank_account: Annotated[
        list[str] | None,
        typer.Option("--remove-bank-account", help="Remove a bank account (repeatable).", show_default=False),
    ] = None,
    books: BooksOpt = None,
    no_commit: NoCommitOpt = False,
) -> None:
    """Change header fields (only the changed lines of the file change). An empty value removes a contact field.

    Example: `ledgerctl customer edit hx-machinery --credit-limit 250000.00 --person 王经理`
    """
    from ..ops.customers import edit_customer
    from ..ops.session import write_session
    from ..render.output import say

    changes: dict[str, Any] = {
        k: v
        for k, v in {
            "name": name,
            "currency": currency,
            "terms_days": terms_days,
            "credit_limit": credit_limit,
            "person": person,
            "phone": phone,
            "email": email,
            "address": address,
            "notes": notes,
            "add_aliases": alias,
            "remove_aliases": remove_alias,
            "add_bank_accounts": bank_account,
            "remove_bank_accounts": remove_bank_account,
        }.items()
        if v is not None and v != []
    }
    if credit_limit is not None and credit_limit.strip().lower() in ("", "none"):
        changes["credit_limit"] = None
    if not changes:
        raise typer.BadParameter("give at least one field to change, e.g. --name or --credit-limit")
    with write_session(books, say) as session:
        edit_customer(session, customer, changes, commit=not no_commit)
    typer.echo(customer)


def tag(
    customer: CustomerArg,
    tags: Annotated[list[str], typer.Argument(help="Tags, e.g. vip region:east.", show_default=False)],
    remove: Annotated[bool, typer.Option("--remove", help="Remove the tags instead.")] = False,
    books: BooksOpt = None,
    no_commit: NoCommitOpt = False,
) -> None:
    """Add (or --remove) free tags on a customer; one commit.

    Example: `ledgerctl tag hx-machinery vip region:east`
    """
    import re

    from ..core.errors import UsageError
    from ..core.models import TAG_PATTERN
    from ..ops.customers import set_tags
    from ..ops.session import write_session
    from ..render.output import say

    bad = [t for t in tags if not re.match(TAG_PATTERN, t)]
    if bad:
        raise UsageError(
            f"not a tag: {', '.join(repr(t) for t in bad)}",
            hint="tags are lowercase letters, digits, ':', '_' and '-', starting with a letter or digit "
            "(e.g. vip, region:east)",
        )
    with write_session(books, say) as session:
        updated = set_tags(session, customer, tags, remove=remove, commit=not no_commit)
    typer.echo(" ".join(updated.tags))


@customer_app.command("list")
def customer_list(
    tag: TagOpt = None,
    segment: SegmentOpt = None,
    as_of: AsOfOpt = None,
    format: FormatOpt = Format.table,
    bom: BomOpt = False,
    all_customers: Annotated[bool, typer.Option("--all", help="Also archived customers with a zero balance.")] = False,
    books: BooksOpt = None,
) -> None:
    """List customers with terms, credit limit, balance, tags and segments.

    Example: `ledgerctl customer list --tag vip --segment status=overdue --format json`
    """
    from ..ops import reports
    from ..ops.open import open_books
    from ..render.customer import customer_list_csv, customer_list_json
    from ..render.output import emit_csv, emit_json, out, print_whole
    from ..render.tables import customers_table

    date = parse_date(as_of, "--as-of")
    listed = reports.customer_list(
        open_books(books), date, tags=tag, segments=segment_filter(segment), archived=all_customers
    )
    if format is Format.json:
        emit_json(customer_list_json(listed))
    elif format is Format.csv:
        emit_csv(*customer_list_csv(listed))
    else:
        print_whole(customers_table(listed.customers, listed.balances, out().width))


@customer_app.command("show")
def customer_show(
    customer: CustomerArg,
    as_of: AsOfOpt = None,
    format: FormatOpt = Format.table,
    bom: BomOpt = False,
    books: BooksOpt = None,
) -> None:
    """Show one customer: header, balance, open items and every entry.

    Example: `ledgerctl customer show hx-machinery --as-of 2026-10-31`
    """
    from ..ops import reports
    from ..ops.open import open_books
    from ..render.customer import customer_entries_csv, customer_json, customer_panel
    from ..render.output import emit_csv, emit_json, print_whole

    date = parse_date(as_of, "--as-of")
    view = reports.customer_show(open_books(books), customer, date)
    if format is Format.json:
        emit_json(customer_json(view))
    elif format is Format.csv:
        emit_csv(*customer_entries_csv(view))
    else:
        print_whole(customer_panel(view))


@customer_app.command("rename")
def customer_rename(
    old: CustomerArg,
    new: Annotated[str, typer.Argument(help="The new customer id.", show_default=False)],
    books: BooksOpt = None,
    no_commit: NoCommitOpt = False,
) -> None:
    """Rename a customer id: the ledger file moves (git sees a rename), ledgerctl.yaml follows; one commit.

    `history NEW` still shows what happened under the old id.

    Example: `ledgerctl customer rename hx-machinry hx-machinery`
    """
    from ..ops.customer_admin import rename_customer
    from ..ops.session import write_session
    from ..render.output import say

    with write_session(books, say) as session:
        result = rename_customer(session, old, new, commit=not no_commit)
    say(f"renamed {old} to {new}: {', '.join(result.files)}")
    typer.echo(new)


@customer_app.command("merge")
def customer_merge(
    source: Annotated[
        str, typer.Argument(metavar="FROM", help="The duplicate customer, archived after.", show_default=False)
    ],
    into: Annotated[
        str, typer.Argument(metavar="INTO", help="The customer that keeps the entries.", show_default=False)
    ],
    books: BooksOpt = None,
    no_commit: NoCommitOpt = False,
) -> None:
    """Move every entry of FROM into INTO and archive FROM; one commit. Refused across currencies.

    Example: `ledgerctl customer merge huaxing-2 hx-machinery`
    """
    from ..ops.customer_admin import merge_customers
    from ..ops.session import write_session
    from ..render.output import say

    with write_session(books, say) as session:
        result = merge_customers(session, source, into, commit=not no_commit)
    say(f"moved {result.moved} entr{'y' if result.moved == 1 else 'ies'} from {source} into {into}; {source} archived")
    typer.echo(into)


def _archive(customer: str, archived: bool, books: Any, no_commit: bool) -> None:
    from ..ops.customer_admin import set_archived
    from ..ops.session import write_session
    from ..render.output import say

    with write_session(books, say) as session:
        set_archived(session, customer, archived, commit=not no_commit)
    typer.echo(customer)


@customer_app.command("archive")
def customer_archive(customer: CustomerArg, books: BooksOpt = None, no_commit: NoCommitOpt = False) -> None:
    """Archive a settled customer: reports leave it out while its balance is zero (unless --all). Refused with an
    open balance.

    Example: `ledgerctl customer archive old-trading`
    """
    _archive(customer, True, books, no_commit)


@customer_app.command("unarchive")
def customer_unarchive(customer: CustomerArg, books: BooksOpt = None, no_commit: NoCommitOpt = False) -> None:
    """Bring an archived customer back into every report.

    Example: `ledgerctl customer unarchive old-trading`
    """
    _archive(customer, False, books, no_commit)
