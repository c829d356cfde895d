"""Child processes: the TUI probe, servers that say where they listen, and how a failing
child is reported.

The bench package must not import Textual, so what runs the TUI lives in
`textrealms.tui.probe` and runs here as `python -m textrealms.tui.probe ...`, in a fresh
interpreter that also starts the way a player's does. Servers (the loopback model
server, `textrealms serve`) run as `python -m textrealms ...` and print their address
on their first line.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import sys
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROBE = "textrealms.tui.probe"
TIMEOUT = 300.0
"""Longest any child may run: a full UI run takes well under a minute."""
STARTING = 30.0
"""Seconds a server may take to start and say where it listens."""
SAID = 20
"""Lines of what a server says after its address that are kept, to report a failure."""


class ChildFailed(RuntimeError):
    """A child exited badly or printed no answer: the bench says so and goes on."""


async def probe(*args: str) -> dict[str, Any]:
    """The JSON object `python -m textrealms.tui.probe ARGS` prints on its first line."""
    argv = ["-m", PROBE, *args]
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        *argv,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        async with asyncio.timeout(TIMEOUT):
            out, err = await proc.communicate()
    except TimeoutError:
        proc.kill()
        await proc.wait()
        raise ChildFailed(f"python {' '.join(argv)} ran over {TIMEOUT:g} s") from None
    line = out.decode(errors="replace").partition("\n")[0]
    if proc.returncode != 0 or not line:
        tail = err.decode(errors="replace").strip().splitlines()[-3:]
        raise ChildFailed(f"python {' '.join(argv)} exited {proc.returncode}: {' / '.join(tail)}")
    found: dict[str, Any] = json.loads(line)
    return found


@dataclass(frozen=True, slots=True)
class Listening:
    """A server in a child process, and the address it listens at."""

    proc: asyncio.subprocess.Process
    address: str
    said: deque[str]
    """The last lines it printed after its address."""


@contextlib.asynccontextmanager
async def listening(
    *args: str, address: re.Pattern[str], stopping: float = 5.0
) -> AsyncIterator[Listening]:
    """`python -m textrealms ARGS`, once it has printed an `address` on its first line;
    stopped on the way out (SIGTERM, then SIGKILL after `stopping` seconds)."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "textrealms",
        *args,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    assert proc.stdout is not None
    said: deque[str] = deque(maxlen=SAID)
    drained: asyncio.Task[None] | None = None
    try:
        async with asyncio.timeout(STARTING):
            line = (await proc.stdout.readline()).decode("utf-8", "replace")
        found = address.search(line)
        if found is None:
            raise ChildFailed(f"textrealms {args[0]} did not start: {line.strip()!r}")
        drained = asyncio.create_task(_drain(proc.stdout, said))
        yield Listening(proc, found.group(0), said)
    finally:
        await stop(proc, stopping)
        if drained is not None:
            await drained


async def _drain(out: asyncio.StreamReader, said: deque[str]) -> None:
    """Read all a child prints, so that its pipe never fills and blocks it."""
    while line := await out.readline():
        said.append(line.decode("utf-8", "replace").rstrip())


async def stop(proc: asyncio.subprocess.Process, patience: float) -> None:
    """SIGTERM, and SIGKILL if the child has not ended after `patience` seconds."""
    if proc.returncode is None:
        proc.terminate()
    try:
        async with asyncio.timeout(patience):
            await proc.wait()
    except TimeoutError:
        proc.kill()
        await proc.wait()


def children(pid: int) -> list[int]:
    """The processes `pid` has started that have not ended (from Linux's /proc)."""
    found: list[int] = []
    with contextlib.suppress(FileNotFoundError):  # `pid` itself has ended
        for task in Path(f"/proc/{pid}/task").iterdir():
            found += [int(child) for child in (task / "children").read_text().split()]
    return found
