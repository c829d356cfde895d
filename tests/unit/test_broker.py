"""The broker: cache, shared calls, the limit, and no task left behind whoever leaves early."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable
from dataclasses import dataclass, field
from typing import TypeVar

import pytest

from tests.helpers.stores import MemoryStore
from tests.helpers.waiting import TIMEOUT
from textrealms.llm.broker import Broker, BrokerStats
from textrealms.llm.cache import LruCache
from textrealms.llm.provider import A, Provider, ProviderError
from textrealms.llm.schemas import Answer, Line, Reaction
from textrealms.llm.tasks import Describe, Narrate, React, Task

T = TypeVar("T")

PIECES = ("The hall ", "is cold ", "and still.")
TEXT = "".join(PIECES)
ROOM = Describe(turn=1, location="hall", text="A hall.")
DEED = Narrate(turn=1, text="You look.", command="look", verb="look", location="hall")
REACTION = React(turn=1, npc="mira", deed="give", fallback="Mira nods.")


@dataclass
class Gate:
    """One provider call, seen from the test: when it began, what lets it go on, how it ended."""

    started: asyncio.Event = field(default_factory=asyncio.Event)
    release: asyncio.Event = field(default_factory=asyncio.Event)
    cancelled: bool = False


class FakeProvider:
    """A provider whose calls the test starts, holds, fails and watches."""

    name = "fake"

    def __init__(self) -> None:
        self.hold = False
        """Whether a call waits for its gate's release (after the first piece, for streams)."""
        self.error: Exception | None = None
        self.calls = 0
        self.running = 0
        self.peak = 0
        self.closes: list[int] = []
        """How many calls were still running at each `aclose`."""
        self._gates: list[Gate] = []

    def gate(self, n: int) -> Gate:
        """The gate of the `n`th call (from 0), made ahead of the call if need be."""
        while len(self._gates) <= n:
            self._gates.append(Gate())
        return self._gates[n]

    def release_all(self) -> None:
        self.hold = False
        for gate in self._gates:
            gate.release.set()

    async def stream(self, task: Task) -> AsyncIterator[str]:
        gate = self._begin()
        try:
            yield PIECES[0]
            await self._pass(gate)
            for piece in PIECES[1:]:
                yield piece
        finally:
            self.running -= 1

    async def complete(self, task: Task, schema: type[A]) -> A:
        gate = self._begin()
        try:
            await self._pass(gate)
            return schema.model_validate({"text": TEXT, "line": TEXT})
        finally:
            self.running -= 1

    async def aclose(self) -> None:
        self.closes.append(self.running)

    def _begin(self) -> Gate:
        gate = self.gate(self.calls)
        self.calls += 1
        self.running += 1
        self.peak = max(self.peak, self.running)
        gate.started.set()
        return gate

    async def _pass(self, gate: Gate) -> None:
        if not self.hold:
            gate.release.set()
        try:
            await gate.release.wait()
        except asyncio.CancelledError:
            gate.cancelled = True
            raise
        if self.error is not None:
            raise self.error


class Renamed(FakeProvider):
    name = "other"


async def soon(awaitable: Awaitable[T]) -> T:
    """Await what the test expects to happen next; fail (not hang) if it never does."""
    async with asyncio.timeout(TIMEOUT):
        return await awaitable


async def read(pieces: AsyncIterator[str]) -> str:
    return "".join([piece async for piece in pieces])


def others() -> set[asyncio.Task[object]]:
    return asyncio.all_tasks() - {asyncio.current_task()}


@pytest.fixture(autouse=True)
async def no_task_left() -> AsyncIterator[None]:
    before = others()
    yield
    assert others() - before == set()


@pytest.fixture
def fake() -> FakeProvider:
    return FakeProvider()


@pytest.fixture
async def broker(fake: FakeProvider) -> AsyncIterator[Broker]:
    broker = Broker(fake)
    yield broker
    await broker.aclose()


def counts(broker: Broker, **expected: int) -> None:
    """The named counters have these values, and no call holds or awaits a slot."""
    stats = broker.stats()
    assert {name: getattr(stats, name) for name in expected} == expected
    assert (stats.active, stats.waiting) == (0, 0)


def test_lru_cache_evicts_the_least_recently_used() -> None:
    cache: LruCache[int] = LruCache(size=2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # "b" is now the least recently used
    cache.put("c", 3)
    assert len(cache) == 2
    assert cache.get("b") is None
    assert (cache.get("a"), cache.get("c")) == (1, 3)
    cache.put("a", 4)  # replacing refreshes too
    cache.put("d", 5)
    assert (cache.get("c"), cache.get("a")) == (None, 4)
    assert (cache.hits, cache.misses) == (4, 2)
    with pytest.raises(ValueError, match="at least 1"):
        LruCache(size=0)


def test_hit_rate() -> None:
    assert BrokerStats(0, 0, 0, 0, 0, 0, 0, 0).hit_rate == 0.0
    assert BrokerStats(1, 3, 1, 0, 0, 0, 0, 0).hit_rate == 0.75


async def test_the_broker_is_a_provider(broker: Broker, fake: FakeProvider) -> None:
    provider: Provider = broker
    assert provider.name == "fake"
    assert broker.provider is fake
    with pytest.raises(ValueError, match="at least 1"):
        Broker(fake, limit=0)


async def test_a_cacheable_stream_is_answered_from_the_cache(fake: FakeProvider) -> None:
    cache: LruCache[str | Answer] = LruCache()
    broker = Broker(fake, cache=cache)
    assert await read(broker.stream(ROOM)) == TEXT
    assert await read(broker.stream(Describe(turn=2, location="hall", text="A hall."))) == TEXT
    assert (fake.calls, len(cache)) == (1, 1)
    counts(broker, calls=1, cache_hits=1, cache_misses=1)
    other = Broker(Renamed(), cache=cache)
    assert await read(other.stream(ROOM)) == TEXT
    counts(other, calls=1, cache_misses=1)  # another model, another answer
    await broker.aclose()
    await other.aclose()


async def test_a_cacheable_completion_is_answered_from_the_cache(
    broker: Broker, fake: FakeProvider
) -> None:
    first = await broker.complete(REACTION, Reaction)
    assert await broker.complete(REACTION, Reaction) is first
    assert await broker.complete(REACTION, Line) == Line(text=TEXT)  # another schema
    assert fake.calls == 2
    counts(broker, calls=2, cache_hits=1, cache_misses=2)


async def test_a_task_that_is_not_cacheable_is_never_cached(fake: FakeProvider) -> None:
    cache: LruCache[str | Answer] = LruCache()
    broker = Broker(fake, cache=cache)
    assert await read(broker.stream(DEED)) == TEXT
    assert await read(broker.stream(DEED)) == TEXT
    assert await broker.complete(DEED, Line) == await broker.complete(DEED, Line)
    assert fake.calls == 4
    counts(broker, calls=4, cache_hits=0, cache_misses=0)
    assert len(cache) == 0
    await broker.aclose()


async def test_equal_streams_share_one_call_and_a_late_joiner_replays(
    broker: Broker, fake: FakeProvider
) -> None:
    fake.hold = True
    early, late = broker.stream(DEED), broker.stream(DEED)
    assert await soon(anext(early)) == PIECES[0]
    assert await soon(anext(late)) == PIECES[0]  # replayed: the call is still held
    fake.release_all()
    assert PIECES[0] + await soon(read(early)) == PIECES[0] + await soon(read(late)) == TEXT
    assert fake.calls == 1
    counts(broker, calls=1, shared=1)


async def test_made_ahead_a_stream_is_kept_and_a_reader_joins_it(
    broker: Broker, fake: FakeProvider
) -> None:
    fake.hold = True
    ahead = asyncio.create_task(broker.ahead(ROOM))
    await soon(fake.gate(0).started.wait())
    reader = broker.stream(ROOM)
    assert await soon(anext(reader)) == PIECES[0]  # the reader joins the call made ahead
    fake.release_all()
    assert PIECES[0] + await soon(read(reader)) == TEXT
    await soon(ahead)
    assert await soon(read(broker.stream(ROOM))) == TEXT  # kept: no second call
    assert fake.calls == 1
    counts(broker, calls=1, shared=1, cache_hits=1)


async def test_made_ahead_and_left_a_call_is_cancelled(broker: Broker, fake: FakeProvider) -> None:
    fake.hold = True
    ahead = asyncio.create_task(broker.ahead(ROOM))
    await soon(fake.gate(0).started.wait())
    ahead.cancel()
    with pytest.raises(asyncio.CancelledError):
        await ahead
    assert fake.gate(0).cancelled
    counts(broker, calls=1, cancelled=1)


async def test_equal_completions_share_one_call(broker: Broker, fake: FakeProvider) -> None:
    fake.hold = True
    first = asyncio.create_task(broker.complete(REACTION, Reaction))
    second = asyncio.create_task(broker.complete(REACTION, Reaction))
    await soon(fake.gate(0).started.wait())
    fake.release_all()
    assert await soon(first) is await soon(second)
    assert fake.calls == 1
    counts(broker, calls=1, shared=1, cache_misses=2)


async def test_one_consumer_leaving_does_not_disturb_the_other(
    broker: Broker, fake: FakeProvider
) -> None:
    fake.hold = True
    leaving = asyncio.create_task(read(broker.stream(DEED)))
    staying = asyncio.create_task(read(broker.stream(DEED)))
    answering = asyncio.create_task(broker.complete(DEED, Line))
    waiting = asyncio.create_task(broker.complete(DEED, Line))
    await soon(fake.gate(1).started.wait())
    assert broker.stats().shared == 2
    leaving.cancel()
    answering.cancel()
    with pytest.raises(asyncio.CancelledError):
        await soon(leaving)
    with pytest.raises(asyncio.CancelledError):
        await soon(answering)
    fake.release_all()
    assert await soon(staying) == TEXT
    assert await soon(waiting) == Line(text=TEXT)
    assert not fake.gate(0).cancelled and not fake.gate(1).cancelled
    counts(broker, calls=2, cancelled=0)


@pytest.mark.parametrize("leave", ["cancel", "aclose"])
async def test_the_last_consumer_leaving_cancels_the_stream(
    broker: Broker, fake: FakeProvider, leave: str
) -> None:
    fake.hold = True
    if leave == "cancel":
        reader = asyncio.create_task(read(broker.stream(DEED)))
        await soon(fake.gate(0).started.wait())
        reader.cancel()
        with pytest.raises(asyncio.CancelledError):
            await soon(reader)
    else:
        pieces = broker.stream(DEED)
        assert await soon(anext(pieces)) == PIECES[0]
        await soon(pieces.aclose())
    assert fake.gate(0).cancelled
    assert fake.running == 0
    assert others() == set()
    counts(broker, calls=1, cancelled=1, failed=0)
    fake.hold = False
    assert await read(broker.stream(DEED)) == TEXT  # a newcomer starts afresh


async def test_the_last_waiter_leaving_cancels_the_completion(
    broker: Broker, fake: FakeProvider
) -> None:
    fake.hold = True
    waiter = asyncio.create_task(broker.complete(REACTION, Reaction))
    await soon(fake.gate(0).started.wait())
    waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await soon(waiter)
    assert fake.gate(0).cancelled
    assert others() == set()
    counts(broker, calls=1, cancelled=1, failed=0)


async def test_a_call_cancelled_while_queued_never_reaches_the_provider(
    fake: FakeProvider,
) -> None:
    broker = Broker(fake, limit=1)
    fake.hold = True
    running = asyncio.create_task(broker.complete(DEED, Line))
    queued = asyncio.create_task(broker.complete(REACTION, Reaction))
    await soon(fake.gate(0).started.wait())
    assert broker.stats().waiting == 1
    queued.cancel()
    with pytest.raises(asyncio.CancelledError):
        await soon(queued)
    fake.release_all()
    assert await soon(running) == Line(text=TEXT)
    assert fake.calls == 1
    counts(broker, calls=1, cancelled=1)
    await broker.aclose()


@pytest.mark.parametrize("error", [ProviderError("the model is down"), ValueError("bad bytes")])
async def test_a_failure_reaches_every_consumer(
    broker: Broker, fake: FakeProvider, error: Exception
) -> None:
    fake.hold = True
    fake.error = error
    streams = [asyncio.create_task(read(broker.stream(ROOM))) for _ in range(2)]
    answers = [asyncio.create_task(broker.complete(ROOM, Line)) for _ in range(2)]
    await soon(fake.gate(1).started.wait())
    fake.release_all()
    for consumer in streams + answers:
        with pytest.raises(type(error), match=str(error)):
            await soon(consumer)
    counts(broker, calls=2, failed=2, shared=2)
    fake.error = None
    assert await read(broker.stream(ROOM)) == TEXT  # a failure is not cached
    assert fake.calls == 3


async def test_the_limit_queues_calls_beyond_it(fake: FakeProvider) -> None:
    broker = Broker(fake, limit=2)
    fake.hold = True
    rooms = [Describe(turn=1, location=f"room{n}", text="A room.") for n in range(5)]
    consumers = [asyncio.create_task(read(broker.stream(room))) for room in rooms]
    await soon(fake.gate(1).started.wait())
    stats = broker.stats()
    assert (stats.active, stats.waiting, fake.running) == (2, 3, 2)
    fake.release_all()
    assert await soon(asyncio.gather(*consumers)) == [TEXT] * 5
    assert fake.peak == 2
    counts(broker, calls=5)
    await broker.aclose()


async def test_aclose_cancels_and_awaits_calls_then_closes_the_provider(
    broker: Broker, fake: FakeProvider
) -> None:
    fake.hold = True
    reader = asyncio.create_task(read(broker.stream(DEED)))
    waiter = asyncio.create_task(broker.complete(REACTION, Reaction))
    await soon(fake.gate(1).started.wait())
    await soon(broker.aclose())
    assert fake.gate(0).cancelled and fake.gate(1).cancelled
    assert fake.closes == [0]  # closed after every call had ended
    for consumer in (reader, waiter):
        with pytest.raises(ProviderError, match="closed"):
            await soon(consumer)
    await broker.aclose()
    assert fake.closes == [0]
    with pytest.raises(ProviderError, match="closed"):
        await read(broker.stream(ROOM))
    with pytest.raises(ProviderError, match="closed"):
        await broker.complete(REACTION, Reaction)
    counts(broker, calls=2, failed=0)


async def test_a_call_closed_before_it_began_still_ends_for_its_callers(
    broker: Broker, fake: FakeProvider
) -> None:
    waiter = asyncio.create_task(broker.complete(REACTION, Reaction))
    reader = asyncio.create_task(read(broker.stream(DEED)))
    ahead = asyncio.create_task(broker.ahead(ROOM))
    # One turn of the loop: the callers start their calls, whose tasks have yet to run.
    await asyncio.sleep(0)
    assert broker.stats().calls == 0
    await soon(broker.aclose())
    for consumer in (waiter, reader, ahead):
        with pytest.raises(ProviderError, match="closed"):
            await soon(consumer)
    assert fake.calls == 0


class Closed(MemoryStore):
    """A store closed under the game, as at its end: it refuses to keep anything."""

    def save(self, key: str, value: str) -> None:
        raise RuntimeError("the save store is closed")


async def test_a_store_that_refuses_an_answer_costs_no_reader_its_text(
    fake: FakeProvider,
) -> None:
    broker = Broker(fake, store=Closed())
    assert await soon(read(broker.stream(ROOM))) == TEXT
    await soon(broker.ahead(Describe(turn=1, location="yard", text="A yard.")))
    await broker.aclose()


async def test_a_store_keeps_answers_across_brokers_and_skips_free_prose(
    fake: FakeProvider,
) -> None:
    store = MemoryStore()
    first = Broker(fake, store=store)
    assert await read(first.stream(ROOM)) == TEXT
    answer = await first.complete(REACTION, Reaction)
    assert await read(first.stream(DEED)) == TEXT  # free prose: never stored
    assert len(store.values) == 2
    later = Broker(fake, store=store)
    assert await read(later.stream(ROOM)) == TEXT
    assert await later.complete(REACTION, Reaction) == answer
    assert fake.calls == 3
    counts(later, calls=0, cache_hits=2, cache_misses=0)
    store.values = dict.fromkeys(store.values, '{"not": "a reaction"}')
    stale = Broker(fake, store=store)
    assert await stale.complete(REACTION, Reaction) == answer  # unreadable: asked again
    assert fake.calls == 4
    for broker in (first, later, stale):
        await broker.aclose()
