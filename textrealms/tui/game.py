"""What the TUI needs of a game: the front-end API, and how a new one is made.

The TUI is typed against this protocol, not `GameMaster` itself, so anything with the
same API (a saving session, a test double with fixed metrics) plays in it unchanged.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Protocol

from textrealms.engine.entries import Entry
from textrealms.engine.events import StoryEvent
from textrealms.engine.gm import GameMaster
from textrealms.engine.metrics import MetricsSnapshot
from textrealms.engine.rules import TurnResult
from textrealms.llm.offline import OfflineNarrator
from textrealms.llm.provider import ProviderStatus
from textrealms.world.schema import WorldPack
from textrealms.world.state import GameState


class Game(Protocol):
    pack: WorldPack

    @property
    def state(self) -> GameState: ...

    def opening(self) -> list[Entry]: ...

    def submit(self, command: str) -> TurnResult: ...

    def events(self) -> AsyncIterator[StoryEvent]: ...

    def running(self) -> list[str]: ...

    def snapshot(self) -> MetricsSnapshot: ...

    def provider_status(self) -> ProviderStatus: ...

    def stop_narration(self) -> bool: ...

    def regenerate(self) -> bool: ...

    async def aclose(self) -> None: ...


GameFactory = Callable[[WorldPack, int], Game | Awaitable[Game]]
"""Makes a new game of a pack with a seed, on the app's loop: at once, or after awaiting
what it needs (a saved game's slot, say)."""


def offline(pace: float = 0.0) -> GameFactory:
    """Games told by the offline narrator, `pace` seconds per word (0: at once)."""

    def make(pack: WorldPack, seed: int) -> Game:
        return GameMaster(pack, seed=seed, provider=OfflineNarrator(pack, seed, pace=pace))

    return make
