"""States are values: a turn makes a new one and never changes one made before."""

from __future__ import annotations

from tests.helpers.worlds import route, shipped
from textrealms.engine.gm import GameMaster
from textrealms.world.state import GameState


async def test_no_turn_changes_a_state_that_came_before() -> None:
    """Copy on write: every state a whole story passes through (its jobs' changes too)
    is as it was when it was made, however much later turns change."""
    pack = shipped("emberfall")
    gm = GameMaster(pack, seed=3, prefetch=False)
    seen: list[tuple[GameState, str]] = []
    gm.opening()
    for command in route("emberfall", "honest_harvest"):
        await gm.quiet()
        seen.append((gm.state, gm.state.canonical_json()))
        gm.submit(command)
    await gm.quiet()
    await gm.aclose()
    assert [state.canonical_json() for state, _ in seen] == [made for _, made in seen]
