"""A game by the rules alone: the hot path without any background work, for rule tests."""

from __future__ import annotations

from textrealms.engine import rules
from textrealms.engine.entries import Entry
from textrealms.world.schema import WorldPack
from textrealms.world.state import GameState, new_game


class Game:
    """`opening()` once, then `submit(command)` per line, synchronously."""

    def __init__(self, pack: WorldPack, seed: int = 0) -> None:
        self.pack = pack
        self.state: GameState = new_game(pack, seed)

    def opening(self) -> list[Entry]:
        return rules.opening(self.pack, self.state)

    def submit(self, command: str) -> rules.TurnResult:
        result = rules.play(self.pack, self.state, command)
        self.state = result.state
        return result
