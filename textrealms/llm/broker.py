"""The one way the engine reaches a model: a cache, shared calls and a limit in front of it.

Background jobs ask for the same thing often (every NPC in a room reacting, a room looked
at twice), and a model server takes only so many requests at once. The broker answers a
cacheable task from the cache, lets equal tasks in flight share one provider call, and
queues calls beyond `limit`. It owns every task it starts: a call nobody waits for any
more is cancelled, and `aclose` cancels and awaits the rest.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass
from types import TracebackType
from typing import Any, TypeVar, cast

from pydantic import ValidationError

from textrealms.llm.cache import CacheStore, LruCache
from textrealms.llm.provider import A, Keyed, Pooled, Provider, ProviderError, Whole
from textrealms.llm.schemas import Answer
from textrealms.llm.tasks import Task

V = TypeVar("V")
F = TypeVar("F", bound="_Flight")


@dataclass(frozen=True, slots=True)
class BrokerStats:
    """A snapshot of the broker's counters, for metrics and the bench."""

    calls: int
    """Provider calls started (a slot was taken)."""
    cache_hits: int
    cache_misses: int
    """Lookups of cacheable tasks that found nothing."""
    shared: int
    """Requests that joined an equal call already in flight."""
    active: int
    """Calls holding a slot now."""
    waiting: int
    """Calls queued for a slot now."""
    failed: int
    """Provider calls that raised (cancellation aside)."""
    cancelled: int
    """Calls dropped, queued or running, because every caller left."""

    @property
    def hit_rate(self) -> float:
        lookups = self.cache_hits + self.cache_misses
        return self.cache_hits / lookups if lookups else 0.0


class _Flight:
    """A call in flight and how many callers still want its answer."""

    task: asyncio.Task[object]

    def __init__(self) -> None:
        self.callers = 0
        self._waiters: list[asyncio.Future[None]] = []

    async def ended(self) -> None:
        """Return once the call has ended. A caller cancelled here leaves the call to the
        others: each waits on a future of its own (as `asyncio.wait` would, without its
        sets and callbacks)."""
        if not self.task.done():
            waiter = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
            await waiter

    def end(self) -> None:
        """Wake whoever waits for the call's end."""
        waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)


class _Stream(_Flight):
    """A streamed answer buffered so that every caller can replay it from the start."""

    def __init__(self) -> None:
        super().__init__()
        self.pieces: list[str] = []
        self.done = False
        self.error: BaseException | None = None
        self.traceback: TracebackType | None = None
        self._changed = asyncio.Event()

    def add(self, piece: str) -> None:
        self.pieces.append(piece)
        self._wake()

    def finish(self, error: BaseException | None) -> None:
        self.done = True
        self.error = error
        self.traceback = error.__traceback__ if error else None
        self._wake()

    def end(self) -> None:
        """Wake whoever waits, the readers too; a call that ended without an outcome
        (cancelled, before it began or while it ran) ends "closed"."""
        if not self.done:
            self.finish(ProviderError("closed"))
        super().end()

    async def changed(self) -> None:
        """Return at the next piece or at the end."""
        await self._changed.wait()

    def _wake(self) -> None:
        # Set and cleared at once: whoever waits now is woken, the next wait waits.
        self._changed.set()
        self._changed.clear()


class Broker:
    """Wraps a provider, and is used like one.

    Without a `cache`, the broker keeps its own in memory; pass one to share it. With a
    `store`, cacheable answers also outlive the game (looked up there on a memory miss).
    """

    def __init__(
        self,
        provider: Provider,
        *,
        limit: int = 8,
        cache: LruCache[str | Answer] | None = None,
        store: CacheStore | None = None,
    ) -> None:
        if limit < 1:
            raise ValueError(f"the limit must be at least 1, not {limit}")
        self.provider = provider
        self._named = provider.name
        self._keyed = provider if isinstance(provider, Keyed) else None
        self._pooled = provider if isinstance(provider, Pooled) else None
        self._whole = provider if isinstance(provider, Whole) else None
        self._limit = limit
        self._slots = asyncio.Semaphore(limit)
        self._cache: LruCache[str | Answer] = LruCache() if cache is None else cache
        self._store = store
        self._streams: dict[str, _Stream] = {}
        self._answers: dict[str, _Flight] = {}
        self._tasks: set[asyncio.Task[object]] = set()
        self._closed = False
        self._provider_closed = False
        self._calls = self._hits = self._misses = self._shared = 0
        self._active = self._waiting = self._failed = self._cancelled = 0

    @property
    def name(self) -> str:
        """The provider's, as it is now (a model's can change once its server says it)."""
        return self.provider.name

    def stats(self) -> BrokerStats:
        return BrokerStats(
            calls=self._calls,
            cache_hits=self._hits,
            cache_misses=self._misses,
            shared=self._shared,
            active=self._active,
            waiting=self._waiting,
            failed=self._failed,
            cancelled=self._cancelled,
        )

    async def stream(self, task: Task) -> AsyncGenerator[str, None]:
        """The answer in pieces; a caller that joins late replays the pieces made so far.

        Close the iterator when leaving early (`contextlib.aclosing`), so that the call is
        dropped at once rather than when the iterator is collected.
        """
        self._check_open()
        key = self._key(task, None)
        cached = await self._lookup(task, key, str, None)
        if cached is not None:
            yield cached
            return
        call = self._join(self._streams, key, _Stream, lambda c: self._produce(task, key, c))
        try:
            seen = 0
            while True:
                if seen < len(call.pieces):
                    seen += 1
                    yield call.pieces[seen - 1]
                elif call.done:
                    break
                else:
                    await call.changed()
        finally:
            await self._leave(self._streams, key, call)
        if call.error is not None:
            raise call.error.with_traceback(call.traceback)

    async def ahead(self, task: Task) -> None:
        """Have `task`'s prose made and kept, as `stream` would, for a caller nobody reads
        for (a prefetch): asked unstreamed where the provider can, so that neither the
        call nor its caller is woken for every piece. A reader who joins it meanwhile
        gets the prose in one piece when it is made."""
        self._check_open()
        key = self._key(task, None)
        if await self._lookup(task, key, str, None) is not None:
            return
        call = self._join(
            self._streams, key, _Stream, lambda c: self._produce(task, key, c, whole=True)
        )
        try:
            await call.ended()
        finally:
            await self._leave(self._streams, key, call)
        if call.error is not None:
            raise call.error.with_traceback(call.traceback)

    async def complete(self, task: Task, schema: type[A]) -> A:
        """A structured answer; equal requests in flight share one call."""
        self._check_open()
        key = self._key(task, schema)
        cached = await self._lookup(task, key, schema, schema)
        if cached is not None:
            return cached
        call = self._join(self._answers, key, _Flight, lambda _: self._answer(task, key, schema))
        try:
            await call.ended()
        finally:
            await self._leave(self._answers, key, call)
        if call.task.cancelled():
            raise ProviderError("closed")
        return cast(A, call.task.result())

    async def aclose(self) -> None:
        """Cancel and await every call in flight, then close the provider.

        Safe to call again, also after an `aclose` that was itself cancelled.
        """
        self._closed = True
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if not self._provider_closed:
            self._provider_closed = True
            await self.provider.aclose()

    def room(self) -> int:
        """Calls that would start now without waiting: free slots here, and no more than
        the provider has free, where it counts its own (a local server's one, say)."""
        free = self._limit - self._active - self._waiting
        if self._pooled is not None and (theirs := self._pooled.room()) is not None:
            free = min(free, theirs)
        return free

    def _check_open(self) -> None:
        if self._closed:
            raise ProviderError("closed")

    def _key(self, task: Task, schema: type[Answer] | None) -> str:
        """The call's name, for sharing it in flight and for the cache in memory: the
        provider's name as it was made, the form, and the task's own hash."""
        mode = ("stream",) if schema is None else (schema.__module__, schema.__qualname__)
        return "\x1f".join((self._named, *mode, task.key()))

    def _stored_key(self, task: Task, schema: type[Answer] | None, key: str) -> str:
        """The store's key: the request's own hash where the provider makes one (a
        model's, so that another model or a reworded prompt never finds a kept answer);
        else a hash of the broker's key."""
        if self._keyed is not None:
            return self._keyed.request_key(task, schema)
        return hashlib.sha256(key.encode()).hexdigest()

    async def _lookup(
        self, task: Task, key: str, kind: type[V], schema: type[Answer] | None
    ) -> V | None:
        if not task.cacheable:
            return None
        value = self._cache.get(key)
        if isinstance(value, kind):
            self._hits += 1
            return value
        stored = None
        if self._store is not None:
            found = await self._store.load(self._stored_key(task, schema, key))
            stored = _decode(found, kind)
        if stored is not None:
            self._cache.put(key, cast(str | Answer, stored))
            self._hits += 1
            return stored
        self._misses += 1
        return None

    def _keep(self, task: Task, key: str, value: str | Answer, schema: type[Answer] | None) -> None:
        if not task.cacheable:
            return
        self._cache.put(key, value)
        if self._store is not None:
            text = value if isinstance(value, str) else value.model_dump_json()
            self._store.save(self._stored_key(task, schema, key), text)

    def _join(
        self,
        flights: dict[str, F],
        key: str,
        new: Callable[[], F],
        work: Callable[[F], Coroutine[object, object, object]],
    ) -> F:
        """The call in flight under `key`, joined, or a new one started for it."""
        call = flights.get(key)
        if call is None:
            call = self._launch(flights, key, new(), work)
        else:
            self._shared += 1
        call.callers += 1
        return call

    def _launch(
        self,
        flights: dict[str, F],
        key: str,
        flight: F,
        work: Callable[[F], Coroutine[object, object, object]],
    ) -> F:
        """Start the call as a task the broker owns, open to joiners until it ends."""

        async def run() -> object:
            try:
                return await work(flight)
            finally:
                # Here, not in a done callback: that would run after the callers wake, and
                # a caller's next request would join the finished call instead of a new one.
                if flights.get(key) is flight:
                    del flights[key]
                flight.end()  # the callers wake once the task is done, in the next round

        def landed(task: asyncio.Task[object]) -> None:
            self._tasks.discard(task)
            flight.end()  # a task cancelled before it began never ran `run`
            if not task.cancelled():
                task.exception()  # The callers report a failure; the loop need not.
            release(task)

        flight.task = asyncio.create_task(run(), name=f"broker {key[-12:]}")
        flight.task.add_done_callback(landed)
        flights[key] = flight
        self._tasks.add(flight.task)
        return flight

    async def _leave(self, flights: dict[str, F], key: str, flight: F) -> None:
        """A caller is done: if it was the last and the call still runs, nobody needs it."""
        flight.callers -= 1
        if flight.callers or flight.task.done():
            return
        if flights.get(key) is flight:
            del flights[key]  # A newcomer starts afresh rather than join a cancelled call.
        self._cancelled += 1
        flight.task.cancel()
        await asyncio.wait([flight.task])

    @asynccontextmanager
    async def _slot(self) -> AsyncIterator[None]:
        """Hold one of the `limit` slots for a provider call, counted while queued and held."""
        self._waiting += 1
        try:
            await self._slots.acquire()
        finally:
            self._waiting -= 1
        self._active += 1
        self._calls += 1
        try:
            yield
        finally:
            self._active -= 1
            self._slots.release()

    async def _produce(self, task: Task, key: str, call: _Stream, *, whole: bool = False) -> None:
        """Run one provider stream into the buffer, which carries the outcome to the
        callers; a `whole` one is asked unstreamed where the provider can."""
        try:
            async with self._slot():
                if whole and self._whole is not None:
                    pieces = self._whole.whole(task)
                else:
                    pieces = self.provider.stream(task)
                async for piece in pieces:
                    call.add(piece)
        except Exception as error:  # a cancelled call is ended "closed" by `_Stream.end`
            self._failed += 1
            call.finish(error)
            return
        call.finish(None)
        text = "".join(call.pieces)
        if text:  # after the end: a store that refuses it (closed) costs no reader the text
            self._keep(task, key, text, None)

    async def _answer(self, task: Task, key: str, schema: type[Answer]) -> Answer:
        try:
            async with self._slot():
                answer = await self.provider.complete(task, schema)
        except Exception:
            self._failed += 1
            raise
        self._keep(task, key, answer, schema)
        return answer


def release(task: asyncio.Task[Any]) -> None:
    """Let a task that was cancelled drop its `CancelledError`, whose traceback holds the
    task's frames, which hold the task: a reference cycle per cancelled call, left for
    the garbage collector's slow scans. (Asking a cancelled task for its exception hands
    that error over.)"""
    if task.cancelled():
        with contextlib.suppress(asyncio.CancelledError):
            task.exception()


def _decode(text: str | None, kind: type[V]) -> V | None:
    """A stored value as `kind`: prose as is, an answer re-validated (None if stale)."""
    if text is None:
        return None
    if kind is str:
        return cast(V, text)
    if issubclass(kind, Answer):
        try:
            return cast(V, kind.model_validate_json(text))
        except ValidationError:
            return None
    return None
