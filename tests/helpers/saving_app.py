"""The TUI on a real save file: saved games played ahead of a test, and an app that opens
them as the CLI does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import on
from textual.events import Mount, Unmount
from textual.pilot import Pilot
from textual.widgets import OptionList

from tests.helpers.clocks import NOON, Stamp, Ticks
from tests.helpers.paths import TESTVALE
from textrealms.engine.gm import GameMaster
from textrealms.engine.saved_games import SavedGames
from textrealms.llm.offline import OfflineNarrator
from textrealms.store.database import SaveStore
from textrealms.tui.app import TextRealmsApp
from textrealms.tui.screens.title import TitleScreen
from textrealms.world.catalog import discover, open_pack
from textrealms.world.loader import load_pack
from textrealms.world.schema import WorldPack
from textrealms.world.state import GameState


def saved_games(store: SaveStore, pace: float = 0.0) -> SavedGames:
    """The saved games of `store`, on the test pack, told by the offline narrator."""

    def master(pack: WorldPack, seed: int, state: GameState | None) -> GameMaster:
        provider = OfflineNarrator(pack, seed, pace=pace)
        return GameMaster(pack, seed=seed, state=state, provider=provider)

    return SavedGames(store, lambda world: open_pack(world, [TESTVALE.parent]), master)


async def saved_game(
    folder: Path, *commands: str, at: float, seed: int = 1, save: str | None = None
) -> str:
    """Play `commands` in a new saved game, as if at time `at`; its slot's name.
    `save`: then save it under that name too."""
    store = await SaveStore.open(folder, Stamp(at))
    try:
        session = await saved_games(store).new(load_pack(TESTVALE), seed)
        session.opening()
        for command in [*commands, *([f"save {save}"] if save else [])]:
            session.submit(command)
            await session.settled()
        await session.aclose()
    finally:
        await store.aclose()
    assert session.slot is not None
    return session.slot


class SavingApp(TextRealmsApp):
    """The app on a real save file in `folder`, opened on the app's own loop (as the CLI
    does) and closed once the game is: from the title screen, or a `new` game at once.

    Every game is played at `NOON` by its clock; `pace` slows the narrator's words.
    """

    def __init__(self, folder: Path, *, new: bool = False, pace: float = 0.0) -> None:
        super().__init__(discover([TESTVALE]), seed=3, clock=Ticks(), now=Stamp(NOON))
        self.folder = folder
        self.new = new
        self.pace = pace

    @on(Mount)
    async def open_saves(self) -> None:
        """Runs before the app's own `on_mount`, so that it finds the saved games."""
        self.store = await SaveStore.open(self.folder, Stamp(NOON))
        self.saves = saved_games(self.store, self.pace)
        self.factory = self.saves.new
        self.start = load_pack(TESTVALE) if self.new else None

    @on(Unmount)
    async def close_saves(self, event: Unmount) -> None:
        event.prevent_default()  # the app's own first (closing the game), then the store
        await self.on_unmount()
        await self.store.aclose()


def menu_of(pilot: Pilot[Any]) -> list[str | None]:
    """The title screen's choices, once it has looked for saved games."""
    title = pilot.app.screen
    assert isinstance(title, TitleScreen)
    return [option.id for option in title.query_one(OptionList).options]
