"""Kestrel Station as its blind players found it, and as it plays now: periapsis is a
deadline a player feels, the Lumen's fate is told when it changes hands, the endings say
what the player did, and the people and things aboard agree with what has happened."""

from __future__ import annotations

import pytest

from tests.helpers.rules_game import Game, play, text_of
from tests.helpers.worlds import route, shipped
from textrealms.world.conditions import first_line
from textrealms.world.schema import WorldPack
from textrealms.world.state import GONE, PLAYER, fitted

DAY = 24 * 60


@pytest.fixture
def kestrel() -> WorldPack:
    return shipped("kestrel-station")


def test_periapsis_comes_the_same_evening(kestrel: WorldPack) -> None:
    """A blind player won with about 21 hours to spare: the deadline was no pressure."""
    game = Game(kestrel, seed=1)
    warned = [text_of(game.submit("wait")) for _ in range(8)]
    assert game.state.ending is None
    assert "Twelve hours to periapsis" in "".join(warned)
    play(game, *["wait"] * 30)
    assert game.state.ending == "nobody_flies"
    assert game.state.clock < DAY


def test_varga_says_what_she_will_do_with_the_lumen(kestrel: WorldPack) -> None:
    """Handing her the flask once locked the ending without a word of warning."""
    commands = route("kestrel-station", "company_property")
    taken = commands.index("take flask") + 1
    game = Game(kestrel, seed=1)
    play(game, *commands[:taken], "n", "n", "u", "u")
    greeted = play(game, "talk to varga")
    assert "Corvid" in greeted
    given = play(game, "give flask to varga")
    assert "Corvid" in given
    assert game.state.ending is None


def test_the_anselm_ending_knows_the_player_carries_the_lumen(kestrel: WorldPack) -> None:
    game = Game(kestrel, seed=1)
    game.state.items["lumen_flask"] = PLAYER
    text = first_line(kestrel.endings["testimony"].text, game.state) or ""
    assert "not part of the story" not in text
    assert "Lumen flask" in text


def test_every_ending_has_its_own_title(kestrel: WorldPack) -> None:
    titles = [ending.title for ending in kestrel.endings.values()]
    assert len(titles) == len(set(titles))


def test_the_suit_worn_through_the_hatch_is_not_back_in_the_locker(kestrel: WorldPack) -> None:
    """Used on the hatch, the suit came back to the locker after a resume."""
    commands = route("kestrel-station", "company_property")
    suited = commands.index("use suit on hatch") + 1
    game = Game(kestrel, seed=1)
    play(game, *commands[:suited])
    assert "suit_sealed" in game.state.flags
    assert fitted(kestrel, game.state).items["eva_suit"] == GONE


def test_people_and_things_agree_with_what_happened(kestrel: WorldPack) -> None:
    commands = route("kestrel-station", "company_property")
    game = Game(kestrel, seed=1)
    play(game, *commands[: commands.index("take module") + 1])
    assert "So you found it" in play(game, "w", "w", "d", "d", "ask brandt about moth")
    wall = kestrel.items["memorial_wall"].description
    assert "space for a name" not in wall
    assert "tucked behind" not in wall
    assert "arm" not in str(kestrel.conflicts["magpie_standoff"].stakeholders["tesk"])
    assert "favours" not in kestrel.npcs["tesk"].description
    first = play(game, "u", "e", "n", "talk to moreau")
    assert first != play(game, "talk to moreau")
