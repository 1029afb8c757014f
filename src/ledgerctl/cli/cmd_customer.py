"""`customer add|edit|list|show` and `tag`."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from .common import BomOpt, AsOfOpt, BooksOpt, Format, FormatOpt, NoCommitOpt, SegmentOpt, TagOpt, new_app, parse_date, segment_filter

customer_app = new_app(
    "Customer headers: name, currency, terms, credit limit, contact, tags.\n\n"
    "Example: `ledgerctl customer add hx-machinery --name 华兴机械有限公司 --currency CNY --terms-days 30`"
)

CustomerArg = Annotated[str, typer.Argument(help="Customer id: lowercase letters, digits, '.', '_', '-'.", show_default=False)]
NameOpt = Annotated[str | None, typer.Option("--name", help="Customer name (any script).", show_default=False)]
CurrencyOpt = Annotated[str | None, typer.Option("--currency", help="ISO 4217 code (default: from ledgerctl.yaml).", show_default=False)]
TermsOpt = Annotated[int | None, typer.Option("--terms-days", min=0, max=3650, help="Payment terms in days.", show_default=False)]
LimitOpt = Annotated[str | None, typer.Option("--credit-limit", help="Credit limit ('none' removes it).", show_default=False)]
PersonOpt = Annotated[str | None, typer.Option("--person", help="Contact person.", show_default=False)]
PhoneOpt = Annotated[str | None, typer.Option("--phone", help="Phone.", show_default=False)]
EmailOpt = Annotated[str | None, typer.Option("--email", help="E-mail.", show_default=False)]
AddressOpt = Annotated[str | None, typer.Option("--address", help="Postal address.", show_default=False)]
NotesOpt = Annotated[str | None, typer.Option("--notes", help="Free text.", show_default=False)]


@customer_app.command("add")
def customer_add(customer: CustomerArg, name: Annotated[str, typer.Option("--name", help="Customer name (any script).",
                                                                          show_default=False)],
                 currency: CurrencyOpt = None, terms_days: TermsOpt = None, credit_limit: LimitOpt = None,
                 tag: Annotated[list[str] | None, typer.Option("--tag", help="Tag (repeatable).", show_default=False)] = None,
                 person: PersonOpt = None, phone: PhoneOpt = None, email: EmailOpt = None, address: AddressOpt = None,
                 notes: NotesOpt = None, books: BooksOpt = None, no_commit: NoCommitOpt = False) -> None:
    """Create a customer ledger file and commit it.

    Example: `ledgerctl customer add sakura-kogyo --name "Sakura Kogyo K.K." --currency JPY --credit-limit 15000000`
    """
    from ..ops.customers import add_customer
    from ..ops.session import write_session
    from ..render.output import say

    with write_session(books, say) as session:
        created = add_customer(session, customer, name=name, currency=currency, terms_days=terms_days,
                               credit_limit=credit_limit, tags=tag,
                               contact={"person": person, "phone": phone, "email": email, "address": address},
                               notes=notes, commit=not no_commit)
    typer.echo(created.id)


@customer_app.command("edit")
def customer_edit(customer: CustomerArg, name: NameOpt = None, currency: CurrencyOpt = None, terms_days: TermsOpt = None,
                  credit_limit: LimitOpt = None, person: PersonOpt = None, phone: PhoneOpt = None,
                  email: EmailOpt = None, address: AddressOpt = None, notes: NotesOpt = None, books: BooksOpt = None,
                  no_commit: NoCommitOpt = False) -> None:
    """Change header fields (only the changed lines of the file change). An empty value removes a contact field.

    Example: `ledgerctl customer edit hx-machinery --credit-limit 250000.00 --person 王经理`
    """
    from ..ops.customers import edit_customer
    from ..ops.session import write_session
    from ..render.output import say

    changes: dict[str, Any] = {k: v for k, v in {
        "name": name, "currency": currency, "terms_days": terms_days, "credit_limit": credit_limit,
        "person": person, "phone": phone, "email": email, "address": address, "notes": notes,
    }.items() if v is not None}
    if credit_limit is not None and credit_limit.strip().lower() in ("", "none"):
        changes["credit_limit"] = None
    if not changes:
        raise typer.BadParameter("give at least one field to change, e.g. --name or --credit-limit")
    with write_session(books, say) as session:
        edit_customer(session, customer, changes, commit=not no_commit)
    typer.echo(customer)


def tag(customer: CustomerArg, tags: Annotated[list[str], typer.Argument(help="Tags, e.g. vip region:east.", show_default=False)],
        remove: Annotated[bool, typer.Option("--remove", help="Remove the tags instead.")] = False,
        books: BooksOpt = None, no_commit: NoCommitOpt = False) -> None:
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
        raise UsageError(f"not a tag: {', '.join(repr(t) for t in bad)}",
                         hint="tags are lowercase letters, digits, ':', '_' and '-', starting with a letter or digit "
                              "(e.g. vip, region:east)")
    with write_session(books, say) as session:
        updated = set_tags(session, customer, tags, remove=remove, commit=not no_commit)
    typer.echo(" ".join(updated.tags))


@customer_app.command("list")
def customer_list(tag: TagOpt = None, segment: SegmentOpt = None, as_of: AsOfOpt = None, format: FormatOpt = Format.table, bom: BomOpt = False,
                  books: BooksOpt = None) -> None:
    """List customers with terms, credit limit, balance, tags and segments.

    Example: `ledgerctl customer list --tag vip --segment status=overdue --format json`
    """
    from ..core.money import fmt_plain
    from ..ops.reading import customer_rows
    from ..render.output import emit_csv, emit_json, out, print_whole
    from ..render.tables import customers_table

    date = parse_date(as_of, "--as-of")
    listed = customer_rows(books, tag, date, segment_filter(segment))
    customers = [c for c, _ in listed]
    balances = {c.id: balance for c, balance in listed}
    rows = [
        {**c.model_dump(mode="json", exclude_none=True), "balance": fmt_plain(balances[c.id], c.currency)}
        for c in customers
    ]
    if format is Format.json:
        emit_json({"as_of": date.isoformat(), "customers": rows})
    elif format is Format.csv:
        emit_csv(["id", "name", "currency", "terms_days", "credit_limit", "balance", "tags", "segments"],
                 [[r["id"], r["name"], r["currency"], r["terms_days"], r.get("credit_limit", ""), r["balance"],
                   " ".join(r.get("tags", [])), " ".join(f"{k}={v}" for k, v in r.get("segments", {}).items())]
                  for r in rows], numbers=("terms_days", "credit_limit", "balance"))
    else:
        print_whole(customers_table(customers, balances, out().width))


@customer_app.command("show")
def customer_show(customer: CustomerArg, as_of: AsOfOpt = None, format: FormatOpt = Format.table, bom: BomOpt = False,
                  books: BooksOpt = None) -> None:
    """Show one customer: header, balance, open items and every entry.

    Example: `ledgerctl customer show hx-machinery --as-of 2026-10-31`
    """
    from ..core.errors import InvalidBooks
    from ..core.reports import customer_view
    from ..ops.lost import load_for_report
    from ..render.output import emit_csv, emit_json, print_whole
    from ..render.customer import customer_panel
    from ..store.books import Books

    date = parse_date(as_of, "--as-of")
    loaded = load_for_report(Books.open(books), customer)
    if loaded.source.problems or loaded.source.customer is None:
        raise InvalidBooks(f"{loaded.source.file} does not load", problems=loaded.source.problems)
    view = customer_view(loaded.source.customer, loaded.source.entries, date)
    if format is Format.json:
        emit_json(view.to_json())
    elif format is Format.csv:
        header, rows = view.entry_rows()
        emit_csv(header, rows, numbers=("amount", "running_balance"))
    else:
        print_whole(customer_panel(view))
