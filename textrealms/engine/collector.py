"""The garbage collector as a process hosting many players' games must run it.

A full collection scans every object the process holds, and stops every game while it
does: with Python's defaults, 1,000 games' worlds and states made pauses of a second.
So what is loaded once (the packs, the games as they start) is frozen out of the scans,
and young objects are collected less often: the objects of a model call in flight (a
streamed answer lives a second or two) then die before they are old enough to be
scanned again and again. Objects that die the usual way, by reference count, are freed
as ever; only cycles among the frozen ones wait for `hosting` to end.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

THRESHOLDS = (20_000, 50, 100)
"""The collector's thresholds while games are hosted, for Python's (700, 10, 10): young
objects are scanned every 20,000 allocations, the oldest rarely."""


def freeze() -> None:
    """Everything alive now leaves the collector's scans (games just started, say)."""
    gc.collect()
    gc.freeze()


@contextlib.contextmanager
def hosting() -> Iterator[None]:
    """`THRESHOLDS` and what is alive now frozen, both undone after."""
    thresholds = gc.get_threshold()
    freeze()
    gc.set_threshold(*THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
