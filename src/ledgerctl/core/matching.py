"""Who paid: a counterparty matched to a customer by name, alias, account or rule; and what a memo pays. Pure.

Never a guess: a line two customers could claim is *ambiguous* and left to the bookkeeper.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

ZERO = Decimal(0)
_GLUED_ACCOUNT = re.compile(r"^(.*?)([0-9]{6,})$")  # 名称1234567890: some banks glue the payer's account to the name


def normalise(text: str) -> str:
    """Full-width → half-width (NFKC, so `（` = `(`), lower case, no spaces or punctuation."""
    text = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LN")


def account_key(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", unicodedata.normalize("NFKC", text).lower())


@dataclass(frozen=True)
class Payee:
    """What matching needs of a customer."""

    id: str
    name: str
    currency: str
    aliases: tuple[str, ...] = ()
    bank_accounts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    pattern: str
    field: str  # counterparty | memo | account
    customer: str


@dataclass(frozen=True)
class Match:
    customer: str | None
    reason: str  # how it matched, or why it did not ("no customer matches", "ambiguous: a, b")
    candidates: tuple[str, ...] = ()

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1


@dataclass
class Directory:
    """Customers indexed by every normalised name and account they pay under."""

    by_name: dict[str, set[str]] = field(default_factory=dict)
    by_account: dict[str, set[str]] = field(default_factory=dict)
    known: set[str] = field(default_factory=set)
    rules: list[tuple[re.Pattern[str], Rule]] = field(default_factory=list)

    @classmethod
    def of(cls, payees: Iterable[Payee], rules: Sequence[Rule] = ()) -> Directory:
        directory = cls()
        for payee in payees:
            directory.known.add(payee.id)
            for name in (payee.name, *payee.aliases):
                key = normalise(name)
                if key:
                    directory.by_name.setdefault(key, set()).add(payee.id)
            for account in payee.bank_accounts:
                key = account_key(account)
                if key:
                    directory.by_account.setdefault(key, set()).add(payee.id)
        directory.rules = [(re.compile(rule.pattern, re.IGNORECASE), rule) for rule in rules]
        return directory

    def match(self, counterparty: str, account: str = "", memo: str = "") -> Match:
        """Names and aliases (also with the payer's account glued on), bank accounts; then the rules, in order."""
        name = normalise(counterparty)
        found: set[str] = set(self.by_name.get(name, ()))
        glued = _GLUED_ACCOUNT.match(name)
        if glued and glued.group(1):
            found |= self.by_name.get(glued.group(1), set())
            found |= self.by_account.get(glued.group(2), set())
        how = "name"
        acct = account_key(account)
        if acct and acct in self.by_account:
            if not found:
                how = "bank account"
            found |= self.by_account[acct]
        if len(found) == 1:
            return Match(next(iter(found)), how, tuple(found))
        if found:
            return Match(None, f"ambiguous: {', '.join(sorted(found))} all match", tuple(sorted(found)))
        values = {"counterparty": counterparty, "memo": memo, "account": account}
        for pattern, rule in self.rules:
            text = values[rule.field]
            if text and (pattern.search(text) or pattern.search(unicodedata.normalize("NFKC", text))):
                if rule.customer not in self.known:
                    return Match(None, f"the rule {rule.pattern!r} names {rule.customer}, which is no customer")
                return Match(rule.customer, f"rule {rule.pattern!r}", (rule.customer,))
        return Match(None, "no customer has this name, alias or account")


# --- what a memo pays ---------------------------------------------------------------------

MIN_REF_LENGTH = 4  # a shorter ref ("12") would be found in unrelated memos


@dataclass(frozen=True)
class Payable:
    """An open debit of a customer: what a memo may name."""

    id: str
    ref: str | None
    open: Decimal


@lru_cache(maxsize=65536)
def _token_key(token: str) -> str:
    key = normalise(token)
    return key if len(key) >= MIN_REF_LENGTH else ""


def _named(memo_key: str, token: str) -> int:
    """Where the token is named in the memo as a whole word (-1: not at all)."""
    key = _token_key(token)
    if not key:
        return -1
    start = memo_key.find(key)
    while start >= 0:
        end = start + len(key)
        before = memo_key[start - 1] if start else ""
        after = memo_key[end] if end < len(memo_key) else ""
        # Digits glued on either side make it another number (INV-12 is not INV-123).
        if not (before.isdigit() and key[0].isdigit()) and not (after.isdigit() and key[-1].isdigit()):
            return start
        start = memo_key.find(key, start + 1)
    return -1


def allocate_by_memo(
    memo: str, amount: Decimal, payables: Sequence[Payable], left: Mapping[str, Decimal]
) -> dict[str, Decimal]:
    """{debit id: amount} for the open items the memo names (by id or ref), in the memo's order, each up to
    what is still open of it (``left``, which the caller lowers as lines are posted); the rest stays in the pool."""
    if not memo.strip():
        return {}
    memo_key = normalise(memo)
    named = []
    for item in payables:
        places = [p for p in (_named(memo_key, item.id), _named(memo_key, item.ref or "")) if p >= 0]
        if places:
            named.append((min(places), item.id))
    allocations: dict[str, Decimal] = {}
    rest = amount
    for _, debit in sorted(named):
        use = min(rest, left.get(debit, ZERO))
        if use > 0:
            allocations[debit] = use
            rest -= use
    return allocations
