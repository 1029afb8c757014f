"""The history's fast loader reads every version exactly as the full loader does, and diffs find every change."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from ledgerctl.core.changes import diff_versions, entry_changes
from ledgerctl.store.ledgerfile import load_ledger
from ledgerctl.store.versions import VersionLoader

PATH = "ledgers/acme.yaml"


def entry_text(rng: random.Random, number: int, indent: str, nl: str) -> str:
    day = f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    amount = f"{rng.randint(1, 9999)}.{rng.randint(0, 99):02d}"
    style = rng.random()
    if style < 0.6:
        memo = rng.choice(["", ", memo: 机床配件", ', memo: "a - b: c"', ", ref: PO-1 # not a comment in quotes?"])
        if "#" in memo:
            memo = ', ref: "PO-1 # in quotes"'
        return f'{indent}- {{id: INV-{number}, type: invoice, date: {day}, amount: "{amount}"{memo}}}{nl}'
    if style < 0.8:
        pad = indent + "  "
        return (
            f"{indent}- id: PAY-{number}{nl}{pad}type: payment{nl}{pad}date: {day}{nl}"
            f'{pad}amount: "{amount}"{nl}{pad}memo: |{nl}{pad}  line one{nl}{nl}{pad}  - not an item{nl}'
        )
    if style < 0.9:
        return f"{indent}- {{id: NT-{number}, type: note, date: {day},{nl}{indent}    memo: two lines}}{nl}"
    return f"{indent}-{nl}{indent}  id: RM-{number}{nl}{indent}  type: note{nl}{indent}  date: {day}{nl}"


def render(header: str, items: list[str], nl: str, end_newline: bool) -> str:
    text = header.replace("\n", nl) + "".join(items)
    return text if end_newline or not text.endswith(nl) else text[: -len(nl)]


def same(loader: VersionLoader, text: str) -> None:
    raw = text.encode("utf-8")
    fast = loader.ledger(PATH, raw)
    full, _ = load_ledger(Path(PATH), PATH, raw=raw)
    assert (fast.customer, fast.entries, fast.header_lines, fast.problems) == (
        full.customer,
        full.entries,
        full.header_lines,
        full.problems,
    )
    assert fast.entry_lines == full.entry_lines


@pytest.mark.parametrize("seed", range(12))
def test_every_version_reads_as_the_full_loader_reads_it(seed: int) -> None:
    rng = random.Random(seed)
    nl = "\r\n" if seed % 4 == 3 else "\n"
    indent = ["  ", "", "    "][seed % 3]
    header = (
        "# yaml-language-server: $schema=../schemas/ledger.schema.json\ncustomer:\n  id: acme\n  name: Acme\n"
        "  currency: CNY\nentries:   # every entry\n"
    )
    items: list[str] = []
    loader = VersionLoader()
    number = 0
    for _ in range(120):
        action = rng.random()
        if action < 0.45 or not items:
            number += 1
            items.insert(
                rng.randint(len(items) - 2, len(items)) if len(items) > 2 else len(items),
                entry_text(rng, number, indent, nl),
            )
        elif action < 0.55:
            items.pop(rng.randrange(len(items)))
        elif action < 0.7:
            where = rng.randrange(len(items))
            items[where] = items[where].replace('"', '"1', 1) if '"' in items[where] else items[where]
        elif action < 0.78:
            items.insert(rng.randrange(len(items) + 1), f"{indent}# a comment{nl}{nl}")
        elif action < 0.83:
            items.insert(rng.randrange(len(items) + 1), f'{indent}- {{id: BAD, type: invoice, amount: "x"}}{nl}')
        elif action < 0.88:
            items = [item for item in items if "BAD" not in item]
        elif action < 0.92:
            header = (
                header.replace("name: Acme", f"name: Acme {rng.randint(1, 9)}", 1)
                if "Acme\n" in header
                else header.replace(header.split("name: ")[1].split("\n")[0], "Acme", 1)
            )
        elif action < 0.95:
            items.insert(rng.randrange(len(items) + 1), f"stray: line{nl}")
        else:
            items = [item for item in items if not item.startswith("stray")]
        same(loader, render(header, items, nl, end_newline=seed % 5 != 0))


def test_unusual_shapes_take_the_full_loader() -> None:
    loader = VersionLoader()
    for text in (
        "{customer: {id: acme, name: A, currency: CNY}, entries: []}\n",
        "customer:\n  id: acme\n  name: A\n  currency: CNY\nentries: []\n",
        "customer:\n  id: acme\n  name: A\n  currency: CNY\nentries:\n\t- {id: X}\n",
        'customer:\n  id: acme\n  name: "A\u2028B"\n  currency: CNY\nentries:\n',
        "entries:\ncustomer:\n  id: acme\n",
        "customer:\n  id: acme\n  name: A\n  currency: CNY\nentries:\n  - {id: X, type: note, date: 2026-01-01}\n"
        "<<<<<<< ours\n",
    ):
        same(loader, text)


def _naive(old, new):  # type: ignore[no-untyped-def]
    before = {}
    for e in old:
        before.setdefault(e.id, e)
    after = {}
    for e in new:
        after.setdefault(e.id, e)
    added = [i for i in after if i not in before]
    changed = [i for i in after if i in before and before[i] != after[i]]
    deleted = [i for i in before if i not in after]
    return added, changed, deleted


@pytest.mark.parametrize("seed", range(6))
def test_entry_changes_agrees_with_a_plain_comparison(seed: int) -> None:
    rng = random.Random(seed)
    loader = VersionLoader()
    header = "customer:\n  id: acme\n  name: Acme\n  currency: CNY\nentries:\n"
    items: list[str] = []
    previous = loader.ledger(PATH, header.encode()).entries
    for number in range(80):
        action = rng.random()
        if action < 0.6 or not items:
            items.insert(rng.randint(0, len(items)), entry_text(rng, number, "  ", "\n"))
        elif action < 0.75:
            items.pop(rng.randrange(len(items)))
        else:
            where = rng.randrange(len(items))
            items[where] = items[where].replace('"', '"2', 1)
        current = loader.ledger(PATH, (header + "".join(items)).encode()).entries
        added, changed, deleted = entry_changes(previous, current)
        assert ([e.id for e in added], [new.id for _, new in changed], [e.id for e in deleted]) == _naive(
            previous, current
        )
        kinds = [c.kind for c in diff_versions(None, previous, None, current, exists_before=True, exists_after=True)]
        assert len(kinds) == len(added) + len(changed) + len(deleted)
        previous = current
