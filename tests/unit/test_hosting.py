"""The collector as a host of many games runs it: what survives a collection is frozen."""

from __future__ import annotations

import gc

from textrealms.engine.collector import THRESHOLDS, hosting


class Node:
    def __init__(self) -> None:
        self.me = self


def test_survivors_of_any_collection_are_frozen_and_all_is_undone_after() -> None:
    thresholds = gc.get_threshold()
    with hosting():
        assert gc.get_threshold() == THRESHOLDS
        frozen = gc.get_freeze_count()
        kept = [Node() for _ in range(100)]
        Node()  # garbage only the collector frees: it refers to itself
        gc.collect(0)  # the young generation alone
        assert gc.get_freeze_count() >= frozen + len(kept)  # the survivors are out of scans
        assert not gc.get_objects(generation=1)  # nor left for an older generation to scan
    assert gc.get_threshold() == thresholds
    assert gc.get_freeze_count() == 0
