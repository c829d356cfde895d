"""The full-screen game says on its status line when the game is not being saved."""

from __future__ import annotations

from pathlib import Path

from tests.fakes import Ticks
from tests.test_tui import SIZE, block, shown
from tests.tui_support import app_for, screen_of
from textrealms.engine.events import SavingChanged
from textrealms.engine.gm import GameMaster
from textrealms.engine.session import Session
from textrealms.store.database import SaveStore
from textrealms.tui.app import TextRealmsApp
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


async def test_a_read_only_save_says_so_on_the_status_line_from_the_start(
    pack: WorldPack, tmp_path: Path
) -> None:
    made = await SaveStore.open(tmp_path)
    gm = GameMaster(pack, seed=3, prefetch=False)
    slot = await made.create(gm.state)
    await made.aclose()
    store = await SaveStore.read(tmp_path)  # every write fails: it only reads
    await store.slot(slot.name)
    store.trouble = "the save file is read-only"  # as it finds a file root may not write
    session = Session(gm, store, slot=slot.name)
    app = TextRealmsApp([], game=session, clock=Ticks())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "▲ not saved: the save file is read-only" in shown(screen_of(pilot).status)
    await store.aclose()
