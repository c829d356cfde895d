"""Kestrel Station as its blind players found it, and as it plays now: periapsis is a
deadline a player feels, the Lumen's fate is told when it changes hands, the endings say
what the player did, and the people and things aboard agree with what has happened."""

from __future__ import annotations

import pytest

from tests.helpers.rules_game import Game, play, text_of
from tests.helpers.worlds import route, shipped
from textrealms.engine.simulation.lines import own
from textrealms.world.conditions import first_line
from textrealms.world.schema import WorldPack
from textrealms.world.state import PLAYER, fitted

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


def test_the_suit_worn_through_the_hatch_stays_with_the_player(kestrel: WorldPack) -> None:
    """Used on the hatch, the suit came back to the locker after a resume; then it was
    taken out of play, and a blind player found it gone (`take off the suit`: "Take off
    what?"). Worn, it is carried, comes back after a resume, and comes off indoors."""
    commands = route("kestrel-station", "company_property")
    suited = commands.index("use suit on hatch") + 1
    game = Game(kestrel, seed=1)
    play(game, *commands[:suited])
    assert "suit_sealed" in game.state.flags
    assert fitted(kestrel, game.state).items["eva_suit"] == PLAYER
    assert "open to vacuum" in play(game, "out", "take off the suit")
    assert "climb out of the Kovalenko" in play(game, "in", "take off the suit")
    assert "suit_sealed" not in game.state.flags
    assert "EVA suit" in play(game, "inventory")


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


def test_varga_knows_the_lumen_went_home(kestrel: WorldPack) -> None:
    """After the Lumen was released, Varga still said "Bring it to me.\""""
    game = Game(kestrel, seed=1)
    game.state.flags |= {"lumen_released"}
    reply = first_line(kestrel.npcs["varga"].topics["lumen"].reply, game.state) or ""
    assert "Bring it to me" not in reply
    assert "home" in reply


def test_tesk_once_aside_stays_aside(kestrel: WorldPack) -> None:
    """After "Tesk Stands Aside" he dragged crates onto the barricade and threatened to
    stun the next one up, and the Anselm flight had him step aside a second time."""
    game = Game(kestrel, seed=1)
    game.state.flags |= {"gave_stim_ampoule_tesk"}
    game.state.events.append("hatch_opened")
    moves = own(kestrel, game.state, "tesk", ("escalator",))
    assert moves
    assert not any("drags another crate" in m or "stunned" in m for m in moves)
    bay = first_line(kestrel.events["quill_takes_the_bay"].text, game.state) or ""
    assert "steps aside" not in bay


def test_the_quiet_room_shows_the_module_saskia_hid(kestrel: WorldPack) -> None:
    """The room listed the ethics module in plain view while Saskia said it was hidden
    behind Dabrowski's photograph; and the names were "or the space for one" after the
    roster was given and the crew flew."""
    room = kestrel.locations["chapel"].description
    assert "space for one" not in room
    assert "anti-static sleeve" in room
    assert "anti-static sleeve" in kestrel.items["memorial_wall"].description
