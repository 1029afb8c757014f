"""Warm `segment`, `followups` and `customer list` load what their output needs: no models, no Rich for JSON/CSV.

No timings: what is pinned is which modules a run imports (the probe of tests/cli/test_startup.py).
"""

from __future__ import annotations

import pytest
from tests.cli.test_startup import imported_by

from ledgerctl.ops import dunning, followups

MODELS = ("pydantic", "ledgerctl.core.models", "yaml", "ledgerctl.store.yamlwrite")


@pytest.mark.parametrize(
    "command",
    [
        ("segment", "--format", "json"),
        ("segment", "--format", "csv"),
        ("segment", "--changes", "--format", "json"),
        ("followups", "--format", "json"),
        ("followups", "--format", "csv"),
    ],
)
def test_a_warm_json_or_csv_report_loads_no_models_and_no_rich(sample_books, command) -> None:  # type: ignore[no-untyped-def]
    imported_by("-f", str(sample_books.root), *command)  # the first run reads the files and fills the cache
    modules = imported_by("-f", str(sample_books.root), *command)
    assert [name for name in modules if name in MODELS or name.split(".")[0] == "rich"] == []


@pytest.mark.parametrize("command", [("segment",), ("followups",)])
def test_a_warm_table_loads_no_models(sample_books, command) -> None:  # type: ignore[no-untyped-def]
    imported_by("-f", str(sample_books.root), *command)
    modules = imported_by("-f", str(sample_books.root), *command)
    assert [name for name in modules if name in MODELS] == []
    assert "rich" in modules  # the table itself is drawn with Rich


def test_followups_skip_the_models_only_for_a_ladder_remind_can_record() -> None:
    assert followups.CERTAINLY_RECORDABLE <= dunning.MAX_LEVELS
