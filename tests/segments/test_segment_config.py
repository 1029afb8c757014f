"""The `segments:` configuration (defaults, every threshold validated) and the `--segment DIM=VALUE` filter."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from pydantic import ValidationError

from ledgerctl.core.errors import UsageError
from ledgerctl.core.models import Config, Segments, SegmentsConfig
from ledgerctl.core.segments import DIMENSIONS, matches, parse_filters


def test_documented_defaults() -> None:
    config = SegmentsConfig()
    assert config.window_days == 365
    assert (config.value.a, config.value.b) == (Decimal("0.80"), Decimal("0.95"))
    assert (config.frequency.high, config.frequency.low) == (12, 3)
    assert (config.credit.good_days_late, config.credit.fair_days_late) == (7, 30)
    assert (config.status.overdue_days, config.status.doubtful_days) == (0, 90)
    assert {cur: (lim.large, lim.medium) for cur, lim in config.size.items()} == {
        "CNY": (500000, 50000),
        "USD": (70000, 7000),
        "EUR": (65000, 6500),
        "JPY": (10000000, 1000000),
    }


def test_the_init_configuration_matches_the_defaults() -> None:
    from ledgerctl.ops.initbooks import config_text
    from ledgerctl.store.yamlload import parse

    written = Config.model_validate(parse(config_text("x", "CNY", 30))).segments
    default = SegmentsConfig()
    assert written == default  # every threshold written out, so a bookkeeper sees what to change


@pytest.mark.parametrize(
    ("segments", "says"),
    [
        ({"value": {"a": "0.96", "b": "0.95"}}, "value.a (0.96) must not be above value.b"),
        ({"value": {"a": "0", "b": "0.95"}}, "greater than 0"),
        ({"value": {"a": "0.8", "b": "1.01"}}, "less than or equal to 1"),
        ({"frequency": {"high": 3, "low": 4}}, "frequency.low (4) must not be above frequency.high (3)"),
        ({"frequency": {"high": 0}}, "greater than or equal to 1"),
        ({"size": {"CNY": {"large": "100", "medium": "101"}}}, "medium (101) must not be above large (100)"),
        ({"size": {"CNY": {"large": "-1", "medium": "0"}}}, "greater than or equal to 0"),
        ({"size": {"CNY": {"large": "100"}}}, "Field required"),
        ({"size": {"QQQ": {"large": "100", "medium": "10"}}}, "QQQ: not an ISO 4217 currency code"),
        ({"size": {"cny": {"large": "100", "medium": "10"}}}, "pattern"),
        ({"credit": {"good_days_late": 31, "fair_days_late": 30}}, "credit.good_days_late (31) must not be above"),
        ({"credit": {"good_days_late": -1}}, "greater than or equal to 0"),
        ({"status": {"overdue_days": 90, "doubtful_days": 90}}, "status.overdue_days (90) must be below"),
        ({"window_days": 0}, "greater than or equal to 1"),
        ({"windw_days": 30}, "Extra inputs"),
        ({"frequency": {"hi": 3}}, "Extra inputs"),
    ],
)
def test_every_threshold_is_validated(segments: dict, says: str) -> None:
    with pytest.raises(ValidationError, match=re.escape(says)):
        Config.model_validate({"segments": segments})


def test_thresholds_may_touch() -> None:
    SegmentsConfig.model_validate(
        {
            "value": {"a": "0.9", "b": "0.9"},
            "frequency": {"high": 3, "low": 3},
            "size": {"CNY": {"large": "5", "medium": "5"}},
            "credit": {"good_days_late": 9, "fair_days_late": 9},
        }
    )


def test_dimensions_come_from_the_header_model() -> None:
    assert list(DIMENSIONS) == ["value", "frequency", "size", "credit", "status"] == list(Segments.model_fields)
    assert DIMENSIONS["status"] == ("normal", "overdue", "doubtful", "bad-debt")


def test_parse_filters() -> None:
    assert parse_filters([]) == {}
    assert parse_filters(["value=A", "status=overdue"]) == {"value": frozenset({"A"}), "status": frozenset({"overdue"})}
    assert parse_filters(["Value=a", " value = B "]) == {"value": frozenset({"A", "B"})}  # same dimension: either
    assert parse_filters(["status=Bad-Debt"]) == {"status": frozenset({"bad-debt"})}


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("value", "write DIM=VALUE"),
        ("=A", "write DIM=VALUE"),
        ("value=", "write DIM=VALUE"),
        ("colour=red", "unknown dimension 'colour'; use one of value, frequency, size, credit, status"),
        ("value=D", "value is one of A, B, C"),
        ("status=late", "status is one of normal, overdue, doubtful, bad-debt"),
    ],
)
def test_bad_filters_are_usage_errors(text: str, says: str) -> None:
    with pytest.raises(UsageError, match=re.escape(says)) as caught:
        parse_filters([text])
    assert caught.value.exit_code == 2


def test_matches_every_dimension_on_the_applied_segments() -> None:
    applied = {"value": "A", "status": "overdue"}
    assert matches(applied, None) and matches(None, {})
    assert matches(applied, parse_filters(["value=A"]))
    assert matches(applied, parse_filters(["value=A", "status=overdue"]))
    assert matches(applied, parse_filters(["value=A", "value=B"]))
    assert not matches(applied, parse_filters(["value=A", "status=normal"]))
    assert not matches(applied, parse_filters(["credit=good"]))  # never applied: no match
    assert not matches(None, parse_filters(["value=C"]))
