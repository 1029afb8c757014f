"""Errors are data: problems are collected and reported together.

A :class:`Problem` is one finding (what `check` and `verify` list). The
exceptions carry the exit status of SPEC 5, so the CLI maps them in one place.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    code: str
    message: str
    file: str | None = None
    line: int | None = None
    entry: str | None = None
    commit: str | None = None
    severity: str = "error"  # "warning": reported, but only `check --strict` fails on it (probable duplicates)

    def location(self) -> str:
        where = self.file or ""
        if self.file and self.line:
            where += f":{self.line}"
        return where

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


class LedgerctlError(Exception):
    """Base of every error the CLI reports without a traceback."""

    exit_code = 2

    def __init__(self, message: str, *, hint: str | None = None, problems: list[Problem] | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.problems = problems or []


class UsageError(LedgerctlError):
    """Bad usage or bad input; nothing was changed (exit 2)."""

    exit_code = 2


class InvalidBooks(LedgerctlError):
    """The change would leave the books invalid; nothing was changed (exit 2)."""

    exit_code = 2


class EnvironmentProblem(LedgerctlError):
    """Git identity, lock, git failure: the environment stopped the command (exit 3)."""

    exit_code = 3


class Findings(LedgerctlError):
    """The command ran and found something wrong (exit 1)."""

    exit_code = 1
