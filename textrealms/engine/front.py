"""What every front end needs of a game: plain mode and the TUI are typed against this.

`GameMaster` has this API, and so does the saving `Session` around it, so a front end
plays either (or a test double) unchanged.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Protocol

from textrealms.engine.entries import Entry
from textrealms.engine.events import StoryEvent
from textrealms.engine.metrics import MetricsSnapshot
from textrealms.engine.rules import TurnResult
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

    async def settled(self, turn: int | None = None) -> None: ...

    def running(self) -> list[str]: ...

    def snapshot(self) -> MetricsSnapshot: ...

    def provider_status(self) -> ProviderStatus: ...

    def stop_narration(self) -> bool: ...

    def regenerate(self) -> bool: ...

    async def aclose(self) -> None: ...
