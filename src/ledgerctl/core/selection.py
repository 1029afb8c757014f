"""Which customers a report covers: ``--tag`` and ``--segment DIM=VALUE`` (the applied segments in the header).

Imported by every report before anything is read, so it holds nothing but the rule (core/segments.py, which
computes the segments, builds a dozen dataclasses on import).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .errors import UsageError
from .kinds import SEGMENT_CLASSES as DIMENSIONS

SegmentFilter = Mapping[str, frozenset[str]]


def parse_filters(texts: Iterable[str]) -> dict[str, frozenset[str]]:
    """``--segment DIM=VALUE`` options → {dim: accepted values}; one dimension given twice accepts either value."""
    wanted: dict[str, set[str]] = {}
    for text in texts:
        dim, sep, value = text.partition("=")
        dim, value = dim.strip().lower(), value.strip()
        if not sep or not dim or not value:
            raise UsageError(f"--segment {text!r}: write DIM=VALUE, e.g. value=A or status=overdue")
        if dim not in DIMENSIONS:
            raise UsageError(f"--segment {text!r}: unknown dimension {dim!r}; use one of {', '.join(DIMENSIONS)}")
        known = {choice.lower(): choice for choice in DIMENSIONS[dim]}
        if value.lower() not in known:
            raise UsageError(f"--segment {text!r}: {dim} is one of {', '.join(DIMENSIONS[dim])}")
        wanted.setdefault(dim, set()).add(known[value.lower()])
    return {dim: frozenset(values) for dim, values in wanted.items()}


def matches(applied: Mapping[str, str] | None, wanted: SegmentFilter | None) -> bool:
    """Whether a customer's applied segments (its header) pass the filter: every dimension must match."""
    if not wanted:
        return True
    applied = applied or {}
    return all(applied.get(dim) in values for dim, values in wanted.items())


def selected(
    customer_tags: Iterable[str],
    applied: Mapping[str, str] | None,
    tags: Iterable[str] | None,
    wanted: SegmentFilter | None,
) -> bool:
    """The one selection rule of every report: all ``--tag`` tags, and applied segments matching ``--segment``."""
    return set(tags or ()) <= set(customer_tags) and matches(applied, wanted)
