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
    first = True
    while True:
        left = budget.total - (time.perf_counter() - started)
        wait = min(budget.first_token if first else budget.idle, left)
        if wait <= 0:
            raise BudgetExceeded("total")
        try:
            # A timeout scope, not `wait_for`: on Python 3.11 that makes a task per piece,
            # and a busy server streams tens of thousands of pieces a second.
            async with asyncio.timeout(wait):
                piece = await anext(pieces)
        except StopAsyncIteration:
            return
        except TimeoutError:
            which = "total" if wait == left else ("first token" if first else "token in time")
            raise BudgetExceeded(which) from None
        first = False
        yield piece


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
