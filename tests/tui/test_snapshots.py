"""What the player sees, pinned as SVG snapshots (accept changes with --snapshot-update).

Every app here runs on a fixed seed, the instant offline narrator and a ticking clock,
and waits until all background entries have landed: each run draws the same screen.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from tests.helpers.clocks import NOON
from tests.helpers.metrics import Measured, alarming
from tests.helpers.paths import ROOT, TESTVALE
from tests.helpers.pilot import app_for, caught_up, play, playing, screen_of, until
from tests.helpers.saving_app import SavingApp, saved_game
from textrealms.engine.events import ProviderChanged
from textrealms.engine.front import Game
from textrealms.llm.offline import OfflineNarrator
from textrealms.llm.provider import ProviderStatus
from textrealms.tui.app import TextRealmsApp
from textrealms.tui.screens.saves import SavesScreen
from textrealms.tui.screens.title import TitleScreen
from textrealms.world.catalog import discover
from textrealms.world.schema import WorldPack

WIDE = (100, 30)
COMMANDS = ("escalate", "support mira", "east", "take iron key", "west", "escalate")


async def new_game(pilot: Pilot[Any]) -> None:
    await caught_up(pilot)


async def several_commands(pilot: Pilot[Any]) -> None:
    await caught_up(pilot)
    await play(pilot, *COMMANDS)


async def degraded(pilot: Pilot[Any]) -> None:
    await caught_up(pilot)
    status = ProviderStatus("tiny-model-7b", degraded=True, reason="3 timeouts in a row")
    screen = screen_of(pilot)
    screen.game.provider_status = lambda: status  # type: ignore[method-assign]
    screen.apply(ProviderChanged(0, -1, status))
    await pilot.pause()


def test_title_screen(snap_compare: Any) -> None:
    app = TextRealmsApp(discover([ROOT / "worlds"]), seed=3)
    assert snap_compare(app, terminal_size=WIDE)


def test_world_picker(snap_compare: Any) -> None:
    app = TextRealmsApp(discover([ROOT / "worlds", TESTVALE]), seed=3)
    assert snap_compare(app, press=["enter"], terminal_size=WIDE)


def test_game_after_a_new_game(snap_compare: Any, pack: WorldPack) -> None:
    assert snap_compare(app_for(pack), terminal_size=WIDE, run_before=new_game)


def test_game_after_several_commands(snap_compare: Any, pack: WorldPack) -> None:
    assert snap_compare(app_for(pack), terminal_size=WIDE, run_before=several_commands)


def test_game_at_80x24(snap_compare: Any, pack: WorldPack) -> None:
    assert snap_compare(app_for(pack), terminal_size=(80, 24), run_before=several_commands)


def test_game_in_the_light_theme(snap_compare: Any, pack: WorldPack) -> None:
    app = app_for(pack)
    app.theme = "textual-light"
    assert snap_compare(app, terminal_size=WIDE, run_before=new_game)


def test_degraded_provider_status(snap_compare: Any, pack: WorldPack) -> None:
    assert snap_compare(app_for(pack), terminal_size=WIDE, run_before=degraded)


def test_help_screen(snap_compare: Any, pack: WorldPack) -> None:
    assert snap_compare(app_for(pack), press=["f1"], terminal_size=WIDE, run_before=new_game)


def fixed_metrics(pack: WorldPack, seed: int) -> Game:
    provider = OfflineNarrator(pack, seed)
    return Measured(pack, metrics=alarming(), seed=seed, provider=provider)


def test_stats_screen(snap_compare: Any, pack: WorldPack) -> None:
    app = app_for(pack, factory=fixed_metrics)
    assert snap_compare(app, press=["f2"], terminal_size=WIDE, run_before=new_game)


async def three_saves(folder: Path) -> None:
    """Two games played an hour and two days ago, and a named save of the older one."""
    await saved_game(folder, "east", "take iron key", at=NOON - 2 * 86_400, save="at the inn")
    await saved_game(folder, "escalate", "support mira", "wait", at=NOON - 3600, seed=2)


async def title_read(pilot: Pilot[Any]) -> None:
    title = pilot.app.screen
    assert isinstance(title, TitleScreen)
    await until(pilot, lambda: title.saved is not None)


async def saves_listed(pilot: Pilot[Any]) -> None:
    await title_read(pilot)
    await pilot.press("down", "enter")  # from Continue to Load
    await until(pilot, lambda: isinstance(pilot.app.screen, SavesScreen))
    screen = pilot.app.screen
    assert isinstance(screen, SavesScreen)
    await until(pilot, lambda: screen.listed)


def test_title_screen_with_saves(snap_compare: Any, tmp_path: Path) -> None:
    asyncio.run(three_saves(tmp_path))
    assert snap_compare(SavingApp(tmp_path), terminal_size=WIDE, run_before=title_read)


def test_saves_screen(snap_compare: Any, tmp_path: Path) -> None:
    asyncio.run(three_saves(tmp_path))
    assert snap_compare(SavingApp(tmp_path), terminal_size=WIDE, run_before=saves_listed)


def test_saves_screen_at_80x24(snap_compare: Any, tmp_path: Path) -> None:
    asyncio.run(three_saves(tmp_path))
    assert snap_compare(SavingApp(tmp_path), terminal_size=(80, 24), run_before=saves_listed)


def test_delete_asks_first(snap_compare: Any, tmp_path: Path) -> None:
    asyncio.run(three_saves(tmp_path))
    app = SavingApp(tmp_path)
    assert snap_compare(app, press=["down", "d"], terminal_size=WIDE, run_before=saves_listed)


async def saving_game(pilot: Pilot[Any]) -> None:
    await playing(pilot)
    await play(pilot, "east", "take iron key")
    await pilot.press("ctrl+z")
    await caught_up(pilot)


def test_undo_in_a_saved_game_at_80x24(snap_compare: Any, tmp_path: Path) -> None:
    """The save keys in the footer, and an undone turn left dimmed above the undo."""
    app = SavingApp(tmp_path, new=True)
    assert snap_compare(app, terminal_size=(80, 24), run_before=saving_game)
