"""When Python's garbage collector may scan what the game holds.

A full collection scans every object the game keeps (the story's rows, mostly) and
stalls the frame it lands in by 10 to 20 ms now and then. So what a turn leaves alive is
frozen once its answer is on screen, out of the collector's scans, and the reference
cycles among it that have died since are collected once the game is quiet (no turn for
a while and nothing streaming): thawed, collected and frozen again, while the player
reads. Objects that die the usual way, by reference count, are freed as ever.

So what a turn leaves alive must not die in a cycle while turns follow one another
without a pause, or it stays until the player stops: Textual's rows did (see
`textrealms.tui.textual_private.acyclic`), and 3,000 turns typed back to back grew the
TUI by 260 MB.
"""

from __future__ import annotations

import gc
from collections.abc import Callable

QUIET_SECONDS = 2.0
"""How long after a turn, with nothing streaming, the game counts as quiet."""


class Collector:
    """One per app: the collector's state is the process's."""

    def __init__(self, clock: Callable[[], float], quiet: float = QUIET_SECONDS) -> None:
        self.clock = clock
        self.quiet = quiet
        self.last_turn = clock()
        self.swept = True
        """No turn since the last sweep: nothing new to collect."""
        self.sweeps = 0

    def turn(self) -> None:
        """A turn's answer is on screen: what it left alive is frozen."""
        gc.freeze()
        self.last_turn = self.clock()
        self.swept = False

    def check(self, streaming: bool) -> bool:
        """Sweep if the game is quiet and there has been a turn since the last sweep."""
        if self.swept or streaming or self.clock() - self.last_turn < self.quiet:
            return False
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        self.swept = True
        self.sweeps += 1
        return True

    @staticmethod
    def release() -> None:
        """Everything back to the collector: the game is closed."""
        gc.unfreeze()
