"""The pack's events on the clock (format 2): deadlines arrive, warnings come first, turning
points follow the player, and countdowns are driven by the clock."""

from __future__ import annotations

import pytest

from tests.helpers.rules_game import Game, play, text_of
from textrealms.engine.entries import Entry, EntryKind
from textrealms.engine.panel import panel
from textrealms.engine.simulation.timeline import happen
from textrealms.engine.verbs.looking import clock_text
from textrealms.world import effects as fx
from textrealms.world.reducer import reduce
from textrealms.world.schema import Event, WorldPack
from textrealms.world.state import new_game


@pytest.fixture
def game(ferry: WorldPack) -> Game:
    return Game(ferry, seed=1)


def events_of(entries: list[Entry]) -> list[str]:
    return [e.text for e in entries if e.kind is EntryKind.EVENT]


def test_the_deadline_comes_at_nine_after_its_warning_at_half_past_eight(game: Game) -> None:
    first = game.submit("wait")
    assert clock_text(game.state.clock) == "Day 1, 20:30"
    assert events_of(first.entries) == ["Tam shouts: half an hour to the last ferry."]
    assert events_of(game.submit("look").entries) == []
    second = game.submit("wait")
    assert clock_text(game.state.clock) == "Day 1, 21:00"
    assert "Tam shouts" not in text_of(second), "a warning is given once"
    kinds = [e.kind for e in second.entries]
    assert kinds[-2:] == [EntryKind.EVENT, EntryKind.ENDING]
    assert second.entries[-2].title == "Nine o'clock"
    assert game.state.events == ["last_ferry"]
    assert "missed_ferry" in game.state.flags
    assert game.state.npcs["tam"].location == "ferry", "an event moves people"
    assert game.state.ending == "stranded", "the failure ending names the deadline"


def test_a_turn_that_takes_no_time_brings_no_event(game: Game) -> None:
    game.state = game.state.model_copy(update={"clock": 21 * 60})
    assert events_of(game.submit("look").entries) == []
    assert game.state.events == []
    game.submit("wait")
    assert game.state.events == ["last_ferry"]


def test_a_turning_point_happens_on_its_flag_and_moves_the_conflict(game: Game) -> None:
    result = game.submit("use crate")
    assert game.state.events == ["crate_sinks"]
    (told,) = [e for e in result.entries if e.kind is EntryKind.EVENT]
    assert told.title == "Splash"
    assert game.state.conflicts["crossing"].phase == "resolution"
    assert "crate_sunk" in game.state.flags
    game.submit("use crate")
    assert game.state.events == ["crate_sinks"], "an event happens once"


def test_the_text_of_an_event_follows_what_happened_before(game: Game) -> None:
    game.submit("use crate")
    game.submit("wait")
    result = game.submit("wait")
    assert "without you and without the crate" in text_of(result)


def test_boarding_in_the_last_minute_beats_the_deadline(ferry: WorldPack) -> None:
    """Aboard on the turn the clock passes nine: the deadline never comes."""
    state = reduce(
        ferry,
        new_game(ferry, 1),
        [fx.SetFlag("crate_sunk"), fx.SetFlag("talked_tam"), fx.MovePlayer("slip")],
    )
    game = Game(ferry, seed=1)
    game.state = state
    play(game, "use crate")  # the turning point: resolution
    play(game, "use ticket on tam")
    game.state = game.state.model_copy(update={"clock": 21 * 60 - 1})
    result = game.submit("e")
    assert game.state.ending == "across"
    assert "last_ferry" not in game.state.events
    assert result.entries[-1].title == "Across"


def test_a_failure_ending_is_checked_after_the_others(ferry: WorldPack) -> None:
    both = ferry.model_copy(
        update={"endings": dict(reversed(list(ferry.endings.items())))}
    )  # the failure first in pack order
    state = reduce(
        both,
        new_game(both, 1),
        [fx.SetFlag("boarded"), fx.MovePlayer("ferry"), fx.Happen("last_ferry")],
    )
    flow = state.conflicts["crossing"]
    state = reduce(
        both, state, [fx.SetConflictFlow("crossing", "resolution", flow.intensity, 0.0, 0.0)]
    )
    game = Game(both, seed=1)
    game.state = state
    game.submit("wait")
    assert game.state.ending == "across"


def test_countdowns_follow_the_clock(game: Game) -> None:
    assert "LAST FERRY IN 1:00." in text_of(game.submit("look"))
    assert [(d.title, d.left) for d in panel(game.pack, game.state).deadlines] == [
        ("Nine o'clock", "1:00")
    ]
    game.submit("n")
    game.submit("s")
    assert "LAST FERRY IN 0:40." in text_of(game.submit("look"))
    assert [d.left for d in panel(game.pack, game.state).deadlines] == ["0:40"]
    game.submit("wait")
    game.submit("wait")
    assert panel(game.pack, game.state).deadlines == []
    assert "LAST FERRY IN 0:00." in text_of(game.submit("look"))


def test_a_room_entered_counts_down_from_the_time_of_arrival(ferry: WorldPack) -> None:
    """The room is seen once the move's ten minutes have passed, as the narrator sees it."""
    clock = {"description": "A clock: {until:last_ferry}."}
    shed = ferry.locations["shed"].model_copy(update=clock)
    game = Game(ferry.model_copy(update={"locations": {**ferry.locations, "shed": shed}}), seed=1)
    assert "A clock: 0:50." in text_of(game.submit("n"))
    assert "A clock: 0:50." in text_of(game.submit("look"))


def test_a_deadline_whose_conditions_fail_is_not_counted_down(game: Game) -> None:
    game.state = reduce(game.pack, game.state, [fx.SetFlag("boarded")])
    assert panel(game.pack, game.state).deadlines == []
    game.submit("wait")
    game.submit("wait")
    assert game.state.events == []


def test_events_after_some_turns_and_in_pack_order(ferry: WorldPack) -> None:
    """`after_turns` counts turns; a later event sees what an earlier one did that turn."""
    bell = Event.model_validate(
        {"after_turns": 2, "title": "The bell", "text": "The bell rings.", "sets_flags": ["rung"]}
    )
    echo = Event.model_validate({"when": [{"event": "bell"}], "text": "An echo."})
    pack = ferry.model_copy(update={"events": {"bell": bell, "echo": echo}, "endings": {}})
    state = new_game(pack, 1).model_copy(update={"turn": 1})
    assert happen(pack, state) == (state, [])
    state, told = happen(pack, state.model_copy(update={"turn": 2}))
    assert state.events == ["bell", "echo"] and "rung" in state.flags
    assert [(e.title, e.text) for e in told] == [
        ("The bell", "The bell rings."),
        (None, "An echo."),
    ]


def test_an_event_waiting_on_a_quest_happens_on_the_turn_it_is_done(ferry: WorldPack) -> None:
    """The quest is told done first, then the event: it once came a turn late."""
    cheer = Event.model_validate({"when": [{"quest_done": "crossing"}], "text": "A cheer."})
    pack = ferry.model_copy(update={"events": {"cheer": cheer}, "endings": {}})
    game = Game(pack, seed=1)
    play(game, "talk to tam")
    result = game.submit("use ticket on tam")
    assert game.state.events == ["cheer"]
    kinds = [e.kind for e in result.entries]
    assert kinds.index(EntryKind.QUEST) < kinds.index(EntryKind.EVENT)
