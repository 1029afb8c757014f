"""The validated ``ledgerctl.yaml`` of the last run, kept so that a report need not load YAML and pydantic.

Validating the configuration means importing the YAML parser and the pydantic models,
which costs more than a whole warm report. The configuration rarely changes, so the
dump of the last *valid* configuration is kept beside the cache, keyed by the blob id
of the file's bytes (read and hashed on every run: it is a few hundred bytes). On a
match, the command gets a :class:`ConfigView`: read-only attribute access to the same
values with the same types (Decimal, date, int, str, lists, mappings). Anything the view
does not hold (a pydantic method such as ``model_dump``) loads the real model once and
answers from it, so the view can stand in for :class:`ledgerctl.core.models.Config`
everywhere a command only reads settings.

The same record keeps Babel's ISO 4217 minor units of every currency (keyed by Babel's data
file), so formatting an amount does not load Babel's CLDR tables on every run.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import msgspec

from ..core.money import all_minor_units, use_minor_units
from .cache import LedgerCache, blob_id, read_sealed, write_sealed

if TYPE_CHECKING:
    from ..core.models import Config

CONFIG_RECORD = "config"
_DECIMAL, _DATE = 1, 2


def _tagged(value: Any) -> Any:
    """The dump with Decimals and dates as msgpack extensions, so they come back as what they were."""
    if isinstance(value, dict):
        return {key: _tagged(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_tagged(item) for item in value]
    if isinstance(value, Decimal):
        return msgspec.msgpack.Ext(_DECIMAL, str(value).encode())
    if isinstance(value, dt.date):
        return msgspec.msgpack.Ext(_DATE, value.isoformat().encode())
    return value


def _untag(code: int, data: memoryview) -> Any:
    text = bytes(data).decode()
    return Decimal(text) if code == _DECIMAL else dt.date.fromisoformat(text)


_decoder = msgspec.msgpack.Decoder(tuple[str, dict[str, Any], str, dict[str, int]], ext_hook=_untag)
_encoder = msgspec.msgpack.Encoder()


class ConfigView(dict[str, Any]):
    """A mapping of settings that also reads as attributes (``view.aging.buckets``), nested views inside.

    ``real`` gives the validated model this view stands for (the whole configuration or the part at this
    view's place in it), loaded only when asked something the dump does not hold, such as ``model_dump()``.
    """

    __slots__ = ("_real",)

    def __init__(self, values: dict[str, Any], real: Callable[[], Any]):
        super().__init__({key: _view(item, _part(real, key)) for key, item in values.items()})
        self._real = real

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            if name.startswith("__"):
                raise AttributeError(name) from None
            return getattr(self._real(), name)


def _part(real: Callable[[], Any], key: str | int) -> Callable[[], Any]:
    def part() -> Any:
        whole = real()
        return whole[key] if isinstance(key, int) or isinstance(whole, dict) else getattr(whole, key)

    return part


def _view(value: Any, real: Callable[[], Any]) -> Any:
    if isinstance(value, dict):
        return ConfigView(value, real)
    if isinstance(value, list):
        return [_view(item, _part(real, index)) for index, item in enumerate(value)]
    return value


def cached_config(root: Path, raw: bytes, load_real: Callable[[], Config]) -> Config | None:
    """The view of the configuration whose bytes are ``raw``, if a run validated these bytes before."""
    payload = read_sealed(LedgerCache(root).folder / CONFIG_RECORD)
    if payload is None:
        return None
    try:
        blob, values, babel, minor_units = _decoder.decode(payload)
    except (msgspec.DecodeError, msgspec.ValidationError, ValueError):
        return None
    if blob != blob_id(raw):
        return None
    if babel and babel == _babel_data_key():
        use_minor_units(minor_units)  # Babel's answers of the run that validated this file
    real: list[Config] = []

    def real_config() -> Config:
        if not real:
            real.append(load_real())
        return real[0]

    return cast("Config", ConfigView(values, real_config))


def remember_config(root: Path, raw: bytes, config: Config) -> None:
    """Keep the dump of a valid configuration for the next run (attribute names, not YAML aliases)."""
    values = _tagged(config.model_dump(mode="python"))
    babel = _babel_data_key()
    minor_units = all_minor_units() if babel else {}
    record = (blob_id(raw), values, babel, minor_units)
    write_sealed(LedgerCache(root).folder / CONFIG_RECORD, _encoder.encode(record))


def _babel_data_key() -> str:
    """Which CLDR data Babel has: its data file's size and time ("" when it cannot be found)."""
    try:
        spec = importlib.util.find_spec("babel")
        if spec is None or spec.origin is None:
            return ""
        st = os.stat(os.path.join(os.path.dirname(spec.origin), "global.dat"))
    except (ImportError, OSError, ValueError):
        return ""
    return f"{st.st_size}-{st.st_mtime_ns}"
