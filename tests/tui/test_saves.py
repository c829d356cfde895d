"""The TUI's saved games, on a real save file: Continue and Load on the title screen, the
Saves screen (load, delete), ctrl+s, ctrl+z, and quitting with jobs running."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from tests.helpers.clocks import NOON
from tests.helpers.paths import TESTVALE
from tests.helpers.pilot import caught_up, master_of, play, playing, screen_of, shown, until
from tests.helpers.saving_app import SavingApp, menu_of, saved_game
from textrealms.engine.saved_games import played_ago
from textrealms.engine.session import Session
from textrealms.store.database import FILENAME, SaveStore
from textrealms.tui.app import TextRealmsApp
from textrealms.tui.screens.dialogs import Confirm, SaveAs
from textrealms.tui.screens.game import GameScreen
from textrealms.tui.screens.saves import SavesScreen
from textrealms.tui.screens.title import TitleScreen
from textrealms.world.catalog import discover
from textrealms.world.problems import PackError

SIZE = (100, 30)
HOUR = 3600.0


def session_of(pilot: Pilot[Any]) -> Session:
    game = screen_of(pilot).game
    assert isinstance(game, Session)
    return game


def saves_screen(pilot: Pilot[Any]) -> SavesScreen:
    screen = pilot.app.screen
    assert isinstance(screen, SavesScreen), screen
    return screen


async def listed(pilot: Pilot[Any]) -> SavesScreen:
    await until(pilot, lambda: isinstance(pilot.app.screen, SavesScreen))
    screen = saves_screen(pilot)
    await until(pilot, lambda: screen.listed)
    return screen


def names(screen: SavesScreen) -> list[str | None]:
    return [row.value for row in screen.table.rows]


def table(screen: SavesScreen) -> list[list[str]]:
    """The Saves screen's table as plain text, row by row."""
    return [[str(cell) for cell in screen.table.get_row(key)] for key in screen.table.rows]


async def slots(folder: Path) -> dict[str, int]:
    """Each saved game's name and turn, read back from the file."""
    store = await SaveStore.open(folder)
    try:
        return {slot.name: slot.turn for slot in await store.slots()}
    finally:
        await store.aclose()


async def test_continue_is_offered_only_with_saves_and_plays_on_in_the_latest(
    tmp_path: Path,
) -> None:
    async with TextRealmsApp(discover([TESTVALE])).run_test(size=SIZE) as pilot:
        assert menu_of(pilot) == ["new", "quit"]  # no saves folder: no dead entries
    async with SavingApp(tmp_path).run_test(size=SIZE) as pilot:
        title = pilot.app.screen
        assert isinstance(title, TitleScreen)
        await until(pilot, lambda: title.saved is not None)
        assert menu_of(pilot) == ["new", "quit"]  # a save file, but nothing in it yet
    await saved_game(tmp_path, "east", at=NOON - 2 * HOUR)
    await saved_game(tmp_path, "east", "west", at=NOON - HOUR)
    async with SavingApp(tmp_path).run_test(size=SIZE) as pilot:
        await until(pilot, lambda: menu_of(pilot) == ["new", "continue", "load", "quit"])
        await pilot.press("enter")  # Continue is the highlighted choice
        await until(pilot, lambda: isinstance(pilot.app.screen, GameScreen))
        assert session_of(pilot).slot == "game-2"  # the latest game itself, not a copy
        assert "Resumed 'game-2' at turn 2." in shown(screen_of(pilot).story.blocks[2])
        await play(pilot, "east")
    assert await slots(tmp_path) == {"game-1": 1, "game-2": 3}


async def test_load_opens_a_copy_of_the_chosen_save(tmp_path: Path) -> None:
    await saved_game(tmp_path, "east", at=NOON - 2 * HOUR, save="at the inn")
    await saved_game(tmp_path, "wait", at=NOON - HOUR)
    async with SavingApp(tmp_path).run_test(size=SIZE) as pilot:
        await until(pilot, lambda: "load" in menu_of(pilot))
        await pilot.press("down", "enter")
        screen = await listed(pilot)
        assert names(screen) == ["game-3", "game-1", "at the inn"]  # a copy keeps its time
        assert table(screen)[0] == ["game-3", "Test Vale", "1", "Village Square", "1 h ago"]
        await pilot.press("down", "down", "enter")
        await until(pilot, lambda: isinstance(pilot.app.screen, GameScreen))
        assert session_of(pilot).slot == "game-4"
        opening = shown(screen_of(pilot).story.blocks[1])
        assert "Resumed 'game-4' at turn 1." in opening
        assert "A copy of 'at the inn', which stays as it was." in opening
        assert "The Low Inn" in opening
        await play(pilot, "west")
    assert await slots(tmp_path) == {"game-1": 1, "at the inn": 1, "game-3": 1, "game-4": 2}


async def test_f3_loads_a_save_in_place_of_the_game_being_played(tmp_path: Path) -> None:
    await saved_game(tmp_path, "east", at=NOON - HOUR)
    async with SavingApp(tmp_path, new=True).run_test(size=SIZE) as pilot:
        await playing(pilot)
        await play(pilot, "wait")
        first = session_of(pilot)
        await pilot.press("f3")
        screen = await listed(pilot)
        assert names(screen) == ["game-2", "game-1"]
        assert table(screen)[0][0] == "game-2 (this game)"
        await pilot.press("down", "enter")
        await until(pilot, lambda: session_of(pilot) is not first)
        assert isinstance(pilot.app.screen, GameScreen)
        assert session_of(pilot).slot == "game-3" and "The Low Inn" in shown(
            screen_of(pilot).story.blocks[1]
        )
        await caught_up(pilot)
        assert master_of(pilot).running() == []
        with pytest.raises(RuntimeError, match="closed"):
            first.gm.submit("wait")  # the game it replaced was closed
    assert await slots(tmp_path) == {"game-1": 1, "game-2": 1, "game-3": 1}


async def test_delete_asks_first_and_never_deletes_the_game_being_played(
    tmp_path: Path,
) -> None:
    await saved_game(tmp_path, "east", at=NOON - HOUR, save="checkpoint")
    async with SavingApp(tmp_path, new=True).run_test(size=SIZE) as pilot:
        await playing(pilot)
        await pilot.press("f3")
        screen = await listed(pilot)
        assert names(screen) == ["game-3", "game-1", "checkpoint"]
        await pilot.press("d")  # the game being played
        await until(pilot, lambda: isinstance(pilot.app.screen, Confirm))
        question = pilot.app.screen.query_one(Static)
        assert "Delete game-3? This cannot be undone." in shown(question)
        await pilot.press("y")
        await until(pilot, lambda: "being played" in shown(screen.message))
        assert names(screen) == ["game-3", "game-1", "checkpoint"]
        await pilot.press("down", "down", "delete")
        await until(pilot, lambda: isinstance(pilot.app.screen, Confirm))
        await pilot.press("enter")  # No has the focus: nothing happens
        await until(pilot, lambda: pilot.app.screen is screen)
        await pilot.press("d")
        await until(pilot, lambda: isinstance(pilot.app.screen, Confirm))
        await pilot.click("#yes")
        await until(pilot, lambda: names(screen) == ["game-3", "game-1"])
        assert "Deleted 'checkpoint'." in shown(screen.message)
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, GameScreen)
    assert await slots(tmp_path) == {"game-3": 0, "game-1": 1}
    orphans = "SELECT count(*) FROM turns WHERE game NOT IN (SELECT id FROM games)"
    assert rows(tmp_path, orphans) == [(0,)]


def rows(folder: Path, query: str) -> list[tuple[Any, ...]]:
    """What `query` finds in the save file, read by SQLite itself."""
    with contextlib.closing(sqlite3.connect(folder / FILENAME)) as db:
        return db.execute(query).fetchall()


async def test_ctrl_s_saves_under_the_name_given(tmp_path: Path) -> None:
    async with SavingApp(tmp_path, new=True).run_test(size=SIZE) as pilot:
        await playing(pilot)
        await play(pilot, "east")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(pilot.app.screen, SaveAs))
        name = pilot.app.screen.query_one(Input)
        assert name.value == "testvale-turn-1"
        await pilot.press("escape")  # cancelled: nothing saved, nothing told
        assert isinstance(pilot.app.screen, GameScreen)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(pilot.app.screen, SaveAs))
        pilot.app.screen.query_one(Input).value = "before the duel"
        await pilot.press("enter")
        story = screen_of(pilot).story
        await until(pilot, lambda: "Saved as 'before the duel'" in shown(story.answers[1]))
        assert "> save before the duel" in shown(story.answers[1])
        await pilot.press("ctrl+s", "enter")  # the name offered, as it is
        await until(pilot, lambda: "Saved as 'testvale-turn-1'" in shown(story.answers[1]))
    assert await slots(tmp_path) == {"game-1": 1, "before the duel": 1, "testvale-turn-1": 1}


async def test_ctrl_z_undoes_the_last_turn(tmp_path: Path) -> None:
    async with SavingApp(tmp_path, new=True).run_test(size=SIZE) as pilot:
        await playing(pilot)
        await play(pilot, "east", "take iron key")
        story = screen_of(pilot).story
        taken = story.blocks[2]
        await pilot.press("ctrl+z")
        await caught_up(pilot)
        game = session_of(pilot)
        assert (game.state.turn, game.state.location) == (1, "inn")
        assert "iron_key" not in {i for i, p in game.state.items.items() if p == "player"}
        assert "Undone: back to turn 1." in shown(story.blocks[1])
        assert taken.undone and 2 not in story.blocks
        assert not story.blocks[1].undone
    assert await slots(tmp_path) == {"game-1": 1}
    assert rows(tmp_path, "SELECT max(turn) FROM turns") == [(1,)]


async def test_quitting_with_jobs_running_saves_the_last_turn(tmp_path: Path) -> None:
    app = SavingApp(tmp_path, new=True, pace=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await playing(pilot)
        await pilot.press(*"escalate", "enter")
        gm = master_of(pilot)
        await until(pilot, lambda: "narration" in gm.running())  # the narrator is mid-stream
        await pilot.press("ctrl+q")
        await until(pilot, lambda: not pilot.app.is_running)
    assert not gm.running()
    others = asyncio.all_tasks() - {asyncio.current_task()}
    assert not others, others  # quitting cancelled and awaited every job
    assert rows(tmp_path, "SELECT turn, command FROM turns ORDER BY turn") == [
        (0, ""),
        (1, "escalate"),
    ]


async def test_a_save_whose_world_is_gone_says_so_and_stays(tmp_path: Path) -> None:
    await saved_game(tmp_path, "east", at=NOON - HOUR)
    async with SavingApp(tmp_path).run_test(size=SIZE) as pilot:
        await until(pilot, lambda: "load" in menu_of(pilot))
        assert isinstance(pilot.app, SavingApp)

        def gone(world: str) -> Any:
            raise PackError([])

        pilot.app.saves.packs = gone  # type: ignore[union-attr]
        await pilot.press("down", "enter")
        screen = await listed(pilot)
        await pilot.press("enter")
        message = "The saved game 'game-1' needs world 'testvale', which cannot be loaded."
        await until(pilot, lambda: message in shown(screen.message))
        assert pilot.app.screen is screen and not screen.busy
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, TitleScreen)
    assert await slots(tmp_path) == {"game-1": 1}


def test_played_ago_reads_like_a_person() -> None:
    cases = {
        0: "just now",
        59: "just now",
        60: "1 min ago",
        3599: "59 min ago",
        3600: "1 h ago",
        86_399: "23 h ago",
        86_400: "yesterday",
        3 * 86_400: "3 days ago",
    }
    for seconds, said in cases.items():
        assert played_ago(NOON - seconds, NOON) == said
    assert played_ago(NOON - 30 * 86_400, NOON)[:4] == "2025"
    assert played_ago(NOON + 5, NOON) == "just now"  # a clock set back: never "-1 min"


async def test_turns_folded_out_of_the_story_stay_in_the_save(tmp_path: Path) -> None:
    """The story keeps only its last turns to scroll back through (what the TUI holds in
    memory); the save keeps every one."""
    app = SavingApp(tmp_path, new=True)
    app.keep_turns = 3
    commands = ["look", "wait", "look", "inventory", "wait", "look"]
    async with app.run_test(size=SIZE) as pilot:
        story = (await playing(pilot)).story
        await play(pilot, *commands)
        assert sorted(story.blocks) == [4, 5, 6] and story.folded == 4  # the opening too
    store = await SaveStore.open(tmp_path)
    try:
        saved = await store.story("game-1")
    finally:
        await store.aclose()
    assert [turn.command for turn in saved if turn.turn > 0] == commands
