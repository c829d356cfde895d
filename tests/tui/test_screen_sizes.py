"""The game in the smallest terminal it supports and in a large one, pinned as snapshots
at 80x24 and 120x40: the side panel on a shipped world whose names are long (the whole of
it at 80x24), the stats screen, and the story following its end through a resize."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from tests.helpers.metrics import Measured, alarming
from tests.helpers.paths import ROOT
from tests.helpers.pilot import app_for, caught_up, play, screen_of, until
from textrealms.engine.front import Game
from textrealms.llm.offline import OfflineNarrator
from textrealms.world.loader import load_pack
from textrealms.world.schema import WorldPack

SMALL, LARGE = (80, 24), (120, 40)
SIZES = pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "120x40"])
PRECINCT = ("down", "north")
"""From the office to the squad room: two people with long names, exits seen and not."""


@pytest.fixture(scope="module")
def rainmouth() -> WorldPack:
    return load_pack(ROOT / "worlds" / "rainmouth")


async def at_the_precinct(pilot: Pilot[Any]) -> None:
    await caught_up(pilot)
    await play(pilot, *PRECINCT, "escalate")


async def resized_to_80x24(pilot: Pilot[Any]) -> None:
    await at_the_precinct(pilot)
    await resize(pilot, SMALL)


async def resize(pilot: Pilot[Any], size: tuple[int, int]) -> None:
    """The terminal is `size` now, and the story has been laid out at it."""
    await pilot.resize_terminal(*size)
    story = screen_of(pilot).story
    await until(pilot, lambda: story.region.right <= size[0] and story.region.bottom <= size[1])
    await pilot.pause()


@SIZES
def test_a_new_game(snap_compare: Any, rainmouth: WorldPack, size: tuple[int, int]) -> None:
    """Every section of the panel shows, Standing too, even at 80x24."""
    assert snap_compare(app_for(rainmouth), terminal_size=size, run_before=caught_up)


@SIZES
def test_among_people(snap_compare: Any, rainmouth: WorldPack, size: tuple[int, int]) -> None:
    """Long names wrap (or are cut short) in their own column, each mood beside its name."""
    assert snap_compare(app_for(rainmouth), terminal_size=size, run_before=at_the_precinct)


def test_the_story_after_a_resize(snap_compare: Any, rainmouth: WorldPack) -> None:
    """Shrunk from 120x40, the story shows its newest text, not the old."""
    app = app_for(rainmouth)
    assert snap_compare(app, terminal_size=LARGE, run_before=resized_to_80x24)


def alarming_game(pack: WorldPack, seed: int) -> Game:
    return Measured(pack, metrics=alarming(), seed=seed, provider=OfflineNarrator(pack, seed))


@SIZES
def test_stats_with_warnings(snap_compare: Any, pack: WorldPack, size: tuple[int, int]) -> None:
    """What each warning means for the game comes first, wrapped whole."""
    app = app_for(pack, factory=alarming_game)
    assert snap_compare(app, press=["f2"], terminal_size=size, run_before=caught_up)


async def test_the_story_keeps_following_its_end_through_resizes(rainmouth: WorldPack) -> None:
    async with app_for(rainmouth).run_test(size=LARGE) as pilot:
        await at_the_precinct(pilot)
        story = screen_of(pilot).story
        for size in (SMALL, (80, 30), (120, 20), (100, 40)):
            await resize(pilot, size)
            assert story.scroll_y == story.max_scroll_y > 0, size
        story.scroll_to(y=0, animate=False, immediate=True)  # the player scrolls up to reread
        await resize(pilot, SMALL)
        assert story.scroll_y == 0 < story.max_scroll_y


async def test_the_whole_side_panel_shows_at_80x24(rainmouth: WorldPack) -> None:
    """Rainmouth has the most to show: a countdown, three factions, two long names here.
    The blind players found its Standing cut off (the panel scrolled) at 80x24."""
    async with app_for(rainmouth).run_test(size=SMALL) as pilot:
        await at_the_precinct(pilot)
        side = pilot.app.screen.query_one("#side")
        assert side.max_scroll_y == 0
        assert side.virtual_size.height <= side.scrollable_content_region.height
