"""store/fastbody.py: the one-pass reader of everyday entry lines gives the safe path's record or steps aside.

fastread tries it first; here fastread's line-by-line reader is switched off, so every record compared
with the safe path's is the one-pass reader's own.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.store.test_fastread import HEAD, REPO, TEMPLATES, safe_record
from tests.strategies import HOSTILE, canonical_ledgers, mutated

from ledgerctl.store import fastread
from ledgerctl.store.cache import CachedLedger, _encoder
from ledgerctl.store.fastbody import bulk_entries

DIFFERENTIAL = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@contextmanager
def one_pass_only() -> Iterator[None]:
    with mock.patch.object(fastread, "_entry", lambda line: None):
        yield


def same_or_none(raw: bytes, stem: str = "acme") -> CachedLedger | None:
    relpath = f"ledgers/{stem}.yaml"
    with one_pass_only():
        fast = fastread.fast_record(raw, relpath, "0" * 40)
    if fast is not None:
        assert _encoder.encode(fast) == _encoder.encode(safe_record(raw, relpath)), raw.decode("utf-8", "replace")
    return fast


def body(*lines: str) -> str:
    return "".join(f"  - {line}\n" for line in lines)


def test_it_takes_every_sample_ledger_and_every_type() -> None:
    for path in sorted((REPO / "ledgers").glob("*.yaml")):
        assert same_or_none(path.read_bytes(), path.stem) is not None, path.name
    record = same_or_none((HEAD + body(*TEMPLATES)).encode())
    assert record is not None and len(record.entries) == len(TEMPLATES)


def test_lines_and_the_first_line_of_an_id_twice() -> None:
    found = bulk_entries(body(TEMPLATES[0], TEMPLATES[1], TEMPLATES[0]), 7)
    assert found is not None and found[1] == {"INV-1": 7, "RF-1": 8}
    assert same_or_none((HEAD + body(TEMPLATES[0], TEMPLATES[1], TEMPLATES[0])).encode()) is not None
    assert bulk_entries("", 3) == ([], {})
    assert bulk_entries(body(TEMPLATES[0]).rstrip("\n"), 3) is not None


@pytest.mark.parametrize(
    "lines",
    [
        (TEMPLATES[0], ""),  # a blank line
        (TEMPLATES[0], "# a comment"),
        ('{id: INV-1, type: invoice, date: 2026-02-30, amount: "1.00"}',),  # no such day
        ('{id: INV-1, type: invoice, date: 2026-02-03, amount: "0.00"}',),  # not positive
        ('{id: INV-1, type: invoice, date: 2026-02-03, amount: "-1.00"}',),
        ('{id: INV-1, type: invoice, date: 2026-02-03, amount: "1.00", voids: X}',),  # not an invoice's key
        ("{id: INV-1, type: invoice, date: 2026-02-03}",),  # no amount
        ('{id: PAY-1, type: payment, date: 2026-02-03, amount: "1.00", allocations: {A: "1.00", A: "1.00"}}',),
        ('{id: PAY-1, type: payment, date: 2026-02-03, amount: "1.00", allocations: {A: "0.00"}}',),
        ("{id: null, type: note, date: 2026-02-03}",),  # YAML's null, not text
        ('{id: N-1, type: note, date: 2026-02-03, memo: "a\\tb"}',),  # an escape: fastread's to read
        ("{id: N-1, type: note, date: 2026-02-03, memo: 12}",),  # a number
        ("{id: N-1, type: note, date: 2026-02-03, tags: [true]}",),
        ('{id: R-1, type: refund, date: 2026-02-03, amount: "1.00", ref: False}',),
        ('{id: "N-1", type: note, date: 2026-02-03}',),  # quoted: fastread's form
        ("{id: N-1, type: notes, date: 2026-02-03}",),
        ("{id: RM-1, type: reminder, date: 2026-02-03}",),  # no level
        ('{id: PR-1, type: promise, date: 2026-02-03, amount: "1.00"}',),  # no by
        ('{id: BAL-1, type: balance, date: 2026-02-03, amount: "1234567890123456.00"}',),  # too many digits
    ],
)
def test_anything_else_is_left_to_the_line_reader(lines: tuple[str, ...]) -> None:
    assert bulk_entries(body(*lines), 5) is None


@DIFFERENTIAL
@given(canonical_ledgers())
def test_files_in_the_tools_layout(case: tuple[str, str]) -> None:
    same_or_none(case[1].encode("utf-8"), case[0])


@DIFFERENTIAL
@given(st.data(), canonical_ledgers(max_entries=6))
def test_damaged_files(data: st.DataObject, case: tuple[str, str]) -> None:
    same_or_none(data.draw(mutated(case[1])), case[0])


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), canonical_ledgers(max_entries=6))
def test_values_in_other_forms(data: st.DataObject, case: tuple[str, str]) -> None:
    same_or_none(data.draw(mutated(case[1], moves=(6,))), case[0])


@DIFFERENTIAL
@given(st.data())
def test_damaged_sample_files(data: st.DataObject) -> None:
    path: Path = data.draw(st.sampled_from(sorted((REPO / "ledgers").glob("*.yaml"))))
    same_or_none(data.draw(mutated(path.read_text(encoding="utf-8"))), path.stem)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(HOSTILE), st.sampled_from(HOSTILE), st.integers(0, 400), st.sampled_from(TEMPLATES))
def test_one_line_with_hostile_pieces(first: str, second: str, where: int, template: str) -> None:
    line = f"  - {template}"
    at = where % len(line)
    text = f"{HEAD}{line[:at]}{first}{line[at:]}\n{line}{second}\n"
    same_or_none(text.encode("utf-8"))
