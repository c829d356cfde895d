"""How long a test waits for what it expects: a guard against a hang, never a measure of
speed. It is generous, so that a busy machine slows a test down but never fails it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

TIMEOUT = 30.0


async def until(test: Callable[[], bool]) -> None:
    """Let the loop run until `test()` holds (for what no event announces); fail after
    `TIMEOUT` seconds."""
    async with asyncio.timeout(TIMEOUT):
        while not test():
            await asyncio.sleep(0)
