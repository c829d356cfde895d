"""The full-screen game says on its status line when the game is not being saved."""

from __future__ import annotations

from tests.test_tui import SIZE, block, shown
from tests.tui_support import app_for, screen_of
from textrealms.engine.events import SavingChanged
from textrealms.world.schema import WorldPack


async def test_a_game_not_being_saved_says_why_on_the_status_line(pack: WorldPack) -> None:
    async with app_for(pack).run_test(size=SIZE) as pilot:
        screen = screen_of(pilot)
        screen.apply(SavingChanged.of(0, "the disk is full"))
        await pilot.pause()
        assert "▲ not saved: the disk is full" in shown(screen.status)
        assert "Your game is not being saved: the disk is full." in shown(block(pilot, 0))
        screen.apply(SavingChanged.of(0, None))
        await pilot.pause()
        assert "not saved" not in shown(screen.status)
        assert "Your game is being saved again." in shown(block(pilot, 0))
