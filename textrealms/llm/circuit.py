"""The circuit breaker: stop asking a model that keeps failing, and try it again later.

After `threshold` failed calls in a row the model is degraded: calls go to the offline
narrator instead. After `cooldown` seconds one call is let through as a probe; if it
succeeds the model is back, if it fails the wait starts again. The game master reports
each call's outcome and shows the status; this class only keeps the state.
"""

from __future__ import annotations

import time
from collections.abc import Callable


class Circuit:
    def __init__(
        self,
        *,
        threshold: int = 3,
        cooldown: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if threshold < 1 or cooldown < 0:
            raise ValueError("threshold must be at least 1 and cooldown at least 0")
        self.threshold = threshold
        self.cooldown = cooldown
        self.clock = clock
        self.failures = 0
        """Failed calls in a row."""
        self.trips = 0
        self._opened: float | None = None
        self._probing = False
        self._reason: str | None = None

    @property
    def degraded(self) -> bool:
        """Whether the model is bypassed now."""
        return self._opened is not None

    @property
    def reason(self) -> str | None:
        """Why it is degraded, in a few words for the player."""
        return self._reason

    def allow(self) -> bool:
        """Whether the next call may go to the model (a probe, once the cooldown is over)."""
        if self._opened is None:
            return True
        if self._probing or self.clock() - self._opened < self.cooldown:
            return False
        self._probing = True
        return True

    def abandon(self) -> None:
        """A call that was let through ended with no verdict (it was superseded)."""
        self._probing = False

    def success(self) -> bool:
        """Record a good call; True if that ended a degraded spell."""
        self.failures = 0
        self._probing = False
        if self._opened is None:
            return False
        self._opened = None
        self._reason = None
        return True

    def failure(self, reason: str) -> bool:
        """Record a failed call; True if that made the model degraded."""
        self.failures += 1
        probe, self._probing = self._probing, False
        if self._opened is not None:
            if probe:
                self._opened = self.clock()
            return False
        if self.failures < self.threshold:
            return False
        self._opened = self.clock()
        self._reason = reason
        self.trips += 1
        return True
