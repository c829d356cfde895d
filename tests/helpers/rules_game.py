"""A game by the rules alone: the hot path without any background work, for rule tests."""

from __future__ import annotations

from textrealms.engine import rules
from textrealms.engine.entries import Entry
from textrealms.engine.parser import parse
from textrealms.world.schema import WorldPack
from textrealms.world.state import PLAYER, GameState, new_game


class Game:
    """`opening()` once, then `submit(command)` per line, synchronously."""

    def __init__(self, pack: WorldPack, seed: int = 0) -> None:
        self.pack = pack
        self.state: GameState = new_game(pack, seed)

    def opening(self) -> list[Entry]:
        return rules.opening(self.pack, self.state)

    def submit(self, command: str) -> rules.TurnResult:
        result = rules.play(self.pack, self.state, parse(command))
        self.state = result.state
        return result


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
