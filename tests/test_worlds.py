"""The shipped worlds: valid, big enough, and every ending reachable by a scripted route."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.conftest import ROOT, TESTS
from textrealms.cli import plain
from textrealms.engine.game import Game
from textrealms.world.loader import load_pack

WORLDS = sorted(p for p in (ROOT / "worlds").iterdir() if p.is_dir())
ROUTES = sorted((TESTS / "routes").glob("*/*.txt"))


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


@pytest.mark.parametrize("route", ROUTES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_route_reaches_its_ending_in_plain_mode(route: Path) -> None:
    pack = load_pack(ROOT / "worlds" / route.parent.name)
    game = Game(pack, seed=1)
    out = io.StringIO()
    commands = route.read_text()
    assert plain.run(game, io.StringIO(commands), out, interactive=False) == 0
    assert game.state.ending == route.stem
    transcript = out.getvalue()
    heading = f"*** {pack.endings[route.stem].title} ***"
    assert heading in transcript
    assert transcript.rfind("\n> ") < transcript.find(heading), (
        "the route's last command must be the one that reaches the ending"
    )
