"""Serving the game in tests: `textrealms serve` in a child process, on the test pack, and
the processes it starts, awaited as they end."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator

from textrealms.bench.child import Listening, listening
from textrealms.bench.serve import URL

ENDING = 30.0
"""Seconds a game may take to end once told to (its last turn is written first)."""
TEXTREALMS = (sys.executable, "-m", "textrealms")


@contextlib.asynccontextmanager
async def serving(*options: str) -> AsyncIterator[Listening]:
    """`textrealms serve --port 0 OPTIONS`, once it listens."""
    async with listening("serve", "--port", "0", *options, address=URL) as server:
        yield server


async def ended(pid: int) -> None:
    """Await the end of process `pid`, someone else's child, as Linux tells it (a pidfd
    becomes readable when its process ends)."""
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return
    loop = asyncio.get_running_loop()
    gone = loop.create_future()
    loop.add_reader(fd, gone.set_result, None)
    try:
        async with asyncio.timeout(ENDING):
            await gone
    finally:
        loop.remove_reader(fd)
        os.close(fd)


def saved_games() -> dict[str, int]:
    """Each saved game's name and turn, as `textrealms saves --json` lists them."""
    listed = subprocess.run(
        [*TEXTREALMS, "saves", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return {game["name"]: game["turn"] for game in json.loads(listed.stdout)}
