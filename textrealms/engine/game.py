"""A game in progress: the pack, the current state, and the turns played so far."""

from __future__ import annotations

from textrealms.engine import rules
from textrealms.engine.entries import Entry
from textrealms.world.schema import WorldPack
from textrealms.world.state import GameState, new_game


class Game:
    """Front ends talk to this: `opening()` once, then `submit(command)` per line."""

    def __init__(self, pack: WorldPack, seed: int = 0, state: GameState | None = None) -> None:
        self.pack = pack
        self.state = state if state is not None else new_game(pack, seed)

    def opening(self) -> list[Entry]:
        return rules.opening(self.pack, self.state)

    def submit(self, command: str) -> rules.TurnResult:
        """Play a command and return its immediate entries. Never does I/O."""
        result = rules.play(self.pack, self.state, command)
        self.state = result.state
        return result
