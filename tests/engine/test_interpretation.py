"""A line the game cannot place, read by a model (the loopback server, through the real
HTTP client) as one of the actions possible now, and played as the next turn.

Rainmouth's office: the revolver on the desk, the flask in the player's pocket. The
loopback model reads a line as a literal model would: the verb and the things it names.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.helpers.events import Recorder
from tests.helpers.loopback import Story, budgets, client
from tests.helpers.waiting import TIMEOUT, until
from tests.helpers.worlds import shipped
from textrealms.engine.entries import EntryKind
from textrealms.engine.events import Flavour, NarrationDelta, StoryEvent, TurnSettled, Understood
from textrealms.engine.gm import GameMaster
from textrealms.engine.session import Session
from textrealms.engine.transcript import render
from textrealms.llm.circuit import Circuit
from textrealms.llm.testing import LoopbackServer
from textrealms.store.database import SaveStore
from textrealms.world.state import PLAYER

PACK = shipped("rainmouth")
LINE = "revolver, take it I shall"
"""Neither the parser nor the offline interpreter places it; the loopback model reads it."""
TAKEN = "take snub-nosed revolver"


@pytest.fixture
async def server() -> AsyncIterator[LoopbackServer]:
    async with LoopbackServer() as running:
        yield running


@pytest.fixture
async def story(server: LoopbackServer) -> AsyncIterator[Story]:
    played = Story(server, PACK, circuit=Circuit())
    yield played
    await played.aclose()


def interpretations(server: LoopbackServer) -> int:
    return sum(
        1
        for request in server.requests
        if request.body and '"player_said"' in request.body["messages"][-1]["content"]
    )


async def test_a_line_the_game_cannot_place_is_played_as_the_next_turn(story: Story) -> None:
    result = story.gm.submit(LINE)
    assert result.state.turn == 0 and not result.placed  # the at-once answer takes no turn
    assert result.entries and story.gm.state.items["revolver"] == "room:office"
    await story.settle()
    [understood] = story.of(Understood)
    assert understood.shown == f'{TAKEN}  (from: "{LINE}")'
    assert understood.turn == 1 and understood.command == TAKEN
    assert "snub-nosed revolver" in understood.entries[0].text
    assert story.gm.state.turn == 1 and story.gm.state.items["revolver"] == PLAYER
    after: list[StoryEvent] = story.events[story.events.index(understood) + 1 :]
    assert any(isinstance(e, NarrationDelta) and e.turn == 1 for e in after)
    assert not any(e.turn == 1 for e in story.events[: story.events.index(understood)])
    assert not story.of(Flavour)


async def test_the_model_naming_an_action_not_in_scope_gives_flavour_only(
    story: Story, server: LoopbackServer
) -> None:
    """A hostile answer names a target never offered, and its line is laced with escapes."""
    server.inject("hostile")
    before = story.gm.state
    story.gm.submit(LINE)
    await story.settle()
    assert story.gm.state == before
    assert not story.of(Understood)
    [told] = story.of(Flavour)
    assert told.turn == 0 and told.story.kind is EntryKind.REFINED
    assert "\x1b" not in told.story.text and "lamplit" in told.story.text


async def test_an_action_the_rules_refuse_gives_flavour_only(story: Story) -> None:
    before = story.gm.state
    story.gm.submit("flask, take it I shall")  # the flask is in the player's pocket already
    await story.settle()
    assert story.gm.state == before
    assert not story.of(Understood) and len(story.of(Flavour)) == 1


async def test_a_line_that_names_no_action_gives_flavour_only(story: Story) -> None:
    before = story.gm.state
    story.gm.submit("sing a song about the river")
    await story.settle()
    assert story.gm.state == before
    assert not story.of(Understood) and "lamplit" in story.of(Flavour)[0].story.text


async def test_a_newer_command_supersedes_the_line_being_read(story: Story) -> None:
    story.gm.submit(LINE)
    story.gm.submit("look")
    await story.settle()
    assert story.gm.state.turn == 1 and story.gm.state.items["revolver"] == "room:office"
    assert not story.of(Understood) and not story.of(Flavour)


async def test_a_newer_command_drops_an_answer_already_asked_for(
    story: Story, server: LoopbackServer
) -> None:
    server.slow_seconds = TIMEOUT
    server.inject("slow_first_byte")
    story.gm.submit(LINE)
    await until(lambda: interpretations(server) == 1)
    story.gm.submit("look")
    await story.settle()
    assert story.gm.state.turn == 1 and story.gm.state.items["revolver"] == "room:office"
    assert not story.of(Understood) and not story.of(Flavour)


async def test_a_model_bypassed_as_failing_reads_no_line(server: LoopbackServer) -> None:
    """While the circuit finds the model failing, the offline narrator stands in: it
    reads no line, and the model is not asked."""
    circuit = Circuit(threshold=1, cooldown=TIMEOUT * 10)
    circuit.failure("HTTP 503")
    story = Story(server, PACK, circuit=circuit)
    before = story.gm.state
    story.gm.submit(LINE)
    await story.settle()
    await story.aclose()
    assert story.gm.state == before and not server.requests
    assert not story.of(Understood) and not story.of(Flavour)


async def test_an_offline_game_reads_no_line() -> None:
    gm = GameMaster(PACK, seed=5, prefetch=False)
    recorder = Recorder(gm)
    before = gm.state
    gm.submit(LINE)
    await gm.settled()
    assert gm.state == before
    await gm.aclose()
    await recorder.finished()
    assert not recorder.of(Understood) and not recorder.of(Flavour)


async def test_a_game_without_the_model_reproduces_the_line_as_read(
    server: LoopbackServer, tmp_path: Path
) -> None:
    """Saved, the turn is the command it was read as: resumed, undone, exported and
    replayed without any model, it is that command."""
    store = await SaveStore.open(tmp_path)
    gm = GameMaster(
        PACK, seed=5, provider=client(server, PACK), circuit=Circuit(), budgets=budgets()
    )
    slot = (await store.create(gm.state)).name
    session = Session(gm, store, slot=slot)
    recorder = Recorder(session)
    session.opening()
    session.submit(LINE)
    await recorder.until(
        lambda: any(isinstance(e, TurnSettled) and e.turn == 1 for e in recorder.events)
    )
    [understood] = recorder.of(Understood)
    assert understood.command == TAKEN
    session.submit("inventory")
    await session.settled()
    await session.aclose()
    await recorder.finished()

    story = await store.story(slot)
    assert [t.command for t in story] == ["", TAKEN, "inventory"]
    exported = render("Rainmouth", story, "txt")
    assert f"> {TAKEN}\n" in exported and LINE not in exported

    resumed = await store.resume(slot)
    offline = GameMaster(PACK, state=resumed.recent[-1][1], prefetch=False)
    again = Session(offline, store, slot=slot, history=resumed.recent)
    assert again.state.items["revolver"] == PLAYER
    undone = again.submit("undo")  # the inventory
    undone = again.submit("undo")  # the revolver taken
    assert undone.state.turn == 0 and undone.state.items["revolver"] == "room:office"
    await again.aclose()
    await store.aclose()

    replay = GameMaster(PACK, seed=5, prefetch=False)
    for turn in story[1:]:
        replay.submit(turn.command)
    assert replay.state.turn == 2 and replay.state.items["revolver"] == PLAYER
    await replay.aclose()
