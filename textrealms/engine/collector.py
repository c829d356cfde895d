"""The garbage collector as a process hosting many players' games must run it.

A collection stops every game while it scans; with Python's defaults, 1,000 games'
worlds and states made pauses of a second. The games make few reference cycles (a
cancelled call leaves none, see `textrealms.llm.broker.release`), so nearly everything
the older generations would scan is alive, and scanning it again and again finds
nothing. So what is loaded (the packs, the games as they start) is frozen out of the
scans, and so is whatever survives a collection of the middle generation, instead of
growing the oldest one that a full collection must scan: each collection then scans
only what was made since the last. Objects that die the usual way, by reference count,
are freed as ever, frozen or not; only a cycle among frozen objects waits for `hosting`
to end.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

THRESHOLDS = (5_000, 5, 1_000)
"""The collector's thresholds while games are hosted, for Python's (700, 10, 10): young
objects are scanned every 5,000 allocations, the middle generation every 5 of those,
and the oldest (kept small by freezing) seldom."""


def freeze() -> None:
    """Everything alive now leaves the collector's scans (games just started, say)."""
    gc.collect()
    gc.freeze()


def _frozen_after(phase: str, info: dict[str, int]) -> None:
    """A `gc.callbacks` hook: once the middle generation is collected, its survivors are
    frozen rather than left for a full collection to scan."""
    if phase == "stop" and info["generation"] == 1:
        gc.freeze()


@contextlib.contextmanager
def hosting() -> Iterator[None]:
    """`THRESHOLDS`, what is alive now frozen and the survivors of the middle generation
    frozen as they come; all undone after."""
    thresholds = gc.get_threshold()
    freeze()
    gc.set_threshold(*THRESHOLDS)
    gc.callbacks.append(_frozen_after)
    try:
        yield
    finally:
        gc.callbacks.remove(_frozen_after)
        gc.set_threshold(*thresholds)
        gc.unfreeze()
