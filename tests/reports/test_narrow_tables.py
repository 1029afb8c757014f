"""On a narrow terminal a table may run past the edge, but an id or an amount is never folded or cut."""

from __future__ import annotations

import json
import re

import pytest

REPORTS = [
    (("aging", "--all"), "aging"),
    (("balance",), "balance"),
    (("customer", "list"), "customers"),
    (("segment",), "segment"),
]


def _amounts_and_ids(books) -> set[str]:  # type: ignore[no-untyped-def]
    data = json.loads(books.run("balance", "--format", "json").stdout)
    return {row["id"] for row in data["customers"]}


@pytest.mark.parametrize(("args", "name"), REPORTS)
def test_ids_and_amounts_survive_a_narrow_terminal(sample_books, args: tuple[str, ...], name: str) -> None:  # type: ignore[no-untyped-def]
    ids = _amounts_and_ids(sample_books)
    narrow = sample_books.run(*args, env={"LEDGERCTL_WIDTH": "50"})
    assert narrow.exit_code == 0, narrow.output
    tokens = set(re.findall(r"[\w.,:-]+", narrow.stdout))
    assert ids <= tokens, f"{name}: ids folded or cut: {sorted(ids - tokens)}"
    assert "…" not in narrow.stdout
    if name in ("aging", "balance"):
        wide = sample_books.run(*args, env={"LEDGERCTL_WIDTH": "200"})
        amounts = set(re.findall(r"-?\d[\d,]*\.\d+", wide.stdout))
        assert amounts and amounts <= tokens, f"{name}: amounts folded or cut: {sorted(amounts - tokens)[:5]}"


@pytest.mark.parametrize("args", [("customer", "list"), ("segment",)])
def test_optional_columns_give_way_with_a_note(sample_books, args: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    narrow = sample_books.run(*args, env={"LEDGERCTL_WIDTH": "80"}).stdout
    wide = sample_books.run(*args, env={"LEDGERCTL_WIDTH": "250"}).stdout
    assert "not shown for lack of width" in narrow and "not shown" not in wide
    assert max(len(line) for line in narrow.splitlines()) <= 80
    header = next(line for line in wide.splitlines() if "customer" in line)
    assert "name" in header and ("tags" in header or "invoiced" in header)
