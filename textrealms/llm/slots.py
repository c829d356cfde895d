"""How many requests a model server is sent at once, the rest waiting their turn.

A hosted model takes many at once. A local server often has one slot, and some cancel
the answer they are writing when the next request arrives (llama-cpp-python), so the
limit may be lowered while requests run: those running finish, and the next ones wait.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class Slots:
    def __init__(self, limit: int) -> None:
        if limit < 1:
            raise ValueError(f"a server takes at least 1 request at a time, not {limit}")
        self.limit = limit
        self.busy = 0
        self._waiting: deque[asyncio.Future[None]] = deque()

    @asynccontextmanager
    async def held(self) -> AsyncIterator[None]:
        """One slot, held for as long as the block runs; first come, first served."""
        if self.busy < self.limit and not self._waiting:
            self.busy += 1
        else:
            waiter = asyncio.get_running_loop().create_future()
            self._waiting.append(waiter)
            try:
                await waiter  # `_wake` counts it busy as it resolves it
            except asyncio.CancelledError:
                if waiter.done() and not waiter.cancelled():
                    self._free()  # woken, then cancelled: the slot goes to the next
                elif waiter in self._waiting:
                    self._waiting.remove(waiter)
                raise
        try:
            yield
        finally:
            self._free()

    @property
    def free(self) -> int:
        """Requests that would be sent now without a wait."""
        return max(0, self.limit - self.busy - len(self._waiting))

    def lower(self, limit: int) -> None:
        """Take at most `limit` at once from now on (never fewer than 1)."""
        self.limit = max(1, min(self.limit, limit))

    def _free(self) -> None:
        self.busy -= 1
        while self._waiting and self.busy < self.limit:
            waiter = self._waiting.popleft()
            if not waiter.done():
                waiter.set_result(None)
                self.busy += 1
