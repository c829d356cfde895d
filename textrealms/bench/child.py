"""The TUI probe as a child process, and how a failing child is reported.

The bench package must not import Textual, so what runs the TUI lives in
`textrealms.tui.probe` and runs here as `python -m textrealms.tui.probe ...`, in a fresh
interpreter that also starts the way a player's does.
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

PROBE = "textrealms.tui.probe"
TIMEOUT = 300.0
"""Longest any child may run: a full UI run takes well under a minute."""


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
