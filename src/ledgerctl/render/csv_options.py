"""Per-run CSV options, kept apart from render.output so setting them costs no import of rich at start-up."""

from __future__ import annotations

from contextvars import ContextVar

# `--bom` (every command that writes CSV) turns this on for the one command being run; see cli/common.BomOpt.
CSV_BOM: ContextVar[bool] = ContextVar("csv_bom", default=False)
