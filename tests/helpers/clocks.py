"""Clocks that say what the test tells them, so that what is timed or dated never varies."""

from __future__ import annotations


class Ticks:
    """A clock that moves `step` seconds each time it is read: timings that never vary."""

    def __init__(self, step: float = 0.0005) -> None:
        self.now = 0.0
        self.step = step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


class Stamp:
    """A wall clock that says what it is told: when games were played, and now."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


NOON = 1_767_268_800.0
"""2026-01-01 12:00 UTC: the fixed 'now' of the saves tests."""
