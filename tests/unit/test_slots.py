"""The limit on requests a model server is sent at once: held in turn, lowered as it runs."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from textrealms.llm.slots import Slots


async def holder(slots: Slots, entered: list[str], name: str, leave: asyncio.Event) -> None:
    async with slots.held():
        entered.append(name)
        await leave.wait()


async def until(test: Callable[[], bool]) -> None:
    async with asyncio.timeout(5):
        while not test():
            await asyncio.sleep(0)


async def test_requests_beyond_the_limit_wait_their_turn_in_order() -> None:
    slots, entered = Slots(2), list[str]()
    leave = {name: asyncio.Event() for name in "abcd"}
    tasks = [asyncio.create_task(holder(slots, entered, n, leave[n])) for n in "abcd"]
    await until(lambda: entered == ["a", "b"])
    leave["b"].set()
    await until(lambda: entered == ["a", "b", "c"])
    assert slots.busy == 2
    for event in leave.values():
        event.set()
    await asyncio.gather(*tasks)
    assert entered == ["a", "b", "c", "d"] and slots.busy == 0


async def test_a_lowered_limit_holds_back_the_next_until_enough_have_left() -> None:
    slots, entered = Slots(3), list[str]()
    leave = {name: asyncio.Event() for name in "abcd"}
    tasks = [asyncio.create_task(holder(slots, entered, n, leave[n])) for n in "abcd"]
    await until(lambda: entered == ["a", "b", "c"])
    slots.lower(1)
    leave["a"].set()
    leave["b"].set()
    await until(lambda: slots.busy == 1)
    assert entered == ["a", "b", "c"]  # c still runs: d waits for it
    leave["c"].set()
    await until(lambda: entered == ["a", "b", "c", "d"])
    leave["d"].set()
    await asyncio.gather(*tasks)
    slots.lower(0)
    assert slots.limit == 1


async def test_a_waiter_cancelled_before_or_after_its_turn_came_gives_it_on() -> None:
    slots, entered = Slots(1), list[str]()
    leave = {name: asyncio.Event() for name in "abc"}
    first = asyncio.create_task(holder(slots, entered, "a", leave["a"]))
    second = asyncio.create_task(holder(slots, entered, "b", leave["b"]))
    third = asyncio.create_task(holder(slots, entered, "c", leave["c"]))
    await until(lambda: entered == ["a"])
    leave["a"].set()
    second.cancel()  # its turn comes as it is cancelled: the slot goes on to c
    await until(lambda: entered == ["a", "c"])
    leave["c"].set()
    await asyncio.gather(first, third)
    with pytest.raises(asyncio.CancelledError):
        await second
    assert slots.busy == 0
    with pytest.raises(ValueError, match="at least 1"):
        Slots(0)
