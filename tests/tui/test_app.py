"""The TUI driven by a pilot: instant answers, streaming, keys, a game not being saved,
and a clean exit."""

from __future__ import annotations

import asyncio
import gc
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.helpers.clocks import Ticks
from tests.helpers.faulty import Fault, Faulty
from tests.helpers.paths import TESTVALE
from tests.helpers.pilot import (
    app_for,
    caught_up,
    master_of,
    play,
    screen_of,
    settled,
    shown,
    until,
)
from tests.helpers.waiting import TIMEOUT
from textrealms.engine.entries import EntryKind
from textrealms.engine.events import NpcReaction, ProviderChanged, SavingChanged
from textrealms.engine.front import Game
from textrealms.engine.gm import GameMaster
from textrealms.engine.session import Session
from textrealms.llm.offline import OfflineNarrator
from textrealms.llm.provider import ProviderStatus
from textrealms.store.database import SaveStore
from textrealms.tui.app import TextRealmsApp
from textrealms.tui.screens.game import GameScreen
from textrealms.tui.screens.help import HelpScreen
from textrealms.tui.screens.stats import StatsScreen
from textrealms.tui.widgets.story import TurnBlock
from textrealms.world.catalog import discover
from textrealms.world.schema import WorldPack

SIZE = (100, 30)
ALL_JOBS = ("narration", "describe", "reaction", "gossip", "beat")


def faulty(faults: dict[str, Fault] | None = None, pace: float = 0.0) -> Any:
    providers: list[Faulty] = []

    def make(pack: WorldPack, seed: int) -> Game:
        provider = Faulty(OfflineNarrator(pack, seed, pace=pace), faults)
        providers.append(provider)
        return GameMaster(pack, seed=seed, provider=provider, prefetch=False)

    make.providers = providers  # type: ignore[attr-defined]
    return make


def block(pilot: Pilot[Any], turn: int) -> TurnBlock:
    return screen_of(pilot).story.blocks[turn]


async def test_a_command_shows_its_answer_before_any_job_finishes(pack: WorldPack) -> None:
    factory = faulty(dict.fromkeys(ALL_JOBS, "hang"))
    app = app_for(pack, factory=factory)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"escalate", "enter")
        assert "press hard" in shown(block(pilot, 1))
        assert "Mira is reacting" in master_of(pilot).running()
        await pilot.pause()
        assert "Mira is reacting" in shown(screen_of(pilot).status)
        assert all(e.kind is not EntryKind.REACTION for e in block(pilot, 1).shown())
        settling = asyncio.ensure_future(screen_of(pilot).game.settled(1))
        await pilot.pause()
        assert not settling.done()  # its jobs hang: the turn never settles
        settling.cancel()
        await pilot.press("ctrl+q")
    assert factory.providers[0].closed
    others = asyncio.all_tasks() - {asyncio.current_task()}
    assert not others, others  # quitting cancelled and awaited every job


async def test_escape_stops_the_streaming_and_the_template_stays(pack: WorldPack) -> None:
    app = app_for(pack, factory=faulty(pace=0.2))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"wait", "enter")
        turn = block(pilot, 1)
        template = turn.entries[0].text
        await until(pilot, lambda: turn.current[0].text != template)  # the narration streams
        assert master_of(pilot).running() == ["narration"]
        await pilot.press("escape")
        await settled(pilot, 1)
        assert turn.current[0].text == template
        assert template in shown(turn)


async def test_a_hint_while_a_turn_still_streams_leaves_its_narration_to_that_turn(
    pack: WorldPack,
) -> None:
    app = app_for(pack, factory=faulty(pace=0.2))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"wait", "enter")
        turn = block(pilot, 1)
        template = turn.entries[0].text
        await pilot.press(*"hint", "enter")
        story = screen_of(pilot).story
        hint = story.answers[1]
        assert story.blocks[1] is turn and hint is not turn
        await settled(pilot, 1)
        assert turn.current[0].text != template, "the wait's narration lands in its own block"
        assert shown(hint).splitlines()[-1].startswith("Light the Lantern: ")


async def test_ctrl_r_retells_the_last_narration(pack: WorldPack) -> None:
    async with app_for(pack).run_test(size=SIZE) as pilot:
        await caught_up(pilot)
        await play(pilot, "wait")
        turn = block(pilot, 1)
        first = turn.current[0].text
        await pilot.press("ctrl+r")
        await settled(pilot, 1)
        assert turn.current[0].text != first
        assert turn.current[0].text in shown(turn) and first not in shown(turn)


async def test_history_and_completion(pack: WorldPack) -> None:
    async with app_for(pack).run_test(size=SIZE) as pilot:
        command = screen_of(pilot).command
        await play(pilot, "look", "east")
        await pilot.press("up")
        assert command.value == "east"
        await pilot.press("up", "up")
        assert command.value == "look"
        await pilot.press("down", "down")
        assert command.value == ""
        await pilot.press(*"exa", "tab")
        assert command.value == "examine"
        command.value = ""
        await pilot.press(*"take ir", "tab")
        assert command.value == "take iron key"
        command.value = ""
        await pilot.press(*"take ", "tab")  # several things here: tab cycles through them
        first = command.value
        await pilot.press("tab")
        assert first.startswith("take ") and command.value.startswith("take ")
        assert command.value != first
        command.value = ""
        await pilot.press(*"talk to ", "tab")  # the one person here, not a thing carried
        assert command.value == "talk to oda"
        assert command.has_focus


async def test_help_and_stats_open_and_close(pack: WorldPack) -> None:
    async with app_for(pack).run_test(size=SIZE) as pilot:
        await pilot.press("f1")
        assert isinstance(app_screen := pilot.app.screen, HelpScreen), app_screen
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, GameScreen)
        await pilot.press("f2")
        assert isinstance(pilot.app.screen, StatsScreen)
        await pilot.press("f2")
        assert isinstance(pilot.app.screen, GameScreen)


async def test_markup_and_escape_sequences_show_literally(pack: WorldPack) -> None:
    async with app_for(pack).run_test(size=SIZE) as pilot:
        screen = screen_of(pilot)
        screen.command.value = "say [bold]hi[/bold] \x1b[31mred\x1b[0m [link=x]y"
        await pilot.press("enter")
        await caught_up(pilot)
        text = shown(block(pilot, 1))
        assert "> say [bold]hi[/bold] red [link=x]y" in text
        assert 'You say, "[bold]hi[/bold] red [link=x]y"' in text
        assert "\x1b" not in text


async def test_a_degraded_provider_shows_on_the_status_line(
    pack: WorldPack, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with app_for(pack).run_test(size=SIZE) as pilot:
        screen = screen_of(pilot)
        assert "offline narrator" in shown(screen.status)
        status = ProviderStatus("tiny-model", degraded=True, reason="[red]timeouts")
        monkeypatch.setattr(screen.game, "provider_status", lambda: status)
        screen.apply(ProviderChanged(0, -1, status))
        await pilot.pause()
        assert "tiny-model degraded: [red]timeouts" in shown(screen.status)
        assert screen.status.has_class("degraded")


async def test_old_turns_fold_so_the_widget_count_stays_bounded(pack: WorldPack) -> None:
    async with app_for(pack, keep_turns=5).run_test(size=SIZE) as pilot:
        screen = screen_of(pilot)
        counts = []
        for _ in range(3):
            for _ in range(10):
                screen.command.value = "wait"
                await pilot.press("enter")
            await caught_up(pilot)
            counts.append(len(list(screen.query("*"))))
        assert len(screen.story.blocks) == 5
        assert screen.story.folded == 26  # the opening and 30 turns, less the 5 shown
        assert screen.story.fold_line == "··· 26 earlier turns folded away ···"
        assert counts[2] <= counts[0] + 5  # no growth with the story's length


async def test_background_failures_never_quit_the_app(pack: WorldPack) -> None:
    factory = faulty(dict.fromkeys(ALL_JOBS, "explode"))
    async with app_for(pack, factory=factory).run_test(size=SIZE) as pilot:
        await play(pilot, "escalate", "wait")
        assert pilot.app.is_running
        notes = [e for e in block(pilot, 1).shown() if e.kind is EntryKind.NOTICE]
        assert notes and all("the plain text stands" in e.text for e in notes)


async def test_the_quit_command_leaves_with_jobs_running(pack: WorldPack) -> None:
    factory = faulty(dict.fromkeys(ALL_JOBS, "hang"))
    async with app_for(pack, factory=factory).run_test(size=SIZE) as pilot:
        await pilot.press(*"escalate", "enter", *"quit", "enter")
        await until(pilot, lambda: not pilot.app.is_running)
    assert factory.providers[0].closed


async def test_title_to_world_picker_to_a_new_game() -> None:
    app = TextRealmsApp(discover([TESTVALE]), seed=3)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(pilot.app.screen, GameScreen))
        assert "Test Vale" in shown(block(pilot, 0))
        await asyncio.wait_for(master_of(pilot).quiet(), TIMEOUT)


async def test_a_new_game_whose_factory_waits_opens_once_it_is_made(
    pack: WorldPack, tmp_path: Path
) -> None:
    """As the CLI's factory does: a saving session waits for its slot in the database."""
    store = await SaveStore.open(tmp_path)

    async def saving(pack: WorldPack, seed: int) -> Session:
        gm = GameMaster(pack, seed=seed)
        slot = await store.create(gm.state)
        return Session(gm, store, slot=slot.name)

    app = TextRealmsApp(discover([TESTVALE]), seed=3, factory=saving)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("enter", "enter")
            await until(pilot, lambda: isinstance(pilot.app.screen, GameScreen))
            await play(pilot, "east")
            assert isinstance(screen_of(pilot).game, Session)
        [slot] = await store.slots()
    finally:
        await store.aclose()
    assert (slot.name, slot.turn, slot.location) == ("game-1", 1, "The Low Inn")


async def test_keeping_both_shows_the_retelling_under_the_plain_text(pack: WorldPack) -> None:
    async with app_for(pack, keep_both=True).run_test(size=SIZE) as pilot:
        await play(pilot, "wait")
        turn = block(pilot, 1)
        assert turn.current == turn.entries
        [kept] = turn.refined.values()
        assert kept.kind is EntryKind.REFINED and kept.text != turn.entries[0].text
        assert turn.shown()[:2] == [turn.entries[0], kept]


async def test_game_actions_are_in_the_command_palette(pack: WorldPack) -> None:
    async with app_for(pack).run_test(size=SIZE) as pilot:
        titles = [c.title for c in pilot.app.get_system_commands(pilot.app.screen)]
        assert {"Help", "Stats", "Stop narration", "Retell"} <= set(titles)
        [toggle] = [c for c in pilot.app.get_system_commands(pilot.app.screen) if "Keep" in c.title]
        toggle.callback()
        assert screen_of(pilot).story.keep_both
        [look] = [
            c for c in pilot.app.get_system_commands(pilot.app.screen) if c.title == "Play: look"
        ]
        look.callback()
        await caught_up(pilot)
        assert screen_of(pilot).story.blocks[1].command == "look"


async def test_the_story_follows_the_newest_text_unless_scrolled_up(pack: WorldPack) -> None:
    async with app_for(pack).run_test(size=(80, 24)) as pilot:
        story = screen_of(pilot).story
        assert story.scroll_y == 0  # a short story stays at the top
        await play(pilot, "look", "east", "west")
        assert story.max_scroll_y > 0 and story.scroll_y == story.max_scroll_y
        story.scroll_home(animate=False, immediate=True)
        await pilot.pause()
        screen_of(pilot).apply(NpcReaction(3, 9, "mira", "Mira", "Mira looks up."))
        await pilot.pause()
        assert story.scroll_y == 0  # rereading: new background text does not pull you down
        await play(pilot, "wait")
        assert story.scroll_y == story.max_scroll_y  # a new command does


async def test_the_story_keeps_its_end_in_view_as_the_window_resizes(pack: WorldPack) -> None:
    async with app_for(pack).run_test(size=(140, 45)) as pilot:
        story = screen_of(pilot).story
        await play(pilot, "look", "east")
        assert story.max_scroll_y == 0  # it fits: shown from its start, which is its end
        await play(pilot, "x mug", "west", "look", "x flint", "look")
        for size in ((80, 24), (90, 30), (90, 24), (140, 45)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            assert story.max_scroll_y > 0 and story.scroll_y == story.max_scroll_y, size


@pytest.mark.usefixtures("thawed")
async def test_a_game_keeps_what_it_holds_out_of_full_collections(pack: WorldPack) -> None:
    """Frozen as each turn is shown (full passes stalled frames), swept once the game is
    quiet, and thawed when it closes."""
    app = app_for(pack)
    app.collector.quiet = 0.0
    async with app.run_test(size=SIZE) as pilot:
        await caught_up(pilot)
        assert gc.get_freeze_count() > 0
        sweeps = app.collector.sweeps
        await play(pilot, "look")
        await until(pilot, lambda: app.collector.sweeps > sweeps)
    assert gc.get_freeze_count() == 0


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
