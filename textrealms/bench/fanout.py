"""Scenario 2: a turn's background wall time over its slowest job, concurrent and sequential.

The same tour is played twice against the same model, once with the turn's jobs run
concurrently and once one after another. With perfect concurrency a turn takes as long
as its slowest job (ratio 1); run in sequence it takes the sum of its jobs.
"""

from __future__ import annotations

import asyncio
import statistics

from textrealms.bench.model import QUICK_SCALE, game, scaled, server
from textrealms.bench.scenario import Options, Outcome, Row
from textrealms.bench.script import Tour
from textrealms.engine.bookkeeping import TurnTiming
from textrealms.engine.gm import Strategy
from textrealms.engine.metrics import percentiles
from textrealms.llm.testing import LoopbackServer
from textrealms.world.schema import WorldPack

TARGET = 1.05
SETTLE_SECONDS = 120.0
MODEL_BOUND_MS = 10.0
"""A job this long made a model call: no job the rules answer alone comes near it."""


async def run(options: Options) -> Outcome:
    turns = options.size(30, 120)
    latency = scaled(options.latency, QUICK_SCALE) if options.quick else options.latency
    results: dict[str, list[TurnTiming]] = {}
    async with server(latency, options.seed) as served:
        for strategy in ("concurrent", "sequential"):
            options.progress(f"fanout: {turns} turns, {strategy}")
            results[strategy] = await _play(served, options.pack, options.seed, turns, strategy)
    concurrent = _ratios(results["concurrent"])
    sequential = _ratios(results["sequential"])
    same = {t.turn for t in _multi(results["concurrent"])}
    walls = {s: sum(t.wall_ms for t in r if t.turn in same) for s, r in results.items()}
    cut = 1 - walls["concurrent"] / walls["sequential"] if walls["sequential"] else 0.0
    jobs = [t.jobs for t in _multi(results["concurrent"])]
    data = {
        "fanout": {
            "concurrent_over_max": statistics.median(concurrent) if concurrent else 0.0,
            "sequential_over_max": statistics.median(sequential) if sequential else 0.0,
            "concurrent_over_max_p95": percentiles(concurrent).p95,
            "sequential_over_max_p95": percentiles(sequential).p95,
            "wall_cut": cut,
            "turns": len(concurrent),
            "jobs_per_turn": statistics.mean(jobs) if jobs else 0.0,
            "concurrent_wall_ms": walls["concurrent"],
            "sequential_wall_ms": walls["sequential"],
            "model_scale": QUICK_SCALE if options.quick else 1.0,
        }
    }
    fan = data["fanout"]
    rows = [
        Row(
            "turns with 2+ model jobs",
            f"{fan['turns']} (mean {fan['jobs_per_turn']:.1f} jobs)",
        ),
        Row(
            "concurrent wall / slowest job",
            f"{fan['concurrent_over_max']:.3f} (p95 {fan['concurrent_over_max_p95']:.3f})",
            f"< {TARGET}",
            fan["concurrent_over_max"] < TARGET,
        ),
        Row(
            "sequential wall / slowest job",
            f"{fan['sequential_over_max']:.2f} (p95 {fan['sequential_over_max_p95']:.2f})",
        ),
        Row("background time cut", f"{cut:.0%}", "50–70 %", cut >= 0.5),
    ]
    return Outcome("2 fan-out", data, rows)


def _multi(timings: list[TurnTiming]) -> list[TurnTiming]:
    """Turns with two or more jobs that waited on the model: with one, wall over slowest
    says nothing, and a job the rules answer alone takes microseconds, not model time."""
    return [t for t in timings if sum(ms >= MODEL_BOUND_MS for ms in t.durations_ms) >= 2]


def _ratios(timings: list[TurnTiming]) -> list[float]:
    return [t.wall_ms / t.slowest_ms for t in _multi(timings)]


async def _play(
    served: LoopbackServer, pack: WorldPack, seed: int, turns: int, strategy: Strategy
) -> list[TurnTiming]:
    """Each turn settles before the next command, so no turn waits on another's jobs."""
    gm = game(served, pack, seed, strategy=strategy, prefetch=False)
    tour = Tour(pack)
    try:
        gm.opening()
        await asyncio.wait_for(gm.settled(), SETTLE_SECONDS)
        for _ in range(turns):
            gm.submit(tour.next(gm.state))
            await asyncio.wait_for(gm.settled(), SETTLE_SECONDS)
        return list(gm.timings)
    finally:
        await gm.aclose()
