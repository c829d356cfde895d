"""A new game's seed, decided in this one place for every front end."""

from __future__ import annotations

import secrets

SEEDS = 2**31
"""A random seed is drawn below this: it fits a signed 32-bit integer."""


def new_seed(chosen: int | None = None) -> int:
    """The seed the player `chosen` (with `--seed`, say), or else a fresh random one."""
    return chosen if chosen is not None else secrets.randbelow(SEEDS)
