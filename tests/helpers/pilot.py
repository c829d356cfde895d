"""Driving the TUI in tests: an app on a fixed seed and clock, and waiting for its story."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual import on
from textual.events import Mount, Unmount
from textual.pilot import Pilot
from textual.widgets import OptionList

from tests.conftest import TESTVALE
from tests.fakes import Ticks
from textrealms.engine.gm import GameMaster
from textrealms.engine.saved_games import SavedGames
from textrealms.engine.session import Session
from textrealms.llm.offline import OfflineNarrator
from textrealms.store.database import SaveStore
from textrealms.tui.app import TextRealmsApp
from textrealms.tui.screens.game import GameScreen
from textrealms.tui.screens.title import TitleScreen
from textrealms.world.catalog import discover, open_pack
from textrealms.world.loader import load_pack
from textrealms.world.schema import WorldPack
from textrealms.world.state import GameState

TIMEOUT = 5.0


def app_for(pack: WorldPack, **options: Any) -> TextRealmsApp:
    """Straight into a game of `pack`, seed 3, offline and instant, on a ticking clock."""
    return TextRealmsApp([], start=pack, seed=3, clock=Ticks(), **options)


def screen_of(pilot: Pilot[Any]) -> GameScreen:
    app = pilot.app
    assert isinstance(app, TextRealmsApp) and app.game_screen is not None
    return app.game_screen


def master_of(pilot: Pilot[Any]) -> GameMaster:
    game = screen_of(pilot).game
    if isinstance(game, Session):
        return game.gm
    assert isinstance(game, GameMaster)
    return game


async def until(pilot: Pilot[Any], test: Callable[[], bool], timeout: float = TIMEOUT) -> None:
    """Let the app run until `test()` holds; fail after `timeout` seconds."""
    async with asyncio.timeout(timeout):
        while not test():
            await pilot.pause()


async def settled(pilot: Pilot[Any], turn: int | None = None) -> None:
    """The game's background work for `turn` (by default, every turn) has finished, and
    the screen shows all of it: what the game emitted reaches the screen within a pause."""
    await asyncio.wait_for(screen_of(pilot).game.settled(turn), TIMEOUT)
    await pilot.pause()


async def caught_up(pilot: Pilot[Any]) -> None:
    """Every turn's background work (and idle prefetch) has finished and the screen shows
    all of it."""
    screen = screen_of(pilot)
    await asyncio.wait_for(screen.game.settled(), TIMEOUT)
    await asyncio.wait_for(master_of(pilot).quiet(), TIMEOUT)
    screen.command.cursor_blink = False
    await pilot.pause()


async def play(pilot: Pilot[Any], *commands: str) -> None:
    """Enter each command (as if typed), letting its background work land in between."""
    for command in commands:
        screen_of(pilot).command.value = command
        await pilot.press("enter")
        await caught_up(pilot)


class Stamp:
    """A wall clock that says what it is told: when games were played, and now."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


NOON = 1_767_268_800.0
"""2026-01-01 12:00 UTC: the fixed 'now' of the saves tests."""


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


async def playing(pilot: Pilot[Any]) -> GameScreen:
    """The game screen, once a game (made by a factory that waits, say) is shown."""
    app = pilot.app
    assert isinstance(app, TextRealmsApp)
    await until(pilot, lambda: app.game_screen is not None)
    assert app.game_screen is not None
    return app.game_screen
