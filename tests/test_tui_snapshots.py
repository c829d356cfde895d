"""What the player sees, pinned as SVG snapshots (accept changes with --snapshot-update).

Every app here runs on a fixed seed, the instant offline narrator and a ticking clock,
and waits until all background entries have landed: each run draws the same screen.
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from tests.conftest import ROOT, TESTVALE
from tests.fakes import Measured, alarming
from tests.tui_support import app_for, caught_up, play, screen_of
from textrealms.engine.events import ProviderChanged
from textrealms.engine.front import Game
from textrealms.llm.offline import OfflineNarrator
from textrealms.llm.provider import ProviderStatus
from textrealms.tui.app import TextRealmsApp
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
    screen_of(pilot).apply(ProviderChanged(0, -1, status))
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
