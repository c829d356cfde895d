"""`wait until evening` waits until evening, and a long wait stops where the player should
be there to see something come."""

from __future__ import annotations

from tests.helpers.rules_game import Game, play
from textrealms.engine import rules
from textrealms.engine.interpret.line import play_line
from textrealms.engine.parser import parse
from textrealms.engine.verbs import names
from textrealms.engine.verbs.looking import clock_text
from textrealms.engine.verbs.registry import BY_NAME, VERBS
from textrealms.engine.verbs.waiting import CANNOT
from textrealms.world.schema import WorldPack


def test_waiting_until_a_time_of_day_waits_until_then(game: Game) -> None:
    """Emberfall, blind play: `wait until evening` waited thirty minutes."""
    start = game.state.clock
    assert play(game, "wait until evening") == "You wait until evening."
    assert clock_text(game.state.clock) == "Day 1, 18:00"
    assert game.state.turn == 1
    play(game, "wait until 9 pm")
    assert clock_text(game.state.clock) == "Day 1, 21:00"
    play(game, "wait for midnight")
    assert clock_text(game.state.clock) == "Day 2, 00:00"
    play(game, "wait until 07:30")
    assert clock_text(game.state.clock) == "Day 2, 07:30"
    play(game, "wait 2 hours")
    assert clock_text(game.state.clock) == "Day 2, 09:30"
    assert start < game.state.clock


def test_a_time_it_cannot_wait_for_is_said_in_words_and_lets_no_time_pass(game: Game) -> None:
    before = game.state
    assert play(game, "wait until the cows come home") == CANNOT
    assert play(game, "wait until 25:00") == CANNOT
    assert game.state.clock == before.clock
    play(game, "wait here")
    assert game.state.clock == before.clock + 30


def test_a_long_wait_stops_at_a_warning_and_at_the_event(ferry: WorldPack) -> None:
    """Rainmouth: a wait must not sleep through the warning of the midnight march."""
    game = Game(ferry, seed=1)
    text = play(game, "wait until 23:00")
    assert "You wait until 20:30; then something makes you look up." in text
    assert "Tam shouts: half an hour to the last ferry." in text
    assert clock_text(game.state.clock) == "Day 1, 20:30"
    text = play(game, "wait until 23:00")
    assert clock_text(game.state.clock) == "Day 1, 21:00"
    assert "The ferry pulls away into the rain without you." in text


def test_a_typed_line_waits_until_then_through_the_interpreter(game: Game) -> None:
    """The interpreter read `wait until evening` as a plain `wait` (its words unread), so
    a typed line waited thirty minutes again after it joined the parser."""
    result = play_line(game.pack, game.state, parse("Wait until evening"))
    assert clock_text(result.state.clock) == "Day 1, 18:00"


def test_the_interpreter_leaves_their_words_to_the_verbs_that_read_them(game: Game) -> None:
    """`wait` declares that its handler reads the words after it; the interpreter reads
    the declaration (it named `wait` before), so a typed line reaches the rules whole."""
    own = [v for v in VERBS if v.syntax.as_typed]
    assert BY_NAME[names.WAIT] in own
    for line in ("wait until evening", "z until noon", "wait 2 hours"):
        typed = play_line(game.pack, game.state, parse(line))
        ruled = rules.play(game.pack, game.state, parse(line))
        assert typed.state.clock == ruled.state.clock != game.state.clock + 30, line
