"""One stream of story events fanned out to every front end that follows it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from textrealms.engine.events import StoryEvent


class Broadcast:
    """Each follower gets every event from the moment it follows; `close` ends them all."""

    def __init__(self) -> None:
        self._queues: list[asyncio.Queue[StoryEvent | None]] = []

    def follow(self) -> AsyncIterator[StoryEvent]:
        queue: asyncio.Queue[StoryEvent | None] = asyncio.Queue()
        self._queues.append(queue)
        return self._follow(queue)

    def emit(self, event: StoryEvent) -> None:
        for queue in self._queues:
            queue.put_nowait(event)

    def drop_pending(self) -> None:
        """Forget events not yet delivered (an abandoned timeline's); the end stays."""
        for queue in self._queues:
            stale = [queue.get_nowait() for _ in range(queue.qsize())]
            if None in stale:
                queue.put_nowait(None)

    def close(self) -> None:
        for queue in self._queues:
            queue.put_nowait(None)

    async def _follow(self, queue: asyncio.Queue[StoryEvent | None]) -> AsyncIterator[StoryEvent]:
        try:
            while (event := await queue.get()) is not None:
                yield event
        finally:
            self._queues.remove(queue)
