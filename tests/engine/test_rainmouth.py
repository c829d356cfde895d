"""Rainmouth as its blind players found it, and as it plays now: the midnight march comes,
calming the war never loses the game, the war never settles itself, Thirty Pieces can be
reached late in the day, and after Rook reads the survey no beat says the war is worse."""

from __future__ import annotations

import asyncio

import pytest

from tests.helpers.events import Recorder
from tests.helpers.paths import ROOT, TESTS
from tests.helpers.waiting import TIMEOUT
from textrealms.engine.events import DramaticBeat
from textrealms.engine.gm import GameMaster
from textrealms.world.loader import load_pack
from textrealms.world.schema import PHASES, WorldPack

ROUTES = TESTS / "routes" / "rainmouth"
WAR = "pier_war"
NIGHT = 40
"""Waits from five in the morning past midnight."""


@pytest.fixture(scope="module")
def rainmouth() -> WorldPack:
    return load_pack(ROOT / "worlds" / "rainmouth")


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


def lines(route: str) -> list[str]:
    return (ROUTES / f"{route}.txt").read_text().splitlines()


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
    route = lines("thirty_pieces")
    sale = route.index("give ledger to voss")
    gm, recorder = await play(rainmouth, [*route[:sale], *["wait"] * 20, *route[sale:]])
    await closed(gm, recorder)
    assert gm.state.ending == "thirty_pieces"


@pytest.mark.parametrize("seed", range(1, 6))
async def test_after_the_reading_no_beat_says_the_war_is_worse(
    rainmouth: WorldPack, seed: int
) -> None:
    """Rook read the survey, somebody put the coffee on, and the next beat had the war
    "lurch toward open violence"."""
    route = lines("rain_keeps_falling")
    reading = route.index("support rook") + 1
    gm, recorder = await play(rainmouth, route[:reading], seed)
    assert "the_reading" in gm.state.events
    read = gm.state.turn
    for command in [*route[reading : route.index("wait")], *["wait"] * 20]:
        gm.submit(command)
        await asyncio.wait_for(gm.settled(), TIMEOUT)
    await closed(gm, recorder)
    later = [b.beat for b in recorder.of(DramaticBeat) if b.turn > read]
    assert not {"escalation", "complication", "climax"} & set(later), later
