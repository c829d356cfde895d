"""Rainmouth as its blind players found it, and as it plays now: the midnight march comes,
calming the war never loses the game, the war never settles itself, Thirty Pieces can be
reached late in the day, after Rook reads the survey no beat says the war is worse, and
what people say points the right way and agrees with what has happened."""

from __future__ import annotations

import asyncio

import pytest

from tests.helpers.events import Recorder
from tests.helpers.rules_game import Game
from tests.helpers.rules_game import play as played
from tests.helpers.waiting import TIMEOUT
from tests.helpers.worlds import route, shipped
from textrealms.engine.events import DramaticBeat
from textrealms.engine.gm import GameMaster
from textrealms.world.conditions import first_line
from textrealms.world.schema import PHASES, WorldPack

WAR = "pier_war"
NIGHT = 40
"""Waits from five in the morning past midnight."""


@pytest.fixture
def rainmouth() -> WorldPack:
    return shipped("rainmouth")


async def play(pack: WorldPack, commands: list[str], seed: int = 1) -> tuple[GameMaster, Recorder]:
    """The game after `commands` (stopping at an ending), still open, and its events."""
    gm = GameMaster(pack, seed=seed, prefetch=False)
    recorder = Recorder(gm)
    for command in commands:
        gm.submit(command)
        await asyncio.wait_for(gm.settled(), TIMEOUT)
        if gm.state.ending is not None:
            break
    return gm, recorder


async def closed(gm: GameMaster, recorder: Recorder) -> None:
    await gm.aclose()
    await recorder.finished()


async def test_the_midnight_march_comes_and_ends_the_game(rainmouth: WorldPack) -> None:
    gm, recorder = await play(rainmouth, ["wait"] * NIGHT)
    await closed(gm, recorder)
    assert gm.state.ending == "midnight_march"
    assert "the_march" in gm.state.events
    assert gm.state.clock >= 24 * 60


async def test_calming_as_people_advise_never_loses_the_game(rainmouth: WorldPack) -> None:
    """Following advice to negotiate once gave the failure ending at once."""
    calm = ["east", "south", "east", *["negotiate", "de-escalate"] * 10]
    gm, recorder = await play(rainmouth, ["down", *calm])
    await closed(gm, recorder)
    assert gm.state.ending is None


async def test_the_war_never_settles_itself(rainmouth: WorldPack) -> None:
    """The war once drifted into resolution by turn 50, locking out Thirty Pieces."""
    walk = ["down", "south", "east", "west", "north", "north", "south", "east", "west"]
    gm, recorder = await play(rainmouth, walk * 12)
    await closed(gm, recorder)
    phase = gm.state.conflicts[WAR].phase
    assert PHASES.index(phase) <= PHASES.index("climax"), phase


async def test_thirty_pieces_can_still_be_sold_late_in_the_day(rainmouth: WorldPack) -> None:
    commands = route("rainmouth", "thirty_pieces")
    sale = commands.index("give ledger to voss")
    gm, recorder = await play(rainmouth, [*commands[:sale], *["wait"] * 20, *commands[sale:]])
    await closed(gm, recorder)
    assert gm.state.ending == "thirty_pieces"


@pytest.mark.parametrize("seed", range(1, 6))
async def test_after_the_reading_no_beat_says_the_war_is_worse(
    rainmouth: WorldPack, seed: int
) -> None:
    """Rook read the survey, somebody put the coffee on, and the next beat had the war
    "lurch toward open violence"."""
    commands = route("rainmouth", "rain_keeps_falling")
    reading = commands.index("support rook") + 1
    gm, recorder = await play(rainmouth, commands[:reading], seed)
    assert "the_reading" in gm.state.events
    read = gm.state.turn
    for command in [*commands[reading : commands.index("wait")], *["wait"] * 20]:
        gm.submit(command)
        await asyncio.wait_for(gm.settled(), TIMEOUT)
    await closed(gm, recorder)
    later = [b.beat for b in recorder.of(DramaticBeat) if b.turn > read]
    assert not {"escalation", "complication", "climax"} & set(later), later


def test_deacon_sends_you_to_lark_for_the_word(rainmouth: WorldPack) -> None:
    """Deacon said "the word comes from behind this bar"; it comes from Lark."""
    game = Game(rainmouth, seed=1)
    said = played(game, "down", "east", "ask deacon about vane")
    assert "behind this bar" not in said
    assert "sings here" in said


def test_the_ten_o_clock_beat_counts_to_midnight(rainmouth: WorldPack) -> None:
    text = first_line(rainmouth.events["last_call"].text, Game(rainmouth).state) or ""
    assert "eight hours" not in text
    assert "midnight" in text


@pytest.mark.parametrize(
    ("learned", "found"),
    [
        (["ask finch about ring"], True),
        (["ask finch about bruise"], False),
        (["ask finch about bruise", "up", "ask calloway about ring"], True),
        (["up", "ask calloway about ring"], False),
    ],
)
def test_what_the_player_learned_of_the_ring_finds_the_hand(
    rainmouth: WorldPack, learned: list[str], found: bool
) -> None:
    """Only asking Mabry himself counted, though Finch had said whose hand wears the ring."""
    commands = route("rainmouth", "rain_breaks")
    game = Game(rainmouth, seed=1)
    played(game, *commands[: commands.index("ask finch about danny")], *learned)
    assert game.state.quests["drowned_man"].met[2] is found


def test_after_the_rain_breaks_mabry_is_not_at_his_desk(rainmouth: WorldPack) -> None:
    game = Game(rainmouth, seed=1)
    played(game, *route("rainmouth", "rain_breaks"))
    assert game.state.ending == "rain_breaks"
    assert "Roy Mabry" not in played(game, "look")


def test_sol_and_lark_follow_what_happened(rainmouth: WorldPack) -> None:
    commands = route("rainmouth", "rain_breaks")
    game = Game(rainmouth, seed=1)
    played(game, *commands[: commands.index("give ticket to sol") + 1])
    assert "You've got his bundle" not in played(game, "ask sol about danny")
    assert "Ticket first" not in played(game, "ask sol about harmonica")
    assert not any("piano" in g.text for g in rainmouth.npcs["lark"].gestures)
    game = Game(rainmouth, seed=1)
    played(game, "down", "east", "north")
    opening = played(game, "ask lark about danny")
    assert opening != played(game, 'say "Captain Mabry held Danny under the water."')


def test_the_clerk_takes_the_invitation(rainmouth: WorldPack) -> None:
    """ "There is no clerk here", though the rotunda's clerk guards the Councilman's door."""
    game = Game(rainmouth, seed=1)
    game.state.items["invitation"] = "player"
    played(game, "down", "west", "give invitation to clerk")
    assert "voss_door_open" in game.state.flags
    assert "Voss" in played(game, "north")


def test_indoor_places_get_indoor_flavour(rainmouth: WorldPack) -> None:
    """ "Puddles hold broken pieces of the sky" in the office; "over the rain" in a parlour."""
    outside = ("sky", "puddles", "bollards", "rain to confetti")
    for place in rainmouth.locations.values():
        if "indoor" in place.tags:
            flavour = [line for tag in place.tags for line in rainmouth.lexicon.get(tag, [])]
            assert not [line for line in flavour if any(word in line for word in outside)]
    assert not any("over the rain" in line for line in rainmouth.templates.talk or [])
