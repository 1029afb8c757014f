"""customer add|edit --alias/--bank-account/--remove-alias: validated, in the header, in the schema."""

from __future__ import annotations

import json
from pathlib import Path


def test_aliases_and_accounts_are_added_and_removed(books) -> None:  # type: ignore[no-untyped-def]
    assert (
        books.run(
            "customer", "add", "gamma", "--name", "Gamma", "--alias", "G Co", "--bank-account", "6222 1"
        ).exit_code
        == 0
    )
    assert (
        books.run(
            "customer", "edit", "gamma", "--alias", "伽马", "--alias", "G Co", "--bank-account", "777777"
        ).exit_code
        == 0
    )
    text = books.ledger("gamma").read_text(encoding="utf-8")
    assert "aliases: [G Co, 伽马]" in text and 'bank_accounts: ["6222 1", "777777"]' in text
    assert (
        books.run("customer", "edit", "gamma", "--remove-alias", "G Co", "--remove-bank-account", "6222 1").exit_code
        == 0
    )
    text = books.ledger("gamma").read_text(encoding="utf-8")
    assert "aliases: [伽马]" in text and 'bank_accounts: ["777777"]' in text
    shown = json.loads(books.run("customer", "show", "gamma", "-O", "json").stdout)
    assert json.dumps(shown, ensure_ascii=False).count("伽马") >= 1


def test_bad_aliases_and_accounts_are_refused_and_change_nothing(books) -> None:  # type: ignore[no-untyped-def]
    before = books.snapshot()
    for args, says in (
        (("--remove-alias", "nope"), "has no alias 'nope'"),
        (("--alias", "  "), "blank"),
        (("--bank-account", "12;3"), "bank_accounts"),
    ):
        result = books.run("customer", "edit", "acme", *args)
        assert result.exit_code == 2, result.output
        assert says in result.output and "Traceback" not in result.output, result.output
        assert books.snapshot() == before


def test_the_schema_knows_them() -> None:
    schema = json.loads(
        (Path(__file__).resolve().parents[2] / "schemas" / "ledger.schema.json").read_text(encoding="utf-8")
    )
    text = json.dumps(schema)
    assert '"aliases"' in text and '"bank_accounts"' in text and '"fingerprint"' in text
