"""The rates file named by ledgerctl.yaml (`rates_file`, default rates.yaml), read only with `reporting_currency`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..core.errors import InvalidBooks, Problem
from ..core.fx import RateTable

if TYPE_CHECKING:
    from ..core.models import Config


def load_rates(root: Path, config: Config) -> tuple[RateTable | None, list[Problem]]:
    """The rate table (None without a reporting currency) and the problems of the rates file."""
    if config.reporting_currency is None:
        return None, []
    # Books without a reporting currency (most) never load the YAML and validation stack for this.
    from pydantic import ValidationError

    from ..core.models import Rates
    from .ledgerfile import _line_of, describe_validation_error, read_file
    from .yamlload import LineList, YamlProblem

    relpath = config.rates_file
    path = root / relpath
    if not path.is_file():
        return None, [
            Problem(
                "rates",
                f"reporting_currency is {config.reporting_currency} but there is no rates file {relpath}",
                relpath,
            )
        ]
    try:
        tree = read_file(path).tree
    except YamlProblem as exc:
        return None, [Problem("yaml", exc.message, relpath, exc.line)]
    except OSError as exc:
        return None, [Problem("io", f"cannot read the file: {exc.strerror}", relpath)]
    tree = tree if tree is not None else LineList(1)
    if not isinstance(tree, list):
        return None, [Problem("schema", "the rates file is a list of {date, currency, rate}", relpath, 1)]
    try:
        rates = Rates.model_validate(list(tree)).root
    except ValidationError as exc:
        return None, [
            Problem("schema", describe_validation_error(error), relpath, _line_of(tree, tuple(error["loc"]), 1))
            for error in exc.errors()
        ]
    seen: dict[tuple[object, str], int] = {}
    problems = []
    for index, rate in enumerate(rates):
        line = tree.item_lines[index] if isinstance(tree, LineList) else None
        if seen.setdefault((rate.date, rate.currency), index) != index:
            problems.append(Problem("rates", f"two {rate.currency} rates dated {rate.date}", relpath, line))
        if rate.currency == config.reporting_currency:
            problems.append(
                Problem("rates", f"a rate for the reporting currency {rate.currency} itself (it is 1)", relpath, line)
            )
    if problems:
        return None, problems
    return RateTable.of(config.reporting_currency, rates, relpath), []


def rate_table(root: Path, config: Config) -> RateTable | None:
    """For reports: the table, or exit 2 naming what is wrong with the rates file."""
    table, problems = load_rates(root, config)
    if problems:
        raise InvalidBooks(
            f"{config.rates_file} is not valid; converted totals cannot be computed",
            problems=problems,
            hint="fix it (see `ledgerctl check`), or remove reporting_currency from ledgerctl.yaml",
        )
    return table
