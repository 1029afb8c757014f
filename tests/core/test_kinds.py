"""The plain-data vocabulary in core/kinds.py says exactly what the pydantic models say."""

from typing import get_args

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledgerctl.core import engine, kinds, models

pytestmark = pytest.mark.fast


def test_every_entry_class_moves_money_the_way_signs_says() -> None:
    assert {kind: cls.sign for kind, cls in models.ENTRY_CLASSES.items()} == kinds.SIGNS


def test_segment_classes_are_the_header_models_choices() -> None:
    def choices(name: str) -> tuple[str, ...]:
        literal = next(arg for arg in get_args(models.Segments.model_fields[name].annotation) if arg is not type(None))
        return get_args(literal)

    assert {name: choices(name) for name in models.Segments.model_fields} == kinds.SEGMENT_CLASSES


def test_id_patterns_are_the_ones_the_models_enforce() -> None:
    assert models.CUSTOMER_ID_PATTERN == kinds.CUSTOMER_ID_PATTERN
    assert models.ENTRY_ID_PATTERN == kinds.ENTRY_ID_PATTERN
    assert models.CustomerId.__metadata__[-1].pattern == kinds.CUSTOMER_ID_PATTERN
    assert models.EntryId.__metadata__[-1].pattern == kinds.ENTRY_ID_PATTERN


@given(st.integers(-400, 400), st.lists(st.integers(1, 365), min_size=1, max_size=6, unique=True))
def test_bucket_of_is_the_first_limit_the_age_does_not_exceed(age: int, limits: list[int]) -> None:
    limits.sort()
    names = engine.bucket_names(limits)
    expected = names[0] if age <= 0 else next((names[i + 1] for i, lim in enumerate(limits) if age <= lim), names[-1])
    assert engine.bucket_of(age, limits, names) == expected == engine.bucket_of(age, limits)
