"""The collector's schedule: each turn frozen, the garbage among it swept once quiet."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from textrealms.tui.collector import Collector

pytestmark = pytest.mark.usefixtures("thawed")


class Cycle:
    """Garbage only the collector can free: it refers to itself."""

    def __init__(self) -> None:
        self.me = self


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Iterator[Clock]:
    yield Clock()
    gc.unfreeze()  # the collector's state is the process's: leave it as found


def test_a_turn_freezes_what_it_left_and_a_quiet_game_sweeps_its_cycles(clock: Clock) -> None:
    collector = Collector(clock, quiet=2.0)
    died = weakref.ref(made := Cycle())
    collector.turn()
    assert gc.get_freeze_count() > 0
    del made
    gc.collect()
    assert died() is not None  # frozen: out of the collector's reach, even when dead

    assert not collector.check(streaming=False)  # a turn just now: not quiet yet
    clock.now += 3
    assert not collector.check(streaming=True)  # narration still streaming
    assert collector.check(streaming=False)
    assert died() is None and gc.get_freeze_count() > 0  # swept, and frozen again
    assert not collector.check(streaming=False)  # no turn since: nothing to sweep
    assert collector.sweeps == 1


def test_release_gives_everything_back(clock: Clock) -> None:
    collector = Collector(clock)
    collector.turn()
    collector.release()
    assert gc.get_freeze_count() == 0
