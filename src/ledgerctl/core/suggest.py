"""Unknown names (customer ids, tags) are refused with the nearest known ones, never silently matched. Pure."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from .errors import UsageError


def did_you_mean(word: str, known: Iterable[str]) -> str | None:
    close = difflib.get_close_matches(word, sorted(set(known)), n=3, cutoff=0.6)
    return f"did you mean {' or '.join(repr(c) for c in close)}?" if close else None


def require_known(kind: str, wanted: Iterable[str], known: Iterable[str], *, hint: str) -> None:
    """UsageError (exit 2) naming every wanted name that is not known, with the nearest known ones."""
    known_set = set(known)
    unknown = [w for w in dict.fromkeys(wanted) if w not in known_set]
    if not unknown:
        return
    guesses = [g for g in (did_you_mean(w, known_set) for w in unknown) if g]
    plural = "s" if len(unknown) > 1 else ""
    raise UsageError(f"unknown {kind}{plural} {', '.join(repr(u) for u in unknown)}", hint="; ".join([*guesses, hint]))
