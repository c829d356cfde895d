"""Driving the TUI in tests: an app on a fixed seed and clock, and waiting for its story."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

from tests.fakes import Ticks
from textrealms.engine.gm import GameMaster
from textrealms.engine.session import Session
from textrealms.tui.app import TextRealmsApp
from textrealms.tui.screens.game import GameScreen
from textrealms.world.schema import WorldPack

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


async def caught_up(pilot: Pilot[Any]) -> None:
    """Every turn's background work has finished and the screen shows all of it."""
    screen = screen_of(pilot)
    await asyncio.wait_for(master_of(pilot).quiet(), TIMEOUT)
    await until(pilot, lambda: set(screen.story.blocks) <= screen.settled)
    screen.command.cursor_blink = False
    await pilot.pause()


async def play(pilot: Pilot[Any], *commands: str) -> None:
    """Enter each command (as if typed), letting its background work land in between."""
    for command in commands:
        screen_of(pilot).command.value = command
        await pilot.press("enter")
        await caught_up(pilot)
