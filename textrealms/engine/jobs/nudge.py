"""How far a model's numbers may move the world: never further than the rules allow."""

from __future__ import annotations

import math

from textrealms.world.reducer import clamp

NUDGE = 0.1
"""The most a model may move an NPC's disposition or stress, or a conflict's momentum,
beyond the rules' own change."""


def nudge(value: float, most: float = NUDGE) -> float:
    """A model's proposed change, made safe: finite and within ±`most`."""
    return clamp(value, -most, most) if math.isfinite(value) else 0.0
