"""Files ledgerctl writes read the same in an independent YAML 1.2 parser (ruamel.yaml)."""

from __future__ import annotations

from decimal import Decimal

from ruamel.yaml import YAML

from ledgerctl.store.yamlload import parse


def plain(value):  # type: ignore[no-untyped-def]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    return value if isinstance(value, (str, int, bool)) or value is None else str(value)


def test_written_ledgers_read_the_same_in_ruamel(books) -> None:  # type: ignore[no-untyped-def]
    tricky = [
        "memo: with colon",
        "#hash",
        "- dash",
        "007",
        "true",
        "[bracket]",
        '引号 "quoted"',
        "null",
        "1e3",
        " pad ",
    ]
    for memo in tricky:
        assert books.run("add", "invoice", "acme", "10.50", "--memo", memo, "--ref", memo).exit_code == 0
    assert books.run("customer", "edit", "acme", "--person", "王: 经理", "--notes", "# not a comment").exit_code == 0
    text = books.ledger("acme").read_text(encoding="utf-8")
    ours = plain(parse(text))
    theirs = plain(YAML(typ="safe", pure=True).load(text))
    for entry in theirs["entries"]:
        entry["date"] = str(entry["date"])
        entry["due"] = str(entry["due"])
    assert ours == theirs
    assert sorted(e["memo"] for e in ours["entries"]) == sorted(tricky)
