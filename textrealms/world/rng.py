"""The game's seeded random numbers, as a counter the state can carry.

A draw is a hash of (seed, counter), so the whole RNG state is two integers: it fits in a
save, survives undo exactly, and gives the same numbers on every platform and Python.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


class Dice:
    """Draws from (seed, counter); read `counter` back to store the advanced state."""

    def __init__(self, seed: int, counter: int) -> None:
        self.seed = seed
        self.counter = counter

    @classmethod
    def derived(cls, seed: int, *parts: object) -> Dice:
        """Dice of their own for one purpose (a turn's job, a task), independent of the game's.

        Background work draws from these, so its results do not depend on which job
        happens to finish first.
        """
        blob = ":".join(str(p) for p in (seed, *parts)).encode()
        return cls(int.from_bytes(hashlib.blake2b(blob, digest_size=8).digest(), "big"), 0)

    def random(self) -> float:
        """A float in [0, 1)."""
        digest = hashlib.blake2b(f"{self.seed}:{self.counter}".encode(), digest_size=8).digest()
        self.counter += 1
        return int.from_bytes(digest, "big") / 2**64

    def choice(self, options: Sequence[T]) -> T:
        if len(options) == 1:
            return options[0]
        return options[int(self.random() * len(options))]

    def uniform(self, low: float, high: float) -> float:
        return low + (high - low) * self.random()
