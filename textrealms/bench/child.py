"""Child processes for the scenarios that time a whole process or need Textual.

The bench package must not import Textual, so what runs the TUI lives in
`textrealms.tui.probe` and runs here as `python -m textrealms.tui.probe ...`, in a fresh
interpreter that also starts the way a player's does.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from dataclasses import dataclass
from typing import Any

PROBE = "textrealms.tui.probe"
TIMEOUT = 300.0
"""Longest any child may run: a full UI run takes well under a minute."""


class ChildFailed(RuntimeError):
    """A child exited badly or printed no answer: the bench says so and goes on."""


@dataclass(frozen=True, slots=True)
class Timed:
    """A child's first line on stdout and when it came, in seconds from just before the
    spawn (so the interpreter's start-up counts, as it does for a player)."""

    line: str
    first_line: float
    exited: float


async def timed(*argv: str) -> Timed:
    """Run `python ARGV` to the end, timing its first line and its exit."""
    began = time.perf_counter()
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        *argv,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    try:
        async with asyncio.timeout(TIMEOUT):
            line = await proc.stdout.readline()
            first_line = time.perf_counter() - began
            _, err = await asyncio.gather(proc.stdout.read(), proc.stderr.read())
            await proc.wait()
            exited = time.perf_counter() - began
    except TimeoutError:
        proc.kill()
        await proc.wait()
        raise ChildFailed(f"python {' '.join(argv)} ran over {TIMEOUT:g} s") from None
    if proc.returncode != 0 or not line:
        tail = err.decode(errors="replace").strip().splitlines()[-3:]
        raise ChildFailed(f"python {' '.join(argv)} exited {proc.returncode}: {' / '.join(tail)}")
    return Timed(line.decode(errors="replace"), first_line, exited)


async def probe(*args: str) -> dict[str, Any]:
    """The JSON object the TUI probe prints for `args`."""
    found: dict[str, Any] = json.loads((await timed("-m", PROBE, *args)).line)
    return found
