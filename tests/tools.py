"""Real programs the tests check against (hledger, ledger-cli, Chromium, pdftotext).

`make test` installs them (apt, as root). Where one is missing a test that needs it is skipped,
except in CI (CI=true), where a missing tool is a failure: CI must never pass by skipping them.
"""

from __future__ import annotations

import os
import shutil

import pytest


def require_tool(name: str) -> str:
    """The tool's path; skips the test when it is missing, fails it in CI."""
    path = shutil.which(name)
    if path:
        return path
    if os.environ.get("CI"):
        pytest.fail(f"{name} is not installed; `make tools` installs it (CI must not skip these tests)")
    pytest.skip(f"{name} is not installed (`make tools` installs it)")
