"""What a job body is given: the game's way to the model and its event stream, and the
job's own place in its turn; with the steps every body takes with an answer."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any, Literal, Protocol, TypeVar

from textrealms.engine.bookkeeping import JobRecord, Proposal, TurnWork
from textrealms.engine.events import StoryEvent
from textrealms.engine.metrics import Metrics
from textrealms.engine.model_calls import ModelCalls
from textrealms.engine.prefetch import Prefetch
from textrealms.llm.clean import clean
from textrealms.llm.schemas import Answer, Line
from textrealms.llm.tasks import Task
from textrealms.world import effects as fx
from textrealms.world.reducer import reduce
from textrealms.world.schema import WorldPack
from textrealms.world.state import GameState

A = TypeVar("A", bound=Answer)
T = TypeVar("T")

Batching = Literal["off", "on", "auto"]
"""How NPCs' reactions are asked: one call each ("off"), one call for all of a turn's
("on"), or one call only for a turn with many ("auto")."""


class Spawn(Protocol):
    """Starts a task the game master tracks, so that it is cancelled with the game's."""

    def __call__(self, coro: Coroutine[Any, Any, T], /) -> asyncio.Task[T]: ...


@dataclass(frozen=True, slots=True)
class JobContext:
    """Job `index` of the turn `work`, and what of the game it may use."""

    pack: WorldPack
    calls: ModelCalls
    emit: Callable[[StoryEvent], None]
    spawn: Spawn
    metrics: Metrics
    prefetch: Prefetch
    batching: Batching
    work: TurnWork
    index: int
    record: JobRecord
    """How this job's model calls went."""

    async def answer(
        self, task: Task, schema: type[A], fallback: str | None, *, note: bool = True
    ) -> A | None:
        """The model's answer to `task`, or None (noted, unless not `note`, as this job's)."""
        return await self.calls.answer(task, schema, self.record, self.index, fallback, note=note)

    async def line(self, task: Task, fallback: str) -> str:
        """The model's line for `task`, cleaned, or `fallback` when it has none."""
        answer = await self.answer(task, Line, fallback)
        text = clean(answer.text).strip() if answer else ""
        return text or fallback

    def applying(self, changes: list[fx.Effect]) -> Proposal:
        """The proposal that applies `changes` to the state as it is at commit time."""
        pack = self.pack

        def commit(state: GameState) -> tuple[GameState, list[StoryEvent]]:
            return reduce(pack, state, changes), []

        return commit
