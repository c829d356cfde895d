"""Every call a job makes to the model, or to the offline narrator, and the verdict on it.

A call goes to the model's broker unless the circuit has found the model failing; then
to the offline narrator's, until a call allowed to probe finds the model back. Each call
keeps to its kind's time budget, and how it went is told to the circuit: a failure, a
success, or (cancelled) nothing. A failed call is never an error for the story: the
caller gets None and the template stands.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from typing import TypeVar

from textrealms.engine.bookkeeping import JobRecord
from textrealms.engine.events import JobFailed, ProviderChanged, StoryEvent
from textrealms.engine.metrics import Metrics, MetricsSnapshot
from textrealms.llm.broker import Broker
from textrealms.llm.budget import Budget, within
from textrealms.llm.circuit import Circuit
from textrealms.llm.clean import clean
from textrealms.llm.provider import Metered, ProviderStatus, UnusableAnswer
from textrealms.llm.schemas import Answer
from textrealms.llm.tasks import Describe, Narrate, Task
from textrealms.llm.usage import Price

A = TypeVar("A", bound=Answer)


class ModelCalls:
    """The game's way to the model: `broker`, and `fallback` (offline) under `circuit`."""

    def __init__(
        self,
        broker: Broker,
        fallback: Broker | None,
        circuit: Circuit | None,
        *,
        budgets: dict[str, Budget],
        metrics: Metrics,
        emit: Callable[[StoryEvent], None],
    ) -> None:
        self.broker = broker
        self.fallback = fallback
        """Where calls go while the circuit is open."""
        self.circuit = circuit
        self._budgets = budgets
        self._metrics = metrics
        self._emit = emit

    def snapshot(
        self, *, running: int, prefetch: tuple[int, int, int], price: Price | None
    ) -> MetricsSnapshot:
        """The game's figures with the calls' own: cache, shared calls, queue, usage, cost."""
        stats = self.broker.stats()
        provider = self.broker.provider
        usage = provider.usage if isinstance(provider, Metered) else None
        return self._metrics.snapshot(
            cache_hits=stats.cache_hits,
            cache_misses=stats.cache_misses,
            shared_calls=stats.shared,
            model_calls=stats.calls,
            queue_depth=stats.waiting,
            running=running,
            prefetch=prefetch,
            usage=usage,
            cost=usage.cost(price) if usage is not None else None,
            fallback_calls=self.fallback.stats().calls if self.fallback is not None else 0,
        )

    def status(self) -> ProviderStatus:
        """Who tells the story now (the model the server says it runs, once it has said);
        a `ProviderChanged` event follows every change of whether it is degraded."""
        name, circuit = self.broker.provider.name, self.circuit
        if circuit is None:
            return ProviderStatus(name)
        return ProviderStatus(name, circuit.degraded, circuit.reason)

    async def answer(
        self,
        task: Task,
        schema: type[A],
        record: JobRecord,
        index: int,
        fallback: str | None,
        *,
        note: bool = True,
    ) -> A | None:
        """The model's structured answer, or None (and, with `note`, a `JobFailed` note
        that `fallback` stands, as job `index`) if it has none."""
        answer = await self._complete(self._pick(), task, schema, record)
        if answer is None and note:
            reason = record.reason or "the model failed"
            label = task.kind.capitalize()
            self._emit(JobFailed(task.turn, index, task.kind, reason, fallback, label))
        return answer

    async def _complete(
        self, broker: Broker, task: Task, schema: type[A], record: JobRecord
    ) -> A | None:
        """`broker`'s answer, its verdict told to the circuit; None (why, in `record`) if
        it has none. An answer the model gave but the game cannot use (not JSON, say) is
        no sign of a failing model: it is not counted, and the offline rules answer."""
        try:
            async with asyncio.timeout(self._budgets[task.kind].total):
                answer = await broker.complete(task, schema)
        except asyncio.CancelledError:
            self._verdict(broker, task.turn, None)
            raise
        except UnusableAnswer as exc:
            self._verdict(broker, task.turn, None)
            if self.fallback is not None and broker is not self.fallback:
                return await self._complete(self.fallback, task, schema, record)
            record.failure(exc, "the model")
        except Exception as exc:  # whatever went wrong, the template stands
            self._verdict(broker, task.turn, record.failure(exc, "the model"))
        else:
            self._verdict(broker, task.turn, "")
            return answer
        return None

    async def narrate(
        self, task: Describe | Narrate, record: JobRecord, piece: Callable[[str], None]
    ) -> tuple[str, str | None]:
        """Stream the narration of `task` within its budget, handing each cleaned piece to
        `piece`: (the whole text, None), or ("", why) when there is none."""
        started = time.perf_counter()
        pieces: list[str] = []
        reason: str | None = None
        broker = self._pick()
        try:
            async with contextlib.aclosing(broker.stream(task)) as stream:
                async for raw in within(stream, self._budgets[task.kind], started):
                    if not pieces:
                        self._metrics.first_token.add((time.perf_counter() - started) * 1000)
                    pieces.append(clean(raw))
                    piece(pieces[-1])
        except asyncio.CancelledError:
            self._verdict(broker, task.turn, None)
            raise
        except Exception as exc:  # whatever went wrong, the template stands
            reason = record.failure(exc, "the narrator")
            if isinstance(exc, UnusableAnswer):  # the model answers: nothing to count
                self._verdict(broker, task.turn, None)
                return "", reason
        text = "".join(pieces).strip()
        if reason is None and not text:
            record.failed = True
            reason = "the narrator said nothing"
        self._verdict(broker, task.turn, reason or "")
        return ("", reason) if reason is not None else (text, None)

    async def warm(self, task: Describe) -> None:
        """Have `task` described ahead, within its whole budget, so its answer is cached
        when it is asked for; never the probe of a degraded model, as nobody waits on it."""
        async with asyncio.timeout(self._budgets[task.kind].total):
            await self._pick(probe=False).ahead(task)

    def room(self) -> int:
        """Calls the model prefetch would use takes now without a wait."""
        return self._pick(probe=False).room()

    async def aclose(self) -> None:
        await self.broker.aclose()
        if self.fallback is not None:
            await self.fallback.aclose()

    def _pick(self, *, probe: bool = True) -> Broker:
        """The broker for the next call: the model's, or the offline one while degraded.

        Only a call that reports its verdict may be the probe that tests a degraded model.
        """
        if self.circuit is None or self.fallback is None:
            return self.broker
        if self.circuit.allow() if probe else not self.circuit.degraded:
            return self.broker
        return self.fallback

    def _verdict(self, broker: Broker, turn: int, failure: str | None) -> None:
        """Tell the circuit how a model call went: "" for success, a reason for failure,
        None for no verdict (cancelled); announce a change of status."""
        circuit = self.circuit
        if circuit is None or broker is not self.broker:
            return
        if failure is None:
            circuit.abandon()
            return
        changed = circuit.failure(failure) if failure else circuit.success()
        if changed:
            self._emit(ProviderChanged(turn, -1, self.status()))
