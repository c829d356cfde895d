"""The shipped worlds: valid, big enough, and every ending reachable by a scripted route."""

from __future__ import annotations

import asyncio
import io
import random
from pathlib import Path

import pytest

from tests.helpers.paths import ROOT, TESTS
from tests.helpers.validity import valid
from tests.helpers.waiting import TIMEOUT
from textrealms.cli import plain
from textrealms.engine.gm import GameMaster
from textrealms.world.loader import load_pack
from textrealms.world.schema import WorldPack

WORLDS = sorted(p for p in (ROOT / "worlds").iterdir() if p.is_dir())
ROUTES = sorted((TESTS / "routes").glob("*/*.txt"))
BLIND = sorted((TESTS / "routes").glob("*/blind/*.txt"))
"""Winning games of players who played each world blind (read neither the packs nor the
routes), kept as they typed them: `tests/routes/<world>/blind/<ending>.txt`."""


def world_of(route: Path) -> str:
    return route.parent.parent.name if route.parent.name == "blind" else route.parent.name


def named(route: Path) -> str:
    return f"{world_of(route)}/{'blind/' if route in BLIND else ''}{route.stem}"


def test_three_worlds_ship() -> None:
    assert len(WORLDS) >= 3


@pytest.mark.parametrize("folder", WORLDS, ids=lambda p: p.name)
def test_world_is_rich_enough(folder: Path) -> None:
    pack = load_pack(folder)
    assert len(pack.locations) >= 12
    assert len(pack.npcs) >= 8
    assert len({tuple(n.personality) for n in pack.npcs.values()}) == len(pack.npcs)
    assert all(len(n.topics) >= 2 for n in pack.npcs.values())
    assert len(pack.factions) >= 2
    assert any(len(c.stakeholders) >= 3 for c in pack.conflicts.values())
    assert len(pack.quests) >= 2
    assert len(pack.endings) >= 2
    assert pack.templates.variants("take") and pack.templates.variants("beat.climax")
    assert pack.lexicon
    routes = {p.stem for p in (TESTS / "routes" / folder.name).glob("*.txt")}
    assert routes == set(pack.endings), "every ending needs a route in tests/routes"
    assert list((TESTS / "routes" / folder.name).glob("blind/*.txt")), "a blind player's win"
    assert all(p.stem in pack.endings for p in BLIND if world_of(p) == folder.name)


@pytest.mark.parametrize("route", ROUTES, ids=lambda p: f"{p.parent.name}/{p.stem}")
async def test_route_reaches_its_ending_in_plain_mode(route: Path) -> None:
    pack = load_pack(ROOT / "worlds" / route.parent.name)
    gm = GameMaster(pack, seed=1)
    out = io.StringIO()
    commands = route.read_text()
    assert await plain.run(gm, io.StringIO(commands), out, interactive=False, wait=True) == 0
    assert gm.state.ending == route.stem
    transcript = out.getvalue()
    heading = f"*** {pack.endings[route.stem].title} ***"
    assert heading in transcript
    assert transcript.rfind("\n> ") < transcript.find(heading), (
        "the route's last command must be the one that reaches the ending"
    )


SEEDS = range(1, 21)


@pytest.mark.parametrize("route", ROUTES + BLIND, ids=named)
async def test_route_reaches_its_ending_on_every_seed(route: Path) -> None:
    """The ending depends on what the player did, not on the seed; the telling still does."""
    pack = load_pack(ROOT / "worlds" / world_of(route))
    told = set()
    for seed in SEEDS:
        gm = GameMaster(pack, seed=seed, prefetch=False)
        out = io.StringIO()
        await plain.run(gm, io.StringIO(route.read_text()), out, interactive=False, wait=True)
        assert gm.state.ending == route.stem, f"seed {seed}"
        told.add(out.getvalue())
    assert len(told) > 1, "the seed should still colour the telling"


TESTVALE_ROUTES = {
    "light": "w\ntake apple\ne\ne\ngive apple to oda\ntake iron key\nw\nuse key on door\n"
    "n\nuse flint on lamp\n",
    "peace": "escalate\nescalate\nwait\nescalate\nescalate\nde-escalate\nnegotiate\n"
    "wait\nnegotiate\nde-escalate\nnegotiate\nnegotiate\n",
}


@pytest.mark.parametrize("ending", sorted(TESTVALE_ROUTES))
async def test_a_format_1_pack_still_plays_to_its_endings(pack: WorldPack, ending: str) -> None:
    for seed in range(1, 6):
        gm = GameMaster(pack, seed=seed, prefetch=False)
        out = io.StringIO()
        commands = io.StringIO(TESTVALE_ROUTES[ending])
        await plain.run(gm, commands, out, interactive=False, wait=True)
        assert gm.state.ending == ending, f"seed {seed}"
        assert out.getvalue().rstrip().endswith("(The End. Type quit to leave.)")


MOVING = 0.25
"""How often the curious player takes an exit rather than something in reach."""


def _curious_player(game: GameMaster, dice: random.Random) -> str:
    """A command a curious player might type now: an exit, or something in reach (a
    quarter of the time an exit, so a pocketful of things does not keep them in one place)."""
    pack, state = game.pack, game.state
    exits = list(pack.locations[state.location].exits)
    if exits and dice.random() < MOVING:
        return dice.choice(exits)
    things = [pack.items[i].name for i in state.inventory(pack)]
    things += [pack.items[i].name for i in state.items_in(pack, state.location)]
    people = [pack.npcs[n].name for n in state.npcs_in(state.location)]
    topics = [t for n in state.npcs_in(state.location) for t in pack.npcs[n].topics]
    options = [
        "look",
        "i",
        "quests",
        "wait",
        "again",
        "take all",
        "take it",
        "escalate",
        "calm",
        "negotiate",
        "submit",
        "resist",
    ]
    options += [f"{verb} {name}" for name in things for verb in ("x", "take", "use", "drop")]
    options += [f"use {a} on {b}" for a in things for b in things + people]
    for person in people:
        options += [f"talk to {person}", f"support {person}", f"oppose {person}"]
        options += [f"ask {person} about {topic}" for topic in topics]
        options += [f"give {thing} to {person}" for thing in things]
    return dice.choice(options)


@pytest.mark.parametrize("folder", WORLDS, ids=lambda p: p.name)
async def test_random_play_keeps_the_world_valid(folder: Path) -> None:
    """200 seeded commands of a curious player with the world alive around them.

    Background work sometimes settles between commands and sometimes not, as with a
    fast typist; after every command every number is in range and every id resolves.
    """
    pack = load_pack(folder)
    dice = random.Random(folder.name)
    gm = GameMaster(pack, seed=2)
    visited: set[str] = set()
    try:
        for _ in range(200):
            gm.submit(_curious_player(gm, dice))
            if dice.random() < 0.7:
                await asyncio.wait_for(gm.settled(), TIMEOUT)
            valid(pack, gm.state)
            visited.add(gm.state.location)
            if gm.state.ending is not None:
                await gm.aclose()
                gm = GameMaster(pack, seed=dice.randrange(1000))
        await asyncio.wait_for(gm.settled(), TIMEOUT)
        valid(pack, gm.state)
    finally:
        await gm.aclose()
    assert len(visited) >= 5, "the walk should get around"
