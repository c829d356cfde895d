"""Scenario 12: memory over a long game played back to back, each command entered as soon
as the one before has played: the TUI after 3,000 turns, plain mode after 10,000.

Growth is the resident memory (RSS) at the end minus at turn `FROM_TURN`, once the game
has loaded what it keeps. The TUI runs headless in the probe's child process, told at
once by the offline narrator; plain mode is `textrealms play --plain`, saving as a
player's game does, fed one command at a time through a pipe, its RSS read from /proc.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from typing import Any

from textrealms.bench.child import ChildFailed, probe, stop
from textrealms.bench.scenario import Options, Outcome, Row
from textrealms.engine.resident import resident_mb

TARGET_GROWTH_MB = 15.0
FROM_TURN = 100
COMMANDS = ("look", "inventory")
"""Each takes a turn but no time in the story, so no world ends however long it is played;
`look` is narrated."""
ECHO = b"> "
"""How plain mode echoes each command it reads from a pipe."""
TIMEOUT = 600.0
"""Longest either game may take over its turns before the scenario fails loudly."""


async def run(options: Options) -> Outcome:
    tui_turns = options.size(2 * FROM_TURN, 3000)
    plain_turns = options.size(2 * FROM_TURN, 10_000)
    load_before = os.getloadavg()[0]
    world, seed = options.pack.world.id, str(options.seed)
    commands = [arg for command in COMMANDS for arg in ("--command", command)]
    try:
        options.progress(f"memory: the TUI, {tui_turns} turns")
        tui = await probe(
            "memory", "--turns", str(tui_turns), "--seed", seed, "--world", world,
            "--from", str(FROM_TURN), *commands,
        )  # fmt: skip
        options.progress(f"memory: plain mode, {plain_turns} turns")
        plain = await _plain(world, seed, plain_turns)
    except ChildFailed as exc:
        return Outcome("12 memory", {"memory": {"error": str(exc)}}, [Row("failed", str(exc))])
    found: dict[str, Any] = {
        "tui_growth_mb": tui["growth_mb"],
        "plain_growth_mb": plain["growth_mb"],
        "from_turn": FROM_TURN,
        "load_before": load_before,
        "load_after": os.getloadavg()[0],
        "tui": tui,
        "plain": plain,
    }
    target = f"< {TARGET_GROWTH_MB:g} MB"
    rows = [
        _row(f"TUI: RSS growth over {tui_turns:,} turns", tui, target),
        _row(f"plain: RSS growth over {plain_turns:,} turns", plain, target),
    ]
    return Outcome("12 memory", {"memory": found}, rows)


def _row(measure: str, found: dict[str, Any], target: str) -> Row:
    growth = found["growth_mb"]
    value = f"{growth:+.1f} MB ({found['rss_start_mb']:.0f} → {found['rss_end_mb']:.0f} MB)"
    return Row(measure, value, target, growth < TARGET_GROWTH_MB)


async def _plain(world: str, seed: str, turns: int) -> dict[str, Any]:
    """Play `turns` commands in `textrealms play --plain`, each written once the one before
    has been echoed (read), so none waits in the pipe; RSS once turn `FROM_TURN` and the
    last turn have played (the next command's echo says so)."""
    with tempfile.TemporaryDirectory(prefix="textrealms-bench-") as saves:
        argv = ["-m", "textrealms", "play", "--plain", "--world", world, "--seed", seed]
        proc = await asyncio.create_subprocess_exec(
            sys.executable, *argv, "--saves-dir", saves,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
        assert proc.stdin is not None and proc.stdout is not None
        rss: dict[int, float] = {}
        try:
            async with asyncio.timeout(TIMEOUT):
                echoed = 0
                proc.stdin.write(f"{COMMANDS[0]}\n".encode())
                while echoed <= turns:
                    line = await proc.stdout.readline()
                    if not line:
                        raise ChildFailed(f"textrealms play --plain ended at turn {echoed}")
                    if not line.startswith(ECHO):
                        continue
                    echoed += 1
                    if echoed - 1 in (FROM_TURN, turns):
                        rss[echoed - 1] = resident_mb(proc.pid)
                    proc.stdin.write(f"{COMMANDS[echoed % len(COMMANDS)]}\n".encode())
                    await proc.stdin.drain()
        except TimeoutError:
            raise ChildFailed(f"textrealms play --plain ran over {TIMEOUT:g} s") from None
        finally:
            proc.stdin.close()
            await stop(proc, 10.0)
    return {
        "turns": turns,
        "from_turn": FROM_TURN,
        "rss_start_mb": rss[FROM_TURN],
        "rss_end_mb": rss[turns],
        "growth_mb": rss[turns] - rss[FROM_TURN],
    }
