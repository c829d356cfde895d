"""The ending is the last word: nothing of any turn lands after it, and afterwards only
reading, saving, loading, undo, restart and quit are accepted, none of them a turn."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import pytest

from tests.helpers.events import Recorder
from tests.helpers.faulty import one_reaction_from_the_end
from tests.helpers.paths import ROOT, TESTS
from tests.helpers.waiting import TIMEOUT
from textrealms.cli import plain
from textrealms.engine import rules
from textrealms.engine.entries import EntryKind
from textrealms.engine.events import Progress, TurnSettled
from textrealms.engine.gm import GameMaster
from textrealms.engine.interpret.line import play_line
from textrealms.engine.parser import parse
from textrealms.engine.session import Session
from textrealms.engine.text import entry_text
from textrealms.store.database import SaveStore
from textrealms.world.loader import load_pack
from textrealms.world.schema import WorldPack
from textrealms.world.state import new_game

EMBER_NIGHT = TESTS / "routes" / "emberfall" / "ember_night.txt"
READING = ["look", "examine bill", "inventory", "quests", "time", "rumors", "reputation"]
AFTER = [*READING, "help", "hint", "hint", "wait", "escalate", "n", "take bill", "again"]
"""Commands after the ending: the reading ones answer, the rest are refused."""
END_MARK = "(The End. Type quit to leave.)\n\n"


@pytest.fixture(scope="module")
def emberfall() -> WorldPack:
    return load_pack(ROOT / "worlds" / "emberfall")


def answers(pack: WorldPack, gm: GameMaster, commands: list[str]) -> str:
    """What the rules alone answer to each command, as plain mode prints it."""
    out = []
    for command in commands:
        result = rules.play(pack, gm.state, parse(command))
        assert result.state == gm.state
        out.append(f"> {command}\n" + "".join(entry_text(e) + "\n\n" for e in result.entries))
    return "".join(out)


@pytest.mark.parametrize("wait", [True, False], ids=["wait", "no-wait"])
async def test_nothing_prints_after_the_ending_in_plain_mode(
    emberfall: WorldPack, wait: bool
) -> None:
    """Route ember_night on seed 1 once showed narration, reactions, beats and phase lines
    after "The End"."""
    gm = GameMaster(emberfall, seed=1)
    out = io.StringIO()
    commands = EMBER_NIGHT.read_text() + "\n".join(AFTER) + "\n"
    await plain.run(gm, io.StringIO(commands), out, interactive=False, wait=wait)
    assert gm.state.ending == "ember_night"
    transcript = out.getvalue()
    assert transcript.count(END_MARK) == 1
    before, tail = transcript.split(END_MARK)
    assert before.rstrip().endswith(emberfall.endings["ember_night"].text[0].text.rstrip())
    assert tail == answers(emberfall, gm, AFTER)


async def test_an_ending_reached_in_the_background_is_the_last_word(pack: WorldPack) -> None:
    """A reaction's nudge ends the story off the hot path: nothing lands after it, in the
    event stream or in plain mode's transcript."""
    start, provider = one_reaction_from_the_end(pack)
    gm = GameMaster(pack, state=start, provider=provider, prefetch=False)
    recorder = Recorder(gm)
    out = io.StringIO()
    await plain.run(gm, io.StringIO("support oda\nlook\n"), out, interactive=False, wait=True)
    await recorder.finished()
    assert gm.state.ending == "light"
    (ending,) = [e for e in recorder.of(Progress) if e.story.kind is EntryKind.ENDING]
    later = recorder.events[recorder.events.index(ending) + 1 :]
    assert all(isinstance(e, TurnSettled) for e in later)
    transcript = out.getvalue()
    assert transcript.split(END_MARK)[1] == answers(pack, gm, ["look"])


async def test_after_the_ending_no_command_adds_a_turn_or_a_saved_row(
    emberfall: WorldPack, tmp_path: Path
) -> None:
    store = await SaveStore.open(tmp_path)
    gm = GameMaster(emberfall, seed=2, prefetch=False)
    slot = (await store.create(gm.state)).name
    session = Session(gm, store, slot=slot)
    try:
        session.opening()
        for command in EMBER_NIGHT.read_text().splitlines():
            session.submit(command)
            await asyncio.wait_for(session.settled(), TIMEOUT)
        assert session.state.ending == "ember_night"
        ended = session.state
        await store.flush()
        rows = len(await store.story(slot))
        for command in [*AFTER, "save after", "saves"]:
            result = session.submit(command)
            await asyncio.wait_for(session.settled(), TIMEOUT)
            assert result.state.turn == ended.turn
            assert session.state == ended, command
        refused = session.submit("wait").entries
        assert [e.kind for e in refused] == [EntryKind.NOTICE]
        assert refused[0].text.startswith("The story has ended.")
        await store.flush()
        assert len(await store.story(slot)) == rows
        session.submit("undo")
        assert session.state.turn == ended.turn - 1 and session.state.ending is None
    finally:
        await session.aclose()
        await store.aclose()


def test_refused_commands_after_the_ending_keep_the_undo_window(emberfall: WorldPack) -> None:
    state = new_game(emberfall, 1).model_copy(update={"ending": "ember_night"})
    for command in ["wait"] * 60:
        result = rules.play(emberfall, state, parse(command))
        assert result.state is state


@pytest.mark.parametrize("command", ["hint", "what now"])
def test_a_hint_after_the_ending_says_how_to_play_on(emberfall: WorldPack, command: str) -> None:
    """A blind player's `what now` after The End gave a hint for a quest of the story."""
    state = new_game(emberfall, 1).model_copy(update={"ending": "ember_night"})
    said = " ".join(e.text for e in play_line(emberfall, state, parse(command)).entries)
    assert "The story has ended (Ember Night)" in said
    assert "undo" in said


def test_free_text_after_the_ending_is_refused_as_the_ending_refuses(
    emberfall: WorldPack,
) -> None:
    """`talk to quill` after Testimony at Anselm said "Rosa Quill isn't here": the
    interpreter read the line before the rules could say the story had ended."""
    state = new_game(emberfall, 1).model_copy(update={"ending": "ember_night"})
    for line in ["talk to tamsin", "ask maud what happened", "please go north"]:
        result = play_line(emberfall, state, parse(line))
        assert result.state is state
        assert "The story has ended" in " ".join(e.text for e in result.entries)
