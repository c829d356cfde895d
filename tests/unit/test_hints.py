"""`hint`: the next step in the pack's words, plainer when asked again; and `quests` and the
side panel say what is at stake in each conflict."""

from __future__ import annotations

from tests.helpers.rules_game import Game, play, text_of
from textrealms.engine.hints import derived
from textrealms.engine.panel import panel
from textrealms.world import effects as fx
from textrealms.world.reducer import reduce
from textrealms.world.schema import Condition, WorldPack


def test_hints_come_from_the_pack_gentle_then_direct_and_take_no_turn(ferry: WorldPack) -> None:
    game = Game(ferry, seed=1)
    before = game.state
    assert play(game, "hint") == "The Last Crossing: The ferryman is on the slipway."
    assert play(game, "hint") == "The Last Crossing: Talk to Tam."
    assert play(game, "hint") == "The Last Crossing: Talk to Tam.", "the last one repeats"
    assert (game.state.turn, game.state.clock) == (before.turn, before.clock)
    assert game.state.hints == {"crossing#0": 3}
    play(game, "talk to tam")
    assert play(game, "hint") == "The Last Crossing: Tam wants to see a ticket."


def test_a_hint_that_quotes_someone_waits_until_the_player_has_heard_them(
    ferry: WorldPack,
) -> None:
    """Emberfall: a hint said "Wenna Rooke says: look at the knot" before the player had
    heard her say it. A hint line with `when` is given only while it holds."""
    game = Game(ferry, seed=1)
    assert play(game, "talk to tam", "hint") == "The Last Crossing: Tam wants to see a ticket."
    game = Game(ferry, seed=1)
    assert play(game, "talk to tam", "ask tam about crate", "hint") == (
        "The Last Crossing: Tam says the crate is contraband: sink it or stay ashore."
    )


def test_with_every_quest_done_hint_says_what_would_settle_the_conflict(
    ferry: WorldPack,
) -> None:
    game = Game(ferry, seed=1)
    game.state = reduce(ferry, game.state, [fx.CompleteQuest("crossing")])
    assert play(game, "hint") == ferry.conflicts["crossing"].settle
    calm = {cid: c.model_copy(update={"phase": "aftermath"}) for cid, c in ferry.conflicts.items()}
    game.state = game.state.model_copy(update={"conflicts": calm})
    assert play(game, "hint") == "Nothing presses. Listen to the rain."


def test_a_format_1_pack_gets_hints_made_from_its_objectives(game: Game) -> None:
    assert play(game, "hint") == "Light the Lantern: Perhaps visit Lantern Tower."
    assert play(game, "hint") == "Light the Lantern: Go to Lantern Tower: north from here."
    play(game, "e")
    assert play(game, "hint") == (
        "Light the Lantern: Go to Lantern Tower: west, then north from here."
    )


def cond(**test: object) -> Condition:
    return Condition.model_validate(test)


def test_hints_made_from_conditions_speak_in_the_worlds_words(pack: WorldPack) -> None:
    game = Game(pack, seed=1)
    state = game.state

    def hint(direct: bool = False, **test: object) -> str:
        return derived(pack, state, cond(**test), direct=direct)

    assert hint(has="iron_key") == "You will need the iron key."
    assert hint(True, has="iron_key") == "The iron key is at The Low Inn."
    assert hint(flag="talked_oda") == "Oda may have something to say."
    assert hint(True, flag="talked_oda") == "Talk to Oda."
    assert hint(True, flag="asked_oda_lantern") == "Ask Oda about lantern."
    assert hint(True, flag="gave_apple_oda") == "Give the red apple to Oda."
    assert hint(True, flag="supported_mira") == "Take a stand with Mira."
    assert hint(True, flag="lantern_lit") == "Use the flint on the great lamp."
    assert hint(quest_done="friend") == 'First see "A Friend at the Inn" through.'
    assert hint(True, phase="resolution", conflict="feud").startswith(
        "The tower feud has to come to a head before it can be settled"
    )
    assert hint(disposition="oda", above=0.5) == "Oda has to think better of you."


def test_quests_say_what_is_at_stake(ferry: WorldPack) -> None:
    game = Game(ferry, seed=1)
    text = text_of(game.submit("quests"))
    assert text.splitlines()[:2] == ["[0/2] The Last Crossing: Get aboard the last ferry.", ""]
    assert "The Crate Dispute is heating up, leaning toward a fight on the slipway." in text
    assert "At stake: Whether the crate crosses, and whether you do." in text
    assert "Tam the ferryman wants the crate off his boat." in text
    assert "Vell wants the crate across the river." in text
    assert f"What would settle it: {ferry.conflicts['crossing'].settle}" in text
    play(game, "use crate")
    text = text_of(game.submit("quests"))
    assert "The Crate Dispute is being settled" in text
    assert "Tam the ferryman wanted the crate off his boat; that is settled now." in text
    assert "Vell wants the crate across the river." in text


def test_once_the_story_has_ended_quests_and_the_panel_say_how(ferry: WorldPack) -> None:
    """Rainmouth: after "When the Rain Breaks" `quests` still said "Sully Dunn wants forty
    men through the door" and the war was "poised to go either way"."""
    game = Game(ferry, seed=1)
    game.state = game.state.model_copy(update={"ending": "stranded"})
    text = text_of(game.submit("quests"))
    assert "The Crate Dispute is over: Stranded." in text
    assert "wants" not in text and "leaning" not in text and "either way" not in text
    (crossing,) = panel(ferry, game.state).conflicts
    assert (crossing.standing, crossing.leaning) == ("over", "Stranded")


def test_the_panel_shows_each_conflict_in_words_with_its_leaning(ferry: WorldPack) -> None:
    game = Game(ferry, seed=1)
    (crossing,) = panel(ferry, game.state).conflicts
    assert (crossing.standing, crossing.leaning) == (
        "heating up",
        "↑ toward a fight on the slipway",
    )
    play(game, "n", "negotiate", "negotiate")
    (crossing,) = panel(ferry, game.state).conflicts
    assert crossing.leaning == "↓ toward a deal"
