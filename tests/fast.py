"""The fast tier: a ledger from a YAML string in the test's own text, loaded as the books load a file, with no
git, no files and no CLI (as beancount's ``loader.load_doc``). Rule tests built on it run in milliseconds.

Select the tier with ``make test-fast`` (``pytest -m fast``); a module joins it with ``pytestmark = pytest.mark.fast``.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from ledgerctl.core.validate import SourcedLedger
from ledgerctl.store.ledgerfile import load_ledger


def load_doc(text: str, customer: str = "acme") -> SourcedLedger:
    """``text`` (dedented) as ``ledgers/CUSTOMER.yaml``: the customer, its entries, and every loading problem."""
    relpath = f"ledgers/{customer}.yaml"
    source, _ = load_ledger(Path(relpath), relpath, raw=textwrap.dedent(text).lstrip("\n").encode("utf-8"))
    return source
