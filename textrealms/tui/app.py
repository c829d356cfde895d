"""The TextRealms app: title, world picker or saved games, then the game, on one loop.

The game master runs on the app's loop. One app-level worker consumes its event stream
and hands each event to the game screen; a failure there is logged, never fatal. Loading
a save swaps the game, closing the one left behind. Quitting closes the game, which
cancels and awaits every background job and writes its last turn.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from pathlib import Path
from typing import ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.driver import Driver
from textual.screen import Screen

from textrealms.engine.events import StoryEvent
from textrealms.engine.front import Game
from textrealms.engine.saved_games import Refused, SavedGames
from textrealms.engine.seeds import new_seed
from textrealms.engine.session import Session
from textrealms.engine.verbs.registry import PALETTE
from textrealms.tui.collector import Collector
from textrealms.tui.game import GameFactory, offline
from textrealms.tui.screens.game import GameScreen
from textrealms.tui.screens.help import HelpScreen
from textrealms.tui.screens.saves import SavesScreen
from textrealms.tui.screens.stats import StatsScreen
from textrealms.tui.screens.title import TitleScreen
from textrealms.tui.screens.worlds import WorldPicker
from textrealms.tui.web import served
from textrealms.tui.widgets.story import KEEP_TURNS
from textrealms.world.catalog import PackInfo
from textrealms.world.schema import WorldPack

GAME_COMMANDS = PALETTE
"""Game commands the palette offers (the verbs' own say): to play as if typed."""
SWEEP_CHECK_SECONDS = 0.5
"""How often the app asks whether the game is quiet enough to collect its garbage."""


class TextRealmsApp(App[None]):
    """`start` opens straight into a new game of that pack; otherwise the title screen.

    `game` opens straight into a game already made (a resumed one, say). `seed` fixes
    every new game's randomness, `factory` makes the games (the offline narrator by
    default), and `clock` times each turn's hot path for the status line. `saves` are the
    saved games to continue, load and delete (None: games are not saved), and `now` is
    the time of day they were played against. Tests pass fixed clocks so that every run
    draws the same screen.
    """

    CSS_PATH = Path(__file__).with_name("textrealms.tcss")
    """Absolute: an app subclassed elsewhere (in tests, the bench probe) finds it too."""
    TITLE = "TextRealms"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help", show=False),
    ]

    def __init__(
        self,
        worlds: list[PackInfo],
        *,
        start: WorldPack | None = None,
        game: Game | None = None,
        seed: int | None = None,
        factory: GameFactory | None = None,
        saves: SavedGames | None = None,
        clock: Callable[[], float] = time.perf_counter,
        now: Callable[[], float] = time.time,
        keep_both: bool = False,
        keep_turns: int = KEEP_TURNS,
    ) -> None:
        super().__init__()
        self.worlds = worlds
        self.start = start
        self.seed = seed
        self.factory = factory or offline()
        self.saves = saves
        self.clock = clock
        self.now = now
        self.keep_both = keep_both
        self.keep_turns = keep_turns
        self.game: Game | None = game
        self.game_screen: GameScreen | None = None
        self._left_behind: set[asyncio.Task[None]] = set()
        """Games left for another (a save loaded), still closing."""
        self.collector = Collector(time.monotonic)

    def get_driver_class(self) -> type[Driver]:
        return served(super().get_driver_class())

    def on_mount(self) -> None:
        self.set_interval(SWEEP_CHECK_SECONDS, self._sweep, name="collector")
        if self.game is not None:
            self.push_screen(self._show(self.game))
        elif self.start is not None:
            self._begin(self.start, self.push_screen)
        else:
            self.push_screen(TitleScreen(self.saves))

    def on_title_screen_new_game(self, _: TitleScreen.NewGame) -> None:
        self.push_screen(WorldPicker(self.worlds), self._picked)

    def on_title_screen_continue(self, _: TitleScreen.Continue) -> None:
        """Play on in the latest game itself, as `textrealms continue` does."""
        if self.saves is not None:
            self.run_worker(self._continue(self.saves), name="continue", exit_on_error=False)

    async def _continue(self, saves: SavedGames) -> None:
        try:
            session = await saves.open(copy=False)
        except Refused as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self._play(session)

    def on_title_screen_load(self, _: TitleScreen.Load) -> None:
        self.action_saves()

    def on_game_screen_open_saves(self, _: GameScreen.OpenSaves) -> None:
        self.action_saves()

    def action_saves(self) -> None:
        if self.saves is None or isinstance(self.screen, SavesScreen):
            return
        worlds = {info.id: info.name for info in self.worlds if info.valid}
        screen = SavesScreen(self.saves, worlds=worlds, now=self.now)
        self.push_screen(screen, self._loaded)

    def _loaded(self, session: Session | None) -> None:
        if session is not None:
            self._play(session)

    def _play(self, game: Game) -> None:
        """Play `game` now, in place of the game being played (which is closed, its last
        turns written), or over the title screen."""
        old = self.game
        screen = self._show(game)
        if isinstance(self.screen, GameScreen):
            self.switch_screen(screen)
        else:
            self.push_screen(screen)
        if old is not None and old is not game:
            closing = asyncio.get_running_loop().create_task(old.aclose())
            self._left_behind.add(closing)
            closing.add_done_callback(self._left_behind.discard)

    def _picked(self, pack: WorldPack | None) -> None:
        if pack is not None:
            self._begin(pack, self.switch_screen)

    def _begin(self, pack: WorldPack, show: Callable[[GameScreen], object]) -> None:
        """Start a new game of `pack` and `show` its screen: at once, or once a factory
        that has to wait (for a save slot) has made it."""
        made = self.factory(pack, new_seed(self.seed))
        if not inspect.isawaitable(made):
            show(self._show(made))
            return

        async def made_later(pending: Awaitable[Game]) -> None:
            try:
                game = await pending
            except Exception as exc:  # e.g. the saves folder is unusable: say so, play on
                self.notify(f"The game could not start: {exc}", severity="error")
                return
            show(self._show(game))

        self.run_worker(made_later(made), name="new game", exit_on_error=False)

    def _show(self, game: Game) -> GameScreen:
        """The game's screen, with its events already followed."""
        self.game = game
        screen = self.game_screen = self.new_screen(game)
        self.run_worker(
            self._follow(game.events(), screen), name="story", group="story", exit_on_error=False
        )
        # what is loaded by now lives as long as the game: out of the collector's way
        self.call_after_refresh(self.collector.turn)
        return screen

    def new_screen(self, game: Game) -> GameScreen:
        """The screen to play `game` on."""
        return GameScreen(
            game,
            clock=self.clock,
            collector=self.collector,
            saving=self.saves is not None,
            keep_both=self.keep_both,
            keep_turns=self.keep_turns,
        )

    def _sweep(self) -> None:
        game = self.game
        self.collector.check(streaming=game is not None and bool(game.running()))

    async def _follow(self, events: AsyncIterator[StoryEvent], screen: GameScreen) -> None:
        async for event in events:
            try:
                screen.apply(event)
            except Exception:  # one bad event must not stop the story
                self.log.error(f"could not show {event!r}")

    async def on_unmount(self) -> None:
        """Close the game (its jobs cancelled, its last turn on disk) and any left behind."""
        self.collector.release()
        if self.game is not None:
            await self.game.aclose()
        for failed in await asyncio.gather(*self._left_behind, return_exceptions=True):
            if failed is not None:
                self.log.error(f"a game left behind did not close cleanly: {failed!r}")

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_stats(self) -> None:
        if self.game is not None and not isinstance(self.screen, StatsScreen):
            self.push_screen(StatsScreen(self.game.snapshot()))

    def action_keep_both(self) -> None:
        """Toggle showing refined narration under the template instead of in its place."""
        self.keep_both = not self.keep_both
        if self.game_screen is not None:
            self.game_screen.story.keep_both = self.keep_both

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help", "Commands and keys (F1)", self.action_help)
        game = self.game_screen
        if game is None:
            return
        yield SystemCommand("Stats", "The engine's numbers (F2)", self.action_stats)
        if self.saves is not None:
            yield SystemCommand("Saves", "Load or delete a saved game (F3)", self.action_saves)
        yield SystemCommand("Stop narration", "The plain text stays (escape)", game.action_stop)
        yield SystemCommand(
            "Retell", "Tell the last narration again (ctrl+r)", game.action_regenerate
        )
        for command, what in GAME_COMMANDS:
            yield SystemCommand(f"Play: {command}", what, functools.partial(game.play, command))
        state = "on" if self.keep_both else "off"
        yield SystemCommand(
            f"Keep plain text with narration ({state})",
            "Show the narrator's retelling under the plain text instead of in its place",
            self.action_keep_both,
        )
