"""How the TUI makes a new game: the factory type, and the offline narrator's games.

The TUI plays anything with the front-end API (`textrealms.engine.front.Game`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textrealms.engine.front import Game
from textrealms.engine.gm import GameMaster
from textrealms.llm.offline import OfflineNarrator
from textrealms.world.schema import WorldPack

GameFactory = Callable[[WorldPack, int], Game | Awaitable[Game]]
"""Makes a new game of a pack with a seed, on the app's loop: at once, or after awaiting
what it needs (a saved game's slot, say)."""


def offline(pace: float = 0.0) -> GameFactory:
    """Games told by the offline narrator, `pace` seconds per word (0: at once)."""

    def make(pack: WorldPack, seed: int) -> Game:
        return GameMaster(pack, seed=seed, provider=OfflineNarrator(pack, seed, pace=pace))

    return make
