"""What a bench test checks of a scenario's report: that it ran and reports every field.
How fast things were is the bench's to judge (its table says what met its target); a
test on a shared, busy machine must not."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any


def reports(data: Mapping[str, Any], numbers: Iterable[str], *, other: Iterable[str] = ()) -> None:
    """`data` is a scenario's report, not its error: exactly the fields `numbers` and
    `other`, and each of `numbers` a finite number."""
    numbers = set(numbers)
    assert "error" not in data, data["error"]
    assert set(data) == numbers | set(other)
    for name in numbers:
        value = data[name]
        assert isinstance(value, int | float) and not isinstance(value, bool), (name, value)
        assert math.isfinite(value), (name, value)


def ordered(data: Mapping[str, Any], *names: str) -> None:
    """The named fields of one sample (its percentiles, say) are in order, least first."""
    values = [data[name] for name in names]
    assert values == sorted(values), dict(zip(names, values, strict=True))
