"""What every front end needs of a game: plain mode and the TUI are typed against this.

`GameMaster` has this API, and so does the saving `Session` around it, so a front end
plays either (or a test double) unchanged. What a front end shows of the game beside the
story (the side panel, completions, a save's name) comes from here too: a front end never
calls the engine's helpers on the world pack itself.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Protocol

from textrealms.engine.entries import Entry
from textrealms.engine.events import StoryEvent
from textrealms.engine.metrics import MetricsSnapshot
from textrealms.engine.panel import Panel
from textrealms.engine.rules import TurnResult
from textrealms.llm.provider import ProviderStatus
from textrealms.world.state import GameState


class Game(Protocol):
    @property
    def state(self) -> GameState: ...

    def opening(self) -> list[Entry]: ...

    def submit(self, command: str) -> TurnResult:
        """Play `command` at once; the result says which turns it undid, if any."""
        ...

    def events(self) -> AsyncIterator[StoryEvent]: ...

    async def settled(self, turn: int | None = None) -> None: ...

    async def saved(self) -> None:
        """Wait until every turn played so far is on disk, or saving has failed (the
        player is told so): a front end that reads commands faster than a person types
        waits here before the next, so a kill loses at most the turn in flight."""
        ...

    def running(self) -> list[str]: ...

    def unsaved(self) -> str | None:
        """Why the game is not being saved now (for a status line), or None; each change
        after this comes as a `SavingChanged` event."""
        ...

    def panel(self) -> Panel:
        """The game at a glance, for a side panel."""
        ...

    def complete(self, text: str) -> list[str]:
        """Whole commands that `text` could be the start of, shortest first."""
        ...

    def save_name(self) -> str:
        """A name to offer for saving the game as it is now."""
        ...

    def snapshot(self) -> MetricsSnapshot: ...

    def provider_status(self) -> ProviderStatus: ...

    def stop_narration(self) -> bool: ...

    def regenerate(self) -> bool: ...

    async def aclose(self) -> None: ...
