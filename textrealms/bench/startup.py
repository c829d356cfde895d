"""Scenario 8: how long a player waits for `textrealms --version`, and for the first
screen of `textrealms` (the title) and of `textrealms play` (straight into a game).

Each is timed from just before the process is spawned, so the interpreter, the CLI,
opening the saves and finding the worlds all count; the two screens are read off a
pseudo-terminal of their own (see `terminal`). Python's bytecode cache is allowed (one
unmeasured game start fills it), as it is on a player's machine, even where the bench
itself runs with PYTHONDONTWRITEBYTECODE set.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable

from textrealms.bench.child import ChildFailed
from textrealms.bench.scenario import Options, Outcome, Row, ms
from textrealms.bench.terminal import TIMEOUT, first_screen

TARGET_FIRST_FRAME_MS = 1000.0
TITLE = "T E X T R E A L M S"
"""On the title screen's first frame."""
STATUS = "offline narrator"
"""On the game screen's first frame: its status line."""


async def run(options: Options) -> Outcome:
    runs = options.size(2, 5)
    with tempfile.TemporaryDirectory(prefix="textrealms-bench-") as saves:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["TEXTREALMS_SAVES_DIR"] = saves
        title = ["-m", "textrealms"]
        game = ["-m", "textrealms", "play", "--world", options.pack.world.id]
        game += ["--seed", str(options.seed)]
        try:
            await asyncio.to_thread(first_screen, game, STATUS, env)
            version = await _times(runs, lambda: _version(env))
            titles = await _times(runs, lambda: first_screen(title, TITLE, env))
            games = await _times(runs, lambda: first_screen(game, STATUS, env))
        except ChildFailed as exc:
            data = {"startup": {"error": str(exc)}}
            return Outcome("8 start-up", data, [Row("failed", str(exc))])
    found = {
        "first_frame_ms": statistics.median(titles),
        "first_frame_min_ms": min(titles),
        "first_frame_game_ms": statistics.median(games),
        "version_ms": statistics.median(version),
        "version_min_ms": min(version),
        "runs": runs,
    }
    frame = found["first_frame_ms"]
    target = f"< {TARGET_FIRST_FRAME_MS:g} ms"
    rows = [
        Row("runs of each", f"{runs} (medians)"),
        Row("textrealms --version", ms(found["version_ms"])),
        Row("title: first frame", ms(frame), target, frame < TARGET_FIRST_FRAME_MS),
        Row("play: first frame", ms(found["first_frame_game_ms"])),
    ]
    return Outcome("8 start-up", {"startup": found}, rows)


async def _times(runs: int, once: Callable[[], float]) -> list[float]:
    """`once`'s seconds as milliseconds, `runs` times; in a thread, as the terminal is
    read by blocking calls."""
    return [await asyncio.to_thread(once) * 1000 for _ in range(runs)]


def _version(env: dict[str, str]) -> float:
    """Seconds from spawning `textrealms --version` to its exit."""
    argv = [sys.executable, "-m", "textrealms", "--version"]
    began = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, timeout=TIMEOUT, check=False)
    if done.returncode != 0:
        raise ChildFailed(f"textrealms --version exited {done.returncode}")
    return time.perf_counter() - began
