"""A game state that makes sense in its pack, whatever was played to reach it."""

from __future__ import annotations

from textrealms.world.schema import WorldPack
from textrealms.world.state import PLAYER, GameState


def valid(pack: WorldPack, state: GameState) -> None:
    """Every number in range and every id resolvable."""
    GameState.model_validate(state.model_dump())
    assert state.location in pack.locations
    for item, place in state.items.items():
        kind, _, ident = place.partition(":")
        assert item in pack.items
        assert place == PLAYER or ident in (pack.locations if kind == "room" else pack.npcs)
    for npc, ns in state.npcs.items():
        assert npc in pack.npcs and ns.location in pack.locations
    for g in state.gossip:
        assert g.about == PLAYER or g.about in pack.npcs
        assert set(g.believers) | set(g.deniers) <= set(pack.npcs)
    for key in state.relations:
        assert set(key.split("|")) <= set(pack.factions)
    assert set(state.conflicts) == set(pack.conflicts)
