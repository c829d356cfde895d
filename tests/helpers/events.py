"""The one recorder of a game's event stream, for tests of the game master and the session."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Protocol, TypeVar

from tests.helpers.waiting import TIMEOUT
from textrealms.engine.events import StoryEvent, Told

E = TypeVar("E", bound=StoryEvent)


class Streams(Protocol):
    """A game master, a session, or anything else a front end follows."""

    def events(self) -> AsyncIterator[StoryEvent]: ...


class Recorder:
    """Every event `game` streams from the moment the recorder is made, collected by a
    consumer like any front end's. Close the game, then await `finished()`."""

    def __init__(self, game: Streams) -> None:
        self.events: list[StoryEvent] = []
        self._arrived = asyncio.Event()
        self._task = asyncio.create_task(self._follow(game.events()))

    async def _follow(self, events: AsyncIterator[StoryEvent]) -> None:
        async for event in events:
            self.events.append(event)
            self._arrived.set()

    def of(self, kind: type[E], turn: int | None = None) -> list[E]:
        """The events of `kind` (of turn `turn`, if given), in the order they came."""
        return [e for e in self.events if isinstance(e, kind) and (turn is None or e.turn == turn)]

    def told(self) -> str:
        """What a session told the player (of saving and loading), line by line."""
        return "\n".join(e.story.text for e in self.of(Told))

    async def until(self, test: Callable[[], bool]) -> None:
        """Wait for events until `test()` holds; fail after `TIMEOUT` seconds."""
        async with asyncio.timeout(TIMEOUT):
            while not test():
                self._arrived.clear()
                await self._arrived.wait()

    async def finished(self) -> None:
        """Wait for the stream to end, as it does once the game is closed."""
        await asyncio.wait_for(self._task, TIMEOUT)
