"""The session: autosave of every turn, undo, restart, and save/load/saves in game."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

from tests.helpers.events import Recorder
from tests.helpers.faulty import Faulty
from tests.helpers.rules_game import Game
from tests.helpers.waiting import TIMEOUT, until
from textrealms.engine.entries import EntryKind
from textrealms.engine.events import TurnSettled
from textrealms.engine.gm import GameMaster
from textrealms.engine.saves import UNDO_DEPTH
from textrealms.engine.session import Session
from textrealms.engine.text import entry_text
from textrealms.llm.offline import OfflineNarrator
from textrealms.store.database import SaveStore
from textrealms.world.saved import Resumed, TurnLog
from textrealms.world.schema import WorldPack
from textrealms.world.state import new_game
from textrealms.world.story import Quest

BUSY = ["e", "talk to oda", "escalate", "w", "support mira", "escalate", "talk to mira", "wait"]
"""Commands whose turns have reactions, gossip and stakeholder moves that change state."""


Open = Callable[..., Awaitable[tuple[Session, Recorder]]]


@pytest.fixture
async def open_game(pack: WorldPack, tmp_path: Path) -> AsyncIterator[Open]:
    opened: list[tuple[Session, Recorder, SaveStore | None]] = []

    async def build(*, saves: bool = True, hang: bool = False) -> tuple[Session, Recorder]:
        store = await SaveStore.open(tmp_path) if saves else None
        narrator = OfflineNarrator(pack, 11)
        provider = Faulty(narrator, faults={"reaction": "hang"} if hang else None)
        gm = GameMaster(pack, seed=11, provider=provider, prefetch=False)
        slot = (await store.create(gm.state)).name if store else None
        session = Session(gm, store, slot=slot)
        recorder = Recorder(session)
        opened.append((session, recorder, store))
        session.opening()
        return session, recorder

    yield build
    for session, recorder, store in opened:
        await session.aclose()
        await recorder.finished()
        if store is not None:
            await store.aclose()


async def play(session: Session, *commands: str) -> list[str]:
    """Each command's settled state hash."""
    hashes = []
    for command in commands:
        session.submit(command)
        async with asyncio.timeout(TIMEOUT):
            await session.settled()
        hashes.append(session.state.state_hash())
    return hashes


async def test_undo_across_background_effect_turns_restores_each_state(open_game: Open) -> None:
    session, _ = await open_game()
    start = session.state.state_hash()
    immediate = []
    settled = []
    for command in BUSY:
        played = session.submit(command)
        assert played.undone_after is None
        immediate.append(played.state.state_hash())
        async with asyncio.timeout(TIMEOUT):
            await session.settled()
        settled.append(session.state.state_hash())
    assert immediate != settled, "the background must have changed some turns' states"
    for expected in reversed([start, *settled[:-1]]):
        turn = session.state.turn
        result = session.submit("undo")
        assert result.entries[0].text.startswith("Undone: back to turn")
        assert session.state.state_hash() == expected
        assert result.undone_after == session.state.turn < turn  # the turns after it undone
    nothing = session.submit("undo")
    assert nothing.entries[0].text == "There is nothing to undo."
    assert nothing.undone_after is None


async def test_undo_cancels_the_abandoned_turns_jobs(open_game: Open) -> None:
    session, recorder = await open_game(hang=True)
    before = session.state.state_hash()
    session.submit("e")
    session.submit("escalate")
    await until(lambda: "Oda is reacting" in session.running())
    seen = len(recorder.events)  # what the abandoned turns told before the undo stands
    session.submit("undo")
    session.submit("undo")
    async with asyncio.timeout(TIMEOUT):
        await session.quiet()
    assert session.running() == []
    assert session.state.state_hash() == before
    later = recorder.events[seen:]
    assert [e for e in later if e.turn > 0 and not isinstance(e, TurnSettled)] == []


async def test_restart_goes_back_to_the_first_turn(open_game: Open, pack: WorldPack) -> None:
    session, _ = await open_game()
    start = session.state.state_hash()
    await play(session, *BUSY[:3])
    result = session.submit("restart")
    assert result.entries[0].text == "The story starts again."
    assert result.undone_after == 0
    assert pack.world.intro in [e.text for e in result.entries]
    assert session.state.state_hash() == start
    assert session.submit("undo").entries[0].text == "There is nothing to undo."


async def on_disk(session: Session, folder: Path) -> tuple[list[TurnLog], Resumed]:
    """The session closed, then its slot's story and last states as the store has them."""
    slot = session.slot
    assert slot is not None
    await session.aclose()
    store = await SaveStore.open(folder)
    story = await store.story(slot)
    resumed = await store.resume(slot)
    await store.aclose()
    return story, resumed


async def test_every_turn_is_saved_with_its_background_entries(
    open_game: Open, tmp_path: Path
) -> None:
    session, _ = await open_game()
    hashes = await play(session, *BUSY)
    story, resumed = await on_disk(session, tmp_path)
    assert [t.command for t in story] == ["", *BUSY]
    assert resumed.recent[-1][1].state_hash() == hashes[-1]
    kinds = {line.kind for turn in story for line in turn.lines if line.job >= 0}
    assert {EntryKind.REFINED.value, EntryKind.REACTION.value} <= kinds


async def test_a_hint_given_is_saved_though_it_takes_no_turn(
    open_game: Open, tmp_path: Path
) -> None:
    """Rainmouth, blind play: `hint`, then the process ended, and the next `continue` gave
    the same gentle hint again; the hints had, kept in the state, never reached the disk."""
    session, _ = await open_game()
    await play(session, "look", "hint", "hint")
    story, resumed = await on_disk(session, tmp_path)
    assert [t.command for t in story] == ["", "look"]
    assert resumed.recent[-1][1].hints == {"light#0": 2}
    assert resumed.recent[-1][1] == session.state


async def test_the_saved_story_follows_undo(open_game: Open, tmp_path: Path) -> None:
    session, _ = await open_game()
    await play(session, *BUSY[:3])
    session.submit("undo")
    await play(session, "wait")
    story, resumed = await on_disk(session, tmp_path)
    assert [t.command for t in story] == ["", *BUSY[:2], "wait"]
    assert resumed.recent[-1][1] == session.state
    assert [t for t, _ in resumed.recent] == [0, 1, 2, 3]


async def test_save_saves_and_load_in_game(open_game: Open) -> None:
    session, recorder = await open_game()
    await play(session, *BUSY[:2])
    saved = session.state.state_hash()
    assert session.submit("save before the fight").entries[0].text == (
        "Saving as 'before the fight'..."
    )
    await recorder.until(lambda: "Saved as 'before the fight'." in recorder.told())
    await play(session, *BUSY[2:5])
    session.submit("saves")
    await recorder.until(lambda: "Saved games:" in recorder.told())
    assert "before the fight: testvale, turn 2," in recorder.told()
    assert session.submit("load before the fight").entries[0].text.startswith("Loading")
    assert session.submit("look").entries[0].text.startswith("Still loading")
    assert session.submit("undo").entries[0].text.startswith("Still loading")
    async with asyncio.timeout(TIMEOUT):
        await session.settled()
    assert "Loaded 'before the fight' at turn 2. It plays on as 'game-3'" in recorder.told()
    assert session.state.state_hash() == saved
    session.submit("undo")
    assert session.state.turn == 1
    await play(session, "wait")
    slots = {s.name: s.turn for s in await session.saves.slots()}  # type: ignore[union-attr]
    assert slots == {"game-1": 5, "before the fight": 2, "game-3": 2}


async def test_load_of_a_missing_slot_says_so_and_plays_on(open_game: Open) -> None:
    session, recorder = await open_game()
    await play(session, "e")
    before = session.state
    session.submit("load nothing-here")
    async with asyncio.timeout(TIMEOUT):
        await session.settled()
    assert "'nothing-here' could not be loaded: There is no saved game named" in recorder.told()
    assert session.state == before


async def test_a_bad_save_name_is_refused(open_game: Open) -> None:
    session, _ = await open_game()
    for command in ("save", "save " + "x" * 41, "load \x1b[31mred"):
        assert session.submit(command).entries[0].text.startswith("Name the save in 1 to 40")


async def test_without_a_store_undo_works_and_saving_is_off(open_game: Open) -> None:
    session, _ = await open_game(saves=False)
    start = session.state.state_hash()
    await play(session, "e")
    assert session.submit("save x").entries[0].text == "Saving is off in this game."
    session.submit("undo")
    assert session.state.state_hash() == start


async def test_undo_reaches_50_turns_back_after_a_resume(
    open_game: Open, pack: WorldPack, tmp_path: Path
) -> None:
    session, _ = await open_game()
    hashes = await play(session, *["wait"] * (UNDO_DEPTH + 5))
    slot = session.slot
    assert slot is not None
    await session.aclose()
    store = await SaveStore.open(tmp_path)
    resumed = await store.resume(slot)
    state = resumed.recent[-1][1]
    gm = GameMaster(pack, seed=state.seed, state=state, prefetch=False)
    again = Session(gm, store, slot=slot, history=resumed.recent)
    again.opening()
    for expected in reversed(hashes[4:-1]):
        again.submit("undo")
        assert again.state.state_hash() == expected
    assert again.state.turn == 5
    assert again.submit("undo").entries[0].text == "There is nothing to undo."
    await again.aclose()
    assert (await store.slots())[0].turn == 5
    await store.aclose()


def test_gm_alone_says_save_commands_need_a_session(pack: WorldPack) -> None:
    game = Game(pack)
    result = game.submit("undo")
    assert entry_text(result.entries[0]).startswith("Saving, loading, undo and restart")


async def test_a_line_of_several_commands_saves_a_turn_each(
    open_game: Open, tmp_path: Path
) -> None:
    session, _ = await open_game()
    result = session.submit("e, then take the mug")
    assert [step.state.turn for step in result.steps] == [1, 2]
    await play(session, "w")
    story, resumed = await on_disk(session, tmp_path)
    assert [t.command for t in story] == ["", "e, then take the mug", "", "w"]
    assert [t for t, _ in resumed.recent] == [0, 1, 2, 3]


async def test_what_cannot_be_placed_saves_no_turn(open_game: Open, tmp_path: Path) -> None:
    session, _ = await open_game()
    session.submit("xyzzy")
    await play(session, "e")
    story, _ = await on_disk(session, tmp_path)
    assert [t.command for t in story] == ["", "e"]


async def test_a_game_saved_before_its_world_gained_a_quest_plays_on(pack: WorldPack) -> None:
    """Kestrel Station's format-2 pack added a quest, and a game saved before it failed
    on its first command (the quest had no progress in the saved state)."""
    saved = new_game(pack, seed=1)
    bell = {"title": "The bell", "description": "Ring it.", "completion": "It rings."}
    quest = Quest.model_validate({**bell, "objectives": [{"flag": "rung"}]})
    grown = pack.model_copy(update={"quests": {**pack.quests, "bell": quest}})
    gm = GameMaster(grown, state=saved, prefetch=False)
    try:
        gm.submit("wait")
        await asyncio.wait_for(gm.settled(), TIMEOUT)
        assert gm.state.quests["bell"].met == [False]
        gm.replace(saved)  # undo, restart or load to a state from before
        assert "bell" in gm.state.quests
    finally:
        await gm.aclose()


async def test_a_session_command_plays_only_when_the_line_is_its_own(open_game: Open) -> None:
    """ "save the girl" saved a game named "the girl"; "restart the conversation" started
    the story over. A save's name is one word, quoted, or does not start with an article;
    a command without a name has nothing after it."""
    session, recorder = await open_game()
    await play(session, "e")
    for line in ("save the girl", "restart the conversation", "undo that", "load the gun"):
        said = entry_text(session.submit(line).entries[0])
        assert not said.startswith(("Saving", "The story", "Undone", "Loading")), line
        assert session.state.turn == 1, line
    assert session.submit('save "the girl"').entries[0].text == "Saving as 'the girl'..."
    await recorder.until(lambda: "Saved as 'the girl'." in recorder.told())
    assert session.submit("save before the fight").entries[0].text.startswith("Saving as")
    names = {s.name for s in await session.saves.slots()}  # type: ignore[union-attr]
    assert "the girl" in names
    assert session.submit("restart").entries[0].text == "The story starts again."
