"""A provider that fails on demand: the offline narrator with faults injected by task kind.

Real providers (and their faults on the wire) are tested against a loopback HTTP server;
this is for the engine's own supervision: slow, failing, hanging and exploding jobs.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from typing import Literal, TypeVar

from tests.helpers.waiting import TIMEOUT
from textrealms.llm.offline import OfflineNarrator
from textrealms.llm.provider import ProviderError
from textrealms.llm.schemas import Answer, Reaction
from textrealms.llm.tasks import Task
from textrealms.world import effects as fx
from textrealms.world.reducer import reduce
from textrealms.world.schema import WorldPack
from textrealms.world.state import GameState, new_game

A = TypeVar("A", bound=Answer)
Fault = Literal["fail", "hang", "explode"]


class Faulty:
    """`inner`'s answers, except for task kinds in `faults`; `delays` adds latency by kind.

    It notes each call's kind as it begins (`calls`), how many run now (`running`) and
    the most that ever ran at once (`peak`).
    """

    def __init__(
        self,
        inner: OfflineNarrator,
        faults: dict[str, Fault] | None = None,
        delays: dict[str, float] | None = None,
        answers: dict[str, Answer] | None = None,
    ) -> None:
        self.inner = inner
        self.name = "faulty narrator"
        self.faults = faults or {}
        self.delays = delays or {}
        self.answers = answers or {}
        self.calls: list[str] = []
        self.running = 0
        self.peak = 0
        self.closed = False
        self.gate = asyncio.Event()
        """Hung calls wait on this; tests never set it."""
        self._asked = asyncio.Event()

    async def called(self, *kinds: str) -> None:
        """Wait until calls of `kinds` have begun (a kind listed twice: two calls)."""
        wanted = Counter(kinds)
        async with asyncio.timeout(TIMEOUT):
            while not wanted <= Counter(self.calls):
                self._asked.clear()
                await self._asked.wait()

    async def _before(self, task: Task) -> None:
        self.calls.append(task.kind)
        self._asked.set()
        delay = self.delays.get(task.kind)
        if delay:
            await asyncio.sleep(delay)
        match self.faults.get(task.kind):
            case "fail":
                raise ProviderError("injected failure")
            case "hang":
                await self.gate.wait()
            case "explode":
                raise ZeroDivisionError("injected bug")
            case None:
                pass

    def _begin(self) -> None:
        self.running += 1
        self.peak = max(self.peak, self.running)

    async def stream(self, task: Task) -> AsyncIterator[str]:
        self._begin()
        try:
            await self._before(task)
            async for piece in self.inner.stream(task):
                yield piece
        finally:
            self.running -= 1

    async def complete(self, task: Task, schema: type[A]) -> A:
        self._begin()
        try:
            await self._before(task)
            canned = self.answers.get(task.kind)
            if canned is not None:
                return schema.model_validate(canned.model_dump())
            return await self.inner.complete(task, schema)
        finally:
            self.running -= 1

    async def aclose(self) -> None:
        self.closed = True


def one_reaction_from_the_end(pack: WorldPack) -> tuple[GameState, Faulty]:
    """Test Vale with the lantern lit, at the inn: a provider whose reactions warm Oda ends
    it off the hot path, as the reaction to `support oda` is committed."""
    start = reduce(
        pack,
        new_game(pack, seed=1),
        [fx.MovePlayer("inn"), fx.SetFlag("lantern_lit"), fx.MeetObjective("light", 0)],
    )
    start = reduce(pack, start, [fx.MeetObjective("light", 1), fx.CompleteQuest("light")])
    warm = Reaction(line="Oda beams at you.", disposition=0.1)
    return start, Faulty(OfflineNarrator(pack, 1), answers={"reaction": warm})
