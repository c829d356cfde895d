"""Driving the TUI in tests: an app on a fixed seed and clock, waiting for its story, and
reading what a widget shows."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.style import Style
from textual.pilot import Pilot

from tests.helpers.clocks import Ticks
from tests.helpers.waiting import TIMEOUT
from textrealms.engine.gm import GameMaster
from textrealms.engine.session import Session
from textrealms.tui.app import TextRealmsApp
from textrealms.tui.screens.game import GameScreen
from textrealms.tui.widgets.story import TurnBlock
from textrealms.world.schema import WorldPack

WIDE = 200
"""Columns to show a widget's text in: wide enough that no line of it wraps."""


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


def shown(widget: Any) -> str:
    """What a widget (or a turn's block in the story) shows, as plain text."""
    console = Console(width=WIDE, record=True, color_system=None)
    if isinstance(widget, TurnBlock):
        return "\n".join(line.text for line in widget.lines(console, WIDE, Style()))
    console.print(widget.content if hasattr(widget, "content") else widget.render())
    return console.export_text()


async def until(pilot: Pilot[Any], test: Callable[[], bool]) -> None:
    """Let the app run until `test()` holds; fail after `TIMEOUT` seconds."""
    async with asyncio.timeout(TIMEOUT):
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


async def playing(pilot: Pilot[Any]) -> GameScreen:
    """The game screen, once a game (made by a factory that waits, say) is shown."""
    app = pilot.app
    assert isinstance(app, TextRealmsApp)
    await until(pilot, lambda: app.game_screen is not None)
    assert app.game_screen is not None
    return app.game_screen
