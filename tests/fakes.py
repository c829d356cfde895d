"""A provider that fails on demand: the offline narrator with faults injected by task kind.

Real providers (and their faults on the wire) are tested against a loopback HTTP server;
this is for the engine's own supervision: slow, failing, hanging and exploding jobs.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any, Literal, TypeVar

from textrealms.engine.gm import GameMaster
from textrealms.engine.metrics import OUTCOMES, MetricsSnapshot, Percentiles
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


class Ticks:
    """A clock that moves `step` seconds each time it is read: timings that never vary."""

    def __init__(self, step: float = 0.0005) -> None:
        self.now = 0.0
        self.step = step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def measured(**numbers: object) -> MetricsSnapshot:
    """A metrics snapshot with fixed numbers; those not given are quiet, healthy values."""
    p = Percentiles(count=12, p50=0.3, p95=0.6, p99=0.9, max=1.2)
    outcomes = dict.fromkeys(OUTCOMES, 0) | {"ok": 30}
    fields: dict[str, object] = {
        "hot_path_ms": p,
        "jobs_ms": {"narration": Percentiles(10, 40.0, 90.0, 120.0, 130.0)},
        "first_token_ms": Percentiles(10, 5.0, 9.0, 11.0, 12.0),
        "outcomes": outcomes,
        "outcomes_by_kind": {"narration": outcomes},
        "fallbacks": 0,
        "cache_hits": 9,
        "cache_misses": 1,
        "shared_calls": 2,
        "model_calls": 20,
        "queue_depth": 0,
        "running": 0,
        "jobs_started": 30,
        "prefetch_started": 4,
        "prefetch_hits": 2,
        "room_narrations": 5,
    }
    return MetricsSnapshot(**(fields | numbers))  # type: ignore[arg-type]


def alarming() -> MetricsSnapshot:
    """A snapshot past every alert line: slow hot path, failures, timeouts, misses, a queue."""
    return measured(
        hot_path_ms=Percentiles(40, 0.4, 0.9, 612.0, 700.0),
        outcomes={"ok": 80, "timeout": 12, "failed": 3, "superseded": 5, "cancelled": 0},
        cache_hits=6,
        cache_misses=4,
        queue_depth=140,
    )


class Measured(GameMaster):
    """A game master whose metrics are fixed, for screens that must look the same every run."""

    def __init__(self, pack: WorldPack, *, metrics: MetricsSnapshot, **options: Any) -> None:
        super().__init__(pack, **options)
        self.metrics_shown = metrics

    def snapshot(self) -> MetricsSnapshot:
        return self.metrics_shown


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
