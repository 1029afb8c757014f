"""Bad input at the CLI: every refusal has the SPEC 5 exit status, a clear message, no traceback, and changes nothing.

SPEC 3 (rules, every violation names file, line and entry), 5 (exit 0/1/2/3, never a traceback), 7 (nothing written
when validation fails). Broken files are written byte for byte, then committed with plain git.
"""

from __future__ import annotations

import json
import re
import time

import pytest

from conftest import BooksFixture, Result, run_cli, run_process

# --- helpers -------------------------------------------------------------------------------------------------------


def invoke(books: BooksFixture, *args: str) -> Result:
    """Run the CLI; with a `--` in args, --books goes before it (after `--` everything is an argument)."""
    if "--" in args:
        cut = args.index("--")
        return run_cli(*args[:cut], "--books", str(books.root), *args[cut:])
    return books.run(*args)


def assert_clean_failure(result: Result, code: int, says: str) -> None:
    assert result.exit_code == code, f"exit {result.exit_code}, expected {code}:\n{result.output}"
    assert "Traceback" not in result.output, result.output
    assert "internal error" not in result.output, result.output
    assert re.search(says, result.output, re.IGNORECASE), f"{says!r} not in:\n{result.output}"


def refused(books: BooksFixture, *args: str, says: str, code: int = 2) -> Result:
    """The command fails with ``code`` and a message matching ``says``, and the books are byte-for-byte unchanged."""
    before = books.snapshot()
    result = invoke(books, *args)
    assert_clean_failure(result, code, says)
    assert books.snapshot() == before, "a refused command changed the books"
    return result


def ok(books: BooksFixture, *args: str) -> str:
    result = invoke(books, *args)
    assert result.exit_code == 0, result.output
    return result.stdout.strip()


def commit_by_hand(books: BooksFixture, message: str = "hand edit") -> None:
    books.git("commit", "-q", "-am", message)


def check_json(books: BooksFixture) -> tuple[int, dict]:
    result = books.run("check", "--format", "json")
    assert "Traceback" not in result.output, result.output
    return result.exit_code, json.loads(result.stdout)


# --- amounts -------------------------------------------------------------------------------------------------------

BAD_AMOUNTS = [
    ("acme", "12.345", "too many decimals"),
    ("nippon", "1.5", "too many decimals"),
    ("acme", "-5", "negative"),
    ("acme", "0", "zero"),
    ("acme", "abc", "not an amount"),
    ("acme", "1e3", "not an amount"),
    ("acme", "NaN", "not an amount"),
    ("acme", "Infinity", "not an amount"),
    ("acme", "1,000.00", "not an amount"),
]


@pytest.mark.parametrize("kind", ["invoice", "payment"])
@pytest.mark.parametrize(("customer", "amount", "says"), BAD_AMOUNTS)
def test_bad_amount_is_refused(books, kind, customer, amount, says):
    refused(books, "add", kind, "--", customer, amount, says=f"amount.*{says}")


def test_negative_amount_without_double_dash_is_a_usage_error(books):
    refused(books, "add", "invoice", "acme", "-5", says="-5")


def test_unknown_customer(books):
    refused(books, "add", "invoice", "nobody", "10", says="unknown customer 'nobody'")


# --- entry ids -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("second", ["acme", "nippon"])
def test_duplicate_entry_id(books, second):
    assert ok(books, "add", "invoice", "acme", "10", "--id", "X1") == "X1"
    refused(books, "add", "invoice", second, "10", "--id", "X1", says="X1 is already used")


def test_invalid_entry_id(books):
    refused(books, "add", "invoice", "acme", "10", "--id", "has space", says="not a valid entry id")


# --- allocations ---------------------------------------------------------------------------------------------------


@pytest.fixture
def invoiced(books):
    ok(books, "add", "invoice", "acme", "100.00", "--id", "INV-A", "--date", "2026-11-01")
    ok(books, "add", "invoice", "nippon", "1000", "--id", "INV-N", "--date", "2026-11-01")
    return books


@pytest.mark.parametrize(
    ("amount", "apply", "says"),
    [
        ("50", "NOPE", "acme has no such invoice"),
        ("50", "INV-N", "belongs to customer nippon"),
        ("50", "INV-A=60", "more than the payment's 50.00"),
        ("500", "INV-A=150", "INV-A sum to 150.00, more than its 100.00"),
        ("50", "INV-A=1.234", "too many decimals"),
        ("50", "INV-A=-5", "negative"),
        ("50", "=5", "name the invoice"),
    ],
)
def test_bad_allocation(invoiced, amount, apply, says):
    refused(invoiced, "add", "payment", "acme", amount, "--apply", apply, says=says)


def test_allocation_to_a_payment_is_refused(invoiced):
    ok(invoiced, "add", "payment", "acme", "10", "--id", "PAY-A")
    refused(invoiced, "add", "payment", "acme", "10", "--apply", "PAY-A", says="only invoices and refunds")


def test_allocations_over_several_payments_exceeding_the_invoice(invoiced):
    ok(invoiced, "add", "payment", "acme", "80", "--apply", "INV-A=80")
    refused(invoiced, "add", "payment", "acme", "30", "--apply", "INV-A=30", says="more than its 100.00")


# --- dates ---------------------------------------------------------------------------------------------------------


def test_due_before_date(books):
    refused(
        books,
        "add",
        "invoice",
        "acme",
        "10",
        "--date",
        "2026-11-10",
        "--due",
        "2026-11-01",
        says="due date 2026-11-01 is before the invoice date 2026-11-10",
    )


@pytest.mark.parametrize("option", ["--date", "--due"])
def test_not_a_date(books, option):
    refused(books, "add", "invoice", "acme", "10", option, "2026-02-30", says="not a date")


# --- void ----------------------------------------------------------------------------------------------------------


def test_void_unknown_entry(books):
    refused(books, "void", "NOPE-1", "--reason", "typo", says="no entry 'NOPE-1'")


def test_void_twice(books):
    ok(books, "add", "invoice", "acme", "10", "--id", "X1")
    void_id = ok(books, "void", "X1", "--reason", "entered twice")
    refused(books, "void", "X1", "--reason", "again", says=f"X1 is already voided by {void_id}")
    refused(books, "void", void_id, "--reason", "undo", says="cannot be voided")


def test_void_before_the_entry(books):
    ok(books, "add", "invoice", "acme", "10", "--id", "X1", "--date", "2026-11-10")
    refused(books, "void", "X1", "--reason", "x", "--date", "2026-11-01", says="before the entry")


# --- closed period -------------------------------------------------------------------------------------------------


def close_by_hand(books: BooksFixture, date: str = "2026-09-30") -> None:
    config = books.root / "ledgerctl.yaml"
    config.write_bytes(config.read_bytes() + f"closed_through: {date}\n".encode())
    commit_by_hand(books, f"close through {date}")


@pytest.mark.parametrize("date", ["2026-09-15", "2026-09-30"])
def test_add_into_closed_period(books, date):
    close_by_hand(books)
    refused(books, "add", "invoice", "acme", "10", "--date", date, says=r"closed.*2026-09-30")
    refused(books, "add", "payment", "nippon", "10", "--date", date, says=r"closed.*2026-09-30")


def test_add_after_closed_period_still_works(books):
    close_by_hand(books)
    ok(books, "add", "invoice", "acme", "10", "--date", "2026-10-01")


def test_void_of_entry_in_closed_period(books):
    ok(books, "add", "invoice", "acme", "10", "--id", "OLD-1", "--date", "2026-09-15")
    close_by_hand(books)
    refused(books, "void", "OLD-1", "--reason", "late correction", says=r"closed.*2026-09-30")
    refused(books, "void", "OLD-1", "--reason", "x", "--date", "2026-11-01", says=r"closed.*2026-09-30")


# --- customer ids --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("customer_id", ["a/b", "../evil", "..", "a..b", "a b", "-acme", "Acme", ""])
def test_bad_customer_id(books, customer_id):
    refused(books, "customer", "add", "--name", "X", "--", customer_id, says="not a valid customer id")
    assert not (books.root.parent / "evil.yaml").exists()


def test_leading_dash_customer_id_without_double_dash(books):
    refused(books, "customer", "add", "-acme", "--name", "X", says="no such option")


# --- hand-broken ledger files --------------------------------------------------------------------------------------

HEADER = "customer:\n  id: acme\n  name: Acme\n  currency: CNY\n"
X1 = '  - {id: X1, type: invoice, date: 2026-11-01, due: 2026-12-01, amount: "10.00"}\n'
GOOD = HEADER + "entries:\n" + X1
BOMB = "".join(
    [HEADER, 'lol0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n']
    + [f"lol{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n" for i in range(1, 10)]
    + ["entries:\n", X1]
)

# id, file content, message fragment, line, entry id (None: not about one entry)
BROKEN = [
    ("malformed", HEADER.replace("name: Acme", "name: Acme: Ltd") + "entries:\n" + X1, "malformed YAML", 3, None),
    (
        "unclosed-flow",
        GOOD + '  - {id: X2, type: invoice, date: 2026-11-02, amount: "5.00"\n',
        "malformed YAML",
        7,
        None,
    ),
    ("empty", "", "empty", 1, None),
    ("not-utf8", "customer:\n  id: acme\n  name: 华兴机械\n  currency: CNY\nentries:\n", "not UTF-8", 3, None),
    ("stem-differs", GOOD.replace("id: acme", "id: acme2"), "differs from the file name", 2, None),
    ("entry-key-typo", GOOD + '  - {id: X2, type: invoice, date: 2026-11-02, amout: "5.00"}\n', "amout", 7, "X2"),
    ("header-key-typo", GOOD.replace("name: Acme", "nmae: Acme"), "nmae", 3, None),
    ("alias-bomb", BOMB, "alias|anchor", 5, None),
    ("python-tag", GOOD + "  - !!python/object/apply:os.system [touch pwned]\n", "tag", 7, None),
    ("merge-key", HEADER + "  <<: {terms_days: 10}\nentries:\n" + X1, "merge key", 5, None),
    ("duplicate-key", HEADER + "  name: Other\nentries:\n" + X1, "duplicate key 'name'", 5, None),
    (
        "duplicate-entry-key",
        GOOD + '  - {id: X2, type: invoice, date: 2026-11-02, amount: "5.00", amount: "6.00"}\n',
        "duplicate key 'amount'",
        7,
        None,
    ),
    ("amount-1e3", GOOD + "  - {id: X2, type: invoice, date: 2026-11-02, amount: 1e3}\n", "not an amount", 7, "X2"),
    (
        "amount-float-exp",
        GOOD + "  - {id: X2, type: invoice, date: 2026-11-02, amount: 1.0e+3}\n",
        "not an amount",
        7,
        "X2",
    ),
    ("amount-nan", GOOD + "  - {id: X2, type: invoice, date: 2026-11-02, amount: .nan}\n", "not an amount", 7, "X2"),
    (
        "amount-digits",
        GOOD + "  - {id: X2, type: invoice, date: 2026-11-02, amount: 12.345}\n",
        "too many decimals",
        7,
        "X2",
    ),
]
DOES_NOT_LOAD = {case[0] for case in BROKEN} - {"stem-differs", "amount-digits"}


def encode(case: str, text: str) -> bytes:
    return text.encode("gb18030") if case == "not-utf8" else text.encode("utf-8")


@pytest.fixture(params=BROKEN, ids=[case[0] for case in BROKEN])
def broken(request, books):
    """acme's ledger broken by hand and committed with plain git; yields (books, case)."""
    case, text, *_ = request.param
    ok(books, "add", "invoice", "nippon", "1000", "--id", "N1")
    books.ledger("acme").write_bytes(encode(case, text))
    commit_by_hand(books, f"break acme: {case}")
    return books, request.param


def test_check_lists_the_problem_with_file_line_and_entry(broken):
    books, (case, _, says, line, entry) = broken
    before = books.snapshot()
    started = time.monotonic()
    code, report = check_json(books)
    assert time.monotonic() - started < 10, "check took too long (alias bomb expanded?)"
    assert code == 1 and report["ok"] is False, report
    mine = [p for p in report["problems"] if p["file"] == "ledgers/acme.yaml" and re.search(says, p["message"], re.I)]
    assert mine, f"no problem matching {says!r} for ledgers/acme.yaml in {report['problems']}"
    assert any(p["line"] == line for p in mine), f"expected line {line}: {mine}"
    if entry is not None:
        assert any(p["entry"] == entry for p in mine), f"expected entry {entry}: {mine}"
    assert books.snapshot() == before
    assert not (books.root / "pwned").exists()


def test_check_table_names_file_and_line(broken):
    books, (case, _, says, line, _entry) = broken
    result = books.run("check")
    assert_clean_failure(result, 1, says)
    assert f"ledgers/acme.yaml:{line}" in result.output


@pytest.mark.parametrize("kind", ["invoice", "payment"])
def test_add_on_broken_ledger_is_refused(broken, kind):
    books, (case, *_rest) = broken
    result = refused(books, "add", kind, "acme", "10", says="acme")
    assert "ledgers/acme.yaml" in result.output


def test_balance_refuses_when_a_ledger_does_not_load(broken):
    books, (case, _, says, *_rest) = broken
    if case not in DOES_NOT_LOAD:
        pytest.skip("the file loads; its rule problem is for `check`")
    for args in (("balance",), ("balance", "nippon", "--format", "json")):
        result = refused(books, *args, says="do not load")
        assert "ledgers/acme.yaml" in result.output


def test_uncommitted_breakage_is_refused_too(books):
    ok(books, "add", "invoice", "acme", "10", "--id", "X1")
    books.ledger("acme").write_bytes(b"customer: [\n")
    refused(books, "add", "invoice", "acme", "10", says="acme.yaml")
    code, report = check_json(books)
    assert code == 1 and any(p["file"] == "ledgers/acme.yaml" and p["line"] for p in report["problems"])


@pytest.mark.parametrize(
    "text", [GOOD.replace("name: Acme", "nmae: Acme"), GOOD.replace("X1,", "X1")], ids=["header-typo", "malformed"]
)
def test_void_of_entry_in_broken_ledger_names_the_file(books, text):
    """X1 exists (it is in HEAD); the refusal must say its file does not load, not that there is no such entry."""
    ok(books, "add", "invoice", "acme", "10", "--id", "X1", "--date", "2026-11-01")
    books.ledger("acme").write_bytes(text.encode())
    commit_by_hand(books)
    refused(books, "void", "X1", "--reason", "x", says="acme.yaml")


@pytest.mark.parametrize(
    "breakage",
    [
        b"customer: {id: nippon, name: N, currency: JPY}\nentries:\n"
        b'  - {id: N1, type: invoice, date: 2026-11-01, amount: "1000", amout: 1}\n',
        b"customer: {id: nippon, name: N, currency: JPY}\nentries: [\n  {id: N1, type: invoice, date: 2026-11-01}\n",
    ],
    ids=["bad-entry", "malformed"],
)
def test_duplicate_id_hidden_in_a_broken_ledger(books, breakage):
    """SPEC 3: ids are unique across the books; a file that does not load cannot vouch for the ids it holds."""
    ok(books, "add", "invoice", "nippon", "1000", "--id", "N1")
    books.ledger("nippon").write_bytes(breakage)
    commit_by_hand(books)
    refused(books, "add", "invoice", "acme", "10", "--id", "N1", says="N1|nippon.yaml")


# --- ledgerctl.yaml ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        ("colsed_through: 2026-09-30\n", "colsed_through"),
        ("aging: {basis: due, bukets: [30, 60, 90]}\n", "duplicate key 'aging'"),
    ],
)
def test_config_problem(books, extra, says):
    config = books.root / "ledgerctl.yaml"
    config.write_bytes(config.read_bytes() + extra.encode())
    last_line = config.read_bytes().count(b"\n")
    commit_by_hand(books, "config typo")
    before = books.snapshot()
    code, report = check_json(books)
    assert code == 1, report
    assert any(
        p["file"] == "ledgerctl.yaml" and p["line"] == last_line and re.search(says, p["message"])
        for p in report["problems"]
    ), report
    assert books.snapshot() == before
    refused(books, "add", "invoice", "acme", "10", says=says)
    refused(books, "balance", says=says)


def test_config_unknown_nested_key(books):
    config = books.root / "ledgerctl.yaml"
    config.write_bytes(config.read_bytes().replace(b"aging: {basis: due,", b"aging: {bsis: due,"))
    commit_by_hand(books)
    code, report = check_json(books)
    assert code == 1 and any(
        p["file"] == "ledgerctl.yaml" and "bsis" in p["message"] and p["line"] == 5  # aging:
        for p in report["problems"]
    ), report
    refused(books, "add", "invoice", "acme", "10", says="bsis")


# --- hand-typed amounts that are fine ------------------------------------------------------------------------------


def test_unquoted_amount_is_read_exactly(books):
    books.ledger("acme").write_bytes(
        (
            HEADER + "entries:\n"
            "  - {id: X1, type: invoice, date: 2026-11-01, due: 2026-12-01, amount: 12.10}\n"
            "  - {id: X2, type: invoice, date: 2026-11-02, due: 2026-12-02, amount: 0.1}\n"
            "  - {id: X3, type: invoice, date: 2026-11-03, due: 2026-12-03, amount: 0.2}\n"
        ).encode()
    )
    commit_by_hand(books)
    assert books.run("check").exit_code == 0
    result = books.run("balance", "acme", "--format", "json")
    assert result.exit_code == 0, result.output
    [customer] = json.loads(result.stdout)["customers"]
    assert customer["balance"] == "12.40"
    books.ledger("acme").write_bytes(
        (HEADER + "entries:\n  - {id: X1, type: invoice, date: 2026-11-01, due: 2026-12-01, amount: 12.10}\n").encode()
    )
    commit_by_hand(books)
    assert json.loads(books.run("balance", "acme", "--format", "json").stdout)["customers"][0]["balance"] == "12.10"


# --- the installed entry point, as a real process --------------------------------------------------------------------


def process(books: BooksFixture, *args: str):
    completed = run_process(*args, "--books", str(books.root))
    assert "Traceback" not in completed.stdout + completed.stderr, completed.stderr
    return completed


@pytest.mark.slow
def test_process_bad_amount(books):
    before = books.snapshot()
    completed = process(books, "add", "invoice", "acme", "12.345")
    assert completed.returncode == 2 and "too many decimals" in completed.stderr
    assert books.snapshot() == before


@pytest.mark.slow
def test_process_unknown_customer_and_bad_id(books):
    before = books.snapshot()
    assert process(books, "add", "invoice", "nobody", "10").returncode == 2
    completed = process(books, "customer", "add", "../evil", "--name", "X")
    assert completed.returncode == 2 and "not a valid customer id" in completed.stderr
    assert books.snapshot() == before


@pytest.mark.slow
def test_process_broken_ledger(books):
    books.ledger("acme").write_bytes(BOMB.encode())
    commit_by_hand(books)
    before = books.snapshot()
    completed = process(books, "check", "--format", "json")
    assert completed.returncode == 1
    assert any(p["file"] == "ledgers/acme.yaml" for p in json.loads(completed.stdout)["problems"])
    assert process(books, "balance").returncode == 2
    assert process(books, "add", "invoice", "acme", "10").returncode == 2
    assert books.snapshot() == before
