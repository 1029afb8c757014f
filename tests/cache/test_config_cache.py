"""The remembered configuration reads exactly like the validated model, and is never trusted over the file."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from ledgerctl.core.models import Config
from ledgerctl.store.books import CONFIG_NAME, Books
from ledgerctl.store.configcache import CONFIG_RECORD, ConfigView, cached_config, remember_config

RICH_CONFIG = """\
name: 测试账簿
defaults: {currency: CNY, terms_days: 45}
closed_through: 2026-09-30
reporting_currency: CNY
aging: {basis: date, buckets: [15, 45, 90, 180]}
segments:
  window_days: 180
  value: {a: 0.70, b: 0.9}
  size:
    USD: {large: "70000.00", medium: "7000.00"}
company:
  name: 华兴贸易有限公司
  address: 上海市
  contact: {person: 王芳, email: ar@example.com}
dunning:
  levels:
    - {after_days: -3, template: heads-up}
    - {after_days: 30, template: firm}
check: {ignore: [duplicate-name]}
"""


def _as_plain(value: Any) -> Any:
    """A model, or a view of one, as nested plain values, by attribute access (how commands read settings)."""
    if isinstance(value, BaseModel):
        return {name: _as_plain(getattr(value, name)) for name in type(value).model_fields}
    if isinstance(value, ConfigView):
        return {name: _as_plain(getattr(value, name)) for name in value}
    if isinstance(value, dict):
        return {key: _as_plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_plain(item) for item in value]
    return (type(value).__name__, value)  # the type too: a Decimal must not come back as a str or float


def _books(tmp_path: Path, text: str) -> Path:
    (tmp_path / CONFIG_NAME).write_text(text, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("text", [RICH_CONFIG, "name: plain\n", ""])
def test_the_view_reads_like_the_model(tmp_path: Path, text: str) -> None:
    root = _books(tmp_path, text)
    first = Books.open(root).config  # validates and remembers
    assert isinstance(first, Config)
    second = Books.open(root).config
    assert isinstance(second, ConfigView)
    assert _as_plain(second) == _as_plain(first)
    # What the dump does not hold is answered by the real model, loaded on demand, also for nested parts.
    assert second.model_dump(mode="json") == first.model_dump(mode="json")
    if first.company is not None:
        assert second.company.model_dump(mode="json") == first.company.model_dump(mode="json")


def test_types_survive(tmp_path: Path) -> None:
    root = _books(tmp_path, RICH_CONFIG)
    Books.open(root)
    view = Books.open(root).config
    assert isinstance(view.closed_through, dt.date)
    assert isinstance(view.segments.value.a, Decimal) and view.segments.value.a == Decimal("0.70")
    assert isinstance(view.segments.size["USD"].large, Decimal)
    assert view.aging.buckets == [15, 45, 90, 180]


def test_an_edited_configuration_is_read_again(tmp_path: Path) -> None:
    root = _books(tmp_path, RICH_CONFIG)
    Books.open(root)
    Books.open(root)
    _books(tmp_path, RICH_CONFIG.replace("buckets: [15, 45, 90, 180]", "buckets: [30, 60]"))
    assert Books.open(root).config.aging.buckets == [30, 60]


def test_an_invalid_configuration_is_never_remembered(tmp_path: Path) -> None:
    from ledgerctl.core.errors import InvalidBooks

    root = _books(tmp_path, "aging: {buckets: [0]}\n")
    for _ in range(2):
        with pytest.raises(InvalidBooks):
            Books.open(root)
    assert not list(tmp_path.rglob(CONFIG_RECORD))


def test_a_record_for_other_bytes_or_damaged_is_ignored(tmp_path: Path) -> None:
    root = _books(tmp_path, RICH_CONFIG)
    config = Books.open(root).config
    raw = (root / CONFIG_NAME).read_bytes()
    assert cached_config(root, raw + b"\n", lambda: config) is None
    record = next(tmp_path.rglob(CONFIG_RECORD))
    data = bytearray(record.read_bytes())
    data[-2] ^= 0x40
    record.write_bytes(bytes(data))
    assert cached_config(root, raw, lambda: config) is None
    remember_config(root, raw, config)
    assert cached_config(root, raw, lambda: config) is not None


def test_babels_minor_units_are_kept_with_the_configuration(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from ledgerctl.core import money
    from ledgerctl.store import configcache

    root = _books(tmp_path, RICH_CONFIG)
    Books.open(root)
    monkeypatch.setattr(money, "_minor_units", {})
    Books.open(root)  # from the record: Babel's table handed to core.money, Babel itself not asked
    assert money._minor_units["JPY"] == 0 and money._minor_units["CNY"] == 2 and money._minor_units["KWD"] == 3
    assert money._minor_units == money.all_minor_units()
    monkeypatch.setattr(money, "_minor_units", {})
    monkeypatch.setattr(configcache, "_babel_data_key", lambda: "another babel")
    Books.open(root)  # another Babel: its own answers, not the kept ones
    assert money._minor_units == {}
