"""docs/reliability.md names a test for every guarantee: each one it names must exist, so the table cannot drift."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _references() -> list[tuple[str, str | None]]:
    found: list[tuple[str, str | None]] = []
    for line in (ROOT / "docs" / "reliability.md").read_text(encoding="utf-8").splitlines():
        current: str | None = None
        for ref in re.findall(r"`((?:tests/[\w/]+\.py)?(?:::\w+)?)", line):
            path, _, name = ref.partition("::")
            current = path or current
            if current:
                found.append((current, name or None))
    return found


def test_every_test_the_reliability_table_names_exists() -> None:
    references = _references()
    assert len(references) > 30
    missing = []
    for path, name in references:
        source = ROOT / path
        text = source.read_text(encoding="utf-8") if source.is_file() else ""
        if not text or (name and not re.search(rf"^def {name}\(", text, re.M)):
            missing.append(f"{path}::{name}" if name else path)
    assert not missing, missing
