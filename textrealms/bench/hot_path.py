"""Scenario 1: submit to immediate entries, on every world, scripted and random commands.

The scripted half lets each turn's background work settle first, as a player reading
the story would; the random half types on at once, so commands land while the previous
turn's jobs are still running and get superseded. Wall time is what the player waits;
the thread's CPU time beside it tells the game's own cost from a busy machine's
preemption.
"""

from __future__ import annotations

import asyncio
import random
import time

from textrealms.bench.scenario import Options, Outcome, Row, ms
from textrealms.bench.script import Tour, random_command
from textrealms.engine.gm import GameMaster
from textrealms.engine.metrics import percentiles
from textrealms.world.schema import WorldPack

TARGET_P99_MS = 2.0
SETTLE_SECONDS = 10.0


async def run(options: Options) -> Outcome:
    turns = options.size(60, 400)
    every: list[float] = []
    cpu: list[float] = []
    worlds = {}
    for pack in options.packs:
        samples, spent = await _play(pack, options.seed, turns)
        worlds[pack.world.id] = _summary(samples)
        every += samples
        cpu += spent
    overall = percentiles(every)
    work = percentiles(cpu)
    data = {
        "hot_path_ms": {
            "p50": overall.p50,
            "p95": overall.p95,
            "p99": overall.p99,
            "max": overall.max,
            "count": overall.count,
            "cpu_p50": work.p50,
            "cpu_p99": work.p99,
            "worlds": worlds,
        }
    }
    rows = [
        Row("commands played", f"{overall.count} on {len(options.packs)} worlds"),
        Row("submit p50 / p95", f"{ms(overall.p50)} / {ms(overall.p95)}"),
        Row("submit p99", ms(overall.p99), f"< {TARGET_P99_MS:g} ms", overall.p99 < TARGET_P99_MS),
        Row("submit max", ms(overall.max)),
        Row("submit CPU time p50 / p99", f"{ms(work.p50)} / {ms(work.p99)}"),
    ]
    return Outcome("1 hot path", data, rows)


def _summary(samples: list[float]) -> dict[str, float]:
    p = percentiles(samples)
    return {"p50": p.p50, "p95": p.p95, "p99": p.p99, "max": p.max, "count": p.count}


async def _play(pack: WorldPack, seed: int, turns: int) -> tuple[list[float], list[float]]:
    """Each command's wall time and CPU time, in milliseconds."""
    gm = GameMaster(pack, seed=seed)
    rng = random.Random(seed)
    tour = Tour(pack)
    samples, spent = [], []
    try:
        gm.opening()
        for turn in range(turns):
            scripted = turn < turns // 2
            command = tour.next(gm.state) if scripted else random_command(pack, gm.state, rng)
            began, cpu = time.perf_counter(), time.thread_time()
            gm.submit(command)
            samples.append((time.perf_counter() - began) * 1000)
            spent.append((time.thread_time() - cpu) * 1000)
            if scripted:
                await asyncio.wait_for(gm.settled(), SETTLE_SECONDS)
            else:
                await asyncio.sleep(0)
        await asyncio.wait_for(gm.quiet(), SETTLE_SECONDS)
    finally:
        await gm.aclose()
    return samples, spent
