"""The garbage collector as a process hosting many players' games must run it.

A collection stops every game while it scans; with Python's defaults, 1,000 games'
worlds and states made pauses of a second. The games make few reference cycles (a
cancelled call leaves none, see `textrealms.llm.broker.release`), so nearly everything
an older generation would scan is alive, and scanning it again finds nothing. So what
is loaded (the packs, the games as they start) is frozen out of the scans, and so is
whatever survives any collection: each collection scans only what was made since the
last, and never again. (Freezing only the survivors of the middle generation left it
holding 60,000-110,000 objects at 1,000 games, scanned in 60-160 ms pauses.) Objects
that die the usual way, by reference count, are freed as ever, frozen or not; only a
cycle among frozen objects waits for `hosting` to end, and there were as many of those
when only the middle generation's survivors were frozen (about 3,500 objects over 25 s
of 1,000 games, either way).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

THRESHOLDS = (1_000, 10, 10)
"""The collector's thresholds while games are hosted, for Python's (700, 10, 10): young
objects are scanned every 1,000 allocations (a short pause each, as what survives is
frozen); the older generations, which freezing leaves all but empty, as ever. (Lists,
dicts and tuples reused from Python's free lists are not counted as allocations, so
the young generation held 50,000-90,000 objects at a threshold of 5,000: pauses of
60-115 ms, 20 ms at this one.)"""


def freeze() -> None:
    """Everything alive now leaves the collector's scans (games just started, say)."""
    gc.collect()
    gc.freeze()


def _frozen_after(phase: str, _info: dict[str, int]) -> None:
    """A `gc.callbacks` hook: once a collection is done, its survivors are frozen rather
    than left for the next collections to scan again."""
    if phase == "stop":
        gc.freeze()


@contextlib.contextmanager
def hosting() -> Iterator[None]:
    """`THRESHOLDS`, what is alive now frozen and the survivors of every collection
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
