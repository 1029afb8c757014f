"""The file formats, as pydantic models: the single source of truth.

The JSON Schemas in ``schemas/`` are generated from these classes. Rules that
need more than one field or file (currency digits, allocations, voids, unique
ids) live in :mod:`ledgerctl.core.validate`, so every problem can be collected
and reported together instead of stopping at the first.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from itertools import pairwise
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    RootModel,
    StringConstraints,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from .dates import date_problem
from .kinds import CUSTOMER_ID_PATTERN as CUSTOMER_ID_PATTERN  # re-exported with the other patterns
from .kinds import ENTRY_ID_PATTERN as ENTRY_ID_PATTERN
from .kinds import SIGNS as SIGNS  # re-exported: part of the models' vocabulary
from .money import currency_problem, is_currency, parse_decimal

TAG_PATTERN = r"^[a-z0-9][a-z0-9:_-]*$"
AMOUNT_TEXT_PATTERN = r"^[+-]?[0-9]+(\.[0-9]+)?$"
BANK_ACCOUNT_PATTERN = r"^[0-9A-Za-z][0-9A-Za-z -]{0,39}$"
FINGERPRINT_PATTERN = r"^[a-z]+:[^\s]{1,200}$"


def _to_date(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        raise ValueError("expected a date (YYYY-MM-DD), not a date and time")
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)") from None
    return value


def _in_range(value: dt.date) -> dt.date:
    problem = date_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank (only spaces)")
    return value


_SURROGATE = re.compile("[\ud800-\udfff]")


def _encodable(value: str) -> str:
    # A lone surrogate is how Python passes on argument bytes that are not UTF-8: no file can hold it.
    # (A regex, not a loop over characters: this runs on every text field of every entry loaded.)
    if not value.isascii() and _SURROGATE.search(value):
        raise ValueError("holds bytes that are not UTF-8 text")
    return value


def _to_text(value: Any) -> Any:
    # An unquoted 12345 in YAML is a number; in a text field the bookkeeper meant the text.
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return str(value)
    return value


def _to_decimal(value: Any) -> Decimal:
    return parse_decimal(value)


Str = Annotated[str, BeforeValidator(_to_text), AfterValidator(_encodable)]
CustomerId = Annotated[str, BeforeValidator(_to_text), StringConstraints(pattern=CUSTOMER_ID_PATTERN)]
EntryId = Annotated[str, BeforeValidator(_to_text), StringConstraints(pattern=ENTRY_ID_PATTERN)]
Tag = Annotated[str, StringConstraints(pattern=TAG_PATTERN)]
Date = Annotated[
    dt.date,
    BeforeValidator(_to_date),
    AfterValidator(_in_range),
    WithJsonSchema({"type": "string", "format": "date"}),
]
Amount = Annotated[
    Decimal,
    BeforeValidator(_to_decimal),
    WithJsonSchema(
        {
            "anyOf": [{"type": "string", "pattern": AMOUNT_TEXT_PATTERN}, {"type": "number"}],
            "description": "A decimal amount, written as a quoted string with the currency's minor digits.",
        }
    ),
]
PositiveAmount = Annotated[Amount, Field(gt=0)]
Text = Annotated[
    str,
    BeforeValidator(_to_text),
    StringConstraints(min_length=1, strip_whitespace=False),
    AfterValidator(_not_blank),
    AfterValidator(_encodable),
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, defer_build=True)


# --- the customer header -----------------------------------------------------------


class Contact(Strict):
    """Who to write to about the account."""

    person: Str | None = Field(None, description="Contact person at the customer.")
    phone: Str | None = Field(None, description="Phone number, free text.")
    email: Str | None = Field(None, description="E-mail address for statements and reminders.")
    address: Str | None = Field(None, description="Postal address, free text.")


class Segments(Strict):
    """Classes written by `ledgerctl segment --apply`; never edited by hand."""

    value: Literal["A", "B", "C"] | None = Field(None, description="ABC class by invoiced amount.")
    frequency: Literal["high", "normal", "low"] | None = Field(None, description="How often the customer buys.")
    size: Literal["large", "medium", "small"] | None = Field(
        None, description="Invoiced amount against the size limits."
    )
    credit: Literal["good", "fair", "poor"] | None = Field(None, description="Payment behaviour.")
    status: Literal["normal", "overdue", "doubtful", "bad-debt"] | None = Field(None, description="Receivable status.")


class Customer(Strict):
    """The header of a customer ledger."""

    id: CustomerId = Field(description="Customer id; equals the file name without .yaml.")
    name: Text = Field(description="The customer's name, any script (e.g. 华兴机械有限公司).")
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = Field(
        description="ISO 4217 currency code; every amount in the file is in it."
    )
    terms_days: Annotated[int, Field(ge=0, le=3650)] = Field(
        30, description="Payment terms: default due date = invoice date + terms_days."
    )
    credit_limit: Annotated[Amount, Field(ge=0)] | None = Field(None, description="Credit limit, optional.")
    tags: list[Tag] = Field(default_factory=list, description="Free lowercase tags, e.g. vip, region:east.")
    segments: Segments | None = Field(None, description="Written by `segment --apply` only.")
    contact: Contact | None = Field(None, description="Contact details for statements and letters.")
    notes: Str | None = Field(None, description="Free text.")
    aliases: list[Text] = Field(
        default_factory=list,
        description="Other names the customer pays under (short, English, the bank account's "
        "name); `import bank` matches them.",
    )
    bank_accounts: list[Annotated[str, BeforeValidator(_to_text), StringConstraints(pattern=BANK_ACCOUNT_PATTERN)]] = (
        Field(default_factory=list, description="Account numbers the customer pays from; `import bank` matches them.")
    )
    tax_id: Str | None = Field(
        None,
        description="The customer's tax id (统一社会信用代码 / VAT number); `check` warns "
        "when two customers share one.",
    )
    archived: bool = Field(
        False, description="Set by `customer archive`: left out of reports while its balance is zero (unless --all)."
    )

    @field_validator("tags", "aliases", "bank_accounts")
    @classmethod
    def _unique_tags(cls, values: list[str]) -> list[str]:
        if len(set(values)) != len(values):
            raise ValueError("a value is listed twice")
        return values


# --- entries -------------------------------------------------------------------------


class EntryBase(Strict):
    id: EntryId = Field(description="Unique across the whole books, e.g. INV-20260801-7KQ2.")
    date: Date = Field(description="The entry's date.")
    memo: Str | None = Field(None, description="Free text.")
    tags: list[Tag] | None = Field(None, description="Free lowercase tags on this entry.")
    fingerprint: Annotated[str, StringConstraints(pattern=FINGERPRINT_PATTERN)] | None = Field(
        None, description="Set by `import`: the source line it came from (bank:…, invoice:…), so a re-import skips it."
    )

    #: money direction: +1 debit, -1 credit, 0 moves no money
    sign: ClassVar[int] = 0

    if TYPE_CHECKING:
        # Every entry class declares its own ``type: Literal[...]``; named here for the type checker only, so the
        # base has no such field and the field order (and so the schemas and written files) stays as it is.
        type: str

    @property
    def is_debit(self) -> bool:
        return self.sign > 0


class Invoice(EntryBase):
    """A sale on credit: raises what the customer owes."""

    type: Literal["invoice"] = Field(description="Entry type.")
    due: Date | None = Field(None, description="Due date; default date + terms_days; never before date.")
    amount: PositiveAmount = Field(description="Invoiced amount.")
    ref: Str | None = Field(None, description="External reference: legal invoice number, PO, …")
    sign: ClassVar[int] = 1


class Refund(EntryBase):
    """Money paid back to the customer: raises what the customer owes; due on its date."""

    type: Literal["refund"] = Field(description="Entry type.")
    amount: PositiveAmount = Field(description="Refunded amount.")
    ref: Str | None = Field(None, description="External reference.")
    sign: ClassVar[int] = 1


class CreditBase(EntryBase):
    amount: PositiveAmount = Field(description="Amount credited.")
    ref: Str | None = Field(None, description="External reference: bank slip, credit note number, …")
    allocations: dict[EntryId, PositiveAmount] | None = Field(
        None, description="Explicit allocations {debit-id: amount}; the rest goes to the FIFO pool."
    )
    sign: ClassVar[int] = -1


class Payment(CreditBase):
    """Money received from the customer."""

    type: Literal["payment"] = Field(description="Entry type.")


class CreditNote(CreditBase):
    """A credit note (returns, discounts, corrections in the customer's favour)."""

    type: Literal["credit_note"] = Field(description="Entry type.")


class WriteOff(CreditBase):
    """A bad-debt write-off."""

    type: Literal["write_off"] = Field(description="Entry type.")


class Void(EntryBase):
    """Cancels an earlier entry of the same customer from the void's date on."""

    type: Literal["void"] = Field(description="Entry type.")
    voids: EntryId = Field(description="Id of the cancelled entry.")


class Reminder(EntryBase):
    """A dunning step that was sent; moves no money."""

    type: Literal["reminder"] = Field(description="Entry type.")
    level: Annotated[int, Field(ge=1, le=9)] = Field(description="Dunning level, 1 = gentle.")
    invoices: list[EntryId] = Field(default_factory=list, description="Invoices the reminder is about.")


class Note(EntryBase):
    """A contact, a promise to pay, anything worth remembering; moves no money."""

    type: Literal["note"] = Field(description="Entry type.")


class Promise(EntryBase):
    """A promise to pay: the customer said it would pay ``amount`` by ``by``; moves no money.

    Kept when the customer's payments dated from the promise's date to ``by`` reach the amount (or every invoice
    it names is settled by ``by``), broken when ``by`` has passed without that (core/promises.py).
    """

    type: Literal["promise"] = Field(description="Entry type.")
    amount: PositiveAmount = Field(description="The amount promised (not money received: the engine ignores it).")
    by: Date = Field(description="The day by which the customer promised to pay; not before the promise's date.")
    invoices: list[EntryId] = Field(default_factory=list, description="Invoices the promise is about (optional).")


class BalanceAssertion(EntryBase):
    """Asserts the customer's balance at the end of its date."""

    type: Literal["balance"] = Field(description="Entry type.")
    amount: Amount = Field(description="The expected balance; any sign.")


Entry = Annotated[
    Invoice | Payment | CreditNote | WriteOff | Refund | Void | Reminder | Note | Promise | BalanceAssertion,
    Field(discriminator="type"),
]
Debit = Invoice | Refund
Credit = Payment | CreditNote | WriteOff

ENTRY_CLASSES: dict[str, type[EntryBase]] = {
    "invoice": Invoice,
    "payment": Payment,
    "credit_note": CreditNote,
    "write_off": WriteOff,
    "refund": Refund,
    "void": Void,
    "reminder": Reminder,
    "note": Note,
    "promise": Promise,
    "balance": BalanceAssertion,
}
ID_PREFIXES: dict[str, str] = {
    "invoice": "INV",
    "payment": "PAY",
    "credit_note": "CN",
    "write_off": "WO",
    "refund": "RF",
    "void": "VD",
    "reminder": "RM",
    "note": "NT",
    "promise": "PR",
    "balance": "BAL",
}
#: key order when the tool writes an entry
ENTRY_KEY_ORDER = (
    "id",
    "type",
    "date",
    "due",
    "amount",
    "by",
    "voids",
    "level",
    "invoices",
    "ref",
    "memo",
    "allocations",
    "tags",
    "fingerprint",
)


class Ledger(Strict):
    """One customer's ledger file."""

    customer: Customer = Field(description="The customer header.")
    entries: list[Entry] | None = Field(
        default_factory=list, description="Entries, ordered by (date, id); empty (null) for a new customer."
    )


# --- configuration -----------------------------------------------------------------


class Defaults(Strict):
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = Field(
        "CNY", description="Currency of new customers."
    )
    terms_days: Annotated[int, Field(ge=0, le=3650)] = Field(30, description="Payment terms of new customers.")

    @field_validator("currency")
    @classmethod
    def _money(cls, code: str) -> str:
        problem = currency_problem(code)
        if problem:
            raise ValueError(problem)
        return code


class AgingConfig(Strict):
    basis: Literal["due", "date"] = Field("due", description="Age from the due date or the entry date.")
    buckets: list[Annotated[int, Field(gt=0)]] = Field(
        default_factory=lambda: [30, 60, 90], description="Increasing bucket limits in days."
    )

    @field_validator("buckets")
    @classmethod
    def _increasing(cls, buckets: list[int]) -> list[int]:
        if not buckets or any(b >= c for b, c in pairwise(buckets)):
            raise ValueError("bucket limits must be a non-empty, strictly increasing list, e.g. [30, 60, 90]")
        return buckets


class ValueClasses(Strict):
    """ABC (SPEC 6): in order of invoiced amount, A while the share of the customers before is < a, B while < b."""

    a: Annotated[Decimal, BeforeValidator(_to_decimal), Field(gt=0, le=1)] = Field(
        Decimal("0.80"), description="Cumulative share below which a customer is class A."
    )
    b: Annotated[Decimal, BeforeValidator(_to_decimal), Field(gt=0, le=1)] = Field(
        Decimal("0.95"), description="Cumulative share below which a customer is class B."
    )

    @model_validator(mode="after")
    def _ordered(self) -> ValueClasses:
        if self.a > self.b:
            raise ValueError(f"value.a ({self.a}) must not be above value.b ({self.b})")
        return self


class FrequencyClasses(Strict):
    high: Annotated[int, Field(ge=1)] = Field(12, description="Invoices in the window for `high`.")
    low: Annotated[int, Field(ge=0)] = Field(3, description="Fewer invoices than this is `low`.")

    @model_validator(mode="after")
    def _ordered(self) -> FrequencyClasses:
        if self.low > self.high:
            raise ValueError(f"frequency.low ({self.low}) must not be above frequency.high ({self.high})")
        return self


class SizeLimits(Strict):
    large: Annotated[Amount, Field(ge=0)] = Field(description="Invoiced in the window at or above this is `large`.")
    medium: Annotated[Amount, Field(ge=0)] = Field(description="At or above this (and below large) is `medium`.")

    @model_validator(mode="after")
    def _ordered(self) -> SizeLimits:
        if self.medium > self.large:
            raise ValueError(f"medium ({self.medium}) must not be above large ({self.large})")
        return self


def _default_sizes() -> dict[str, SizeLimits]:
    limits = {
        "CNY": ("500000", "50000"),
        "USD": ("70000", "7000"),
        "EUR": ("65000", "6500"),
        "JPY": ("10000000", "1000000"),
    }
    return {cur: SizeLimits(large=Decimal(large), medium=Decimal(medium)) for cur, (large, medium) in limits.items()}


class CreditClasses(Strict):
    good_days_late: Annotated[int, Field(ge=0)] = Field(
        7, description="Average days late at or below this (and nothing overdue beyond it) is `good`."
    )
    fair_days_late: Annotated[int, Field(ge=0)] = Field(30, description="At or below this is `fair`; above is `poor`.")

    @model_validator(mode="after")
    def _ordered(self) -> CreditClasses:
        if self.good_days_late > self.fair_days_late:
            raise ValueError(
                f"credit.good_days_late ({self.good_days_late}) must not be above "
                f"credit.fair_days_late ({self.fair_days_late})"
            )
        return self


class StatusClasses(Strict):
    overdue_days: Annotated[int, Field(ge=0)] = Field(
        0, description="An open item more days past its due date than this makes `overdue`."
    )
    doubtful_days: Annotated[int, Field(ge=0)] = Field(
        90, description="An open item more days past its due date than this makes `doubtful`."
    )

    @model_validator(mode="after")
    def _ordered(self) -> StatusClasses:
        if self.overdue_days >= self.doubtful_days:
            raise ValueError(
                f"status.overdue_days ({self.overdue_days}) must be below status.doubtful_days ({self.doubtful_days})"
            )
        return self


class SegmentsConfig(Strict):
    window_days: Annotated[int, Field(ge=1, le=3660)] = Field(365, description="Length of the window in days.")
    value: ValueClasses = Field(default_factory=ValueClasses, description="ABC thresholds.")
    frequency: FrequencyClasses = Field(default_factory=FrequencyClasses, description="Frequency thresholds.")
    size: dict[Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")], SizeLimits] = Field(
        default_factory=_default_sizes,
        description="Size limits per currency, e.g. {CNY: {large: 500000, medium: 50000}} "
        "(default: CNY, USD, EUR and JPY; a currency without limits gets no size class).",
    )
    credit: CreditClasses = Field(default_factory=CreditClasses, description="Credit thresholds.")
    status: StatusClasses = Field(default_factory=StatusClasses, description="Receivable status thresholds.")

    @field_validator("size")
    @classmethod
    def _iso_currencies(cls, size: dict[str, SizeLimits]) -> dict[str, SizeLimits]:
        unknown = sorted(code for code in size if not is_currency(code))
        if unknown:
            raise ValueError(f"{', '.join(unknown)}: not an ISO 4217 currency code (e.g. CNY, USD, JPY)")
        return size


class DunningLevel(Strict):
    after_days: Annotated[int, Field(ge=-365, le=3650)] = Field(
        description="Days overdue before this level applies; negative: days before the due date (a courtesy reminder)."
    )
    template: Text = Field(description="Letter template name.")


class DunningConfig(Strict):
    levels: list[DunningLevel] = Field(
        default_factory=lambda: [
            DunningLevel(after_days=7, template="gentle"),
            DunningLevel(after_days=30, template="firm"),
            DunningLevel(after_days=60, template="final"),
        ],
        description="Dunning levels, in increasing after_days.",
    )


class ImportRule(Strict):
    """A payer no name can match (a factoring company, a parent paying for subsidiaries)."""

    match: Text = Field(description="A regular expression searched in the field (after normalisation, see docs).")
    field: Literal["counterparty", "memo", "account"] = Field(
        "counterparty", description="Which part of the bank line."
    )
    customer: CustomerId = Field(description="The customer such lines belong to.")

    @field_validator("match")
    @classmethod
    def _compiles(cls, pattern: str) -> str:
        import re

        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"{pattern!r} is not a regular expression: {exc}") from None
        return pattern


class ImportProfile(Strict):
    """A named column layout for `import bank|invoices --profile NAME`."""

    columns: dict[Annotated[str, StringConstraints(pattern=r"^[a-z_]+$")], Text] = Field(
        description="{role: header}, as --columns takes them, e.g. {date: 记账日期, amount: 金额}."
    )


class ImportConfig(Strict):
    rules: list[ImportRule] = Field(
        default_factory=list, description="Tried in order after names, aliases and accounts."
    )
    profiles: dict[Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]+$")], ImportProfile] = Field(
        default_factory=dict, description="Named column layouts."
    )


class BankDetails(Strict):
    """Where customers pay: printed on statements."""

    bank: Text = Field(description="Bank and branch (开户行), e.g. 中国工商银行上海嘉定支行.")
    account_name: Str | None = Field(None, description="Account holder (户名), when not the company's name.")
    account: Text = Field(description="Account number (账号), free text (spaces allowed).")
    swift: Str | None = Field(None, description="SWIFT/BIC code, for payments from abroad.")


class CompanyContact(Strict):
    """Whom customers ask about their statement."""

    person: Str | None = Field(None, description="Contact person (e.g. the bookkeeper).")
    phone: Str | None = Field(None, description="Phone number, free text.")
    email: Str | None = Field(None, description="E-mail address.")


class Company(Strict):
    """The company that keeps the books: the letterhead of statements."""

    name: Text = Field(description="Legal name, as on invoices (e.g. 华兴贸易有限公司).")
    address: Str | None = Field(None, description="Postal address, free text.")
    tax_id: Str | None = Field(None, description="Tax id (统一社会信用代码 / VAT number).")
    bank: BankDetails | None = Field(None, description="Bank details customers pay to.")
    contact: CompanyContact | None = Field(None, description="Whom to ask about a statement.")


class CheckConfig(Strict):
    """`check`: probable duplicates a bookkeeper reviewed (written by `check --ignore`)."""

    ignore: list[Text] = Field(
        default_factory=list,
        description="Reviewed probable duplicates, not reported again: "
        "a pair `A+B` of entry or customer ids, or one id (every pair naming it).",
    )


class Rate(Strict):
    """One exchange rate: 1 unit of `currency` is worth `rate` units of the reporting currency from `date` on."""

    date: Date = Field(description="First day the rate is in force.")
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = Field(description="ISO 4217 code converted.")
    rate: Annotated[Amount, Field(gt=0)] = Field(description='Units of the reporting currency per unit, e.g. "7.1234".')

    @field_validator("currency")
    @classmethod
    def _money(cls, code: str) -> str:
        problem = currency_problem(code)
        if problem:
            raise ValueError(problem)
        return code


class Rates(RootModel[list[Rate]]):
    """The rates file (rates.yaml): a list of rates; the rate in force on a date is the latest dated on or before it."""


class CreditConfig(Strict):
    """What `add invoice` and `import invoices` do with an invoice that takes a customer over its credit limit."""

    on_limit: Literal["refuse", "warn"] = Field(
        "refuse",
        description="`refuse` (exit 2 unless --over-limit-reason is given) or `warn` (post it, warn on stderr).",
    )


class Config(Strict):
    """The books' configuration file, ledgerctl.yaml."""

    name: Str = Field("receivables", description="Name of the books, shown on reports and statements.")
    company: Company | None = Field(None, description="Letterhead of statements: name, address, tax id, bank, contact.")
    defaults: Defaults = Field(default_factory=Defaults, description="Defaults for new customers.")
    aging: AgingConfig = Field(default_factory=AgingConfig, description="Aging report defaults.")
    closed_through: Date | None = Field(None, description="Set by `close`: nothing on or before it may change.")
    segments: SegmentsConfig = Field(default_factory=SegmentsConfig, description="Segmentation thresholds.")
    dunning: DunningConfig = Field(default_factory=DunningConfig, description="Dunning levels and templates.")
    credit: CreditConfig = Field(default_factory=CreditConfig, description="Invoices over a customer's credit limit.")
    import_: ImportConfig = Field(
        default_factory=ImportConfig,
        alias="import",
        description="`import bank|invoices`: matching rules and column profiles.",
    )
    check: CheckConfig = Field(default_factory=CheckConfig, description="`check`: reviewed probable duplicates.")
    reporting_currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] | None = Field(
        None, description="Convert report totals, ABC and size classes into this currency, at the rates file's rates."
    )
    rates_file: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_][A-Za-z0-9_./-]*\.yaml$")] = Field(
        "rates.yaml", description="The rates file, relative to the books (read only with reporting_currency)."
    )

    @field_validator("reporting_currency")
    @classmethod
    def _reporting(cls, code: str | None) -> str | None:
        problem = currency_problem(code) if code else None
        if problem:
            raise ValueError(problem)
        return code
