"""Time budgets for model calls: to the first token, between tokens, and in all.

One table (`BUDGETS`) decides the numbers for both layers that enforce them: the game
master wraps streamed prose in `within`, and the HTTP client wraps the stream behind a
structured answer in it too, so a stall is caught the same way in both.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass


class BudgetExceeded(TimeoutError):
    """A call ran out of one of its budgets; `which` says which one."""

    def __init__(self, which: str) -> None:
        super().__init__(f"no {which}" if which != "total" else "too slow")
        self.which = which


@dataclass(frozen=True, slots=True)
class Budget:
    first_token: float
    idle: float
    """Longest gap allowed between two pieces of streamed text."""
    total: float


async def within(pieces: AsyncIterator[str], budget: Budget, started: float) -> AsyncIterator[str]:
    """`pieces`, raising `BudgetExceeded` as soon as any budget runs out.

    `started` is the `time.perf_counter()` when the call began; the total budget counts
    from there.
    """
    watch = _Watch()
    first = True
    try:
        while True:
            left = budget.total - (time.perf_counter() - started)
            wait = min(budget.first_token if first else budget.idle, left)
            if wait <= 0:
                raise BudgetExceeded("total")
            watch.wait(wait)
            try:
                piece = await anext(pieces)
            except StopAsyncIteration:
                return
            except (asyncio.CancelledError, TimeoutError) as exc:
                if isinstance(exc, asyncio.CancelledError) and not watch.cancelled_us():
                    raise
                which = "total" if wait == left else "first token" if first else "token in time"
                raise BudgetExceeded(which) from None
            finally:
                watch.waiting = False
            first = False
            yield piece
    finally:
        watch.stop()


class _Watch:
    """The timer behind `within`: one for a whole stream rather than one per piece (a busy
    server streams tens of thousands of pieces a second). Each wait only moves the
    deadline; when the timer fires early, it is set again for the deadline as it is now,
    and only a wait past its deadline cancels the task. Once stopped it holds no task, so
    that a traceback through `within` makes no reference cycle for the collector."""

    def __init__(self) -> None:
        self.task: asyncio.Task[object] | None = asyncio.current_task()
        self.loop = asyncio.get_running_loop()
        self.deadline = 0.0
        self.waiting = False
        self._expired = False
        self._cancelling = 0
        self._timer: asyncio.TimerHandle | None = None

    def wait(self, seconds: float) -> None:
        """A wait of at most `seconds` begins."""
        self.deadline = self.loop.time() + seconds
        self.waiting = True
        if self.task is not None:
            self._cancelling = self.task.cancelling()
        timer = self._timer
        if timer is None or timer.when() > self.deadline:
            if timer is not None:
                timer.cancel()
            self._timer = self.loop.call_at(self.deadline, self._fire)

    def cancelled_us(self) -> bool:
        """Whether the cancellation the wait ended in was this timer's alone."""
        task = self.task
        return self._expired and task is not None and task.uncancel() <= self._cancelling

    def stop(self) -> None:
        self.task = None
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _fire(self) -> None:
        self._timer = None
        if not self.waiting or self.task is None:
            return  # between pieces: the next wait sets the timer again
        if self.loop.time() < self.deadline:
            self._timer = self.loop.call_at(self.deadline, self._fire)
            return
        self._expired = True
        self.task.cancel()


BUDGETS: dict[str, Budget] = {
    "narration": Budget(first_token=10.0, idle=5.0, total=45.0),
    "describe": Budget(first_token=10.0, idle=5.0, total=45.0),
    "reaction": Budget(first_token=10.0, idle=5.0, total=20.0),
    "reactions": Budget(first_token=10.0, idle=5.0, total=30.0),
    "gossip": Budget(first_token=10.0, idle=5.0, total=20.0),
    "beat": Budget(first_token=10.0, idle=5.0, total=20.0),
    "assess": Budget(first_token=10.0, idle=5.0, total=20.0),
    "interpretation": Budget(first_token=10.0, idle=5.0, total=20.0),
}
"""Time budgets by task kind (see `textrealms.llm.tasks`)."""
