"""A provider that fails on demand: the offline narrator with faults injected by task kind.

Real providers (and their faults on the wire) are tested against a loopback HTTP server;
this is for the engine's own supervision: slow, failing, hanging and exploding jobs.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Literal, TypeVar

from textrealms.llm.offline import OfflineNarrator
from textrealms.llm.provider import ProviderError
from textrealms.llm.schemas import Answer
from textrealms.llm.tasks import Task

A = TypeVar("A", bound=Answer)
Fault = Literal["fail", "hang", "explode"]


class Faulty:
    """`inner`'s answers, except for task kinds in `faults`; `delays` adds latency by kind."""

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
        self.closed = False
        self.gate = asyncio.Event()
        """Hung calls wait on this; tests never set it."""

    async def _before(self, task: Task) -> None:
        self.calls.append(task.kind)
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

    async def stream(self, task: Task) -> AsyncIterator[str]:
        await self._before(task)
        async for piece in self.inner.stream(task):
            yield piece

    async def complete(self, task: Task, schema: type[A]) -> A:
        await self._before(task)
        canned = self.answers.get(task.kind)
        if canned is not None:
            return schema.model_validate(canned.model_dump())
        return await self.inner.complete(task, schema)

    async def aclose(self) -> None:
        self.closed = True
