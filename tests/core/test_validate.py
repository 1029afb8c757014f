"""Every rule of SPEC 3 produces a located problem; valid books produce none."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ledgerctl.core.models import (
    BalanceAssertion,
    CreditNote,
    Customer,
    Invoice,
    Payment,
    Refund,
    Reminder,
    Void,
    WriteOff,
)
from ledgerctl.core.validate import SourcedLedger, compare_posted, validate_books

D = dt.date


def ledger(stem: str, entries: list, currency: str = "CNY", customer_id: str | None = None) -> SourcedLedger:
    customer = Customer(id=customer_id or stem, name=stem.upper(), currency=currency)
    return SourcedLedger(
        file=f"ledgers/{stem}.yaml",
        stem=stem,
        customer=customer,
        entries=entries,
        entry_lines={e.id: 10 + n for n, e in enumerate(entries)},
    )


def inv(id: str, amount: str = "100.00", date: dt.date = D(2026, 1, 1), due: dt.date | None = None) -> Invoice:
    return Invoice(id=id, type="invoice", date=date, due=due, amount=Decimal(amount))


def pay(id: str, amount: str, allocations: dict[str, str] | None = None, date: dt.date = D(2026, 1, 2)) -> Payment:
    return Payment(
        id=id,
        type="payment",
        date=date,
        amount=Decimal(amount),
        allocations={k: Decimal(v) for k, v in allocations.items()} if allocations else None,
    )


def codes(*ledgers: SourcedLedger) -> list[str]:
    return sorted(p.code for p in validate_books(list(ledgers)))


def test_valid_ledger_has_no_problems() -> None:
    entries = [
        inv("I1"),
        pay("P1", "60.00", {"I1": "60.00"}),
        CreditNote(id="C1", type="credit_note", date=D(2026, 1, 3), amount=Decimal("1")),
        Refund(id="R1", type="refund", date=D(2026, 1, 4), amount=Decimal("5")),
        Void(id="V1", type="void", date=D(2026, 1, 5), voids="R1"),
        Reminder(id="RM1", type="reminder", date=D(2026, 2, 1), level=1, invoices=["I1"]),
        BalanceAssertion(id="B1", type="balance", date=D(2026, 1, 5), amount=Decimal("39.00")),
        WriteOff(
            id="W1", type="write_off", date=D(2026, 3, 1), amount=Decimal("39"), allocations={"I1": Decimal("39")}
        ),
    ]
    assert codes(ledger("acme", entries)) == []


def test_problems_name_file_line_and_entry() -> None:
    [problem] = validate_books([ledger("acme", [inv("I1", "1.234")])])
    assert (problem.code, problem.file, problem.line, problem.entry) == ("amount-digits", "ledgers/acme.yaml", 10, "I1")


def test_each_rule() -> None:
    assert codes(ledger("acme", [], customer_id="other")) == ["id-mismatch"]
    assert codes(ledger("acme", [inv("I1", "5")], currency="XXY")) == ["unknown-currency"]
    assert codes(ledger("jp", [inv("I1", "1.5")], currency="JPY")) == ["amount-digits"]
    assert codes(ledger("acme", [inv("I1", due=D(2025, 12, 31))])) == ["due-before-date"]
    assert codes(ledger("acme", [inv("I1"), inv("I1")])) == ["duplicate-id"]
    assert codes(ledger("a", [inv("I1")]), ledger("b", [inv("I1")])) == ["duplicate-id"]
    assert codes(ledger("acme", [inv("I1"), pay("P1", "10", {"NOPE": "5"})])) == ["allocation-unknown"]
    assert codes(ledger("a", [inv("I1")]), ledger("b", [pay("P1", "10", {"I1": "5"})])) == ["other-customer"]
    assert codes(ledger("acme", [inv("I1"), pay("P0", "1"), pay("P1", "10", {"P0": "5"})])) == ["allocation-not-debit"]
    assert codes(ledger("acme", [inv("I1"), pay("P1", "10", {"I1": "11"})])) == ["allocation-exceeds-credit"]
    assert codes(ledger("acme", [inv("I1", "10"), pay("P1", "8", {"I1": "8"}), pay("P2", "8", {"I1": "3"})])) == [
        "allocation-exceeds-debit"
    ]
    assert codes(ledger("acme", [inv("I1"), Void(id="V1", type="void", date=D(2026, 1, 1), voids="NOPE")])) == [
        "void-unknown"
    ]
    assert codes(
        ledger("acme", [inv("I1", date=D(2026, 2, 1)), Void(id="V1", type="void", date=D(2026, 1, 1), voids="I1")])
    ) == ["void-before-entry"]
    assert codes(
        ledger(
            "acme",
            [
                inv("I1"),
                Void(id="V1", type="void", date=D(2026, 1, 2), voids="I1"),
                Void(id="V2", type="void", date=D(2026, 1, 3), voids="I1"),
            ],
        )
    ) == ["already-voided"]
    assert codes(
        ledger(
            "acme",
            [
                inv("I1"),
                Void(id="V1", type="void", date=D(2026, 1, 2), voids="I1"),
                Void(id="V2", type="void", date=D(2026, 1, 3), voids="V1"),
            ],
        )
    ) == ["void-of-void"]
    assert codes(
        ledger(
            "acme", [pay("P1", "1"), Reminder(id="R", type="reminder", date=D(2026, 2, 1), level=1, invoices=["P1"])]
        )
    ) == ["reminder-unknown-invoice"]
    assert codes(
        ledger("acme", [inv("I1"), BalanceAssertion(id="B", type="balance", date=D(2026, 1, 1), amount=Decimal("99"))])
    ) == ["balance-mismatch"]


def test_voided_credit_allocations_do_not_count_against_the_debit() -> None:
    entries = [
        inv("I1", "10"),
        pay("P1", "10", {"I1": "10"}),
        Void(id="V", type="void", date=D(2026, 1, 3), voids="P1"),
        pay("P2", "10", {"I1": "10"}, date=D(2026, 1, 4)),
    ]
    assert codes(ledger("acme", entries)) == []


def test_compare_posted() -> None:
    src = ledger("acme", [])
    before = [inv("I1"), inv("I2")]
    changed = [inv("I1", "200.00")]
    found = sorted(p.code for p in compare_posted(before, changed, src, None))
    assert found == ["posted-changed", "posted-deleted"]
    assert (
        compare_posted(before, before + [inv("I3", date=D(2026, 1, 5))], src, D(2026, 1, 31))[0].code == "closed-period"
    )
    assert compare_posted(before, before + [inv("I3", date=D(2026, 2, 1))], src, D(2026, 1, 31)) == []


def test_check_and_verify_agree_on_voiding_into_a_closed_period() -> None:
    from ledgerctl.core.audit import audit_posted

    before = [inv("I1", date=D(2026, 1, 5))]
    after = before + [Void(id="V1", type="void", date=D(2026, 2, 10), voids="I1")]
    src = ledger("acme", after)
    closed = D(2026, 1, 31)
    checked = [(p.code, p.entry) for p in compare_posted(before, after, src, closed)]
    audited = [(p.code, p.entry) for p in audit_posted(before, src, closed, "CNY")]
    assert checked == audited == [("closed-period", "V1")]
    later = [inv("I2", date=D(2026, 2, 5))]
    fine = later + [Void(id="V2", type="void", date=D(2026, 2, 10), voids="I2")]
    assert compare_posted(later, fine, ledger("acme", fine), closed) == []
    assert audit_posted(later, ledger("acme", fine), closed, "CNY") == []


def test_an_id_used_in_two_files_is_one_rule_for_check_and_the_write_path() -> None:
    from ledgerctl.core.validate import first_holders, ids_taken

    first, collisions = first_holders([("A", "f1"), ("B", "f1"), ("A", "f2"), ("A", "f1")])
    assert first == {"A": "f1", "B": "f1"}
    assert collisions == [("A", "f2", "f1")]  # a repeat inside one file is validate_ledger's, not this rule's
    assert ids_taken(["A", "B", "C"], {"A": "other", "B": "me"}, "me") == [("A", "other")]
