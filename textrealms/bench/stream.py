"""Scenario 3: a narration token's arrival at the client to its event reaching a consumer.

The real client is wrapped so that each piece it decodes from the wire is stamped; a
consumer reading `events()` (as plain mode and the TUI do) stamps the `NarrationDelta`
that carries it. Between the two: the broker, the time budget, the game master and the
event fan-out, while the turn's other jobs run alongside.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import defaultdict, deque
from collections.abc import AsyncGenerator
from typing import TypeVar

from textrealms.bench.model import QUICK_SCALE, client, game, scaled, server
from textrealms.bench.scenario import Options, Outcome, Row, ms
from textrealms.bench.script import Tour, play_through
from textrealms.engine.events import NarrationDelta
from textrealms.engine.gm import GameMaster
from textrealms.engine.metrics import percentiles
from textrealms.llm.openai import OpenAICompatible
from textrealms.llm.schemas import Answer
from textrealms.llm.tasks import Task

A = TypeVar("A", bound=Answer)


class Stamped:
    """The real client, noting when each piece of prose arrives, by turn."""

    def __init__(self, inner: OpenAICompatible) -> None:
        self.inner = inner
        self.name = inner.name
        self.arrivals: defaultdict[int, deque[float]] = defaultdict(deque)

    async def stream(self, task: Task) -> AsyncGenerator[str, None]:
        async with contextlib.aclosing(self.inner.stream(task)) as pieces:
            async for piece in pieces:
                self.arrivals[task.turn].append(time.perf_counter())
                yield piece

    async def complete(self, task: Task, schema: type[A]) -> A:
        return await self.inner.complete(task, schema)

    async def aclose(self) -> None:
        await self.inner.aclose()


async def run(options: Options) -> Outcome:
    turns = options.size(20, 40)
    latency = scaled(options.latency, QUICK_SCALE) if options.quick else options.latency
    pack = options.pack
    samples: list[float] = []
    async with server(latency, options.seed) as served:
        stamped = Stamped(client(served, pack, options.seed))
        gm = game(stamped, pack, options.seed, prefetch=False)
        consumer = asyncio.create_task(_consume(gm, stamped, samples))
        try:
            await play_through(gm, Tour(pack), turns)
        finally:
            await gm.aclose()
            await consumer
    p = percentiles(samples)
    data = {"stream_ms": {"p50": p.p50, "p95": p.p95, "p99": p.p99, "max": p.max, "count": p.count}}
    rows = [
        Row("narration pieces timed", str(p.count)),
        Row("client to consumer p50", ms(p.p50)),
        Row("client to consumer p99", ms(p.p99), "< 100 ms (scene sync)", p.p99 < 100),
    ]
    return Outcome("3 streaming", data, rows)


async def _consume(gm: GameMaster, stamped: Stamped, samples: list[float]) -> None:
    async for event in gm.events():
        if isinstance(event, NarrationDelta):
            arrived = stamped.arrivals[event.turn]
            if arrived:
                samples.append((time.perf_counter() - arrived.popleft()) * 1000)
