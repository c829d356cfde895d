"""Emberfall as its blind players found it, and as it plays now: the reading waits for the
player to ask for the bell, the endings name what the player settled on the way, and the
hill's scenery and people agree with what has happened."""

from __future__ import annotations

import pytest

from tests.helpers.rules_game import Game, play, stand
from tests.helpers.worlds import route, shipped
from textrealms.engine.simulation.lines import generic, own
from textrealms.world.conditions import first_line
from textrealms.world.schema import WorldPack


@pytest.fixture
def emberfall() -> WorldPack:
    return shipped("emberfall")


def test_the_reading_waits_until_the_player_asks_for_the_bell(emberfall: WorldPack) -> None:
    """The Honest Harvest once began the moment the player stepped onto the green after
    giving Maud the book: no chance to finish the poppet's thread or face the Provost."""
    commands = route("emberfall", "honest_harvest")
    ask = commands.index("ask maud about the bell")
    game = Game(emberfall, seed=1)
    play(game, *commands[:ask])
    assert "bell_ready" in game.state.events
    play(game, "e", "n", "s", "wait")
    assert game.state.ending is None
    assert "moot_bell" not in game.state.events
    play(game, "w", "ask maud about the bell", "e")
    assert game.state.ending == "honest_harvest"


def test_the_honest_harvest_tells_of_the_poppet_and_the_receipt(emberfall: WorldPack) -> None:
    game = Game(emberfall, seed=1)
    play(game, *route("emberfall", "honest_harvest"))
    assert game.state.ending == "honest_harvest"
    text = first_line(emberfall.endings["honest_harvest"].text, game.state) or ""
    assert "forty marks" in text
    assert "temple plait" in text


def test_ashes_and_rumour_knows_the_receipt_was_spread(emberfall: WorldPack) -> None:
    """After Bettris told half the hill what the altar cost, the ending still said the
    Provost's new gold "never seems to tarnish"."""
    game = Game(emberfall, seed=1)
    game.state.events.append("bettris_tells")
    text = first_line(emberfall.endings["ashes_and_rumour"].text, game.state) or ""
    assert "never seems to tarnish" not in text
    assert "forty marks" in text


def test_hobb_has_fresh_things_to_do_once_he_lets_go_of_the_torch(emberfall: WorldPack) -> None:
    """After the locket his four idle lines looped, and a stock line had him call for the
    Thornwood path to be cleared."""
    game = Game(emberfall, seed=1)
    game.state.flags |= {"gave_tamsins_locket_hobb", "blackspur_named"}
    moves = own(emberfall, game.state, "hobb", ("moves",))
    assert len(moves) >= 8
    assert not any("Thornwood" in line or "torch at" in line for line in moves)
    stock = generic(emberfall, "hobb", "reaction.instigator")
    assert not any("Thornwood" in line for line in stock)


def test_the_scenery_the_places_name_is_there(emberfall: WorldPack) -> None:
    game = Game(emberfall, seed=1)
    loft = play(game, "n", "nw", "up")
    assert "Mill Loft" in loft
    landing = play(game, "d", "se", "s", "e", "examine handcart")
    assert "Rye husks" in landing


def test_the_loft_shawl_and_slate_are_themselves(emberfall: WorldPack) -> None:
    """Round two: `examine shawl` and `examine slate` described the tally-sticks, and
    `take shawl` said the tally-sticks would not budge."""
    game = Game(emberfall, seed=1)
    play(game, "n", "nw", "up")
    for command in ("examine shawl", "examine slate", "take shawl"):
        assert "tally-sticks" not in play(game, command).lower()
    assert "Granary Thurs" in play(game, "examine slate")


def test_the_honest_harvest_has_the_player_hand_up_a_poppet_still_carried(
    emberfall: WorldPack,
) -> None:
    """Nell told the green about the poppet while it was still in the player's pocket."""
    game = Game(emberfall, seed=1)
    play(game, *route("emberfall", "blind/honest_harvest"))
    assert game.state.ending == "honest_harvest"
    assert "corn_poppet" in game.state.inventory(emberfall)
    text = first_line(emberfall.endings["honest_harvest"].text, game.state) or ""
    assert "you hand the thorn poppet up" in text


def test_hobb_and_maud_say_only_what_was_said(emberfall: WorldPack) -> None:
    """Hobb quoted the player ("You said she's breathing") who never said it; Maud's bell
    line now says plainly that asking her for the bell rings it."""
    game = Game(emberfall, seed=1)
    game.state.flags |= {"gave_tamsins_locket_hobb"}
    game.state.events.append("bell_ready")
    assert "You said" not in (first_line(emberfall.npcs["hobb"].greeting, game.state) or "")
    assert "ring it there and then" in (
        first_line(emberfall.npcs["maud"].greeting, game.state) or ""
    )
    moves = own(emberfall, game.state, "hobb", ("moves",))
    assert not any("supper" in line for line in moves)


def test_asking_maud_about_the_bell_describes_it_until_she_waits_for_the_word(
    emberfall: WorldPack,
) -> None:
    """Maud rings the bell on `ask maud about the bell` only once she has said to ask her
    for it (the pack means it: the Honest Harvest's route); before, she describes it, and
    telling her about it never rings it."""
    game = Game(emberfall, seed=1)
    stand(game, "moot_hall")
    described = play(game, "ask maud about the bell")
    assert "rings for the moot" in described
    game.state.events.append("bell_ready")
    game.state.flags.discard("asked_maud_bell")
    play(game, "tell maud about the bell")
    assert "moot_bell" not in game.state.events
    assert "hauls" in play(game, "ask maud about the bell")
