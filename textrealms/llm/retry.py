"""How a model call is tried again before its first token: capped, fully jittered
exponential backoff, or the server's own `Retry-After` when it is short enough."""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Retry:
    """How calls are retried before their first token."""

    attempts: int = 2
    """Retries after the first try."""
    base: float = 0.5
    cap: float = 8.0
    """The longest backoff between two tries, in seconds."""
    honour: float = 60.0
    """The longest `Retry-After` waited for; a server asking for more is given up on."""

    def delay(self, attempt: int, asked: float | None, dice: random.Random) -> float | None:
        """Seconds to wait before retry `attempt` (0-based), or None to give up."""
        if asked is not None:
            return asked if asked <= self.honour else None
        return dice.uniform(0, min(self.cap, self.base * 2**attempt))
