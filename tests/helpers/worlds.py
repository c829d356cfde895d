"""The shipped worlds and their routes, for the tests that play one world's story."""

from __future__ import annotations

from functools import cache

from tests.helpers.paths import ROOT, TESTS
from textrealms.world.loader import load_pack
from textrealms.world.schema import WorldPack


@cache
def shipped(world: str) -> WorldPack:
    """The pack of a world in `worlds/`, loaded once per test run."""
    return load_pack(ROOT / "worlds" / world)


def route(world: str, ending: str) -> list[str]:
    """The commands of the route in `tests/routes/<world>/` that reaches `ending`."""
    return (TESTS / "routes" / world / f"{ending}.txt").read_text().splitlines()
